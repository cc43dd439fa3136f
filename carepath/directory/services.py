"""Writes of the directory: an entry saved with its hours and districts, and an entry marked
as checked. Each change is kept in the entry's history with who made it."""

import re
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from carepath.core.history import changed_by
from carepath.directory.models import Area, Entry, Kind, OpeningHours

#: A UK postcode (the Royal Mail's format), to keep a refuge's location out of its words.
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
#: The free-text fields a person types into.
TEXT_FIELDS = ("name", "description", "description_cy", "accessibility")


@dataclass(frozen=True)
class Hours:
    weekday: int
    opens: time
    closes: time


def refuge_location_errors(values: dict) -> dict[str, str]:
    """A refuge is listed by its front-gate phone only (domain.md "Safe contact"): a postcode
    in any of its words is refused, by field."""
    if values.get("kind") != Kind.REFUGE:
        return {}
    return {
        name: "A refuge's location is never written in the directory: remove the postcode."
        for name in TEXT_FIELDS
        if POSTCODE.search(str(values.get(name) or ""))
    }


@transaction.atomic
def entry_save(
    *,
    user,
    values: dict,
    districts=(),
    hours: list[Hours] = (),
    entry: Entry | None = None,
    reason: str = "",
) -> Entry:
    """Create an entry (``entry`` None: administrators only) or change one (its owner or an
    administrator). Only an administrator gives an entry another owner."""
    if entry is None and not user.has_perm("directory.add_entry"):
        raise PermissionDenied
    if entry is not None and not user.has_perm("directory.change_entry", entry):
        raise PermissionDenied
    errors = refuge_location_errors(values)
    if errors:
        raise ValidationError(errors)
    if entry is not None and "owner" in values and values["owner"] != entry.owner and not user.is_administrator:
        raise PermissionDenied
    entry = entry or Entry()
    for name, value in values.items():
        setattr(entry, name, value)
    if entry.area != Area.DISTRICTS:
        districts = ()
    changed_by(entry, user, reason=reason).save()
    entry.districts.set(districts)
    wanted = {(h.weekday, h.opens, h.closes) for h in hours}
    kept = set()
    for row in entry.hours.all():
        if (row.weekday, row.opens, row.closes) in wanted:
            kept.add((row.weekday, row.opens, row.closes))
        else:
            changed_by(row, user).delete()
    for weekday, opens, closes in sorted(wanted - kept):
        changed_by(OpeningHours(entry=entry, weekday=weekday, opens=opens, closes=closes), user).save()
    return entry


@transaction.atomic
def entry_mark_checked(*, entry: Entry, user, today: date) -> Entry:
    """The owner (or an administrator) says the entry is still right: it is checked today,
    and shown to the public again if it had been hidden."""
    if not user.has_perm("directory.change_entry", entry):
        raise PermissionDenied
    entry.last_checked_on = today
    changed_by(entry, user, reason="Checked: still right").save(update_fields=["last_checked_on"])
    return entry

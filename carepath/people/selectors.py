"""Reads of people, always through the access rule.

Default deny (DEVELOPERS.md "Safety first"): a member of staff sees a person only when
their agency is involved — it recorded the person, or (rules the events and referrals
apps register) reported an event in which the person is the victim, the perpetrator or a
child, or made a referral for them — or a recorded information share names the person
to their agency. See ``carepath.core.access``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Coalesce

from carepath.core import access
from carepath.core.encryption import blind_index_lookup
from carepath.people.linkage import PersonRecord, blocking_keys, dob_text, real_date
from carepath.people.models import (
    REVIEWED,
    Address,
    ContactChannel,
    IdentityChange,
    LinkStatus,
    Person,
    PersonName,
    RecordLink,
    RelationshipKind,
    SafeContact,
)
from carepath.people.safe_contact import ALL_CHANNELS, SafeContactAnswers, usable_channels


def people_visible_to(user) -> QuerySet[Person]:
    """Everyone the user's agency is involved with or was given (``core.access``)."""
    return access.records_visible_to(user, Person)


def people_search(*, user, name: str = "", date_of_birth=None) -> QuerySet[Person]:
    """People the user's agency may see whose names hold every word of ``name`` (in their
    first name or surname) and, if given, born on ``date_of_birth``. Never wider than
    ``people_visible_to``: another agency's records are not found, nor hinted at."""
    found = people_visible_to(user)
    for word in name.split():
        found = found.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if date_of_birth is not None:
        found = found.filter(date_of_birth=date_of_birth)
    return found.select_related("recorded_by").order_by("family_name", "given_name", "pk")


def person_addresses_for_user(*, user, person: Person):
    """Address history; confidential addresses only for the agency that recorded the person."""
    addresses = person.addresses.select_related("district")
    if person.recorded_by_id != user.agency_id:
        addresses = addresses.filter(is_confidential=False)
    return addresses


@dataclass(frozen=True)
class ChannelSafety:
    channel: str
    label: str
    safe: bool
    never: bool


def person_contact_channels(*, person: Person) -> list[ChannelSafety]:
    """Each contact channel and whether it may be used (``safe_contact.usable_channels``).
    With no safe-contact record, nothing is safe."""
    record = SafeContact.objects.filter(person=person).first()
    answers = record.answers() if record else SafeContactAnswers()
    usable = usable_channels(answers)
    return [
        ChannelSafety(channel=c, label=ContactChannel(c).label, safe=c in usable, never=c in answers.do_not_contact_via)
        for c in ALL_CHANNELS
    ]


def linkage_records(person_ids: Iterable[int] | None = None) -> list[PersonRecord]:
    """Person records as the linkage engine reads them (all of them when ``person_ids``
    is None), each with its latest address and its other names (aliases, previous names).
    A date of birth kept as written (no real date) is the record's ``date_of_birth`` as
    text (``linkage.PersonRecord``). For identity resolution only: never shown."""
    people = Person.objects.all() if person_ids is None else Person.objects.filter(pk__in=list(person_ids))
    addresses = Address.objects.filter(is_confidential=False).order_by("person_id", "pk")
    if person_ids is not None:
        addresses = addresses.filter(person__in=people)
    latest = {
        pk: (line, postcode)
        for pk, line, postcode in addresses.values_list("person_id", "line_1", "postcode").iterator(chunk_size=10000)
    }
    names = PersonName.objects.all() if person_ids is None else PersonName.objects.filter(person__in=people)
    other_names: dict[int, list[tuple[str, str]]] = {}
    for pk, given, family in names.values_list("person_id", "given_name", "family_name").iterator(chunk_size=10000):
        other_names.setdefault(pk, []).append((given, family))
    records = []
    for pk, given, family, dob, as_written, sex, phone, nhs, pnc in (
        people.order_by("pk")
        .values_list(
            "pk",
            "given_name",
            "family_name",
            "date_of_birth",
            "date_of_birth_as_written",
            "sex",
            "phone",
            "nhs_number",
            "pnc_id",
        )
        .iterator(chunk_size=10000)
    ):
        line, postcode = latest.get(pk, ("", ""))
        records.append(
            PersonRecord(
                record_id=str(pk),
                first_name=given,
                last_name=family,
                # A date of birth that is no real date is compared as the source wrote it.
                date_of_birth=dob or as_written or None,
                address=line,
                postcode=postcode,
                national_id=nhs,
                pnc_id=pnc,
                sex="" if sex == "not_known" else sex,
                phone=phone,
                other_names=tuple(other_names.get(pk, ())),
            )
        )
    return records


def _spellings(written: date | str) -> set[str]:
    """The ways a front door may have written a date of birth kept as written, for the
    one matching ``linkage.dob_text`` to find it: "31/02/1980", "31/2/1980" and
    "1980-02-31" are the same date as written."""
    text = dob_text(written)
    found = {written.strip()} if isinstance(written, str) else set()
    if text and len(text) == 10 and text[4] == "-" and text[7] == "-":
        year, month, day = text[:4], text[5:7], text[8:]
        found.add(text)
        for d in {day, day.lstrip("0") or "0"}:
            for m in {month, month.lstrip("0") or "0"}:
                found.add(f"{d}/{m}/{year}")
    return found


def linkage_candidates(new: list[PersonRecord]) -> list[PersonRecord]:
    """Existing records that may be the same person as these new ones: those sharing one
    of the engine's blocking keys (``linkage.blocking_keys``) with one of them. Fetched
    through the indexed columns (date of birth, or as written when no real date; names,
    phone, NHS number, PNC id, postcode, through its blind index: postcodes are
    encrypted), then checked against the keys."""
    ids = {int(r.record_id) for r in new}
    wanted = {key for record in new for key in blocking_keys(record)}
    if not wanted:
        return []
    values = {
        name: {getattr(r, attr) for r in new} - {"", None}
        for name, attr in (
            ("phone", "phone"),
            ("nhs_number", "national_id"),
            ("pnc_id", "pnc_id"),
        )
    }
    match = Q(
        pk__in=Address.objects.filter(
            postcode_index__in=blind_index_lookup("postcode", {r.postcode for r in new})
        ).values("person_id")
    )
    # A date of birth kept as written may be a real date in another record's spelling
    # (1880-03-04 is real, yet no possible date of birth at a police front door): both
    # columns are searched for each.
    born = [r.date_of_birth for r in new if r.date_of_birth]
    values["date_of_birth"] = {d for d in map(real_date, born) if d}
    values["date_of_birth_as_written"] = {spelling for d in born for spelling in _spellings(d)}
    for name, found in values.items():
        if found:
            match |= Q(**{f"{name}__in": found})
    named = [r for r in new if r.first_name and r.last_name]
    if named:
        # Both name sets at once (the name index), not one condition per record: a
        # batch of thousands would make too deep a query. The keys below sort them out.
        firsts, lasts = {r.first_name for r in named}, {r.last_name for r in named}
        match |= Q(given_name__in=firsts, family_name__in=lasts)
        # ... and written the other way round (the names + year-of-birth blocking key).
        match |= Q(given_name__in=lasts, family_name__in=firsts)
    found = [pk for pk in Person.objects.filter(match).exclude(pk__in=ids).values_list("pk", flat=True)]
    return [r for r in linkage_records(found) if wanted.intersection(blocking_keys(r))]


@dataclass(frozen=True)
class KnownAcross:
    """What identity resolution knows of a person, as counts only: linking records never
    shows one agency's record to another."""

    records: int
    agencies: int
    children: int


def identity_records(*, identity_key: int) -> QuerySet[Person]:
    """Every record linked as one person (``Person.identity``). For counts, history and
    reviewers; never a way round ``people_visible_to``."""
    return Person.objects.filter(Q(identity_key=identity_key) | Q(pk=identity_key))


def linked_record_ids(person_id: int) -> list[int]:
    """Every record linked as the same person as this one, itself included; empty when
    there is no such record."""
    person = Person.objects.filter(pk=person_id).only("pk", "identity_key").first()
    if person is None:
        return []
    return list(identity_records(identity_key=person.identity).order_by("pk").values_list("pk", flat=True))


def record_links_between(*, person: Person, others) -> dict[tuple[int, int], RecordLink]:
    return {
        (link.person_a_id, link.person_b_id): link
        for link in RecordLink.objects.filter(
            Q(person_a=person, person_b__in=others) | Q(person_b=person, person_a__in=others)
        )
    }


def identity_changes_touching(*, person: Person, limit: int = 20) -> list[IdentityChange]:
    key = str(person.pk)
    return list(
        IdentityChange.objects.filter(Q(before__has_key=key) | Q(after__has_key=key)).select_related("made_by")[:limit]
    )


def record_links_awaiting_review() -> QuerySet[RecordLink]:
    """Pairs waiting for a reviewer, the likeliest first."""
    return (
        RecordLink.objects.filter(status=LinkStatus.REVIEW)
        .select_related("person_a__recorded_by", "person_b__recorded_by")
        .order_by("-match_probability", "pk")
    )


def record_links_decided_count() -> int:
    return RecordLink.objects.filter(status__in=REVIEWED).count()


def person_known_across(*, person: Person) -> KnownAcross:
    """How many records, held by how many agencies, are linked as this person, and how
    many distinct children (as people) any of those records is recorded as a parent of
    (issue 4: household membership of children)."""
    records = identity_records(identity_key=person.identity)
    children = Person.objects.filter(
        relationships_to__kind=RelationshipKind.PARENT, relationships_to__from_person__in=records.values("pk")
    )
    child_identities = {key or pk for pk, key in children.values_list("pk", "identity_key")}
    return KnownAcross(
        records=records.count(),
        agencies=records.values("recorded_by").distinct().count(),
        children=len(child_identities),
    )


def person_key(relation: str) -> Coalesce:
    """The person key of the record at ``relation`` (``"victim"``): ``identity_key or pk``,
    which records linked as one person share. For counting people in an aggregate; over
    millions of rows, ``rows_with_person_keys`` is faster."""
    return Coalesce(f"{relation}__identity_key", f"{relation}_id", output_field=BigIntegerField())


# Written out because the ORM cannot say it fast: it joins a non-null relation (an event's
# victim) with an inner join over every person record, millions of them nationally, where
# only the linked records (few, found by their index) can change a person key.
_KEYED_SQL = """
WITH found ({names}) AS ({rows})
SELECT {selected} FROM found {joins} {order}
"""


def rows_with_person_keys(
    rows: QuerySet, *, person_columns: int, date_columns: Iterable[int] = (), order_by: int | None = None
) -> list[tuple]:
    """The rows of a ``values_list`` query whose first ``person_columns`` columns are person
    record ids, each replaced by its person key (``identity_key or pk``: records linked as
    one person share it), for counting people. ``date_columns`` (their positions) come back
    as dates on SQLite too; ``order_by`` is the position of a column to sort the rows by."""
    from django.db import connection

    sql, params = rows.query.sql_with_params()
    width = len(rows.query.values_select) + len(rows.query.annotation_select)
    names = [f"c{n}" for n in range(width)]
    table = connection.ops.quote_name(Person._meta.db_table)
    dates = set(date_columns)
    selected = [
        f"COALESCE(p{n}.identity_key, found.c{n})"
        if n < person_columns
        # "[date]" is how SQLite is told to return a date rather than text; to PostgreSQL it is a name.
        else f'found.c{n} AS "c{n} [date]"'
        if n in dates
        else f"found.c{n}"
        for n in range(width)
    ]
    joins = " ".join(
        f"LEFT JOIN {table} p{n} ON p{n}.id = found.c{n} AND p{n}.identity_key IS NOT NULL"
        for n in range(person_columns)
    )
    with connection.cursor() as cursor:
        # Bandit's B608 (SQL built from strings): the names are the model's own and the query's
        # own compiled SQL; every value is a bound parameter.
        cursor.execute(
            _KEYED_SQL.format(  # nosec B608
                names=", ".join(names),
                rows=sql,
                selected=", ".join(selected),
                joins=joins,
                order="" if order_by is None else f"ORDER BY found.c{order_by}",
            ),
            params,
        )
        return cursor.fetchall()

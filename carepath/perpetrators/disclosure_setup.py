"""What the disclosure part of the perpetrators app registers with core: queues, record types,
involvement rules and case sections (called from PerpetratorsConfig.ready)."""

from django.urls import reverse
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.perpetrators import disclosure_selectors as selectors
from carepath.perpetrators.models import DisclosureApplication


def _needing_attention(user):
    return selectors.needing_attention(user=user, now=timezone.now(), settings=partnership_settings_get())


def home_preview(user, n: int) -> list[dict]:
    """The first few applications with a clock overdue or due within a day: no names."""
    items = []
    for row in _needing_attention(user)[:n]:
        clock = next(c for c in row.clocks if c.open and (c.overdue or c.due_soon))
        received = timezone.localtime(row.application.received_at)
        items.append(
            {
                "text": f"Application received {received.day} {received:%B}: {clock.name.lower()} {clock.state}",
                "url": reverse("disclosure_application_detail", args=[row.application.pk]),
                "due": clock.due,
                "overdue": clock.overdue,
            }
        )
    return items


def register() -> None:
    access.register_record_type(
        access.RecordType(
            name="disclosure-application",
            model=DisclosureApplication,
            label="Clare's Law application",
            detail_url="disclosure_application_detail",
            people=selectors.disclosure_people,
        )
    )
    access.register_involvement(model=DisclosureApplication, rule=selectors.disclosure_involvement)
    access.register_queue(
        access.Queue(
            key="disclosure_applications",
            title="Clare's Law applications",
            roles=frozenset(),
            permission="perpetrators.handle_disclosures",
            url_name="disclosure_queue",
            description="Open applications under the Domestic Violence Disclosure Scheme. The count is of those "
            "with a clock overdue or due within a day: initial checks, the multi-agency meeting, or the decision "
            "and disclosure.",
            count=lambda user: len(_needing_attention(user)),
            preview=home_preview,
        )
    )

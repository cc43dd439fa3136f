"""Access is one mechanism: what each app registers is what everyone's reads and pages use."""

from copy import deepcopy

import pytest
from django.db.models import Q
from django.urls import reverse

from carepath.core import access
from carepath.people.selectors import people_visible_to


@pytest.fixture
def scratch_registry():
    """Registrations made by a test are undone after it."""
    saved = deepcopy(access.registry.__dict__)
    yield access.registry
    access.registry.__dict__.clear()
    access.registry.__dict__.update(saved)


def test_every_app_has_registered_its_records():
    assert {"person", "event", "referral", "access-alert"} <= set(access.registry.record_types)
    assert {"tasks", "triage"} <= set(access.registry.queues)


def test_a_rule_registered_by_a_new_app_opens_records_everywhere(scratch_registry, staff, reported_event, login):
    """An app registering "housing is involved with people it holds a tenancy for" makes
    those people visible to housing in every read and page, with nothing else edited."""
    from carepath.people.models import Person

    victim = reported_event.victim
    outsider = staff["outsider"]
    assert not people_visible_to(outsider).filter(pk=victim.pk).exists()
    assert login(outsider).get(reverse("person_detail", args=[victim.pk])).status_code == 404

    tenancies = {outsider.agency_id: [victim.pk]}
    access.register_involvement(model=Person, rule=lambda agency_id: Q(pk__in=tenancies.get(agency_id, [])))

    assert list(people_visible_to(outsider).values_list("pk", flat=True)) == [victim.pk]
    assert login(outsider).get(reverse("person_detail", args=[victim.pk])).status_code == 200
    assert not people_visible_to(staff["idva"]).exists()


def test_a_queue_registered_by_a_new_app_appears_on_the_home_page_with_its_count(scratch_registry, staff, login):
    access.register_queue(
        access.Queue(
            key="vacancies",
            title="Vacancies to confirm",
            description="Units not confirmed today.",
            roles=frozenset({staff["outsider"].role}),
            count=lambda user: 3,
            url_name="task_list",
        )
    )
    home = login(staff["outsider"]).get(reverse("home")).content.decode()
    assert "Vacancies to confirm" in home and "<strong>3</strong>" in home
    assert "Vacancies to confirm" not in login(staff["officer"]).get(reverse("home")).content.decode()


def test_a_record_type_name_cannot_be_taken_twice(scratch_registry):
    from carepath.events.models import Event

    with pytest.raises(ValueError, match="already registered"):
        access.register_record_type(access.RecordType(name="person", model=Event, label="x", detail_url="home"))

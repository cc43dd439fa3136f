"""Children at the front door: the safeguarding lead's children's queue, one child's page
where the lead records the child's own risk and the outcome, the tasks it closes, and the
board's count of children by outcome (measure 5)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from carepath.configuration.definitions import PartnershipSettings
from carepath.core.codes import AccessAction, AgencyType, Role
from carepath.core.models import AccessLog, Agency
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.referrals.children_selectors import children_outcomes, children_queue
from carepath.referrals.children_services import child_outcome_record
from carepath.referrals.intake import ChildDetails
from carepath.referrals.models import ReferralChild
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import MONDAY_10AM, police_referral

WHAT_HAPPENED = "He threw a glass at her while the children watched."


def make_referral(county, reference, children, *, received=MONDAY_10AM, victim_name="Imogen"):
    data = police_referral(county, reference=reference, children=children)
    data = replace(data, received_at=received, occurred_at=received, details=WHAT_HAPPENED)
    data = replace(data, victim=replace(data.victim, given_name=victim_name))
    return referral_create(data=data).referral


@pytest.fixture
def lead(county, front_door):
    return staff_create(
        username="childrens-lead",
        agency=county["agencies"]["childrens"],
        role=Role.SAFEGUARDING_LEAD,
        password=PASSWORD,
    )


@pytest.fixture
def school_lead(county, front_door):
    """A safeguarding lead at an agency the children were not referred to."""
    schools = Agency.objects.create(
        partnership=county["partnership"], name="Northtown Schools", agency_type=AgencyType.EDUCATION
    )
    return staff_create(username="school-lead", agency=schools, role=Role.SAFEGUARDING_LEAD, password=PASSWORD)


@pytest.fixture
def family(county, front_door):
    """Two children in one referral: Kit (7) and Ada (3)."""
    return make_referral(
        county,
        "INC-1",
        (ChildDetails(given_name="Kit", family_name="Quatermass", age=7), ChildDetails(given_name="Ada", age=3)),
    )


def child(given_name) -> ReferralChild:
    return ReferralChild.objects.select_related("child").get(child__given_name=given_name)


def record(lead, given_name, *, level="medium", outcome="early_help"):
    return child_outcome_record(
        child=child(given_name), user=lead, risk_level=level, risk_reason="Seen at school; withdrawn.", outcome=outcome
    )


def test_the_queue_lists_the_children_routed_to_the_agency_most_urgent_first(county, lead, family):
    # A later referral, but a child directly harmed: the urgent child protection referral is due the same day.
    make_referral(
        county,
        "INC-2",
        (ChildDetails(given_name="Bo", age=9, harmed=True),),
        received=MONDAY_10AM + timedelta(hours=3),
        victim_name="Wren",
    )
    queue = list(children_queue(user=lead))
    assert [c.child.given_name for c in queue] == ["Bo", "Kit", "Ada"]
    urgent = timedelta(hours=PartnershipSettings().child_protection_referral_hours)
    assert queue[0].due_at == MONDAY_10AM + timedelta(hours=3) + urgent
    assert queue[1].due_at == datetime(2026, 11, 17, 10, 0, tzinfo=UTC)  # 1 working day


def test_the_queue_page_shows_the_children_not_the_adults_and_logs_each_child(login, lead, family):
    response = login(lead).get(reverse("children_queue"))
    page = response.content.decode()
    assert "Kit Quatermass" in page and ", aged 7" in page and "Ada" in page
    assert "Imogen" not in page and "Darius" not in page and WHAT_HAPPENED not in page
    listed = AccessLog.objects.filter(user=lead, action=AccessAction.LISTED, content_type__model="person")
    assert set(listed.values_list("object_id", flat=True)) == {child("Kit").child_id, child("Ada").child_id}


def test_the_queue_is_on_the_safeguarding_leads_home_page_with_its_count(login, lead, family):
    page = login(lead).get(reverse("home")).content.decode()
    assert "Children&#x27;s queue" in page
    assert '<a class="govuk-link" href="/referrals/children/">' in page
    assert "<strong>2</strong>" in page


def test_another_agency_sees_no_children_and_gets_the_same_404_as_for_a_missing_child(
    login, lead, school_lead, staff, family
):
    kit = child("Kit")
    assert list(children_queue(user=school_lead)) == []
    client = login(school_lead)
    assert "Nothing waiting" in client.get(reverse("children_queue")).content.decode()
    refused = client.get(reverse("child_outcome", args=[kit.pk]))
    missing = client.get(reverse("child_outcome", args=[987_654]))
    assert refused.status_code == missing.status_code == 404
    assert b"Quatermass" not in refused.content
    assert AccessLog.objects.filter(user=school_lead, action=AccessAction.REFUSED).count() == 2
    # The idva service was given the adults, not the children: not a safeguarding lead, refused outright.
    assert login(staff["idva"]).get(reverse("child_outcome", args=[kit.pk])).status_code == 403


def test_the_child_page_shows_only_what_was_shared_and_logs_the_child(login, lead, family):
    kit = child("Kit")
    page = login(lead).get(reverse("child_outcome", args=[kit.pk])).content.decode()
    assert "Kit Quatermass" in page
    assert "The adult victim's risk" in page and "High" in page  # the share gives the adult's risk level
    assert "Imogen" not in page and "Darius" not in page and WHAT_HAPPENED not in page
    assert "Ada" not in page  # one child per page
    assert "Notify children&#x27;s services" in page
    assert "Quatermass" not in page.split("<title>")[1].split("</title>")[0]
    opened = AccessLog.objects.filter(user=lead, content_type__model="person", via_id=family.pk)
    assert set(opened.values_list("object_id", flat=True)) == {kit.child_id}


def test_recording_risk_and_outcome_takes_the_child_off_the_queue(login, lead, family):
    kit = child("Kit")
    client = login(lead)
    response = client.post(
        reverse("child_outcome", args=[kit.pk]),
        {"risk_level": "high", "risk_reason": "Told his teacher he is frightened at home.", "outcome": "statutory"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("children_queue")
    kit.refresh_from_db()
    assert (kit.risk_level, kit.outcome, kit.recorded_by) == ("high", "statutory", lead)
    assert kit.risk_notes == "Told his teacher he is frightened at home."
    assert kit.history.first().history_user == lead
    queue = client.get(reverse("children_queue")).content.decode()
    assert "Kit" not in queue and "Ada" in queue


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"risk_reason": "x", "outcome": "statutory"}, "risk_level", "Choose the child&#x27;s own risk level"),
        ({"risk_level": "severe", "risk_reason": "x", "outcome": "statutory"}, "risk_level", "own risk level"),
        ({"risk_level": "high", "risk_reason": "  ", "outcome": "statutory"}, "risk_reason", "Say why the child"),
        ({"risk_level": "high", "risk_reason": "x", "outcome": "adopted"}, "outcome", "Choose the outcome"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(login, lead, family, posted, field, message):
    kit = child("Kit")
    response = login(lead).post(reverse("child_outcome", args=[kit.pk]), posted)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and f'href="#id_{field}"' in page
    kit.refresh_from_db()
    assert kit.outcome == "" and kit.recorded_by is None


def test_the_notification_is_done_once_every_child_has_an_outcome(lead, family):
    notification = family.tasks.get(action_type="children_services_notification")
    record(lead, "Kit", level="high", outcome="statutory")
    notification.refresh_from_db()
    assert notification.status == "open"
    record(lead, "Ada", level="standard", outcome="no_further_action")
    notification.refresh_from_db()
    assert (notification.status, notification.done_by) == ("done", lead)
    assert notification.note == (
        "Child aged 7: Meets the statutory threshold (child in need, s.17, or child protection, s.47); "
        "Child aged 3: No further action"
    )


def test_a_harmed_childs_child_protection_referral_is_done_with_their_own_outcome(county, lead):
    referral = make_referral(
        county,
        "INC-3",
        (ChildDetails(given_name="Ned", age=12, present=False), ChildDetails(given_name="Bo", age=9, harmed=True)),
    )
    protection = referral.tasks.get(action_type="child_protection_referral")
    notification = referral.tasks.get(action_type="children_services_notification")
    record(lead, "Bo", level="high", outcome="statutory")
    protection.refresh_from_db()
    notification.refresh_from_db()
    assert protection.status == "done" and "Child aged 9: Meets the statutory threshold" in protection.note
    assert notification.status == "open"  # Ned (in the household, not present) is still to record


def test_only_an_agency_the_child_was_referred_to_can_record(school_lead, family):
    with pytest.raises(Exception, match="Only an agency this child was referred to"):
        record(school_lead, "Kit")
    assert child("Kit").outcome == ""


def test_measure_5_counts_children_as_people_under_their_most_serious_outcome(county, lead, family):
    later = make_referral(
        county, "INC-4", (ChildDetails(given_name="Kit", family_name="Quatermass", age=7),), victim_name="Imogen"
    )
    make_referral(county, "INC-5", (ChildDetails(given_name="Cy", age=15),), victim_name="Rhian")
    # The two records of Kit are linked as one child (identity resolution).
    kits = sorted(Person.objects.filter(given_name="Kit").values_list("pk", flat=True))
    Person.objects.filter(pk__in=kits).update(identity_key=kits[0])
    record(lead, "Ada", level="standard", outcome="no_further_action")
    child_outcome_record(
        child=later.children.get(), user=lead, risk_level="medium", risk_reason="x", outcome="early_help"
    )
    child_outcome_record(
        child=ReferralChild.objects.get(referral=family, child__given_name="Kit"),
        user=lead,
        risk_level="high",
        risk_reason="x",
        outcome="statutory",
    )
    figures = children_outcomes(start=MONDAY_10AM - timedelta(days=1), end=MONDAY_10AM + timedelta(days=1))
    assert (figures.statutory, figures.early_help, figures.no_further_action, figures.awaiting) == (1, 0, 1, 1)
    assert figures.statutory_percent == 50 and figures.other_support_percent == 0
    outside = children_outcomes(start=MONDAY_10AM + timedelta(days=1), end=MONDAY_10AM + timedelta(days=2))
    assert outside.decided == outside.awaiting == 0 and outside.statutory_percent is None

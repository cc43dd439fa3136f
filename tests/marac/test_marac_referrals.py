"""A MARAC coordinator checks the referrals sent to her MARAC (issue 13): accepted cases
get a number and a meeting with room, repeats are flagged across linked records, and
another agency sees none of it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carepath.core.models import Agency, AgencyType, District, Role
from carepath.core.services import staff_create
from carepath.marac.models import CaseStatus, Marac, MaracCase, MaracMeeting
from carepath.marac.services import marac_referral_accept, marac_referral_return
from carepath.people.models import Person
from carepath.referrals.models import Referral
from tests.marac.factories import NOW, SECOND_TUESDAY, marac_referral


def test_an_accepted_referral_is_numbered_and_listed_at_the_next_meeting_with_time_for_research(
    county, marac, coordinator
):
    sent = marac_referral(county, coordinator)
    case = marac_referral_accept(referral=sent, user=coordinator, now=NOW)
    assert case.number == 1 and case.status == CaseStatus.LISTED
    assert case.meeting.starts_at == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # the second Tuesday
    assert case.criteria == ["visible_high_risk"] and not case.is_repeat and case.rolled_past == 0
    # Two days before the meeting, research could not come back in time: the next month.
    late = marac_referral(county, coordinator)
    later = marac_referral_accept(referral=late, user=coordinator, now=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    assert later.number == 2 and later.meeting.starts_at.date() == date(2027, 1, 12)
    with pytest.raises(ValidationError, match="already been checked"):
        marac_referral_accept(referral=sent, user=coordinator, now=NOW)


def test_a_full_meeting_rolls_the_case_to_the_next_and_the_coordinator_is_warned(county, marac, coordinator, login):
    marac.capacity = 1
    marac.save()
    # Accepted now (the page accepts at the real time), each with the same clock.
    first = marac_referral_accept(referral=marac_referral(county, coordinator), user=coordinator)
    assert first.rolled_past == 0
    second = marac_referral(county, coordinator)
    response = login(coordinator).post(reverse("marac_referral_accept", args=[second.pk]), follow=True)
    case = MaracCase.objects.get(referral=second)
    assert case.meeting.starts_at > first.meeting.starts_at and case.rolled_past == 1
    page = response.content.decode()
    assert "The meeting before this one was full" in page
    assert "The meeting before it is full." in page  # the message after accepting


def test_a_referral_within_twelve_months_of_the_last_is_a_repeat_and_a_day_later_is_not(county, marac, coordinator):
    first = marac_referral(county, coordinator, received=NOW - timedelta(days=365))
    earlier = marac_referral_accept(referral=first, user=coordinator, now=NOW - timedelta(days=365))
    inside = marac_referral(county, coordinator, received=NOW)
    # Each referral_create makes its own victim record: link them as one person.
    Person.objects.filter(pk=inside.victim_id).update(identity_key=first.victim_id)
    case = marac_referral_accept(referral=inside, user=coordinator, now=NOW)
    assert case.repeat_of == earlier and "repeat" in case.criteria

    outside = marac_referral(county, coordinator, received=NOW - timedelta(days=365) + timedelta(days=366))
    Person.objects.filter(pk=outside.victim_id).update(identity_key=first.victim_id)
    MaracCase.objects.filter(pk=case.pk).delete()  # only the year-old case before it
    assert marac_referral_accept(referral=outside, user=coordinator, now=NOW).repeat_of is None


def test_a_repeat_is_found_across_two_linked_records_of_one_person(county, marac, coordinator, login):
    first = marac_referral(county, coordinator, received=NOW - timedelta(days=100))
    earlier = marac_referral_accept(referral=first, user=coordinator, now=NOW - timedelta(days=100))
    second = marac_referral(county, coordinator)
    assert second.victim_id != first.victim_id
    unlinked = marac_referral_accept(referral=second, user=coordinator, now=NOW)
    assert unlinked.repeat_of is None  # two records, not yet known to be one person

    third = marac_referral(county, coordinator)
    # Identity resolution links the new record and the first as one person.
    Person.objects.filter(pk__in=[first.victim_id, third.victim_id]).update(identity_key=first.victim_id)
    repeat = marac_referral_accept(referral=third, user=coordinator, now=NOW)
    assert repeat.repeat_of == earlier
    # Her history on the case: the linked record's case, not the unlinked one's.
    page = login(coordinator).get(reverse("marac_case_detail", args=[repeat.pk])).content.decode()
    history = page.split("Her MARAC history")[1].split("</table>")[0]
    assert f"case {earlier.number}<" in history and f"case {unlinked.number}<" not in history


def test_a_medium_risk_marac_hears_its_band_in_its_own_area_only(county, marac, coordinator):
    southtown = District.objects.create(marac_area=county["area"], name="Southtown", population=1, women_16_plus=1)
    marac.districts.add(southtown)
    medium = Marac.objects.create(
        agency=county["agencies"]["marac"],
        name="Northtown medium-risk MARAC",
        first_meeting=SECOND_TUESDAY + timedelta(days=1),
        min_score=10,
        max_score=13,
    )
    medium.districts.set([county["district"]])
    # A professional's judgement sends a medium score to MARAC.
    in_band = marac_referral(county, coordinator, yes=11)
    Referral.objects.filter(pk=in_band.pk).update(decision={"marac_criteria": ["professional_judgement"]})
    assert marac_referral_accept(referral=in_band, user=coordinator, now=NOW).marac == medium
    elsewhere = marac_referral(county, coordinator, yes=11, district=southtown)
    assert marac_referral_accept(referral=elsewhere, user=coordinator, now=NOW).marac == marac
    high = marac_referral(county, coordinator, yes=16)
    assert marac_referral_accept(referral=high, user=coordinator, now=NOW).marac == marac


def test_a_returned_referral_keeps_the_reason_and_leaves_the_queue(county, marac, coordinator, login):
    sent = marac_referral(county, coordinator)
    client = login(coordinator)
    assert "MARAC referrals to check" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("marac_referrals_to_check")).content.decode()
    assert reverse("marac_referral_accept", args=[sent.pk]) in page
    with pytest.raises(ValidationError):
        marac_referral_return(referral=sent, user=coordinator, reason="  ")
    client.post(reverse("marac_referral_return", args=[sent.pk]), {"reason": "She lives in the south: South MARAC."})
    case = MaracCase.objects.get(referral=sent)
    assert case.status == CaseStatus.RETURNED and case.number is None
    assert case.returned_reason == "She lives in the south: South MARAC."
    assert (
        reverse("marac_referral_accept", args=[sent.pk])
        not in client.get(reverse("marac_referrals_to_check")).content.decode()
    )


def test_only_the_marac_coordination_checks_and_sees_its_cases(county, marac, coordinator, staff, login):
    sent = marac_referral(county, coordinator)
    with pytest.raises(PermissionDenied):
        marac_referral_accept(referral=sent, user=staff["outsider"], now=NOW)
    case = marac_referral_accept(referral=sent, user=coordinator, now=NOW)
    url = reverse("marac_case_detail", args=[case.pk])
    assert login(coordinator).get(url).status_code == 200
    assert login(staff["outsider"]).get(url).status_code == 404  # as if there were no such case
    assert login(staff["outsider"]).get(reverse("marac_referrals_to_check")).status_code == 403
    waiting = marac_referral(county, coordinator)
    other_marac = Agency.objects.create(
        partnership=county["partnership"], name="Elsewhere MARAC", agency_type=AgencyType.MARAC
    )
    stranger = staff_create(username="stranger", agency=other_marac, role=Role.MARAC_COORDINATOR, password="y" * 20)
    with pytest.raises(PermissionDenied):
        marac_referral_accept(referral=waiting, user=stranger, now=NOW)
    assert login(stranger).get(url).status_code == 404
    assert MaracMeeting.objects.filter(marac=marac).count() >= 6  # meetings planned ahead


def test_the_front_doors_marac_referral_is_counted_as_the_referring_agencys(county, coordinator):
    """The police raised the concern; the coordinator only marked the front door's task
    done. The MARAC return counts referrals by the agency that made them."""
    sent = marac_referral(county, coordinator)
    assert sent.referring_agency == county["agencies"]["police"]

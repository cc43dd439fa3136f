"""A family's referral to safe accommodation and her stay: referred on a held unit with her
agreement and shared with the provider; answered; her arrival, support and move-on; the
referral into and out of the area; her lead worker sees the stay without the address; no
other agency sees any of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carepath.accommodation import matching, services
from carepath.accommodation.models import (
    DeclineReason,
    Departure,
    MoveOn,
    PlacementStatus,
    Suitability,
    UnmetNeed,
    VacancyState,
)
from carepath.core.codes import AccessAction
from carepath.core.models import AccessLog
from carepath.people.models import Person
from carepath.referrals.intake import PersonDetails
from tests.accommodation.conftest import ADDRESS


@pytest.fixture
def victim(county):
    return Person.objects.create(
        recorded_by=county["agencies"]["idva"], given_name="Rosa", family_name="Lindqvist", sex="female"
    )


def refer(refuges, staff, victim, county, **overrides):
    now = timezone.now()
    hold = services.hold_place(unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=now, hold_hours=4)
    arguments = {
        "hold": hold,
        "user": staff["idva"],
        "victim": victim,
        "household": services.Household(
            home_district=county["district"],
            suitability=Suitability.NEEDS_REFUGE,
            adult=matching.WOMAN,
            children=2,
            needs=("pets", "no_recourse_to_public_funds"),
        ),
        "agreed": True,
        "now": now,
    } | overrides
    return services.placement_refer(**arguments)


def test_a_referral_needs_her_agreement_and_a_live_hold_of_the_agency(refuges, staff, victim, county):
    with pytest.raises(ValidationError) as refused:
        refer(refuges, staff, victim, county, agreed=False)
    assert "ask her before you refer her" in str(refused.value)
    hold = services.hold_place(
        unit=refuges["units"]["any_boy_stale"], user=staff["idva"], now=timezone.now(), hold_hours=4
    )
    with pytest.raises(PermissionDenied):
        services.placement_refer(
            hold=hold,
            user=staff["officer"],
            victim=victim,
            household=services.Household(
                home_district=None, suitability=Suitability.NEEDS_REFUGE, adult=matching.WOMAN
            ),
            agreed=True,
            now=timezone.now(),
        )


def test_the_provider_sees_the_referral_and_her_record_and_an_uninvolved_agency_sees_neither(
    refuges, staff, victim, county, login
):
    placement = refer(refuges, staff, victim, county)
    provider = login(refuges["workers"]["haven"])
    page = provider.get(reverse("accommodation_placement_detail", args=[placement.pk])).content.decode()
    assert "Rosa Lindqvist" in page and "Needs refuge" in page and "A pet" in page
    assert ADDRESS not in page  # the placement page shows no address, even to the provider
    assert provider.get(reverse("person_detail", args=[victim.pk])).status_code == 200
    for outsider in (refuges["workers"]["other"], staff["outsider"]):
        client = login(outsider)
        assert client.get(reverse("accommodation_placement_detail", args=[placement.pk])).status_code == 404
    refused = AccessLog.objects.filter(user=staff["outsider"], action=AccessAction.REFUSED)
    assert refused.exists()
    units_page = provider.get(reverse("accommodation_provider_units")).content.decode()
    assert reverse("accommodation_placement_detail", args=[placement.pk]) in units_page


def test_accept_arrive_support_and_move_on_and_the_unit_returns(refuges, staff, victim, county):
    placement = refer(refuges, staff, victim, county)
    worker = refuges["workers"]["haven"]
    with pytest.raises(PermissionDenied):
        services.placement_decide(placement=placement, user=staff["idva"], accept=True, now=timezone.now())
    services.placement_decide(placement=placement, user=worker, accept=True, now=timezone.now())
    placement.refresh_from_db()
    unit = refuges["units"]["boys_to_12"]
    unit.refresh_from_db()
    assert (placement.status, unit.vacancy) == (PlacementStatus.ACCEPTED, VacancyState.OCCUPIED)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="future"):
        services.placement_arrive(placement=placement, user=worker, arrived_on=today + timedelta(days=1), today=today)
    services.placement_arrive(placement=placement, user=worker, arrived_on=today, today=today)
    with pytest.raises(ValidationError, match="Enter 0 to 2"):
        services.placement_support_record(
            placement=placement, user=worker, support_plan="x", children_support="y", children_supported=3
        )
    services.placement_support_record(
        placement=placement,
        user=worker,
        support_plan="Weekly key work; benefits claim",
        children_support="Play therapy",
        children_supported=2,
    )
    with pytest.raises(ValidationError) as refused:
        services.placement_depart(
            placement=placement,
            user=worker,
            left_on=today - timedelta(days=1),
            departure=Departure.PLANNED,
            move_on=MoveOn.SOCIAL_TENANCY,
            unit_vacancy=VacancyState.AVAILABLE,
            today=today,
            now=timezone.now(),
        )
    assert "cannot leave before" in str(refused.value)
    services.placement_depart(
        placement=placement,
        user=worker,
        left_on=today,
        departure=Departure.PLANNED,
        move_on=MoveOn.SOCIAL_TENANCY,
        unit_vacancy=VacancyState.TEMPORARILY_CLOSED,
        today=today,
        now=timezone.now(),
    )
    placement.refresh_from_db()
    unit.refresh_from_db()
    assert (placement.status, placement.nights, placement.move_on) == (PlacementStatus.LEFT, 0, MoveOn.SOCIAL_TENANCY)
    assert placement.children_supported == 2
    assert unit.vacancy == VacancyState.TEMPORARILY_CLOSED


def test_a_declined_referral_keeps_the_reason_and_the_unit_goes_back_on_the_board(refuges, staff, victim, county):
    placement = refer(refuges, staff, victim, county)
    services.hold_decline(
        hold=placement.hold,
        user=refuges["workers"]["haven"],
        now=timezone.now(),
        reason=DeclineReason.NEEDS_NOT_MET,
        unmet_need=UnmetNeed.PETS,
    )
    placement.refresh_from_db()
    unit = refuges["units"]["boys_to_12"]
    unit.refresh_from_db()
    assert (placement.status, placement.decline_reason, placement.unmet_need) == (
        PlacementStatus.DECLINED,
        DeclineReason.NEEDS_NOT_MET,
        UnmetNeed.PETS,
    )
    assert unit.vacancy == VacancyState.AVAILABLE


def test_a_hold_that_expires_before_an_answer_withdraws_the_referral(refuges, staff, victim, county):
    placement = refer(refuges, staff, victim, county)
    services.holds_expire(now=timezone.now() + timedelta(hours=5))
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.WITHDRAWN


def test_referrals_into_and_out_of_the_area(refuges, staff, county):
    worker = refuges["workers"]["haven"]
    now = timezone.now()
    came_in = services.placement_receive(
        unit=refuges["units"]["closed"],
        user=worker,
        new_victim=PersonDetails(given_name="Ana", family_name="Sousa"),
        referrer_elsewhere="Eastshire Women's Aid",
        household=services.Household(home_district=None, suitability=Suitability.NO_ALTERNATIVE, adult=matching.WOMAN),
        now=now,
    )
    assert came_in.out_of_area_in and came_in.referring_agency is None
    with pytest.raises(ValidationError, match="Choose why"):
        services.placement_decide(placement=came_in, user=worker, accept=False, reason="", now=now)
    services.placement_decide(placement=came_in, user=worker, accept=False, reason=DeclineReason.NO_SPACE, now=now)
    came_in.refresh_from_db()
    assert (came_in.status, came_in.decline_reason) == (PlacementStatus.DECLINED, DeclineReason.NO_SPACE)

    went_out = services.placement_refer_elsewhere(
        user=staff["idva"],
        new_victim=PersonDetails(given_name="Beth", family_name="Okafor"),
        service_elsewhere="A refuge in Westshire",
        household=services.Household(
            home_district=county["district"], suitability=Suitability.NEEDS_REFUGE, adult=matching.WOMAN
        ),
        now=now,
    )
    assert went_out.out_of_area_out
    with pytest.raises(PermissionDenied, match="referring agency"):
        services.placement_decide(placement=went_out, user=worker, accept=True, now=now)
    services.placement_decide(placement=went_out, user=staff["idva"], accept=True, now=now)
    went_out.refresh_from_db()
    assert went_out.status == PlacementStatus.ACCEPTED


def test_her_lead_worker_sees_the_stay_on_her_case_without_the_address(refuges, staff, county, login, routed, workers):
    from carepath.casework import services as casework

    case = casework.case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user, now=timezone.now())
    victim = case.victim
    placement = refer(refuges, staff, victim, county)
    services.hold_accept(hold=placement.hold, user=refuges["workers"]["haven"], now=timezone.now())
    today = timezone.localdate()
    services.placement_arrive(placement=placement, user=refuges["workers"]["haven"], arrived_on=today, today=today)
    page = login(workers["kim"].user).get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    stays = page.split('<h2 class="govuk-heading-m">Safe accommodation</h2>')[1].split("</table>")[0]
    assert "Juniper House: refuge, Northtown" in stays and "Staying" in stays
    assert ADDRESS not in page and "Flat 1" not in stays


def test_the_refer_page_takes_the_family_and_sends_it(refuges, staff, victim, county, login):
    hold = services.hold_place(
        unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=timezone.now(), hold_hours=4
    )
    client = login(staff["idva"])
    url = reverse("accommodation_placement_refer", args=[hold.pk])
    page = client.get(url, {"victim": victim.pk}).content.decode()
    assert "Refer a family to Juniper House" in page and "Rosa Lindqvist" in page
    form = {
        "victim": victim.pk,
        "home_district": county["district"].pk,
        "suitability": Suitability.COMMUNITY_OPTION,
        "adult": matching.WOMAN,
        "adults": 1,
        "children": 1,
        "needs": ["wheelchair"],
    }
    missing = client.post(url, form)
    assert missing.status_code == 400 and "ask her before you refer her" in missing.content.decode()
    sent = client.post(url, form | {"agreed": "on"})
    placement = hold.unit.placements.get()
    assert sent.url == reverse("accommodation_placement_detail", args=[placement.pk])
    assert (placement.suitability, placement.needs, placement.children) == (
        Suitability.COMMUNITY_OPTION,
        ["wheelchair"],
        1,
    )
    other = login(staff["outsider"])
    assert other.get(url).status_code == 404


def test_the_referral_forms_answer_a_victim_of_another_agency_as_a_missing_one(refuges, staff, victim, login):
    """``?victim=`` on the referral out of the area and on the provider's own form: a person
    the agency may not see is answered as one that does not exist."""
    for user, name in (
        (staff["officer"], "accommodation_placement_elsewhere"),
        (refuges["workers"]["haven"], "accommodation_placement_receive"),
    ):
        client = login(user)
        theirs = client.get(reverse(name), {"victim": victim.pk}).content.decode()
        missing = client.get(reverse(name), {"victim": 987_654}).content.decode()
        assert "Rosa Lindqvist" not in theirs
        assert "not one your agency holds" in theirs and "not one your agency holds" in missing

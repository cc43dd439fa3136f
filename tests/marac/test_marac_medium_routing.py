"""A medium-risk MARAC configured for one district only (issue 13, "Done when"; domain.md
"Domain reference": Stevenage's hears DASH scores 10-13): the front door routes a medium
score in its band there, to the coordination that runs it, and its coordinator accepts it
onto that MARAC. Elsewhere, outside the band and at high risk, nothing changes."""

from datetime import timedelta

import pytest

from carepath.core.models import Agency, AgencyType, District
from carepath.marac.models import Marac
from carepath.marac.selectors import criteria_in_words
from carepath.marac.services import marac_referral_accept
from carepath.referrals.services import marac_referral_create, referral_create
from tests.marac.factories import NOW, SECOND_TUESDAY
from tests.referrals.test_referral_routing import coordinator_of, referral


@pytest.fixture
def medium(county, marac):
    """Northtown's medium-risk MARAC (10-13), run by its own coordination; Southtown is
    served by the area MARAC only."""
    southtown = District.objects.create(marac_area=county["area"], name="Southtown", population=1, women_16_plus=1)
    marac.districts.add(southtown)
    coordination = Agency.objects.create(
        partnership=county["partnership"], name="Northtown Medium-Risk MARAC", agency_type=AgencyType.MARAC
    )
    banded = Marac.objects.create(
        agency=coordination,
        name="Northtown medium-risk MARAC",
        first_meeting=SECOND_TUESDAY + timedelta(days=1),
        min_score=10,
        max_score=13,
    )
    banded.districts.set([county["district"]])
    return {"marac": banded, "coordination": coordination, "southtown": southtown}


def _task(made, kind="marac_referral"):
    return made.tasks.filter(action_type=kind).first()


def test_a_medium_score_in_the_band_in_its_district_goes_to_the_medium_risk_marac(county, medium, staff):
    made = referral_create(data=referral(county, yes=11)).referral
    assert made.decision["marac_criteria"] == ["medium_risk_marac"]
    task = _task(made)
    assert task.rule == "marac.medium_risk_marac" and task.owner_agency == medium["coordination"]
    assert "medium-risk MARAC" in task.reason and "10-13" in task.reason
    assert criteria_in_words()(made.decision["marac_criteria"]) == [
        "medium risk, with a DASH score in the band the area's medium-risk MARAC hears"
    ]
    coordinator = coordinator_of(medium["coordination"])
    sent = marac_referral_create(referral=made, user=coordinator)
    assert sent.receiving_agency == medium["coordination"]
    case = marac_referral_accept(referral=sent, user=coordinator, now=NOW)
    assert case.marac == medium["marac"] and case.criteria == ["medium_risk_marac"]


def test_the_same_score_in_another_district_takes_the_ordinary_medium_route(county, medium, staff):
    made = referral_create(data=referral(county, yes=11, district=medium["southtown"])).referral
    assert made.decision["marac_criteria"] == []
    assert _task(made) is None
    assert _task(made, "caseworker_referral").rule == "routing.medium_risk"


@pytest.mark.parametrize("yes", [8, 9])
def test_a_medium_score_outside_the_band_does_not_go_to_marac(county, medium, staff, yes):
    made = referral_create(data=referral(county, yes=yes)).referral
    assert made.risk_level == "medium" and made.decision["marac_criteria"] == []
    assert _task(made) is None and _task(made, "caseworker_referral") is not None


def test_a_high_risk_case_still_goes_to_the_area_marac(county, medium, marac, staff):
    made = referral_create(data=referral(county, yes=15)).referral
    assert made.decision["marac_criteria"] == ["visible_high_risk"]
    assert _task(made).owner_agency == county["agencies"]["marac"]
    coordinator = coordinator_of(county["agencies"]["marac"])
    sent = marac_referral_create(referral=made, user=coordinator)
    assert sent.receiving_agency == county["agencies"]["marac"]
    assert marac_referral_accept(referral=sent, user=coordinator, now=NOW).marac == marac

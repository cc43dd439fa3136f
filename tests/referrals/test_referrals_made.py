"""A police force's own referrals: newest first, with their status and what the front
door asks of the force in words, never what rests on other agencies' records."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse

from carepath.core.codes import AccessAction, AgencyType, Role
from carepath.core.models import AccessLog, Agency
from carepath.core.services import staff_create
from carepath.referrals.models import Referral
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import MONDAY_10AM, police_referral


@pytest.fixture
def other_force(county):
    force = Agency.objects.create(
        partnership=county["partnership"], name="Otherfordshire Police", agency_type=AgencyType.POLICE
    )
    return staff_create(username="other-officer", agency=force, role=Role.TRIAGE, password=PASSWORD)


@pytest.fixture
def made(county, front_door, staff):
    older = referral_create(data=replace(police_referral(county, reference="INC-1"), created_by_id=staff["officer"].pk))
    newer = referral_create(
        data=replace(
            police_referral(county, reference="INC-2", yes=3),
            received_at=MONDAY_10AM + timedelta(days=1),
            victim=replace(police_referral(county).victim, given_name="Wren"),
        )
    )
    return older.referral, newer.referral


def test_the_force_sees_its_referrals_newest_first_with_what_is_asked_of_it(login, staff, made):
    older, newer = made
    Referral.objects.filter(pk=newer.pk).update(decision=newer.decision | {"flags": ["serial_perpetrator"]})
    page = login(staff["officer"]).get(reverse("referrals_made")).content.decode()
    assert page.index(f"Referral {newer.pk}") < page.index(f"Referral {older.pk}")
    assert "Wren Quatermass" in page and "Imogen Quatermass" in page
    assert "Risk-management plan for the perpetrator (to do)" in page  # the police own it
    assert "IDVA referral" not in page and "Refer to MARAC" not in page  # other agencies' actions
    assert "Serial perpetrator" not in page
    assert "New" in page and "your reference INC-1" in page
    listed = AccessLog.objects.filter(user=staff["officer"], action=AccessAction.LISTED, content_type__model="person")
    assert set(listed.values_list("object_id", flat=True)) == {older.victim_id, newer.victim_id}


def test_the_filter_shows_only_the_officers_own_referrals(login, staff, made):
    older, newer = made
    page = login(staff["officer"]).get(reverse("referrals_made"), {"mine": "1"}).content.decode()
    assert f"Referral {older.pk}" in page and f"Referral {newer.pk}" not in page
    assert (
        login(staff["police_supervisor"])
        .get(reverse("referrals_made"), {"mine": "1"})
        .content.decode()
        .count("Referral ")
        == 0
    )


def test_it_is_a_queue_on_a_police_officers_home_page(login, staff, made):
    page = login(staff["officer"]).get(reverse("home")).content.decode()
    assert "Your force&#x27;s referrals" in page and "<strong>2</strong>" in page
    assert "Your force" not in login(staff["idva"]).get(reverse("home")).content.decode()


def test_another_force_sees_none_of_them_and_other_agencies_are_refused(login, staff, other_force, made):
    page = login(other_force).get(reverse("referrals_made")).content.decode()
    assert "Quatermass" not in page and "Your force has made no referrals yet." in page
    assert login(staff["idva"]).get(reverse("referrals_made")).status_code == 403

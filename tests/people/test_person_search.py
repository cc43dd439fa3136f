"""Finding a person by name or date of birth, only among the people the user's agency may
see; every person listed is logged."""

import pytest
from django.urls import reverse

from carepath.core.codes import AccessAction, AgencyType, Role
from carepath.core.models import AccessLog, Agency, District
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


@pytest.fixture
def other_force(county):
    # A neighbouring force, with a district of its own: the police tasks of the victim's
    # referral go to the county's force, not to it.
    elsewhere = District.objects.create(
        marac_area=county["area"], name="Southtown", population=50_000, women_16_plus=20_000
    )
    force = Agency.objects.create(
        partnership=county["partnership"],
        name="Otherfordshire Police",
        agency_type=AgencyType.POLICE,
        district=elsewhere,
    )
    return staff_create(username="other-officer", agency=force, role=Role.TRIAGE, password=PASSWORD)


@pytest.fixture
def victim(county, front_door):
    return referral_create(data=police_referral(county)).referral.victim  # Imogen Quatermass, born 1 January 1990


def search(client, **query):
    return client.get(reverse("person_search"), query).content.decode()


def test_the_force_finds_its_victim_by_name_or_date_of_birth_and_each_is_logged(login, staff, victim):
    client = login(staff["officer"])
    for query in (
        {"name": "imogen quat"},
        {"date_of_birth": "1/1/1990"},
        {"name": "Quatermass", "date_of_birth": "1990-01-01"},
    ):
        page = search(client, **query)
        assert "Imogen Quatermass" in page and f'href="/people/{victim.pk}/"' in page, query
    listed = AccessLog.objects.filter(user=staff["officer"], action=AccessAction.LISTED, object_id=victim.pk)
    assert listed.count() == 3
    assert "No one your agency may see matches" in search(client, name="Imogen", date_of_birth="2/1/1990")


def test_another_force_finds_nothing_of_the_victim(login, other_force, victim):
    # Even a record its own agency holds by the same name does not reveal the other force's.
    Person.objects.create(recorded_by=other_force.agency, given_name="Imogen", family_name="Other")
    client = login(other_force)
    for query in ({"name": "Quatermass"}, {"date_of_birth": "1/1/1990"}, {"name": "Imogen"}):
        page = search(client, **query)
        assert "Imogen Quatermass" not in page and f"/people/{victim.pk}/" not in page, query
        assert "1 January 1990" not in page, query
    assert "Imogen Other" in search(client, name="Imogen")
    assert not AccessLog.objects.filter(user=other_force, object_id=victim.pk, content_type__model="person").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"name": "", "date_of_birth": ""}, "Enter a name, a date of birth or both"),
        ({"date_of_birth": "31/2/1990"}, "Enter the date of birth as day/month/year"),
        ({"name": "Q"}, "Enter at least 2 letters of the name"),
        ({"name": "x" * 201}, "The name must be 200 characters or fewer"),
    ],
)
def test_bad_input_says_what_is_wrong(login, staff, victim, query, message):
    response = login(staff["officer"]).get(reverse("person_search"), query)
    assert response.status_code == 200 and message in response.content.decode()
    assert "Imogen" not in response.content.decode()


def test_the_search_is_on_a_police_officers_home_page_only(login, staff):
    assert "Find a person" in login(staff["officer"]).get(reverse("home")).content.decode()
    idva = login(staff["idva"])
    assert "Find a person" not in idva.get(reverse("home")).content.decode()
    assert idva.get(reverse("person_search"), {"name": "Imogen"}).status_code == 403

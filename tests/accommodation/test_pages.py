"""The vacancy board and the provider's units, as their users meet them: matches and what
the others cannot meet, no address on the board, a provider's own units only, stale
vacancies marked, and a search that finds nothing recorded as unmet demand."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from carepath.accommodation import selectors
from carepath.accommodation.matching import Family
from carepath.accommodation.models import UnmetDemand, VacancyState
from carepath.core.models import AccessLog
from tests.accommodation.conftest import ADDRESS
from tests.conftest import without_csrf_tokens

BOARD = "accommodation_vacancy_board"


def search(client, **query):
    return client.get(reverse(BOARD), {"adult": "woman", "adults": 1, **query})


def test_an_idva_sees_the_units_that_suit_a_family_and_what_the_others_cannot_meet(refuges, staff, login):
    response = search(login(staff["idva"]), boys="14", girls="9")
    html = response.content.decode()
    assert response.status_code == 200
    suitable, nearly = html.split("Available now, but not meeting every need")
    assert "Rowan Court, Flat A" in suitable and "Juniper House" not in suitable
    assert "Juniper House, Flat 1" in nearly and "Takes boys up to 12: her son is 14" in nearly
    assert "Flat 2" not in html  # temporarily closed: not offered at all
    assert not UnmetDemand.objects.exists()


def test_front_door_staff_may_search_and_staff_of_other_roles_may_not(refuges, staff, login):
    assert search(login(staff["officer"])).status_code == 200
    assert search(login(staff["admin"])).status_code == 403
    assert search(login(refuges["workers"]["haven"])).status_code == 403


def test_a_vacancy_not_confirmed_within_the_hours_is_marked_on_the_board(refuges, staff, login):
    html = search(login(staff["idva"])).content.decode()
    stale = refuges["units"]["any_boy_stale"]
    assert f"Not confirmed since {timezone.localtime(stale.confirmed_at):%-d %b %Y, %H:%M}" in html
    assert html.count("Not confirmed since") == 1


def test_no_address_is_ever_on_the_board(refuges, staff, login):
    client = login(staff["idva"])
    for query in ({}, {"boys": "14"}, {"needs": ["wheelchair"]}, {"boys": "1, 2, 3, 4, 5, 6"}):
        html = search(client, **query).content.decode()
        assert ADDRESS not in html and "Hidden Mews" not in html and "Secret Row" not in html


def test_the_provider_sees_its_own_units_with_its_address_and_nobody_elses(refuges, login):
    html = login(refuges["workers"]["haven"]).get(reverse("accommodation_provider_units")).content.decode()
    assert ADDRESS in html and "Flat 1" in html and "Flat 2" in html
    assert "Rowan Court" not in html and "Secret Row" not in html


def test_staff_of_agencies_providing_no_accommodation_cannot_open_the_provider_page(refuges, staff, login):
    for who in ("idva", "officer", "outsider"):
        assert login(staff[who]).get(reverse("accommodation_provider_units")).status_code == 403


def test_a_provider_confirms_a_vacancy_in_one_step_and_the_board_shows_it(refuges, staff, login):
    unit = refuges["units"]["closed"]
    client = login(refuges["workers"]["haven"])
    response = client.post(reverse("accommodation_unit_vacancy_set", args=[unit.pk]), {"vacancy": "available"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.vacancy == VacancyState.AVAILABLE
    assert timezone.now() - unit.confirmed_at < timedelta(minutes=1)
    assert unit.history.latest().history_user == refuges["workers"]["haven"]
    assert "Juniper House, Flat 2" in search(login(staff["idva"])).content.decode()


def test_a_stale_unit_is_confirmed_by_setting_it_again_and_the_reminder_clears(refuges, login):
    stale = refuges["units"]["any_boy_stale"]
    client = login(refuges["workers"]["other"])
    assert "Vacancies to confirm" in client.get(reverse("home")).content.decode()
    assert "Not confirmed since" in client.get(reverse("accommodation_provider_units")).content.decode()
    client.post(reverse("accommodation_unit_vacancy_set", args=[stale.pk]), {"vacancy": "available"})
    assert "Not confirmed since" not in client.get(reverse("accommodation_provider_units")).content.decode()


def test_a_provider_of_another_agency_cannot_update_a_unit_and_is_answered_as_for_a_missing_one(refuges, login):
    unit = refuges["units"]["boys_to_12"]
    client = login(refuges["workers"]["other"])
    response = client.post(reverse("accommodation_unit_vacancy_set", args=[unit.pk]), {"vacancy": "occupied"})
    missing = client.post(reverse("accommodation_unit_vacancy_set", args=[987_654]), {"vacancy": "occupied"})
    assert response.status_code == missing.status_code == 404
    assert without_csrf_tokens(response) == without_csrf_tokens(missing)
    unit.refresh_from_db()
    assert unit.vacancy == VacancyState.AVAILABLE
    assert AccessLog.objects.filter(user=refuges["workers"]["other"], action="refused").exists()


def test_a_search_that_finds_nothing_suitable_is_recorded_as_unmet_demand_without_personal_data(
    refuges, staff, county, login
):
    html = search(
        login(staff["officer"]),
        boys="15, 3",
        needs=["no_recourse_to_public_funds", "wheelchair"],
        languages="Tigrinya",
        home_district=county["district"].pk,
        avoid=[refuges["southtown"].pk],
    ).content.decode()
    assert "No unit available now meets every need" in html
    assert "Does not accept no recourse to public funds" in html and "Not wheelchair accessible" in html
    demand = UnmetDemand.objects.get()
    assert demand.agency == county["agencies"]["police"] and demand.district == county["district"]
    assert (demand.adult, demand.adults, demand.children, demand.oldest_boy_age) == ("woman", 1, 2, 15)
    assert demand.needs == ["wheelchair", "no_recourse_to_public_funds"]
    assert demand.languages == ["Tigrinya"] and demand.districts_avoided == 1
    assert demand.available_units == 2


def test_a_family_form_with_wrong_ages_says_how_to_write_them_and_records_nothing(refuges, staff, login):
    html = search(login(staff["idva"]), boys="fourteen").content.decode()
    assert "Enter the boys&#x27; ages as whole numbers from 0 to 17" in html
    assert not UnmetDemand.objects.exists()


def test_a_long_board_shows_the_first_rows_and_says_how_many_more(refuges, staff, login, monkeypatch):
    # A country's register: the board shows the first few, and says how many there are.
    monkeypatch.setattr(selectors, "MATCHES_SHOWN", 1)
    monkeypatch.setattr(selectors, "NEAR_SHOWN", 1)
    html = search(login(staff["idva"])).content.decode()
    board = selectors.vacancy_board(family=Family(), now=timezone.now(), stale_hours=24)
    assert board.matched > 1 and len(board.matches) == 1
    assert f"The first 1 of {board.matched} suitable units" in html

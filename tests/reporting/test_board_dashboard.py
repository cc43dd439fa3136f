"""The board's dashboard from records: people counted once across linked records, the place
and period chosen, small numbers hidden unless asked for, and who may see it."""

from django.urls import reverse

from carepath.casework.measures import period_from_code
from carepath.core.models import District
from carepath.reporting import selectors

Q3 = period_from_code("2026Q3")


def _tables(place):
    return {t.measure.key: t for t in selectors.board_tables(period=Q3, place=place)}


def test_people_are_counted_once_across_linked_records(board):
    incidents = _tables(selectors.EVERYWHERE)["incidents_by_risk"]
    # Q3: five incidents (Ada twice on her two records, Bea, Cat, Dot); four victims.
    assert incidents.value("All", "Incidents") == 5
    assert incidents.value("All", "Victims (people)") == 4
    assert incidents.value("High risk", "Incidents") == 3
    assert incidents.value("High risk", "Victims (people)") == 2  # Ada and Dot
    referrals = _tables(selectors.EVERYWHERE)["police_referrals"]
    # Ada's two police referrals (on her two records) reached MARAC: one person.
    assert referrals.value("All", "Referred to MARAC (people)") == 1
    assert referrals.value("MARAC: on her history only (repeat or escalation)", "Referred to MARAC (people)") == 1
    health = _tables(selectors.EVERYWHERE)["health_referrals"]
    assert health.value("GP practice", "Referred to MARAC (people)") == 1
    diverse = _tables(selectors.EVERYWHERE)["diverse_access"]
    # Two people referred (Ada, Bea); Ada is Black African: 50.0%.
    assert diverse.value("All victims referred", "Victims referred (people)") == 2
    assert str(diverse.value("Black, Asian or minoritised", "% of victims referred")) == "50.0"


def test_an_area_or_a_district_shows_only_its_own_figures(board):
    south = selectors.place_from_code(f"area-{board['south'].pk}")
    assert _tables(south)["incidents_by_risk"].value("All", "Incidents") == 1
    northtown = selectors.place_from_code(f"district-{District.objects.get(name='Northtown').pk}")
    assert _tables(northtown)["incidents_by_risk"].value("All", "Incidents") == 4
    assert selectors.place_from_code("district-999999") is None
    assert selectors.place_from_code("area-x") is None


def test_the_trend_gives_each_quarter_its_own_figure(board):
    figures = selectors.board_figures(period=Q3, place=selectors.EVERYWHERE, threshold=1)
    high_share = dict(figures.trends["incidents_by_risk"])
    # Q3: 3 of 5 incidents high (60.0%); Q2: Ada's one medium-risk incident (0.0%); Q1: none.
    assert str(high_share["Q3 2026"]) == "60.0"
    assert str(high_share["Q2 2026"]) == "0.0"
    assert high_share["Q1 2026"] is None
    assert list(high_share)[-1] == "Q3 2026" and len(high_share) == 8
    # The period before a quarter is the quarter before.
    assert figures.previous.label == "April to June 2026"
    assert figures.previous_tables[0].value("All", "Incidents") == 1


def test_the_commissioner_changes_the_period_and_place_and_small_numbers_hide(board, login):
    client = login(board["commissioner"])
    page = client.get(reverse("board_dashboard"), {"period": "2026Q3"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "The whole partnership: July to September 2026" in text
    # Every count here is under 5: hidden, by default.
    assert "fewer than 5" in text
    assert "<svg" in text and "by quarter" in text
    shown = client.get(reverse("board_dashboard"), {"period": "2026Q3", "small_numbers": "on"}).content.decode()
    assert "Small numbers are shown" in shown and "fewer than 5" not in shown
    south = client.get(
        reverse("board_dashboard"), {"period": "2026Q3", "place": f"area-{board['south'].pk}", "small_numbers": "on"}
    ).content.decode()
    assert "South: July to September 2026" in south
    # Names never appear: counts only.
    for name in ("Ada", "Bea", "Hal"):
        assert f"{name} Board" not in text + shown + south


def test_a_choice_that_is_not_offered_is_refused_in_words(board, login):
    client = login(board["commissioner"])
    page = client.get(reverse("board_dashboard"), {"period": "1999Q9", "place": "district-nope"})
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()


def test_only_commissioners_and_administrators_see_the_board(board, staff, login):
    assert login(staff["admin"]).get(reverse("board_dashboard")).status_code == 200
    for who in ("officer", "idva", "outsider"):
        assert login(staff[who]).get(reverse("board_dashboard")).status_code == 403


def test_the_commissioners_menu_leads_to_the_board(board, login):
    home = login(board["commissioner"]).get(reverse("home")).content.decode()
    assert reverse("board_dashboard") in home


def test_a_year_holds_its_quarters_incidents_and_its_people_once(board):
    year = period_from_code("2026")
    incidents = {t.measure.key: t for t in selectors.board_tables(period=year, place=selectors.EVERYWHERE)}
    assert incidents["incidents_by_risk"].value("All", "Incidents") == 6
    # Ada's Q2 incident was medium: at her highest in the year she is high risk, once.
    assert incidents["incidents_by_risk"].value("All", "Victims (people)") == 4
    assert incidents["incidents_by_risk"].value("Medium risk", "Victims (people)") == 1

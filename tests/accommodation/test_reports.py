"""The operational reports counted from the hand-built year (``year_fixture``), and the
pages of the return and the reports as commissioners meet them: figures in words,
downloads, refusal for everyone else, and no address or name anywhere."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from carepath.accommodation import report_selectors, returns
from carepath.core.codes import Role
from carepath.core.services import staff_create
from tests.accommodation.year_fixture import no_address_or_name, workbook_text
from tests.conftest import PASSWORD, without_csrf_tokens

FEBRUARY = returns.Period(date(2026, 2, 1), date(2026, 2, 28))


def table(tables, title) -> dict:
    """A report's rows by their first cell, as plain values."""
    found = next(t for t in tables if t.title == title)
    return {row[0][0]: tuple(value for value, _ in row[1:]) for row in found.rows}


def test_occupancy_and_voids_are_counted_in_unit_nights(year):
    occupancy = table(report_selectors.operational_reports(period=FEBRUARY), "Occupancy and voids")
    # Refuge units Flat 1 and Flat 2: 2 x 28 = 56 nights; A stays all February (28), C the
    # 1st to the 11th (10): 38 of 56 = 67.9%, 18 empty; Flat 1 available now (Flat 2 closed).
    assert occupancy["Refuge"] == (2, 56, 38, Decimal("67.9"), 18, 1)
    # Flat A: B arrives on 1 March, so all 28 nights are empty; it is available now.
    assert occupancy["Dispersed accommodation"] == (1, 28, 0, Decimal("0.0"), 28, 1)
    assert occupancy["Specialist safe accommodation"] == (0, 0, 0, None, 0, 0)
    assert "Sanctuary scheme" not in occupancy  # her own home has no nights to fill
    assert occupancy["All kinds"] == (3, 84, 38, Decimal("45.2"), 46, 2)  # 38 / 84


def test_declines_unmet_demand_and_stays_are_those_of_the_period(year):
    tables = report_selectors.operational_reports(period=FEBRUARY)
    declines = table(tables, "Declined referrals by reason")
    assert declines["Referrals declined"] == (1,) and declines["No space"] == (1,)  # the 10th
    assert declines["Her needs cannot be met"] == (0,)
    assert table(tables, "Unmet demand by need")["No suitable unit available"] == (0,)  # 5 Jan, 5 Jun, 5 Nov
    stay = table(tables, "Length of stay and out of area")
    assert stay["Median length of stay"] == (Decimal("10.0"),)  # C, 1 to 11 February
    assert stay["Referrals made"] == (0,) and stay["From outside the area: percentage"] == (None,)
    assert table(tables, "Why stays ended")["Left without notice"] == (1,)
    assert table(tables, "Where households moved on to")["Not recorded"] == (1,)


def test_declines_and_unmet_demand_over_the_year_by_reason_and_need(year):
    tables = report_selectors.operational_reports(period=returns.Period.year(2026))
    declines = table(tables, "Declined referrals by reason")
    assert declines["No space"] == (2,) and declines["No recourse to public funds"] == (1,)
    assert declines["Her needs cannot be met: wheelchair access"] == (1,)
    unmet = table(tables, "Unmet demand by need")
    assert unmet["No suitable unit available"] == (3,) and unmet["Uses a wheelchair"] == (2,)


def test_sufficiency_compares_family_places_with_one_per_10000_people(year):
    sufficiency = table(
        report_selectors.operational_reports(period=FEBRUARY), "Sufficiency: family places against the population"
    )
    # Northtown 100,000 people: 10 places recommended, Juniper's 3 (the sanctuary scheme's 10 are not places).
    assert sufficiency["Northtown"] == (100_000, 3, Decimal("10.0"), Decimal("-7.0"), Decimal("30.0"))
    assert sufficiency["Southtown"] == (50_000, 1, Decimal("5.0"), Decimal("-4.0"), Decimal("20.0"))
    assert sufficiency["County"] == (150_000, 4, Decimal("15.0"), Decimal("-11.0"), Decimal("26.7"))


def test_a_district_keeps_its_own_services_and_the_county_line(year):
    tables = report_selectors.operational_reports(period=returns.Period.year(2026), district_id=year["southtown"].pk)
    occupancy = table(tables, "Occupancy and voids")
    # Only Flat A: B from 1 March to the year's end is 306 of 365 nights (83.8%), 59 empty.
    assert occupancy["All kinds"] == (1, 365, 306, Decimal("83.8"), 59, 1)
    sufficiency = table(tables, "Sufficiency: family places against the population")
    assert set(sufficiency) == {"Southtown", "County"} and sufficiency["County"][1] == 4


@pytest.fixture
def commissioner(county):
    return staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )


def test_a_commissioner_reviews_the_return_and_downloads_it_in_each_format(year, commissioner, login):
    client = login(commissioner)
    response = client.get(reverse("accommodation_return"), {"year": "2026"})
    html = without_csrf_tokens(response).decode()
    assert response.status_code == 200
    assert "Households that could not be supported" in html and "No space" in html
    assert "no_space" not in html and "needs_not_met" not in html
    no_address_or_name(html)
    download = reverse("accommodation_return_download")
    xlsx = client.get(download, {"year": "2026", "format": "xlsx"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="safe-accommodation-return-2026.xlsx"'
    text = workbook_text(xlsx.content)
    assert "Women" in text
    no_address_or_name(text)
    rows = list(
        csv.reader(io.StringIO(client.get(download, {"year": "2026", "format": "csv"}).content.decode("utf-8-sig")))
    )
    assert ["2026", returns.PEOPLE, "Women", "3"] in rows
    no_address_or_name(str(rows))
    raw = client.get(download, {"year": "2026", "format": "json"}).content.decode()
    assert json.loads(raw)["year"] == 2026
    no_address_or_name(raw)


def test_a_commissioner_sees_the_reports_for_a_period_and_a_district_and_downloads_them(year, commissioner, login):
    client = login(commissioner)
    query = {"first": "1/2/2026", "last": "28/2/2026", "district": ""}
    response = client.get(reverse("accommodation_reports"), query)
    html = without_csrf_tokens(response).decode()
    assert response.status_code == 200
    assert "Occupancy and voids" in html and "67.9%" in html and "Unit-nights empty (voids)" in html
    assert "Sufficiency" in html and "Northtown" in html
    no_address_or_name(html)
    xlsx = client.get(reverse("accommodation_reports_download"), query)
    text = workbook_text(xlsx.content)
    assert "Occupancy and voids" in text and "Northtown" in text
    no_address_or_name(text)
    southtown = client.get(reverse("accommodation_reports"), {**query, "district": str(year["southtown"].pk)})
    assert "Safe accommodation, Southtown" in southtown.content.decode()


def test_the_reports_open_on_the_year_so_far_for_every_district(year, commissioner, login):
    from datetime import date

    from django.utils import timezone

    html = login(commissioner).get(reverse("accommodation_reports")).content.decode()
    today = timezone.localdate()
    assert f"Safe accommodation, all districts: {returns.Period(date(today.year, 1, 1), today)}" in html
    assert "Occupancy and voids" in html and "Download the reports (Excel)" in html


def test_a_period_that_ends_before_it_starts_is_explained(year, commissioner, login):
    html = login(commissioner).get(reverse("accommodation_reports"), {"first": "1/3/2026", "last": "1/2/2026"})
    assert "The period ends before it starts" in html.content.decode()


def test_an_administrator_may_see_them_too(year, staff, login):
    assert login(staff["admin"]).get(reverse("accommodation_return"), {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("who", ["idva", "officer", "outsider"])
def test_staff_who_do_not_commission_are_refused(year, staff, login, who):
    client = login(staff[who])
    for name in ("accommodation_return", "accommodation_return_download", "accommodation_reports",
                 "accommodation_reports_download"):  # fmt: skip
        assert client.get(reverse(name), {"year": "2026", "format": "csv"}).status_code == 403


def test_a_refuge_worker_is_refused(year, refuges, login):
    client = login(refuges["workers"]["haven"])
    assert client.get(reverse("accommodation_return")).status_code == 403
    assert client.get(reverse("accommodation_reports")).status_code == 403


def test_the_commissioners_home_page_counts_this_years_unmet_searches(db, commissioner, staff, login):
    from django.utils import timezone

    from carepath.accommodation.models import UnmetDemand

    UnmetDemand.objects.create(
        searched_at=timezone.now(), agency=staff["idva"].agency, adult="woman", needs=["wheelchair"], available_units=0
    )
    html = login(commissioner).get(reverse("home")).content.decode()
    assert "Safe accommodation figures" in html and reverse("accommodation_reports") in html
    assert "Safe accommodation figures" not in login(staff["idva"]).get(reverse("home")).content.decode()


def test_a_district_counts_the_families_from_it_referred_out_of_the_area(year):
    whole_year = returns.Period.year(2026)
    northtown = table(
        report_selectors.operational_reports(period=whole_year, district_id=year["northtown"].pk),
        "Length of stay and out of area",
    )
    # Referred in 2026 to Northtown's units (Juniper: C, D, I; the sanctuary scheme: E) and
    # F, from Northtown to a refuge in Kent: 5, of which C from outside and F referred out.
    assert northtown["Referrals made"] == (5,)
    assert northtown["From outside the area"] == (1,) and northtown["Referred to a service outside the area"] == (1,)
    southtown = table(
        report_selectors.operational_reports(period=whole_year, district_id=year["southtown"].pk),
        "Length of stay and out of area",
    )
    assert southtown["Referrals made"] == (2,) and southtown["Referred to a service outside the area"] == (0,)  # B, G


def test_the_reports_read_a_handful_of_queries_whatever_the_rows(year, django_assert_max_num_queries):
    # Settings, districts, then one query per kind of record (services twice with a district).
    with django_assert_max_num_queries(9):
        report_selectors.operational_reports(period=FEBRUARY, district_id=year["southtown"].pk)

"""The planner from the partnership's own records (issue 18, part 3): a hand-built year
whose live inputs are counted by hand, the page switching to them and comparing them with
the review's, and a year without events."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pypdfium2
import pytest
from django.urls import reverse

from carepath.accommodation.models import AccommodationKind, Placement, PlacementStatus, SafeAccommodation, Unit
from carepath.casework.models import Service, ServiceKind, Worker
from carepath.core.codes import AgencyType, RiskLevel, Role
from carepath.core.models import AccessLog, Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.planning import live
from carepath.planning.inputs import COUNTY_WIDE, Area, inputs_load
from carepath.planning.plan import plan_compute
from carepath.planning.recorded import FinancialYear, inputs_compared, inputs_from_records
from carepath.planning.templatetags.planning_format import change_of_kind
from tests.conftest import PASSWORD
from tests.planning.test_planner_exports import pdf_text

PLANNER = reverse("planner")
YEAR = FinancialYear(2025)  # April 2025 to March 2026


@pytest.fixture
def commissioner(county):
    return staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )


@pytest.fixture
def recorded_year(county, staff):
    """The hand-built year. Areas: North (Northtown; 100,000 people, 40,000 women: the
    county fixture's), and East (Eastbury; 60,000 and 25,000), East being a review area.

    Events (police unless said), April 2025 to March 2026:
    E1 North, A (record a1) high; E2 North, A (record a2, linked to a1) medium; E3 North,
    B medium; E9 North, B medium; E4 East, C standard; E5 East, D high (31 March 2026,
    23:30 in London); E7 no district, E high; E8 the IDVA service's, North, F medium.
    Outside it: E6 East, D high, 1 April 2026 00:30 in London (31 March 23:30 UTC); E10
    North, G high, March 2025; and another partnership's police event in the year.

    So: North 4 incidents by 2 people (repeat 50%), 1 high, 3 medium; East 2 by 2 (0%),
    1 high; 1 incident in no area. Visible: high A, D, E (3); medium B, F (2): A once.

    IDVAs: Testshire IDVAs (Northtown only: North) 0.8 + 1.0, its manager and an inactive
    worker apart; Testshire Hospital IDVAs (Northtown and Eastbury: county-wide) 0.5; a
    caseworker service's worker apart. Refuge places: Juniper House (refuge, Northtown) 6,
    Rowan Court (dispersed, Eastbury) 3; Safe at Home (sanctuary) is not a family place.
    Stays in the year: A twice at Juniper House (records a2 then a1: once), B at Rowan
    Court; one that ended before the year and one that began after it are not.
    """
    partnership, northtown = county["partnership"], county["district"]
    agencies = county["agencies"]
    police, idva = agencies["police"], agencies["idva"]
    east = MaracArea.objects.create(partnership=partnership, name="East", population=60_000, women_16_plus=25_000)
    eastbury = District.objects.create(marac_area=east, name="Eastbury", population=60_000, women_16_plus=25_000)

    def person(name: str, **kw) -> Person:
        return Person.objects.create(recorded_by=police, given_name=name, family_name="Quibblewick", **kw)

    a1 = person("Ada")
    a2 = person("Ada", identity_key=a1.pk)
    Person.objects.filter(pk=a1.pk).update(identity_key=a1.pk)
    b, c, d, e, f, g = (person(n) for n in ("Bea", "Cat", "Dot", "Eve", "Fay", "Gus"))
    refs = iter(range(1, 100))

    def event(agency, victim, level, when: datetime, district=None):
        return Event.objects.create(
            agency=agency,
            reference=f"INC-{next(refs):04d}",
            occurred_at=when,
            reported_at=when,
            district=district,
            victim=victim,
            is_crime=True,
            risk_level=level,
        )

    event(police, a1, RiskLevel.HIGH, datetime(2025, 5, 1, 12, tzinfo=UTC), northtown)  # E1
    event(police, a2, RiskLevel.MEDIUM, datetime(2025, 9, 1, 12, tzinfo=UTC), northtown)  # E2
    event(police, b, RiskLevel.MEDIUM, datetime(2025, 6, 1, 12, tzinfo=UTC), northtown)  # E3
    event(police, b, RiskLevel.MEDIUM, datetime(2025, 11, 1, 12, tzinfo=UTC), northtown)  # E9
    event(police, c, RiskLevel.STANDARD, datetime(2025, 7, 1, 12, tzinfo=UTC), eastbury)  # E4
    event(police, d, RiskLevel.HIGH, datetime(2026, 3, 31, 22, 30, tzinfo=UTC), eastbury)  # E5
    event(police, e, RiskLevel.HIGH, datetime(2025, 8, 1, 12, tzinfo=UTC))  # E7
    event(idva, f, RiskLevel.MEDIUM, datetime(2025, 10, 1, 12, tzinfo=UTC), northtown)  # E8
    event(police, d, RiskLevel.HIGH, datetime(2026, 3, 31, 23, 30, tzinfo=UTC), eastbury)  # E6
    event(police, g, RiskLevel.HIGH, datetime(2025, 3, 31, 12, tzinfo=UTC), northtown)  # E10
    elsewhere = Partnership.objects.create(name="Otherton", population=1, women_16_plus=1)
    other_police = Agency.objects.create(partnership=elsewhere, name="Otherton Police", agency_type=AgencyType.POLICE)
    event(other_police, person("Ivy"), RiskLevel.HIGH, datetime(2025, 6, 1, 12, tzinfo=UTC))

    idvas = Service.objects.create(agency=idva, name="Testshire IDVAs", kind=ServiceKind.IDVA)
    idvas.districts.set([northtown])
    hospital = Service.objects.create(agency=idva, name="Testshire Hospital IDVAs", kind=ServiceKind.HOSPITAL_IDVA)
    hospital.districts.set([northtown, eastbury])
    caseworkers = Service.objects.create(agency=idva, name="Testshire Caseworkers", kind=ServiceKind.CASEWORKER)

    def worker(username, service, fte, **kw):
        user = staff_create(username=username, agency=idva, role=Role.IDVA, password=None)
        return Worker.objects.create(user=user, service=service, fte=Decimal(fte), **kw)

    worker("idva-1", idvas, "0.8")
    worker("idva-2", idvas, "1.0")
    worker("idva-manager", idvas, "1.0", is_manager=True)
    worker("idva-left", idvas, "1.0", active=False)
    worker("hospital-idva", hospital, "0.5")
    worker("caseworker", caseworkers, "1.0")

    provider = Agency.objects.create(
        partnership=partnership, name="Testshire Refuges", agency_type=AgencyType.REFUGE_PROVIDER
    )

    def accommodation(name, kind, district, units, fte):
        return SafeAccommodation.objects.create(
            provider=provider, name=name, kind=kind, district=district, units=units, support_worker_fte=Decimal(fte),
            confidential_address="1 Secret Lane",
        )  # fmt: skip

    juniper = Unit.objects.create(
        accommodation=accommodation("Juniper House", AccommodationKind.REFUGE, northtown, 6, "2.0"), name="Flat 1"
    )
    rowan = Unit.objects.create(
        accommodation=accommodation("Rowan Court", AccommodationKind.DISPERSED, eastbury, 3, "0.5"), name="Flat A"
    )
    sanctuary = Unit.objects.create(
        accommodation=accommodation("Safe at Home", AccommodationKind.SANCTUARY, northtown, 10, "1.0"), name="Scheme"
    )

    def stay(who, unit, arrived, left=None):
        return Placement.objects.create(
            person=who, unit=unit, referred_by=staff["idva"], referring_agency=idva,
            referred_at=datetime(arrived.year, arrived.month, arrived.day, tzinfo=UTC), home_district=northtown,
            adult="woman", status=PlacementStatus.LEFT if left else PlacementStatus.STAYING, arrived_on=arrived,
            left_on=left,
        )  # fmt: skip

    stay(a2, juniper, date(2025, 6, 1), date(2025, 7, 1))
    stay(a1, juniper, date(2025, 12, 1))
    stay(b, rowan, date(2025, 5, 1), date(2025, 5, 20))
    stay(g, juniper, date(2024, 1, 1), date(2025, 3, 31))  # ended before the year
    stay(c, rowan, date(2026, 4, 2))  # began after it
    stay(e, sanctuary, date(2025, 6, 1), date(2025, 7, 1))  # not a family place
    return {"partnership": partnership}


def test_the_years_with_events_are_financial_years_newest_first(recorded_year):
    years = live.recorded_years(partnership=recorded_year["partnership"])
    assert years == [FinancialYear(2026), FinancialYear(2025), FinancialYear(2024)]
    assert str(YEAR) == "April 2025 to March 2026"


def test_the_live_figures_are_the_ones_counted_by_hand(recorded_year):
    figures = live.recorded_figures(partnership=recorded_year["partnership"], year=YEAR)
    assert figures.events == 8
    assert figures.police_incidents_without_area == 1
    assert (figures.visible_high, figures.visible_medium) == (3, 2)
    east, north = figures.areas
    assert (east.name, east.districts, east.police_incidents, east.police_victims) == ("East", ("Eastbury",), 2, 2)
    assert (east.incidents_high, east.incidents_medium) == (1, 0)
    assert (north.name, north.police_incidents, north.police_victims) == ("North", 4, 2)
    assert (north.incidents_high, north.incidents_medium) == (1, 3)
    assert [(p.service, p.area, p.fte) for p in figures.posts] == [
        ("Testshire Hospital IDVAs", COUNTY_WIDE, Decimal("0.5")),
        ("Testshire IDVAs", "North", Decimal("1.8")),
    ]
    assert [(r.name, r.district, r.places, r.support_worker_fte, r.victims) for r in figures.refuges] == [
        ("Juniper House", "Northtown", 6, Decimal("2.0"), 1),
        ("Rowan Court", "Eastbury", 3, Decimal("0.5"), 1),
    ]


def test_the_live_inputs_lie_over_the_reviews(recorded_year):
    review = inputs_load()
    figures = live.recorded_figures(partnership=recorded_year["partnership"], year=YEAR)
    inputs = inputs_from_records(review, figures)
    source = "Carepath's records, April 2025 to March 2026"
    assert inputs.areas == (
        Area("East", 60_000, 25_000, 2, Decimal("0.00"), 1, 0, 274, 380, Decimal("0.19"),
             f"{source}; MARAC cases from Hertfordshire 2014 (CAADA review)"),
        Area("North", 100_000, 40_000, 4, Decimal("0.50"), 1, 3, 0, 0, Decimal(0), source),
    )  # fmt: skip
    assert (inputs.assumptions.visible_high, inputs.assumptions.visible_medium) == (3, 2)
    assert "graded high risk" in inputs.assumption_source("visible_high")
    assert [(p.area, p.service, p.fte) for p in inputs.funded_posts] == [
        (COUNTY_WIDE, "idva", Decimal("0.5")),
        ("North", "idva", Decimal("1.8")),
    ]
    assert [(r.name, r.victims, r.beds) for r in inputs.refuges] == [("Juniper House", 1, 6), ("Rowan Court", 1, 3)]
    assert {d.name: d.area for d in inputs.districts}["Eastbury"] == "East"
    # Everything Carepath does not record is the review's; its published checks are not kept.
    assert inputs.funding == review.funding and inputs.costs == review.costs
    assert inputs.assumptions.female_victims == review.assumptions.female_victims
    assert inputs.published == ()
    assert inputs.name.startswith("Testshire's records, April 2025 to March 2026")
    plan = plan_compute(inputs)  # the whole planner runs on it unchanged
    assert plan["capacity"]["idva"]["funded"] == 2.3
    assert plan["refuge"]["places"] == 9 and plan["needs"]["police"]["incidents"] == 6
    assert plan["funding"]["total"] == plan_compute(review)["funding"]["total"]


def test_the_comparison_puts_each_live_input_beside_the_reviews(recorded_year):
    review = inputs_load()
    inputs = inputs_from_records(review, live.recorded_figures(partnership=recorded_year["partnership"], year=YEAR))
    rows = {(r.label, r.area): r for r in inputs_compared(review, inputs)}
    incidents = rows["Police incidents", "East"]
    assert (incidents.base, incidents.recorded, incidents.difference) == (5416, 2, -5414)
    assert rows["Police incidents", "North"].base is None  # not a review area
    assert rows["Police incidents", "Central"].recorded is None  # not one of the partnership's
    assert rows["Police incidents that were a repeat", "North"].recorded == Decimal("0.50")
    assert (
        rows["High-risk victims visible to services", ""].base,
        rows["High-risk victims visible to services", ""].recorded,
    ) == (1000, 3)
    assert rows["IDVAs in post (full-time equivalent)", ""].difference == Decimal("-8.7")
    assert (rows["Refuge places (family units)", ""].base, rows["Refuge places (family units)", ""].recorded) == (84, 9)


def test_differences_are_written_with_their_sign_and_shares_in_points():
    assert change_of_kind(Decimal(-5414), "count") == "\u22125,414"
    assert change_of_kind(Decimal("0.09"), "percent") == "+9 points"
    assert change_of_kind(Decimal("1.5"), "fte") == "+1.5"
    assert change_of_kind(None, "count") == ""


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_offers_each_year_and_switches_to_the_records(login, commissioner, recorded_year):
    client = login(commissioner)
    html = client.get(PLANNER).content.decode()
    assert "Use the figures of Hertfordshire 2014 (CAADA review)" in html
    assert "Use this partnership's records for April 2025 to March 2026" in html
    assert 'id="figures-review" name="figures" type="radio" value="review" checked' in html
    assert "recorded-table" not in html

    html = client.get(PLANNER, {"figures": "2025"}).content.decode()
    assert 'id="figures-2025" name="figures" type="radio" value="2025" checked' in html
    table = text(html.split('id="recorded-table"')[1].split("</table>")[0])
    assert "Police incidents East 5,416 2 \u22125,414" in table
    assert "Police incidents North Not in these figures 4" in table
    assert "Police incidents Central 4,235 Not in the records" in table
    assert "Police incidents that were a repeat North Not in these figures 50%" in table
    assert "High-risk victims visible to services Whole partnership 1,000 3 \u2212997" in table
    assert "IDVAs in post (full-time equivalent) Whole partnership 11.0 2.3 \u22128.7" in table
    assert "Refuge places (family units) Whole partnership 84 9 \u221275" in table
    assert "1 with no district are in no area" in html
    # The plan itself is the records': the visible victims start the form, the name says so.
    assert 'name="visible_high" type="text" value="3"' in html
    assert "Testshire&#x27;s records, April 2025 to March 2026" in html
    assert 'name="figures" value="2025"' in html  # recalculating keeps the records
    # Aggregates only: no name of anyone on the events, nothing logged as viewed.
    assert "Quibblewick" not in html and "Secret Lane" not in html
    assert not AccessLog.objects.exists()


def test_the_downloads_use_the_records_too(login, commissioner, recorded_year):
    response = login(commissioner).get(reverse("planner_excel"), {"figures": "2025"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    areas = [row[0] for row in book["areas"].iter_rows(min_row=2, values_only=True)]
    assert areas == ["East", "North"]
    pdf = login(commissioner).get(reverse("planner_pdf"), {"figures": "2025"})
    assert pdf.status_code == 200
    words = pdf_text(pypdfium2.PdfDocument(pdf.content))
    assert "The partnership's records beside Hertfordshire 2014 (CAADA review)" in words
    assert "Refuge places (family units) Whole partnership 84 9" in words
    assert "Quibblewick" not in words and "Secret Lane" not in words


def test_a_year_without_events_says_so_and_plans_from_the_review(login, commissioner, recorded_year):
    html = login(commissioner).get(PLANNER, {"figures": "2019"}).content.decode()
    assert "hold no events for April 2019 to March 2020" in html
    assert "recorded-table" not in html
    assert re.search(r'id="idvas-total"><strong>27\.0<', html)


def test_a_partnership_without_events_has_no_year_to_choose(login, commissioner):
    html = login(commissioner).get(PLANNER, {"figures": "2025"}).content.decode()
    assert "hold no events yet, so there is no year to plan from" in html
    assert "hold no events for April 2025 to March 2026" in html


def test_other_roles_are_refused_the_records_too(login, staff, recorded_year):
    response = login(staff["outsider"]).get(PLANNER, {"figures": "2025"})
    assert response.status_code == 403


def test_the_year_not_yet_over_is_said_to_be_so_far(login, commissioner, recorded_year, monkeypatch):
    monkeypatch.setattr("carepath.planning.views.timezone.localdate", lambda: date(2026, 2, 1))
    client = login(commissioner)
    html = client.get(PLANNER, {"figures": "2025"}).content.decode()
    assert "April 2025 to March 2026 (so far: the year is not over)" in html
    assert "The year is not over: its incidents, victims and stays are those so far." in html
    html = client.get(PLANNER, {"figures": "2024"}).content.decode()
    assert "The year is not over" not in html

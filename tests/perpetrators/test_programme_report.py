"""The programmes report (seed 002 Appendix 12 Table 5) as a page and as a workbook, on a
year whose figures are worked out by hand below."""

import io
import re
from datetime import UTC, date, datetime
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.perpetrators.models import (
    CostBasis,
    LeftReason,
    PartnerContact,
    Programme,
    ProgrammeKind,
    ProgrammeReferral,
)
from tests.conftest import PASSWORD

PERIOD = {"first": "1/4/2025", "last": "31/3/2026"}


@pytest.fixture
def year(county, reported_event, staff):
    """A year (April 2025 to March 2026) of two programmes:

    - IDAP (probation, £4,600 per person): Darius referred in May, started June, completed
      November, his partner Imogen reached in June (and not reached in July); probation's
      own record of Darius, linked to him as one person, referred again in January; Bruno
      referred in April, started May, stopped attending in September.
    - Caring Dads (£8,500 a course of 12): Bruno referred July, started July, completed January.

    By hand. IDAP: people referred {Darius, Bruno} = 2 (three referrals); started 2;
    completed 1; left 1 (stopped attending); partners supported 1; completion 1/2 = 50%;
    cost per person £4,600. Caring Dads: referred 1, started 1, completed 1, left 0,
    partners 0, completion 100%, cost per person 8500 / 12 = £708.33. All programmes:
    referred {Darius, Bruno} = 2, started 2, completed 2, left 1, partners 1, 100%.
    """
    a = county["agencies"]
    probation = Agency.objects.create(
        partnership=county["partnership"], name="Testshire Probation", agency_type=AgencyType.PROBATION
    )
    hacro = Agency.objects.create(
        partnership=county["partnership"], name="Testshire HACRO", agency_type=AgencyType.VOLUNTARY_SECTOR
    )
    idap = Programme.objects.create(
        name="Testshire IDAP", kind=ProgrammeKind.COURT_ORDERED, provider=probation, places=90, cost=4600
    )
    dads = Programme.objects.create(
        name="Testshire Caring Dads",
        kind=ProgrammeKind.CARING_DADS,
        provider=hacro,
        places=24,
        cost=8500,
        cost_basis=CostBasis.PER_COURSE,
        course_size=12,
    )
    darius, imogen = reported_event.perpetrator, reported_event.victim
    darius_again = Person.objects.create(
        recorded_by=probation, given_name="Darius", family_name="Vantablack", identity_key=darius.pk
    )
    bruno = Person.objects.create(recorded_by=a["police"], given_name="Bruno", family_name="Ashgrove")
    refer = lambda programme, man, on, **kw: ProgrammeReferral.objects.create(  # noqa: E731
        programme=programme, perpetrator=man, referred_by=a["police"], referred_on=on, **kw
    )
    his = refer(
        idap,
        darius,
        date(2025, 5, 1),
        partner=imogen,
        status="completed",
        started_on=date(2025, 6, 1),
        completed_on=date(2025, 11, 30),
    )
    refer(idap, darius_again, date(2026, 1, 10))
    refer(
        idap,
        bruno,
        date(2025, 4, 15),
        status="left",
        started_on=date(2025, 5, 1),
        left_on=date(2025, 9, 1),
        left_reason=LeftReason.DISENGAGED,
    )
    refer(
        dads, bruno, date(2025, 7, 1), status="completed", started_on=date(2025, 7, 15), completed_on=date(2026, 1, 31)
    )
    worker = staff_create(username="probation-wsw", agency=probation, role=Role.CASEWORKER, password=PASSWORD)
    PartnerContact.objects.create(referral=his, at=datetime(2025, 6, 10, 10, tzinfo=UTC), by=worker, reached=True)
    PartnerContact.objects.create(referral=his, at=datetime(2025, 7, 10, 10, tzinfo=UTC), by=worker, reached=False)
    return staff_create(username="commissioner", agency=a["partnership"], role=Role.COMMISSIONER, password=PASSWORD)


def _rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of a table on the page, each as its cells' words."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?<tbody[^>]*>(.*?)</tbody>', html, flags=re.S).group(1)
    words = lambda cell: " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())  # noqa: E731
    return [
        [words(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    ]


def test_the_page_gives_table_5s_figures_for_the_year(year, login):
    page = login(year).get(reverse("programme_report"), PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    rows = {r[0].split(" ")[1]: r for r in _rows(html, "programme-report")}
    # Programme, places, referred, started, completed, left, rate, partners, cost, per person.
    assert rows["Caring"][1:] == ["24", "1", "1", "1", "0", "100%", "0", "£8,500.00 per course of 12", "£708.33"]
    assert rows["IDAP"][1:] == ["90", "2", "2", "1", "1", "50%", "1", "£4,600.00 per person", "£4,600.00"]
    assert rows["programmes"][2:8] == ["2", "2", "2", "1", "100%", "1"]
    stopped = next(r for r in _rows(html, "programme-reasons") if r[0] == "Stopped attending")
    assert stopped == ["Stopped attending", "0", "1", "1"]  # Caring Dads, IDAP, all
    assert "Darius" not in page.content.decode() and "Bruno" not in page.content.decode()


def test_the_download_is_the_same_table_in_words(year, login):
    response = login(year).get(reverse("programme_report_download"), PERIOD)
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in values if r[0] == "Programme")
    row = {r[0]: dict(zip(header, r, strict=True)) for r in values if r[0] in ("Testshire IDAP", "All programmes")}
    idap = row["Testshire IDAP"]
    assert (idap["People referred"], idap["Started"], idap["Completed"], idap["Left before completing"]) == (2, 2, 1, 1)
    assert (idap["Partners supported"], idap["Completion rate"], idap["Cost per person"]) == (1, 0.5, 4600)
    assert idap["Kind"] == "Court-ordered programme" and idap["Cost is"] == "per person"
    assert (row["All programmes"]["People referred"], row["All programmes"]["Completed"]) == (2, 2)
    dads = next(r for r in values if r[0] == "Testshire Caring Dads")
    assert dads[header.index("Cost per person")] == pytest.approx(708.33)
    assert dads[header.index("Cost is")] == "per course"
    text = " ".join(str(v) for r in values for v in r if v is not None)
    assert "Stopped attending" in text
    assert not {"disengaged", "per_course", "court_ordered", "caring_dads"} & set(text.split())
    assert "Darius" not in text


def test_the_year_to_today_is_shown_until_a_period_is_chosen(year, login):
    page = login(year).get(reverse("programme_report"))
    assert page.status_code == 200 and "Started, completed and partners supported" in page.content.decode()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"first": "31/3/2026", "last": "1/4/2025"}, "on or after the first day"),
        ({"first": "99/99/2025", "last": "1/4/2025"}, "real date"),
        ({"first": "", "last": "1/4/2025"}, "Enter the first day"),
        ({"first": "1/1/1900", "last": "1/1/2026"}, "ten years or less"),
    ],
)
def test_a_bad_period_is_answered_in_words(period, message, year, login):
    client = login(year)
    page = client.get(reverse("programme_report"), period)
    assert page.status_code == 400 and message in page.content.decode()
    download = client.get(reverse("programme_report_download"), period)
    assert download.status_code == 302 and download["Location"] == reverse("programme_report")


def test_the_report_is_refused_to_an_uninvolved_agency(year, staff, login):
    client = login(staff["outsider"])
    assert client.get(reverse("programme_report"), PERIOD).status_code == 403
    assert client.get(reverse("programme_report_download"), PERIOD).status_code == 403

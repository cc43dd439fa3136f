"""The SafeLives quarterly MARAC return (issue 13, 7): on a hand-built quarter it equals the
figures counted by hand, field by field; ``carepath report marac-return`` writes it as
Excel, CSV and JSON that read back to the same figures; bad inputs get a specific error;
the coordinator's page shows it and refuses anyone else's MARAC."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency
from carepath.core.services import staff_create
from carepath.marac import returns
from carepath.marac.models import CaseStatus, Marac, MaracCase, MaracDiscussion, MaracMeeting, MeetingStatus
from carepath.marac.selectors import marac_returns, maracs_for_returns
from carepath.people.models import Ethnicity, GenderIdentity, Person, Sex, SexualOrientation, YesNoUnknown
from carepath.referrals.models import Channel, Destination, Referral, ReferralChild

Q3 = returns.Quarter(2026, 3)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


class Builder:
    """MARAC cases with chosen people, referrers, children and meetings, made directly."""

    def __init__(self, county, coordinator):
        self.county, self.coordinator = county, coordinator
        self.recorder = county["agencies"]["police"]
        self.numbers = iter(range(1, 1000))

    def meeting(self, marac: Marac, day: date, status=MeetingStatus.HELD) -> MaracMeeting:
        return MaracMeeting.objects.create(marac=marac, starts_at=at(day), capacity=20, status=status)

    def case(
        self,
        marac: Marac,
        *,
        referred_on: date,
        referrer: Agency | None,
        children: int = 0,
        perpetrator_born: date | None = None,
        heard_at=(),
        repeat_of: MaracCase | None = None,
        returned: bool = False,
        **victim,
    ) -> MaracCase:
        victim = Person.objects.create(recorded_by=self.recorder, given_name="Victim", family_name="Test", **victim)
        perpetrator = Person.objects.create(recorded_by=self.recorder, date_of_birth=perpetrator_born, sex=Sex.MALE)
        referral = Referral.objects.create(
            channel=Channel.PROFESSIONAL,
            destination=Destination.MARAC,
            referring_agency=referrer,
            receiving_agency=marac.agency,
            victim=victim,
            perpetrator=perpetrator,
            received_at=at(referred_on),
        )
        for n in range(children):
            child = Person.objects.create(recorded_by=self.recorder, given_name=f"Child {n}")
            ReferralChild.objects.create(referral=referral, child=child, age=n + 2)
        case = MaracCase.objects.create(
            marac=marac,
            referral=referral,
            victim=victim,
            number=None if returned else next(self.numbers),
            status=CaseStatus.RETURNED if returned else CaseStatus.DISCUSSED,
            referred_on=referred_on,
            repeat_of=repeat_of,
            returned_reason="Lives in another MARAC's area." if returned else "",
            checked_by=self.coordinator,
            checked_at=at(referred_on),
        )
        for meeting in heard_at:
            MaracDiscussion.objects.create(
                case=case,
                meeting=meeting,
                summary="Heard.",
                risks="Risks.",
                recorded_by=self.coordinator,
                recorded_at=meeting.starts_at,
            )
        return case


@pytest.fixture
def quarter(county, marac, coordinator):
    """North MARAC's July to September 2026, built by hand (see ``BY_HAND``), and a
    medium-risk South MARAC of another coordination hearing one case in the same quarter."""
    a = county["agencies"]
    build = Builder(county, coordinator)
    june = build.meeting(marac, date(2026, 6, 9))
    july = build.meeting(marac, date(2026, 7, 14))
    august = build.meeting(marac, date(2026, 8, 11))
    september = build.meeting(marac, date(2026, 9, 8), status=MeetingStatus.CANCELLED)
    october = build.meeting(marac, date(2026, 10, 13))
    build.meeting(marac, date(2026, 9, 29), status=MeetingStatus.PLANNED)
    earlier = build.case(marac, referred_on=date(2026, 2, 1), referrer=a["police"], heard_at=[june])
    # A: heard twice in the quarter and again in October (counted once); police; 2 children.
    build.case(
        marac,
        referred_on=date(2026, 7, 1),
        referrer=a["police"],
        children=2,
        perpetrator_born=date(1985, 5, 5),
        heard_at=[july, august, october],
        sex=Sex.FEMALE,
        gender_identity=GenderIdentity.WOMAN,
        ethnicity=Ethnicity.WHITE_BRITISH,
        sexual_orientation=SexualOrientation.HETEROSEXUAL,
        disability=YesNoUnknown.NO,
        date_of_birth=date(1990, 1, 1),
    )
    # B: a repeat; the IDVA service; White Irish (minoritised), bisexual, disabled, 16 at
    # referral; the person causing harm 17.
    build.case(
        marac,
        referred_on=date(2026, 7, 20),
        referrer=a["idva"],
        children=1,
        perpetrator_born=date(2009, 1, 1),
        heard_at=[august],
        repeat_of=earlier,
        sex=Sex.FEMALE,
        ethnicity=Ethnicity.WHITE_IRISH,
        sexual_orientation=SexualOrientation.BISEXUAL,
        disability=YesNoUnknown.YES,
        date_of_birth=date(2009, 8, 1),
    )
    # C: housing; Indian; trans; recorded male, gender identity not known; no dates of birth.
    build.case(
        marac,
        referred_on=date(2026, 7, 22),
        referrer=a["housing"],
        heard_at=[august],
        sex=Sex.MALE,
        ethnicity=Ethnicity.ASIAN_INDIAN,
        sexual_orientation=SexualOrientation.HETEROSEXUAL,
        trans=YesNoUnknown.YES,
    )
    # D: a repeat; no referring agency; ethnicity not stated; a man; 17 the day before his
    # birthday; the person causing harm 18 that very day (not under 18); 3 children.
    build.case(
        marac,
        referred_on=date(2026, 7, 24),
        referrer=None,
        children=3,
        perpetrator_born=date(2008, 7, 24),
        heard_at=[july],
        repeat_of=earlier,
        sex=Sex.FEMALE,
        gender_identity=GenderIdentity.MAN,
        date_of_birth=date(2008, 7, 25),
    )
    # Not counted: heard only at the cancelled meeting; heard only in June; a returned referral.
    build.case(
        marac,
        referred_on=date(2026, 8, 20),
        referrer=a["police"],
        children=5,
        heard_at=[september],
        ethnicity=Ethnicity.BLACK_AFRICAN,
    )
    build.case(marac, referred_on=date(2026, 5, 1), referrer=a["police"], children=4, heard_at=[june])
    build.case(marac, referred_on=date(2026, 7, 2), referrer=a["police"], children=2, returned=True, sex=Sex.MALE)
    # South MARAC, another coordination's, medium-risk: one case in the quarter.
    south_agency = Agency.objects.create(
        partnership=county["partnership"], name="Southshire MARAC", agency_type=AgencyType.MARAC
    )
    south = Marac.objects.create(
        agency=south_agency, name="South MARAC", first_meeting=at(date(2026, 1, 6)), min_score=10, max_score=13
    )
    south.districts.set([county["district"]])
    build.case(
        south,
        referred_on=date(2026, 8, 1),
        referrer=a["police"],
        heard_at=[build.meeting(south, date(2026, 8, 4))],
        sex=Sex.MALE,
    )
    return {"north": marac, "south": south}


#: North MARAC, July to September 2026, counted by hand from the fixture above: cases A,
#: B, C and D were discussed at the two meetings held (14 July, 11 August).
BY_HAND = {
    "meetings_held": (2, None),
    "cases_discussed": (4, None),
    "repeat_cases": (2, Decimal("50.0")),  # B, D
    "children": (6, None),  # 2 + 1 + 0 + 3
    "police_referrals": (1, Decimal("25.0")),  # A
    "partner_referrals": (2, Decimal("50.0")),  # B (IDVA), C (housing)
    "minoritised": (2, Decimal("50.0")),  # B (White Irish), C (Indian)
    "ethnicity_not_stated": (1, Decimal("25.0")),  # D
    "lgbt": (2, Decimal("50.0")),  # B (bisexual), C (trans)
    "disabled": (1, Decimal("25.0")),  # B
    "male": (2, Decimal("50.0")),  # C (recorded male), D (identifies as a man)
    "aged_16_17": (2, Decimal("50.0")),  # B (16), D (17)
    "perpetrators_under_18": (1, Decimal("25.0")),  # B's (17); D's is 18 that day
    "women_16_plus": (40_000, None),
    "expected_cases": (Decimal("40.0"), None),  # 40 x 40,000 / 10,000 / 4
    "percent_of_expected": (Decimal("10.0"), None),  # 4 / 40
    "cases_per_10k_women": (Decimal("4.0"), None),  # 4 x 4 x 10,000 / 40,000
}
BY_AGENCY_BY_HAND = {"Police": 1, "IDVA service": 1, "Housing": 1, returns.NO_AGENCY: 1}


def north_return(quarter_fixture):
    found = marac_returns(maracs=Marac.objects.filter(pk=quarter_fixture["north"].pk), quarter=Q3)
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("key", list(BY_HAND))
def test_each_figure_equals_the_count_by_hand(quarter, key):
    made = north_return(quarter)
    assert (made[key], made.share(key)) == BY_HAND[key]


def test_every_field_is_checked_by_hand():
    assert set(BY_HAND) == {f.key for f in returns.FIELDS}


def test_cases_by_referring_agency_equal_the_count_by_hand(quarter):
    made = {a.agency: a.cases for a in north_return(quarter).by_agency}
    assert {k: v for k, v in made.items() if v} == BY_AGENCY_BY_HAND
    assert made["Probation"] == 0 and made["Children's services"] == 0  # every agency type listed


def test_each_marac_has_its_own_return_and_a_medium_risk_one_has_no_expected_volume(quarter):
    north, south = marac_returns(maracs=maracs_for_returns(), quarter=Q3)
    assert (north.marac, south.marac) == ("North MARAC", "South MARAC")
    assert (south["meetings_held"], south["cases_discussed"], south["male"]) == (1, 1, 1)
    assert south["expected_cases"] is None and south["percent_of_expected"] is None
    assert "medium-risk" in south.notes[0]


def test_the_queries_do_not_grow_with_the_cases(quarter, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        marac_returns(maracs=maracs_for_returns(), quarter=Q3)


# The pure rules, without the database.


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026Q3", (2026, 3)), ("2026-q1", (2026, 1)), (" 2027 Q4 ", (2027, 4))],
)
def test_a_quarter_is_read(text, expected):
    quarter = returns.quarter_parse(text)
    assert (quarter.year, quarter.number) == expected


@pytest.mark.no_database
def test_the_third_quarter_is_july_to_september():
    assert (Q3.first_day, Q3.last_day, Q3.months) == (date(2026, 7, 1), date(2026, 9, 30), "July to September 2026")
    assert returns.Quarter(2026, 4).last_day == date(2026, 12, 31)
    assert returns.Quarter(2026, 1).previous() == returns.Quarter(2025, 4)


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026Q5", "quarters 1 to 4"),
        ("2026Q0", "quarters 1 to 4"),
        ("Q3", "give the year and the quarter, like 2026Q3"),
        ("2026", "give the year and the quarter"),
        ("", "give the year and the quarter"),
        ("1899Q1", "not a year"),
    ],
)
def test_a_bad_quarter_says_what_to_type(text, says):
    with pytest.raises(returns.QuarterError, match=says):
        returns.quarter_parse(text)


@pytest.mark.no_database
def test_the_codes_the_return_reads_are_the_models_codes():
    assert {returns.WHITE_BRITISH, returns.ETHNICITY_NOT_STATED} <= set(Ethnicity.values)
    assert returns.NOT_LGB <= set(SexualOrientation.values) and returns.YES in YesNoUnknown.values
    assert returns.MAN in GenderIdentity.values and returns.GENDER_NOT_KNOWN in GenderIdentity.values
    assert returns.MALE in Sex.values and returns.HELD == MeetingStatus.HELD


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("ethnicity", "minoritised"),
    [
        ("white_british", False),
        ("not_stated", False),
        ("white_irish", True),
        ("white_gypsy_traveller", True),
        ("white_roma", True),
        ("white_other", True),
        ("mixed_white_asian", True),
        ("black_caribbean", True),
        ("arab", True),
    ],
)
def test_black_asian_or_minoritised_is_every_group_but_white_british(ethnicity, minoritised):
    assert returns.is_minoritised(ethnicity) is minoritised


def _row(case_id, number=1, **changes) -> returns.CaseRow:
    row = dict(
        case_id=case_id,
        number=number,
        referred_on=date(2026, 7, 1),
        is_repeat=False,
        referring_agency_type="police",
        victim_sex="female",
        victim_gender_identity="woman",
        victim_trans="no",
        victim_ethnicity="white_british",
        victim_disability="no",
        victim_sexual_orientation="heterosexual",
        victim_born=None,
        perpetrator_born=None,
        children=0,
    )
    return returns.CaseRow(**{**row, **changes})


@pytest.mark.no_database
def test_a_returned_referral_is_never_a_case_discussed_and_an_empty_quarter_has_no_percentages():
    made = returns.marac_return(
        marac="North",
        quarter=Q3,
        meetings=[returns.MeetingRow(1, date(2026, 7, 14), "held")],
        discussions=[(1, 1), (2, 1)],
        cases={1: _row(1), 2: _row(2, number=None, children=3)},
        women_16_plus=None,
        expected_per_10k_women=40,
    )
    assert (made["cases_discussed"], made["children"], made["expected_cases"]) == (1, 0, None)
    assert "not recorded" in made.notes[0]
    empty = returns.marac_return(
        marac="North",
        quarter=Q3,
        meetings=[],
        discussions=[],
        cases={},
        women_16_plus=40_000,
        expected_per_10k_women=40,
    )
    assert (empty["cases_discussed"], empty.share("repeat_cases"), empty["percent_of_expected"]) == (0, None, 0)


@pytest.mark.no_database
def test_the_expected_volume_follows_the_configured_rate():
    made = returns.marac_return(
        marac="North",
        quarter=Q3,
        meetings=[returns.MeetingRow(1, date(2026, 9, 30), "held")],
        discussions=[(1, 1)],
        cases={1: _row(1)},
        women_16_plus=459_661,
        expected_per_10k_women=47,
    )
    assert made["expected_cases"] == Decimal("540.1")  # 47 x 459,661 / 10,000 / 4 = 540.10
    assert made["percent_of_expected"] == Decimal("0.2")


# The command: three formats that read back to the same figures, and its errors.


def _expected_number(key):
    value, _ = BY_HAND[key]
    return value


def _same(read, key) -> bool:
    value = _expected_number(key)
    field = returns.FIELD[key]
    if field.kind == returns.PERCENT:
        return read == pytest.approx(float(value) / 100) or read == pytest.approx(float(value))
    return read == pytest.approx(float(value))


def test_the_command_writes_an_excel_workbook_with_a_sheet_per_marac(quarter, tmp_path):
    out = tmp_path / "return.xlsx"
    call_command("report", "marac-return", "--quarter", "2026Q3", "--out", str(out), stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["North MARAC", "South MARAC"]
    rows = {r[0]: r for r in book["North MARAC"].iter_rows(values_only=True) if r[0]}
    for key, (_value, share) in BY_HAND.items():
        label = returns.FIELD[key].label
        assert _same(rows[label][1], key), (label, rows[label])
        assert rows[label][2] == (None if share is None else pytest.approx(float(share) / 100)), label
    for agency, cases in BY_AGENCY_BY_HAND.items():
        assert rows[agency][1] == cases
    assert "July to September 2026" in rows["Quarter: July to September 2026 (2026Q3)"][0]


def test_the_command_writes_csv_and_json_for_one_marac(quarter, tmp_path):
    out = tmp_path / "return.csv"
    said = io.StringIO()
    call_command(
        "report", "marac-return", "--quarter", "2026Q3", "--marac", "north marac", "--out", str(out), stdout=said
    )
    assert "North MARAC" in said.getvalue() and "July to September 2026" in said.getvalue()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["MARAC"] for r in rows} == {"North MARAC"} and {r["Quarter"] for r in rows} == {"2026Q3"}
    figures = {r["Figure"]: r for r in rows if r["Section"] == "The return"}
    for key, (value, share) in BY_HAND.items():
        row = figures[returns.FIELD[key].label]
        assert Decimal(row["Number"]) == value, key
        assert (
            Decimal(row["Percentage of cases discussed"]) if row["Percentage of cases discussed"] else None
        ) == share
    agencies = {r["Figure"]: int(r["Number"]) for r in rows if r["Section"] == returns.BY_AGENCY_TITLE}
    assert {k: v for k, v in agencies.items() if v} == BY_AGENCY_BY_HAND

    out = tmp_path / "return.json"
    call_command("report", "marac-return", "--quarter", "2026Q3", "--out", str(out), stdout=io.StringIO())
    written = json.loads(out.read_text())["returns"]
    assert [r["marac"] for r in written] == ["North MARAC", "South MARAC"]
    figures = {f["figure"]: f for f in written[0]["figures"]}
    for key, (value, share) in BY_HAND.items():
        figure = figures[returns.FIELD[key].label]
        assert Decimal(str(figure["number"])) == value, key
        assert figure["percentage_of_cases_discussed"] == (None if share is None else float(share))
    agencies = {a["figure"]: a["number"] for a in written[0]["cases_by_referring_agency"]}
    assert {k: v for k, v in agencies.items() if v} == BY_AGENCY_BY_HAND


def test_no_file_prints_a_code(quarter, tmp_path):
    codes = {t.value for t in AgencyType if "_" in t.value} | {
        "white_irish",
        "asian_indian",
        "repeat_cases",
        "meetings_held",
    }
    for extension in ("csv", "json"):
        out = tmp_path / f"return.{extension}"
        call_command("report", "marac-return", "--quarter", "2026Q3", "--out", str(out), stdout=io.StringIO())
        text = out.read_text(encoding="utf-8-sig")
        assert not [c for c in codes if c in text], extension


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--quarter", "2026Q5", "--out", "{tmp}/r.xlsx"], "quarters 1 to 4"),
        (["--quarter", "Q3", "--out", "{tmp}/r.xlsx"], "like 2026Q3"),
        (["--quarter", "2026Q3", "--out", "{tmp}/r.pdf"], "end the name in .xlsx"),
        (["--quarter", "2026Q3", "--out", "{tmp}/return"], "no extension"),
        (["--quarter", "2026Q3", "--marac", "East MARAC", "--out", "{tmp}/r.csv"], "No MARAC is called 'East MARAC'"),
        (["--quarter", "2026Q3", "--out", "{tmp}/missing/r.csv"], "no folder"),
    ],
)
def test_bad_inputs_get_a_specific_error(quarter, tmp_path, arguments, says):
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    with pytest.raises(CommandError, match=says) as raised:
        call_command("report", "marac-return", *arguments, stdout=io.StringIO())
    if "No MARAC" in says:
        assert "North MARAC, South MARAC" in str(raised.value)
    assert not list(tmp_path.glob("r.*"))


# The coordinator's page.


def _page_figures(html: str) -> dict[str, str]:
    cells = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*<td[^>]*>([^<]*)</td>', html)
    return {unescape(label.strip()): number.strip() for label, number in cells}


def test_the_coordinator_reviews_the_figures_and_downloads_the_return(quarter, coordinator, login):
    client = login(coordinator)
    page = client.get(reverse("marac_referrals_to_check")).content.decode()
    assert reverse("marac_returns") in page
    page = client.get(reverse("marac_returns"), {"quarter": "2026Q3", "marac": quarter["north"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    shown = _page_figures(html)
    assert shown["Cases discussed"] == "4" and shown["MARAC meetings held"] == "2"
    assert shown["Repeat cases"] == "2" and shown["Children in the households"] == "6"
    assert shown["Women aged 16 and over in the MARAC's districts"] == "40,000"
    assert shown["Cases discussed as a percentage of those expected"] == "10.0%"
    assert shown["Police"] == "1" and shown[returns.NO_AGENCY] == "1"
    assert "South MARAC" not in html  # another coordination's MARAC is not even offered
    for extension, kind in (("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("json", "application/json")):
        response = client.get(
            reverse("marac_return_download"), {"quarter": "2026Q3", "marac": quarter["north"].pk, "format": extension}
        )
        assert response.status_code == 200 and kind in response["Content-Type"], extension
        assert response["Content-Disposition"] == f'attachment; filename="marac-return-2026Q3-north-marac.{extension}"'
    written = json.loads(client.get(reverse("marac_return_download"), {"quarter": "2026Q3", "format": "json"}).content)
    assert [r["marac"] for r in written["returns"]] == ["North MARAC"]


def test_the_page_offers_recent_quarters_and_refuses_another_coordinations_marac(quarter, coordinator, login):
    client = login(coordinator)
    assert "Choose" not in client.get(reverse("marac_returns")).content.decode()
    asked = {"quarter": "2026Q3", "marac": quarter["south"].pk}
    html = client.get(reverse("marac_returns"), asked).content.decode()
    assert "Choose one of your MARACs." in html and "Cases discussed" not in _page_figures(html)
    download = client.get(reverse("marac_return_download"), {**asked, "format": "csv"})
    assert download.status_code == 302 and download["Location"] == reverse("marac_returns")


def test_a_coordinator_of_another_marac_sees_only_their_own(quarter, login):
    south = staff_create(
        username="south-coordinator",
        agency=quarter["south"].agency,
        role=Role.MARAC_COORDINATOR,
        password="x" * 20,
    )
    client = login(south)
    html = client.get(reverse("marac_returns"), {"quarter": "2026Q3"}).content.decode()
    assert "South MARAC" in html and "North MARAC" not in html
    assert _page_figures(html)["Cases discussed"] == "1"
    refused = client.get(reverse("marac_returns"), {"quarter": "2026Q3", "marac": quarter["north"].pk})
    assert "Cases discussed" not in _page_figures(refused.content.decode())


@pytest.mark.parametrize("who", ["outsider", "idva", "admin"])
def test_staff_who_do_not_coordinate_a_marac_are_refused(quarter, staff, login, who):
    client = login(staff[who])
    assert client.get(reverse("marac_returns"), {"quarter": "2026Q3"}).status_code == 403
    assert client.get(reverse("marac_return_download"), {"quarter": "2026Q3", "format": "csv"}).status_code == 403

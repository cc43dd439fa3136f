"""The report the review asked for (seed 002 Appendix 2, 2.2): one agency's champions and
trained staff against the referrals it made to the front door, the IDVA service and
MARAC, quarter by quarter, on a fixture built by hand and figures worked out by hand."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.people.models import Person
from carepath.referrals.models import Channel, Destination, Referral
from carepath.training import rules, selectors
from carepath.training.models import AttendanceStatus, Booking, Champion, Session, Trainee

LONDON = ZoneInfo("Europe/London")
QUARTERS = rules.periods(kind=rules.QUARTER, first=date(2025, 1, 1), last=date(2025, 9, 30))


@pytest.fixture
def network(county, courses):
    police, housing = county["agencies"]["police"], county["agencies"]["housing"]

    def champion(agency, name, first, until=None):
        Champion.objects.create(
            agency=agency,
            name=name,
            job_title="Sergeant",
            email="c@example.org",
            champion_from=first,
            champion_until=until,
        )

    # Champions in post on the last day of each quarter (31 Mar, 30 Jun, 30 Sep 2025):
    champion(police, "Ada", date(2024, 6, 1))  # all three quarters
    champion(police, "Bo", date(2025, 4, 10), date(2025, 8, 31))  # 30 Jun only (gone by 30 Sep)
    champion(police, "Cy", date(2025, 7, 1))  # 30 Sep only
    champion(housing, "Dee", date(2024, 1, 1))  # another agency: never counted
    # -> champions: Q1 1 (Ada), Q2 2 (Ada, Bo), Q3 2 (Ada, Cy).

    def trained(agency, name, *sessions):
        trainee = Trainee.objects.create(name=name, agency=agency)
        for kind, day, status in sessions:
            session = Session.objects.create(course=courses[kind], held_on=day, venue="HQ", trainer="T", places=20)
            Booking.objects.create(session=session, trainee=trainee, status=status)

    came, absent = AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT
    # Defaults: DASH and refreshers current 12 months, foundation 36 (less a day each).
    trained(police, "T1", ("dash", date(2024, 4, 15), came))  # to 14 Apr 2025: Q1 only
    trained(police, "T2", ("foundation", date(2023, 1, 10), came))  # to 9 Jan 2026: Q1, Q2, Q3
    trained(police, "T3", ("dash", date(2025, 5, 20), came))  # from 20 May 2025: Q2, Q3
    trained(police, "T4", ("dash", date(2025, 2, 1), absent))  # did not attend: never
    # DASH to 28 Feb 2025 (lapsed before 31 Mar), then a refresher on 15 Jul 2025: Q3 only.
    trained(police, "T5", ("dash", date(2024, 3, 1), came), ("refresher", date(2025, 7, 15), came))
    trained(housing, "T6", ("dash", date(2025, 1, 5), came))  # another agency: never counted
    # -> trained: Q1 2 (T1, T2), Q2 2 (T2, T3), Q3 3 (T2, T3, T5).

    victim = Person.objects.create(recorded_by=police, given_name="V", family_name="Test")

    def referral(agency, destination, when):
        Referral.objects.create(
            channel=Channel.PROFESSIONAL,
            destination=destination,
            referring_agency=agency,
            victim=victim,
            received_at=when.replace(tzinfo=LONDON),
        )

    triage, idva, marac = Destination.TRIAGE, Destination.IDVA, Destination.MARAC
    referral(police, triage, datetime(2025, 1, 15, 10))  # Q1
    referral(police, triage, datetime(2025, 3, 31, 23, 30))  # 22:30 UTC, still 31 March in London: Q1
    referral(police, triage, datetime(2025, 5, 2, 9))  # Q2
    referral(police, triage, datetime(2025, 9, 30, 17))  # Q3
    referral(police, idva, datetime(2025, 2, 10, 9))  # Q1
    referral(police, idva, datetime(2025, 7, 1, 0, 30))  # 23:30 UTC on 30 June, 1 July in London: Q3
    referral(police, marac, datetime(2025, 6, 30, 9))  # Q2
    referral(police, marac, datetime(2025, 6, 30, 15))  # the same victim again: a second referral, Q2
    referral(police, marac, datetime(2025, 10, 1, 9))  # after the range
    referral(police, Destination.CASEWORKER, datetime(2025, 2, 1, 9))  # not one of the three
    referral(housing, triage, datetime(2025, 1, 20, 9))  # another agency's
    Referral.objects.create(  # a self-referral: no agency made it
        channel=Channel.SELF, destination=triage, victim=victim, received_at=datetime(2025, 1, 21, tzinfo=LONDON)
    )
    # -> front door: Q1 2, Q2 1, Q3 1; IDVA: Q1 1, Q2 0, Q3 1; MARAC: Q1 0, Q2 2, Q3 0.
    return police


#: (period, champions, trained staff, front door, IDVA, MARAC), from the comments above.
BY_HAND = [
    ("Jan–Mar 2025", 1, 2, 2, 1, 0),
    ("Apr–Jun 2025", 2, 2, 1, 0, 2),
    ("Jul–Sep 2025", 2, 3, 1, 1, 0),
]


def as_tuples(rows):
    return [(r.period.label, r.champions, r.trained, r.front_door, r.idva, r.marac) for r in rows]


def test_the_report_equals_the_figures_worked_out_by_hand(network):
    assert as_tuples(selectors.network_report(agency_id=network.pk, periods=QUARTERS)) == BY_HAND


def test_the_page_shows_the_chart_beside_the_same_table_and_says_it_counts_referrals(network, coordinator, login):
    client = login(coordinator)
    query = {"agency": network.pk, "by": "quarter", "first": "1/1/2025", "last": "30/9/2025"}
    response = client.get(reverse("training_report"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-labelledby="network-chart-title network-chart-desc"' in html
    assert html.index("<svg") < html.index('id="network-table"')
    table = html[html.index('id="network-table"') :]
    for label, *figures in BY_HAND:
        row = table[table.index(f">{label}</th>") :].split("</tr>")[0]
        assert [int(cell.split(">")[-1]) for cell in row.split("</td>")[:-1]] == figures
    assert "counted once each: a person referred twice counts twice" in html

    book = openpyxl.load_workbook(BytesIO(client.get(reverse("training_report_download"), query).content))
    values = [row for row in book.active.iter_rows(values_only=True) if row[0] in {r[0] for r in BY_HAND}]
    assert [tuple(v) for v in values] == BY_HAND


def test_a_range_the_report_cannot_show_is_an_error_on_the_page(network, coordinator, login):
    response = login(coordinator).get(
        reverse("training_report"), {"agency": network.pk, "by": "month", "first": "1/1/2020", "last": "31/12/2025"}
    )
    assert response.status_code == 200
    assert "Choose a range of at most 60 periods." in response.content.decode()
    response = login(coordinator).get(
        reverse("training_report"), {"agency": "x", "by": "month", "first": "soon", "last": ""}
    )
    html = response.content.decode()
    assert "Choose an agency from the list." in html and "Enter the start like 1/4/2025." in html
    assert "Enter the end of the range." in html
    next_year = timezone.localdate().year + 1
    response = login(coordinator).get(
        reverse("training_report"),
        {"agency": network.pk, "by": "quarter", "first": f"1/1/{next_year}", "last": f"31/3/{next_year}"},
    )
    assert "The range is all in the future: start it today or before." in response.content.decode()

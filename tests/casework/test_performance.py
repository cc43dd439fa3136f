"""Service performance (issue 14, 6): the figures on a hand-built county equal figures
counted by hand, field by field; a worker over the safe caseload is flagged; the cases
behind a figure are listed only to the agency that runs the service, and logged."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from carepath.casework import measures, rules, selectors
from carepath.casework.measures import CaseRow, Period
from carepath.casework.models import Case, Service, Worker
from carepath.core.codes import AccessAction, AgencyType, Role
from carepath.core.models import AccessLog, Agency, District, MaracArea
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.referrals.models import Referral
from tests.conftest import PASSWORD, without_csrf_tokens

Q1 = measures.period_from_code("2026Q1")
NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)
SAFE = rules.SafeCaseload(high_a_year=65, medium_a_year=85, open_at_once=80)


def at(month, day, hour=10, year=2026):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def services(county):
    """Two services in two areas: the IDVA service (workers A, full time, and B, half
    time; seven cases) and the south's caseworkers (worker C on a tenth of a post with
    seven high-risk victims this year: over safe)."""
    agencies = county["agencies"]
    south_area = MaracArea.objects.create(
        partnership=county["partnership"], name="South", population=1, women_16_plus=1
    )
    south = District.objects.create(marac_area=south_area, name="Southtown", population=1, women_16_plus=1)
    agencies["womens_aid"] = Agency.objects.create(
        partnership=county["partnership"], name="Southtown Women's Aid", agency_type=AgencyType.IDVA_SERVICE
    )
    idva = Service.objects.create(agency=agencies["idva"], name="Testshire IDVA service", kind="idva")
    idva.districts.set([county["district"]])
    south_service = Service.objects.create(
        agency=agencies["womens_aid"], name="Southtown caseworkers", kind="caseworker"
    )
    south_service.districts.set([south])
    users = {
        "a": staff_create(username="ava", agency=agencies["idva"], role=Role.IDVA, password=PASSWORD),
        "b": staff_create(username="bea", agency=agencies["idva"], role=Role.IDVA, password=PASSWORD),
        "manager": staff_create(username="idva-manager", agency=agencies["idva"], role=Role.IDVA, password=PASSWORD),
        "c": staff_create(username="cat", agency=agencies["womens_aid"], role=Role.CASEWORKER, password=PASSWORD),
        "commissioner": staff_create(
            username="commissioner", agency=agencies["partnership"], role=Role.COMMISSIONER, password=PASSWORD
        ),
        "outsider": staff_create(
            username="outsider", agency=agencies["housing"], role=Role.CASEWORKER, password=PASSWORD, is_supervisor=True
        ),
    }
    for name, first, last in (("a", "Ava", "Ahmed"), ("b", "Bea", "Brown"), ("c", "Cat", "Cole")):
        users[name].first_name, users[name].last_name = first, last
        users[name].save()
    workers = {
        "a": Worker.objects.create(user=users["a"], service=idva, fte=1),
        "b": Worker.objects.create(user=users["b"], service=idva, fte="0.5"),
        "manager": Worker.objects.create(user=users["manager"], service=idva, fte=1, is_manager=True),
        "c": Worker.objects.create(user=users["c"], service=south_service, fte="0.1"),
    }
    victim = lambda n: Person.objects.create(  # noqa: E731
        recorded_by=agencies["police"], given_name=f"Victim{n}", family_name="Zebedee"
    )
    case = lambda n, service, **kw: Case.objects.create(service=service, victim=victim(n), source="front_door", **kw)  # noqa: E731
    a, b, c = workers["a"], workers["b"], workers["c"]
    cases = {
        1: case(
            1,
            idva,
            risk_level="high",
            status="closed",
            worker=a,
            referred_at=at(1, 5, 9),  # a Monday
            first_contact_due=at(1, 6, 9),
            first_contact_at=at(1, 5, 15),  # the same day: met, 0 working days
            engaged_at=at(1, 7),
            closed_at=at(3, 2),
            outcomes={"physical": "ceased", "jealous_controlling": "reduced"},
            intake_scores={"safety": 3, "wellbeing": 4, "quality_of_life": 5},
            exit_scores={"safety": 7, "wellbeing": 6, "quality_of_life": 5},
        ),
        2: case(
            2,
            idva,
            risk_level="high",
            status="engaged",
            worker=a,
            referred_at=at(1, 9, 16),  # a Friday
            first_contact_due=at(1, 12, 16),
            first_contact_at=at(1, 13, 10),  # Tuesday: late, 2 working days
            engaged_at=at(1, 14),
        ),
        3: case(
            3,
            idva,
            risk_level="medium",
            status="declined",
            worker=b,
            referred_at=at(2, 2),
            first_contact_due=at(2, 5),
            first_contact_at=at(2, 4),  # met, 2 working days
            # Referred from the south: outside the north's figures.
            referral=Referral.objects.create(
                channel="professional", destination="idva", victim=victim(30), received_at=at(2, 2), district=south
            ),
        ),
        4: case(
            4, idva, risk_level="medium", status="referred", referred_at=at(3, 30), first_contact_due=at(4, 2)
        ),  # not yet due on 31 March
        5: case(
            5,
            idva,
            risk_level="standard",
            status="closed",
            worker=a,
            referred_at=at(11, 3, year=2025),
            first_contact_at=at(11, 4, year=2025),
            closed_at=at(2, 10),
            outcomes={"physical": "no_change", "sexual": "increased"},
            intake_scores={"safety": 5},
            exit_scores={"safety": 4},
        ),
        6: case(
            6,
            idva,
            risk_level="high",
            status="ongoing_support",
            worker=a,
            referred_at=at(3, 2),
            first_contact_at=at(3, 3),  # no deadline; 1 working day
            engaged_at=at(3, 4),
        ),
        7: case(7, idva, risk_level="medium", status="referred", worker=a, referred_at=at(4, 10)),  # after March
    }
    for n in range(7):
        cases[10 + n] = case(
            10 + n,
            south_service,
            risk_level="high",
            status="contacting",
            worker=c,
            referred_at=at(1, 20 + n),
            first_contact_at=at(1, 21 + n) if n < 3 else None,
        )
    return {
        "idva": idva,
        "south": south_service,
        "users": users,
        "workers": workers,
        "cases": cases,
        "south_area": south_area,
    }


def figures(service, area_id=None):
    ids = [service.pk]
    return measures.performance(
        rows=selectors.performance_case_rows(service_ids=ids, period=Q1, area_id=area_id),
        workers=selectors.performance_worker_rows(service_ids=ids, period=Q1),
        period=Q1,
        now=NOW,
        safe=SAFE,
    )


def test_the_idva_services_figures_equal_those_counted_by_hand(services):
    f = figures(services["idva"])
    # Referred in January to March: cases 1, 2, 3, 4 and 6; contacted 1, 2, 3, 6; engaged 1, 2, 6.
    assert (f.engagement.referred, f.engagement.contacted, f.engagement.engaged) == (5, 4, 3)
    assert (f.engagement.contacted_rate, f.engagement.engaged_rate, f.engagement.engaged_of_contacted) == (
        4 / 5,
        3 / 5,
        3 / 4,
    )
    # Deadlines: 1 and 3 met, 2 late, 4 not yet due; 0, 2, 2 and 1 working days to contact.
    assert f.first_contact == measures.FirstContact(met=2, missed=1, pending=1, contacted=4, median_working_days=1.5)
    assert f.first_contact.met_rate == 2 / 3
    # The year to 31 March: A has 1, 2 and 6 (high; 5 is standard, 7 came in April) and 2, 6, 7 open;
    # B has 3 (medium), declined; the manager has none.
    loads = {c.name: c for c in f.caseloads}
    assert (loads["Ava Ahmed"].high_this_year, loads["Ava Ahmed"].medium_this_year) == (3, 0)
    assert loads["Ava Ahmed"].load == rules.Load(fte=1.0, year_share=3 / 65, open_cases=3, open_limit=80.0)
    assert loads["Bea Brown"].load == rules.Load(fte=0.5, year_share=1 / 42.5, open_cases=0, open_limit=40.0)
    assert loads["idva-manager"].load == rules.Load(fte=1.0, year_share=0.0, open_cases=0, open_limit=80.0)
    assert f.caseload.load == rules.Load(fte=2.5, year_share=3 / 162.5 + 1 / 212.5, open_cases=3, open_limit=200.0)
    assert not any(c.over for c in f.caseloads)
    # Closed in the period: 1 (high) and 5 (standard).
    high, standard = f.outcomes
    assert (high.risk_level, high.closed, standard.risk_level, standard.closed) == ("high", 1, "standard", 1)
    assert high.by_abuse["physical"] == {"ceased": 1, "reduced": 0, "no_change": 0, "increased": 0}
    assert high.by_abuse["jealous_controlling"] == {"ceased": 0, "reduced": 1, "no_change": 0, "increased": 0}
    assert high.recorded == {"physical": 1, "sexual": 0, "harassment_stalking": 0, "jealous_controlling": 1}
    assert high.outcome_rate("physical", "ceased") == 1.0 and high.outcome_rate("sexual", "ceased") is None
    assert high.scores["safety"] == measures.ScoreChange(scored=1, mean_intake=3.0, mean_exit=7.0, improved=1)
    assert high.scores["wellbeing"].mean_change == 2.0
    assert high.scores["quality_of_life"] == measures.ScoreChange(scored=1, mean_intake=5.0, mean_exit=5.0, improved=0)
    assert standard.by_abuse["physical"]["no_change"] == 1 and standard.by_abuse["sexual"]["increased"] == 1
    assert standard.scores["safety"] == measures.ScoreChange(scored=1, mean_intake=5.0, mean_exit=4.0, improved=0)
    assert standard.scores["wellbeing"] == measures.ScoreChange(scored=0, mean_intake=None, mean_exit=None, improved=0)
    # Nobody stepped down to a recovery programme: 2 closed, none taken up.
    assert f.recovery_uptake == measures.RecoveryUptake(closed=2, stepped_down=0, started=0, completed=0)
    assert f.recovery_uptake.stepped_down_rate == 0 and f.recovery_uptake.started_rate is None


def test_an_area_counts_the_cases_referred_from_it_and_a_services_own_area_for_the_rest(services, county):
    north = figures(services["idva"], area_id=county["area"].pk)
    assert (north.engagement.referred, north.engagement.contacted) == (4, 3)  # case 3 came from the south
    south = figures(services["idva"], area_id=services["south_area"].pk)
    assert (south.engagement.referred, south.first_contact.met) == (1, 1)
    assert south.outcomes == []


def test_the_cases_behind_each_figure_are_those_it_counts(services):
    c = services["cases"]
    rows = selectors.performance_case_rows(service_ids=[services["idva"].pk], period=Q1)
    behind = lambda **kw: sorted(measures.cases_behind(rows, period=Q1, now=NOW, **kw))  # noqa: E731
    assert behind(measure="referred") == sorted(c[n].pk for n in (1, 2, 3, 4, 6))
    assert behind(measure="engaged") == sorted(c[n].pk for n in (1, 2, 6))
    assert behind(measure="deadline_missed") == [c[2].pk]
    assert behind(measure="deadline_pending") == [c[4].pk]
    assert behind(measure="closed", risk_level="standard", abuse_type="sexual", outcome="increased") == [c[5].pk]
    assert behind(measure="nonsense") == []


def test_a_worker_over_the_safe_caseload_is_flagged(services):
    f = figures(services["south"])
    (cat,) = f.caseloads
    # 7 high-risk victims this year on a tenth of a post: 7 / 6.5 of a safe year.
    assert cat.load.year_share == pytest.approx(7 / 6.5) and cat.over
    assert (f.engagement.referred, f.engagement.contacted, f.engagement.engaged) == (7, 3, 0)


@pytest.mark.no_database
def test_working_days_skip_weekends_and_englands_bank_holidays():
    easter = CaseRow(1, 1, "high", "engaged", None, at(4, 2), first_contact_at=at(4, 7))  # Good Friday, Easter Monday
    assert measures.working_days_to_contact(easter) == 1
    christmas = CaseRow(1, 1, "high", "engaged", None, at(12, 24, year=2025), first_contact_at=at(12, 29, year=2025))
    assert measures.working_days_to_contact(christmas) == 1
    assert measures.period_from_code("2026Q3") == Period(date(2026, 7, 1), date(2026, 9, 30), "July to September 2026")
    assert measures.period_from_code("2026Q5") is None and measures.period_from_code("soon") is None


def test_the_safe_open_caseload_is_the_partnerships_setting(db):
    assert selectors.safe_caseload_get() == rules.SafeCaseload(high_a_year=65, medium_a_year=85, open_at_once=80)


def performance_page(client, **query):
    return client.get(reverse("casework_performance"), {"period": "2026Q1", **query})


def test_the_page_shows_the_figures_with_links_for_the_running_agency_and_flags_over_safe(services, login):
    manager = login(services["users"]["manager"])
    html = performance_page(manager).content.decode()
    assert "Testshire IDVA service: January to March 2026" in html
    assert "Southtown caseworkers" not in html  # another agency's service
    # Engaged 3 of 5; on the page it is now past case 4's deadline: met 2 of 4.
    assert "60%" in html and "50%" in html and "1.5 working days" in html
    assert "/casework/performance/cases/?service=" in html
    commissioner = login(services["users"]["commissioner"])
    html = performance_page(commissioner).content.decode()
    assert "Testshire IDVA service" in html and "Southtown caseworkers" in html
    south = html.split("Southtown caseworkers: January to March 2026")[1]
    assert "Over safe caseload" in south.split("Cat Cole")[1]
    assert "/casework/performance/cases/" not in html  # figures, not the cases behind them
    assert "Zebedee" not in html


def test_the_page_is_refused_to_staff_without_the_permission(services, login):
    for who in ("outsider", "a"):  # another agency's caseworker manager; an IDVA who does not manage
        assert performance_page(login(services["users"][who])).status_code == 403


def test_the_cases_behind_a_figure_are_listed_to_the_running_agency_and_logged(services, login):
    user = services["users"]["manager"]
    url = reverse("casework_performance_cases")
    query = {"service": services["idva"].pk, "period": "2026Q1", "measure": "engaged"}
    response = login(user).get(url, query)
    assert response.status_code == 200
    html = response.content.decode()
    c = services["cases"]
    for n in (1, 2, 6):
        assert f">{c[n].pk}<" in html
    assert "Ongoing support" in html and "Ava Ahmed" in html and "Zebedee" not in html
    listed = AccessLog.objects.filter(user=user, action=AccessAction.LISTED, content_type__model="person")
    assert set(listed.values_list("object_id", flat=True)) == {c[n].victim_id for n in (1, 2, 6)}
    open_cases = login(user).get(url, {**query, "measure": "open", "worker": services["workers"]["a"].pk})
    assert [f">{c[n].pk}<" in open_cases.content.decode() for n in (2, 6, 7, 1)] == [True, True, True, False]


def test_the_cases_behind_a_figure_are_refused_to_another_agency_as_a_missing_service_is(services, login):
    url = reverse("casework_performance_cases")
    for who in ("commissioner", "c"):
        user = services["users"][who]
        if who == "c":  # the south's caseworker manager: holds the permission for her own service
            user.is_supervisor = True
            user.save()
        client = login(user)
        query = {"period": "2026Q1", "measure": "referred"}
        existing = client.get(url, {**query, "service": services["idva"].pk})
        missing = client.get(url, {**query, "service": 987_654})
        assert existing.status_code == missing.status_code == 404, who
        assert without_csrf_tokens(existing) == without_csrf_tokens(missing)
        assert b"Zebedee" not in existing.content
        assert AccessLog.objects.filter(user=user, action=AccessAction.REFUSED).count() == 2
        assert not AccessLog.objects.filter(user=user, action=AccessAction.LISTED).exists()


def test_a_case_handed_to_another_agency_is_not_counted_as_closed_with_outcomes():
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    closed = CaseRow(1, 1, "high", rules.CLOSED, 5, at(3, 2), closed_at=at(5, 1), outcomes={"physical": "ceased"})
    handed = CaseRow(2, 1, "high", rules.HANDED_OVER, 5, at(3, 2), closed_at=at(5, 1))
    assert measures.cases_behind([closed, handed], measure="closed", period=year, now=at(12, 1)) == [1]
    [high] = measures.outcomes([closed, handed], year, at(12, 1))
    assert high.closed == 1

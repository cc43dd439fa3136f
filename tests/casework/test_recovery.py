"""Step-down to recovery programmes: the rules of a place and a course; putting her on a
waiting list, offering a place and moving it on (and the refusals: not twice, not beyond
a course's places, only her worker or manager); the programme's page with its waiting
list, refused to an uninvolved agency; and the recovery uptake figure against a hand count."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carepath.casework import measures, recovery, rules, selectors
from carepath.casework.models import Case, CaseSource, RecoveryCourse, RecoveryPlace, RecoveryProgramme
from carepath.casework.recovery_services import recovery_place_add, recovery_place_move, recovery_place_offer
from carepath.core.codes import AccessAction
from carepath.core.models import AccessLog, Agency, AgencyType
from carepath.people.models import Person

TODAY = date.today()


# The rules ------------------------------------------------------------------------------


@pytest.mark.no_database
def test_a_place_moves_only_along_its_path_and_the_refusal_says_where_it_can_go():
    assert recovery.move_refusal(recovery.WAITING, recovery.OFFERED) is None
    assert recovery.move_refusal(recovery.OFFERED, recovery.WAITING) is None  # she could not take it up
    assert recovery.move_refusal(recovery.STARTED, recovery.COMPLETED) is None
    assert recovery.move_refusal(recovery.WAITING, recovery.COMPLETED) == (
        "A place that is waiting for a place can only become: offered a place; declined."
    )
    assert "final" in recovery.move_refusal(recovery.COMPLETED, recovery.STARTED)
    assert recovery.move_refusal("lost", recovery.STARTED) == "That is not a status of a place on a programme."
    # Every status has words, and only those statuses have moves.
    assert set(recovery.MOVES) == set(recovery.STATUS_WORDS)


@pytest.mark.no_database
def test_the_waiting_list_is_first_added_first_and_a_course_takes_no_more_than_its_places():
    t = datetime(2026, 6, 1, tzinfo=UTC)
    waiting = [recovery.Waiting(3, t + timedelta(days=2)), recovery.Waiting(9, t), recovery.Waiting(4, t)]
    assert [w.place_id for w in recovery.waiting_order(waiting)] == [4, 9, 3]
    assert recovery.days_waiting(t, t + timedelta(days=10, hours=5)) == 10
    assert recovery.places_left(places=16, seated=12) == 4
    assert recovery.places_left(places=16, seated=17) == 0
    starts = date(2026, 6, 1)
    assert recovery.offer_refusal(places=16, seated=15, starts_on=starts, weeks=12, today=starts) is None
    assert recovery.offer_refusal(places=16, seated=16, starts_on=starts, weeks=12, today=starts) == (
        "This course is full: all 16 places are offered or taken. Offer a place on another course."
    )
    finished = starts + timedelta(weeks=12)
    assert "has finished" in recovery.offer_refusal(places=16, seated=0, starts_on=starts, weeks=12, today=finished)


# The services ---------------------------------------------------------------------------


@pytest.fixture
def womens_aid(county):
    return Agency.objects.create(
        partnership=county["partnership"], name="Northtown Women's Aid", agency_type=AgencyType.IDVA_SERVICE
    )


@pytest.fixture
def freedom(county, womens_aid):
    programme = RecoveryProgramme.objects.create(agency=womens_aid, name="Freedom Programme, Northtown", kind="freedom")
    programme.districts.set([county["district"]])
    return programme


def _case(service, worker, n, *, status=rules.ENGAGED, risk="high", **kw):
    victim = Person.objects.create(
        recorded_by=service.agency, given_name=f"Victim{n}", family_name="Quillfeather", sex="female"
    )
    return Case.objects.create(
        service=service,
        victim=victim,
        source=CaseSource.AGENCY,
        risk_level=risk,
        status=status,
        worker=worker,
        referred_at=datetime(2026, 1, 5, tzinfo=UTC),
        **kw,
    )


@pytest.fixture
def case(idva_service, workers):
    return _case(idva_service, workers["kim"], 1)


def test_her_worker_puts_her_on_a_waiting_list_but_not_twice(case, freedom, workers):
    place = recovery_place_add(case=case, programme=freedom, user=workers["kim"].user)
    assert (place.status, place.course, place.added_by) == (recovery.WAITING, None, workers["kim"].user)
    with pytest.raises(ValidationError) as refused:
        recovery_place_add(case=case, programme=freedom, user=workers["manager"].user)
    assert refused.value.message_dict == {"programme": ["She is already on this programme (waiting for a place)."]}
    # An offer is of a place on a course, never a bare change of status.
    with pytest.raises(ValidationError, match="one of the programme's courses"):
        recovery_place_move(place=place, user=workers["kim"].user, to_status=recovery.OFFERED)
    # Once her place is over (declined, with a reason), she may be put on it again.
    recovery_place_move(place=place, user=workers["kim"].user, to_status=recovery.DECLINED, note="Not now")
    again = recovery_place_add(case=case, programme=freedom, user=workers["manager"].user)
    assert again.status == recovery.WAITING and RecoveryPlace.objects.count() == 2


def test_only_her_worker_or_the_services_manager_steps_her_down(case, freedom, workers, staff):
    for user in (workers["lee"].user, staff["outsider"], staff["idva"]):  # a colleague who is not hers; others
        with pytest.raises(PermissionDenied):
            recovery_place_add(case=case, programme=freedom, user=user)
    assert not RecoveryPlace.objects.exists()


def test_a_case_steps_down_while_open_or_at_closure_not_after_declining(idva_service, workers, freedom):
    closed = _case(idva_service, workers["kim"], 2, status=rules.CLOSED)
    assert recovery_place_add(case=closed, programme=freedom, user=workers["kim"].user).status == recovery.WAITING
    declined = _case(idva_service, workers["kim"], 3, status=rules.DECLINED)
    with pytest.raises(ValidationError, match="steps down while open or at closure"):
        recovery_place_add(case=declined, programme=freedom, user=workers["kim"].user)
    freedom.active = False
    freedom.save()
    with pytest.raises(ValidationError, match="not running"):
        recovery_place_add(case=_case(idva_service, workers["kim"], 4), programme=freedom, user=workers["kim"].user)


def test_a_course_takes_no_more_than_its_places(idva_service, workers, freedom, womens_aid, staff):
    course = RecoveryCourse.objects.create(programme=freedom, starts_on=TODAY, weeks=12, places=2)
    places = [
        recovery_place_add(case=_case(idva_service, workers["kim"], n), programme=freedom, user=workers["kim"].user)
        for n in range(3)
    ]
    recovery_place_offer(place=places[0], course=course, user=workers["kim"].user)
    recovery_place_offer(place=places[1], course=course, user=workers["manager"].user)
    with pytest.raises(ValidationError) as refused:
        recovery_place_offer(place=places[2], course=course, user=workers["kim"].user)
    assert refused.value.message_dict["course"] == [
        "This course is full: all 2 places are offered or taken. Offer a place on another course."
    ]
    places[2].refresh_from_db()
    assert (places[2].status, places[2].course) == (recovery.WAITING, None)
    # One who could not take up her offer goes back to waiting and frees her seat.
    recovery_place_move(place=places[1], user=workers["kim"].user, to_status=recovery.WAITING)
    places[1].refresh_from_db()
    assert (places[1].status, places[1].course) == (recovery.WAITING, None)
    recovery_place_offer(place=places[2], course=course, user=workers["kim"].user)
    # Someone who left early keeps her seat: the group takes nobody new part way through.
    recovery_place_move(place=places[0], user=workers["kim"].user, to_status=recovery.STARTED)
    with pytest.raises(ValidationError, match="Say why"):
        recovery_place_move(place=places[0], user=workers["kim"].user, to_status=recovery.LEFT_EARLY)
    recovery_place_move(place=places[0], user=workers["kim"].user, to_status=recovery.LEFT_EARLY, note="Moved away")
    with pytest.raises(ValidationError, match="full"):
        recovery_place_offer(place=places[1], course=course, user=workers["kim"].user)
    # Another programme's course is not hers to be offered.
    other = RecoveryProgramme.objects.create(agency=womens_aid, name="Recovery Toolkit", kind="recovery_toolkit")
    elsewhere = RecoveryCourse.objects.create(programme=other, starts_on=TODAY, weeks=8, places=10)
    with pytest.raises(ValidationError, match="a course of this programme"):
        recovery_place_offer(place=places[1], course=elsewhere, user=workers["kim"].user)
    # Someone with no part in her case or the programme may not offer her a place.
    with pytest.raises(PermissionDenied):
        recovery_place_offer(place=places[1], course=course, user=staff["outsider"])


def test_the_programmes_own_agency_offers_a_place_and_records_the_course(case, freedom, womens_aid, workers):
    from carepath.core.codes import Role
    from carepath.core.services import staff_create

    course = RecoveryCourse.objects.create(programme=freedom, starts_on=TODAY + timedelta(days=7), weeks=12)
    facilitator = staff_create(username="facilitator", agency=womens_aid, role=Role.CASEWORKER, password=None)
    place = recovery_place_add(case=case, programme=freedom, user=workers["kim"].user)
    recovery_place_offer(place=place, course=course, user=facilitator)
    recovery_place_move(place=place, user=facilitator, to_status=recovery.STARTED)
    recovery_place_move(place=place, user=facilitator, to_status=recovery.COMPLETED)
    place.refresh_from_db()
    assert (place.status, place.course) == (recovery.COMPLETED, course)
    # The history keeps each step, and who took it.
    steps = list(place.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert steps == [recovery.WAITING, recovery.OFFERED, recovery.STARTED, recovery.COMPLETED]
    with pytest.raises(ValidationError, match="final"):
        recovery_place_move(place=place, user=facilitator, to_status=recovery.STARTED)


# The pages ------------------------------------------------------------------------------


def test_her_worker_puts_her_on_a_waiting_list_from_the_case_page(case, freedom, workers, login):
    kim = login(workers["kim"].user)
    page = kim.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "Recovery programmes" in page and "She has no place on a recovery programme." in page
    assert "Freedom Programme, Northtown (Freedom Programme, Northtown Women&#x27;s Aid)" in page
    url = reverse("casework_recovery_place_add", args=[case.pk])
    response = kim.post(url, {"programme": freedom.pk, "note": "Evenings only"})
    assert response.status_code == 302
    page = kim.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "Waiting for a place: Evenings only" in page
    assert 'value="declined"' in page and 'value="offered"' not in page  # an offer is made on a course
    # Not twice: the programme is no longer offered, and a forged post is refused in words.
    assert "There is no other recovery programme running to put her on." in page
    refused = kim.post(url, {"programme": freedom.pk})
    assert refused.status_code == 400
    assert "She is already on this programme (waiting for a place)." in refused.content.decode()
    assert RecoveryPlace.objects.count() == 1


@pytest.fixture
def waiting_list(idva_service, workers, freedom, womens_aid, county):
    """Three IDVA cases waiting for the Freedom Programme (added 30, 20 and 10 days ago),
    and one of the women's aid's own; a course of 2 places, one of them offered."""
    from carepath.casework.models import Service
    from carepath.core.codes import Role
    from carepath.core.services import staff_create

    now = datetime.now(UTC)
    own_service = Service.objects.create(agency=womens_aid, name="Northtown outreach", kind="outreach")
    facilitator = staff_create(username="facilitator", agency=womens_aid, role=Role.CASEWORKER, password="x" * 20)
    cases = [_case(idva_service, workers["kim"], n, risk=risk) for n, risk in ((10, "high"), (11, "medium"), (12, ""))]
    cases.append(_case(own_service, None, 13, risk="medium"))
    places = [
        RecoveryPlace.objects.create(
            case=c,
            programme=freedom,
            added_at=now - timedelta(days=days),
            added_by=workers["kim"].user,
            status_at=now,
        )
        for c, days in zip(cases, (20, 30, 10, 25), strict=True)
    ]
    course = RecoveryCourse.objects.create(programme=freedom, starts_on=TODAY + timedelta(days=14), places=2)
    offered = _case(idva_service, workers["kim"], 14)
    RecoveryPlace.objects.create(
        case=offered,
        programme=freedom,
        course=course,
        status=recovery.OFFERED,
        added_at=now - timedelta(days=60),
        added_by=workers["kim"].user,
        status_at=now,
    )
    return {"cases": cases, "places": places, "course": course, "facilitator": facilitator, "offered": offered}


def test_the_programmes_agency_sees_the_waiting_list_in_fair_order_without_names(waiting_list, freedom, login):
    facilitator = waiting_list["facilitator"]
    response = login(facilitator).get(reverse("casework_recovery_programme", args=[freedom.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    c = waiting_list["cases"]
    # Longest waiting first: 30 days (case 11), 25 (its own), 20, then 10.
    order = [html.index(f"Case {case.pk}") for case in (c[1], c[3], c[0], c[2])]
    assert order == sorted(order)
    assert ">30<" in html and ">10<" in html and "Medium risk" in html and "Risk not recorded" in html
    # Named only where her agency holds the case: its own outreach case, not the IDVA's.
    assert "Victim13 Quillfeather" in html
    assert "Victim10" not in html and "Victim11" not in html and "Victim14" not in html
    # The course of 2 places has one offered: 1 left; each waiting case can be offered it.
    assert "1 left" in html and html.count("Offer<span") == 4
    listed = AccessLog.objects.filter(user=facilitator, action=AccessAction.LISTED, content_type__model="person")
    assert set(listed.values_list("object_id", flat=True)) == {
        *(case.victim_id for case in c),
        waiting_list["offered"].victim_id,
    }
    # Offering from the page: the first in the queue takes the last place; the course is full.
    first = waiting_list["places"][1]
    login(facilitator).post(
        reverse("casework_recovery_place_offer", args=[first.pk]),
        {f"place{first.pk}-course": waiting_list["course"].pk},
    )
    first.refresh_from_db()
    assert first.status == recovery.OFFERED
    html = login(facilitator).get(reverse("casework_recovery_programme", args=[freedom.pk])).content.decode()
    assert "Full" in html and "Offer<span" not in html


def test_the_idva_manager_sees_her_own_cases_named_and_finds_the_programmes(waiting_list, freedom, workers, login):
    manager = login(workers["manager"].user)
    allocate = manager.get(reverse("casework_allocate")).content.decode()
    assert reverse("casework_recovery_programmes") in allocate
    index = manager.get(reverse("casework_recovery_programmes")).content.decode()
    assert "Freedom Programme, Northtown" in index and ">4<" in index  # four waiting
    html = manager.get(reverse("casework_recovery_programme", args=[freedom.pk])).content.decode()
    assert "Victim10 Quillfeather" in html and "Victim13" not in html  # the outreach case is not hers
    # She may offer her service's cases a place, not the outreach service's.
    assert html.count("Offer<span") == 3


def test_an_uninvolved_agency_is_refused_the_programme_as_a_missing_one(waiting_list, freedom, staff, login):
    outsider = login(staff["outsider"])
    existing = outsider.get(reverse("casework_recovery_programme", args=[freedom.pk]))
    missing = outsider.get(reverse("casework_recovery_programme", args=[987_654]))
    assert existing.status_code == missing.status_code == 404
    assert b"Quillfeather" not in existing.content
    assert AccessLog.objects.filter(user=staff["outsider"], action=AccessAction.REFUSED).count() == 2
    assert outsider.get(reverse("casework_recovery_programmes")).status_code == 403
    place = waiting_list["places"][0]
    offer = outsider.post(
        reverse("casework_recovery_place_offer", args=[place.pk]),
        {f"place{place.pk}-course": waiting_list["course"].pk},
    )
    assert offer.status_code == 404
    place.refresh_from_db()
    assert place.status == recovery.WAITING


def test_the_running_agency_adds_a_course_and_nobody_else_can(waiting_list, freedom, workers, county, login):
    facilitator = login(waiting_list["facilitator"])
    url = reverse("casework_recovery_course_add", args=[freedom.pk])
    starts = TODAY + timedelta(days=21)
    bad = facilitator.post(url, {"starts_on": "31/02/2027", "weeks": "0", "places": "500"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "Enter a real date" in html and "places, 1 to 60" in html
    done = facilitator.post(
        url,
        {"starts_on": starts.strftime("%d/%m/%Y"), "weeks": "10", "places": "12", "district": county["district"].pk},
    )
    assert done.status_code == 302
    course = RecoveryCourse.objects.get(programme=freedom, starts_on=starts)
    assert (course.weeks, course.places, course.district) == (10, 12, county["district"])
    html = facilitator.get(reverse("casework_recovery_programme", args=[freedom.pk])).content.decode()
    assert "Add a course" in html and ">12<" in html
    # The IDVA manager sees the programme but does not run it: no form, and a post is refused.
    manager = login(workers["manager"].user)
    assert "Add a course" not in manager.get(reverse("casework_recovery_programme", args=[freedom.pk])).content.decode()
    assert (
        manager.post(url, {"starts_on": starts.strftime("%d/%m/%Y"), "weeks": "10", "places": "12"}).status_code == 404
    )
    assert RecoveryCourse.objects.filter(programme=freedom).count() == 2
    # A course is added to run: not one that started yesterday.
    from carepath.casework.recovery_services import recovery_course_add

    with pytest.raises(ValidationError, match="today or later"):
        recovery_course_add(
            programme=freedom,
            user=waiting_list["facilitator"],
            starts_on=TODAY - timedelta(days=1),
            weeks=10,
            places=12,
        )


# Recovery uptake ------------------------------------------------------------------------


@pytest.fixture
def closed_cases(idva_service, workers, freedom):
    """Six IDVA cases and their places on recovery programmes, counted by hand below."""
    toolkit = RecoveryProgramme.objects.create(agency=freedom.agency, name="Recovery Toolkit", kind="recovery_toolkit")
    in_q1 = datetime(2026, 2, 10, 12, tzinfo=UTC)
    cases = {
        "completed": _case(idva_service, workers["kim"], 20, status=rules.CLOSED, closed_at=in_q1),
        "waiting": _case(idva_service, workers["kim"], 21, status=rules.CLOSED, closed_at=in_q1),
        "left_early": _case(idva_service, workers["kim"], 22, status=rules.CLOSED, closed_at=in_q1),
        "none": _case(idva_service, workers["kim"], 23, status=rules.CLOSED, closed_at=in_q1),
        "closed_2025": _case(
            idva_service, workers["kim"], 24, status=rules.CLOSED, closed_at=datetime(2025, 12, 1, tzinfo=UTC)
        ),
        "open": _case(idva_service, workers["kim"], 25, status=rules.ONGOING),
    }
    for key, programme, status in (
        ("completed", freedom, recovery.COMPLETED),
        ("waiting", freedom, recovery.WAITING),
        ("left_early", freedom, recovery.LEFT_EARLY),
        ("left_early", toolkit, recovery.DECLINED),
        ("closed_2025", freedom, recovery.COMPLETED),
        ("open", freedom, recovery.STARTED),
    ):
        RecoveryPlace.objects.create(
            case=cases[key],
            programme=programme,
            status=status,
            added_at=in_q1,
            added_by=workers["kim"].user,
            status_at=in_q1,
        )
    return cases


Q1 = measures.period_from_code("2026Q1")
NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)


def test_recovery_uptake_equals_the_hand_count(idva_service, closed_cases):
    rows = selectors.performance_case_rows(service_ids=[idva_service.pk], period=Q1)
    uptake = measures.recovery_uptake(rows, Q1, NOW)
    # Closed in January to March: completed, waiting, left early, none (not the one closed
    # in 2025, nor the open one). Stepped down: 3; started a course: 2 (completed, left
    # early); completed: 1.
    assert uptake == measures.RecoveryUptake(closed=4, stepped_down=3, started=2, completed=1)
    assert (uptake.stepped_down_rate, uptake.started_rate, uptake.completed_rate) == (3 / 4, 2 / 3, 1 / 2)
    behind = lambda measure: sorted(measures.cases_behind(rows, measure=measure, period=Q1, now=NOW))  # noqa: E731
    c = closed_cases
    assert behind("recovery_added") == sorted(c[k].pk for k in ("completed", "waiting", "left_early"))
    assert behind("recovery_started") == sorted(c[k].pk for k in ("completed", "left_early"))
    assert behind("recovery_completed") == [c["completed"].pk]


def test_the_performance_page_shows_recovery_uptake_with_the_cases_behind_it(closed_cases, workers, login):
    manager = login(workers["manager"].user)
    html = manager.get(reverse("casework_performance"), {"period": "2026Q1"}).content.decode()
    section = html.split("Recovery uptake")[1]
    assert "Stepped down to a recovery programme, of those closed" in section
    assert "75%" in section and "67%" in section and "50%" in section
    link = reverse("casework_performance_cases")
    assert "measure=recovery_added" in section
    listed = manager.get(
        link, {"service": closed_cases["none"].service_id, "period": "2026Q1", "measure": "recovery_started"}
    ).content.decode()
    assert "Closed in the period and started a recovery course" in listed
    assert f">{closed_cases['completed'].pk}<" in listed and f">{closed_cases['left_early'].pk}<" in listed
    assert f">{closed_cases['waiting'].pk}<" not in listed and "Quillfeather" not in listed

"""Step-down to recovery programmes: the rules of a place and a course; putting her on a
waiting list, offering a place and moving it on (and the refusals: not twice, not beyond
a course's places, only her worker or manager); the programme's page with its waiting
list, refused to an uninvolved agency; and the recovery uptake figure against a hand count."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carepath.casework import recovery, rules
from carepath.casework.models import Case, CaseSource, RecoveryCourse, RecoveryPlace, RecoveryProgramme
from carepath.casework.recovery_services import recovery_place_add, recovery_place_move, recovery_place_offer
from carepath.core.models import Agency, AgencyType
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

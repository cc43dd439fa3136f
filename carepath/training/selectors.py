"""Reads of the champions network: the champions directory, sessions and registers, each
trainee's training and when it lapses, and the figures of the network's report."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from carepath.configuration.definitions import PartnershipSettings
from carepath.core.models import Agency
from carepath.training import rules
from carepath.training.models import AttendanceStatus, Booking, Champion, CourseKind, Session, Trainee


def months_current(settings: PartnershipSettings) -> dict[str, int]:
    """How long each kind of course keeps training current, from the partnership's settings."""
    return {
        CourseKind.FOUNDATION: settings.training_foundation_current_months,
        CourseKind.DASH: settings.training_dash_current_months,
        CourseKind.TIER_TWO: settings.training_tier_two_current_months,
        CourseKind.REFRESHER: settings.training_refresher_current_months,
    }


def champions_search(*, text: str = "", agency_id: int | None = None, on: date, current_only: bool = True) -> QuerySet:
    found = Champion.objects.select_related("agency")
    if current_only:
        found = found.filter(champion_from__lte=on).filter(Q(champion_until__isnull=True) | Q(champion_until__gte=on))
    if agency_id:
        found = found.filter(agency_id=agency_id)
    for word in text.split():
        found = found.filter(
            Q(name__icontains=word)
            | Q(team__icontains=word)
            | Q(job_title__icontains=word)
            | Q(agency__name__icontains=word)
        )
    return found


def agency_choices() -> list[tuple[int, str]]:
    return list(Agency.objects.order_by("name").values_list("pk", "name"))


def report_agency_for(user) -> int | None:
    """The agency the report opens on: the user's own when it has champions, else the
    agency with the most (a co-ordinator's own office has none)."""
    if Champion.objects.filter(agency_id=user.agency_id).exists():
        return user.agency_id
    return (
        Champion.objects.values("agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency_id")
        .values_list("agency_id", flat=True)
        .first()
    ) or user.agency_id


def sessions_list() -> QuerySet:
    return Session.objects.select_related("course").annotate(
        booked=Count("bookings", filter=~Q(bookings__status=AttendanceStatus.CANCELLED)),
        attended=Count("bookings", filter=Q(bookings__status=AttendanceStatus.ATTENDED)),
    )


def register_of(session: Session) -> QuerySet:
    return session.bookings.select_related("trainee__agency")


@dataclass(frozen=True)
class TraineeTraining:
    trainee: Trainee
    last_course: str
    last_attended: date
    current_to: date
    due: rules.RefresherDue


def trainees_training(*, settings: PartnershipSettings, today: date, agency_id: int | None = None) -> list:
    """Each trainee who attended a session, with the day their training stays current to
    (the latest of their sessions' ``current_until``) and when their refresher is due."""
    months = months_current(settings)
    attended = Booking.objects.filter(status=AttendanceStatus.ATTENDED).select_related(
        "trainee__agency", "session__course"
    )
    if agency_id:
        attended = attended.filter(trainee__agency_id=agency_id)
    best: dict[int, tuple] = {}
    for booking in attended:
        session = booking.session
        until = rules.current_until(attended_on=session.held_on, months=months[session.course.kind])
        if booking.trainee_id not in best or until > best[booking.trainee_id][2]:
            best[booking.trainee_id] = (booking.trainee, session, until)
    found = [
        TraineeTraining(
            trainee,
            session.course.name,
            session.held_on,
            until,
            rules.refresher_due(current_to=until, today=today, warning_days=settings.training_refresher_warning_days),
        )
        for trainee, session, until in best.values()
    ]
    return sorted(found, key=lambda t: (t.due.due_on, t.trainee.name))


def refreshers_due(*, settings: PartnershipSettings, today: date) -> list[TraineeTraining]:
    """Trainees whose training has lapsed or lapses within the warning window."""
    return [t for t in trainees_training(settings=settings, today=today) if t.due.overdue or t.due.due_soon]


def network_report(*, agency_id: int, periods: list[rules.Period]) -> list[rules.ReportRow]:
    """The report's rows for one agency (definitions in ``rules``)."""
    from carepath.configuration.selectors import partnership_settings_get
    from carepath.referrals.selectors import referrals_made_by

    months = months_current(partnership_settings_get())
    first, last = periods[0].first, periods[-1].last
    terms = Champion.objects.filter(agency_id=agency_id).values_list("champion_from", "champion_until")
    currency: dict[int, list] = defaultdict(list)
    for trainee_id, held_on, kind in Booking.objects.filter(
        trainee__agency_id=agency_id, status=AttendanceStatus.ATTENDED, session__held_on__lte=last
    ).values_list("trainee_id", "session__held_on", "session__course__kind"):
        currency[trainee_id].append((held_on, rules.current_until(attended_on=held_on, months=months[kind])))
    return rules.network_report(
        periods=periods,
        champion_terms=list(terms),
        trainee_currency=currency,
        referrals=referrals_made_by(agency_id=agency_id, first=first, last=last),
    )

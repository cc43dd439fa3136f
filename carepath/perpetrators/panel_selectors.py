"""Reads for the serial and repeat perpetrator panel: the ranked list from the events a user
may see, the meetings and their agendas, the plans, and the flag on a victim's case.

A person is ``identity_key or pk`` (``Person.identity``): records linked as one person
count once, as victims and as perpetrators. The heavy lifting is in the database: one pass
over the events in the look-back keeps only men with enough of them, and brings back their
events' few columns; the rules themselves are ``ranking``'s.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.models import User
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.people.selectors import person_key
from carepath.perpetrators import ranking
from carepath.perpetrators.models import PanelMeeting, PerpetratorPlan, PlanStatus


@dataclass(frozen=True)
class PanelRow:
    """One perpetrator on the panel: his entry, and the record to name him by (the
    perpetrator's record on his latest event the user may see)."""

    entry: ranking.PanelEntry
    person_id: int


def panel_settings() -> ranking.PanelSettings:
    return ranking.PanelSettings.from_partnership(partnership_settings_get())


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# Written out because the ORM cannot say it fast: a person key is ``identity_key or pk``, and
# joining only the linked records (few, found by their index) is what keeps a national year
# quick; the ORM joins a victim's record with an inner join, every record of millions. The
# window count keeps only men with enough events in one pass over the events. The order puts
# each man's rows together, his latest (by day, then record) last. ("day [date]" is how
# SQLite is told to return a date rather than text; to PostgreSQL it is only a name.)
_RANKED_SQL = """
WITH inside (perpetrator_id, victim_id, day, is_crime, risk_level) AS ({events}),
keyed AS (
    SELECT inside.*, COALESCE(him.identity_key, inside.perpetrator_id) AS perpetrator_key
    FROM inside LEFT JOIN {people} him ON him.id = inside.perpetrator_id AND him.identity_key IS NOT NULL
),
counted AS (SELECT keyed.*, COUNT(*) OVER (PARTITION BY perpetrator_key) AS his_events FROM keyed)
SELECT counted.perpetrator_key, counted.perpetrator_id, counted.day AS "day [date]",
    COALESCE(her.identity_key, counted.victim_id), counted.is_crime, counted.risk_level
FROM counted LEFT JOIN {people} her ON her.id = counted.victim_id AND her.identity_key IS NOT NULL
WHERE counted.his_events >= %s
ORDER BY counted.perpetrator_key, counted.day, counted.perpetrator_id
"""


def _group(rows) -> tuple[dict[int, list[tuple]], dict[int, int]]:
    """His events by his key, and the record on his latest event (the rows come in order).
    Each event is the row's last four columns, in ``ranking.PanelEvent``'s order."""
    events: dict[int, list[tuple]] = {}
    named_by: dict[int, int] = {}
    for key, rows_of_his in groupby(rows, itemgetter(0)):
        his = list(rows_of_his)
        events[key] = [row[2:] for row in his]
        named_by[key] = his[-1][1]
    return events, named_by


def _rows(events: QuerySet, *, first: date, last: date, settings: ranking.PanelSettings) -> list[tuple]:
    """The rows of the men with enough events from ``first`` to ``last`` (both included),
    in order (``_RANKED_SQL``)."""
    inside = (
        events.filter(
            perpetrator__isnull=False,
            occurred_at__gte=_day_start(first),
            occurred_at__lt=_day_start(last + timedelta(days=1)),
        )
        .order_by()
        .values_list("perpetrator_id", "victim_id", TruncDate("occurred_at"), "is_crime", "risk_level")
    )
    sql, params = inside.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # For this one statement: compiling it to machine code (JIT) costs more than it
            # saves, and its sorts of a national year fit in memory (measured: about 1 s).
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(_RANKED_SQL.format(events=sql, people=Person._meta.db_table), (*params, settings.fewest_events))
        return cursor.fetchall()


def _ranked(events: QuerySet, *, today: date, settings: ranking.PanelSettings) -> list[PanelRow]:
    rows = _rows(events, first=settings.window_start(today), last=today, settings=settings)
    by_perpetrator, named_by = _group(rows)
    return [
        PanelRow(entry, named_by[entry.perpetrator])
        for entry in ranking.rank(by_perpetrator, today=today, settings=settings)
    ]


class PerpetratorHistories:
    """The events of every man with enough of them from ``first`` to ``last``, read once, to
    say whether any of them was a serial or repeat perpetrator as of any day in that span
    whose look-back it holds: the board's count (issue 18). Each man is flagged when asked,
    once a day, so a count over the men of one period costs only theirs."""

    def __init__(self, events: QuerySet, *, first: date, last: date):
        self.settings = panel_settings()
        self._events, _ = _group(_rows(events, first=first, last=last, settings=self.settings))
        self._flags: dict[date, dict[int, tuple[bool, bool]]] = {}

    def flags(self, perpetrator: int, *, on: date) -> tuple[bool, bool]:
        """(serial, repeat) of the man with this person key as of ``on``."""
        known = self._flags.setdefault(on, {})
        if perpetrator not in known:
            his = self._events.get(perpetrator)
            known[perpetrator] = (False, False) if his is None else ranking.flags(his, today=on, settings=self.settings)
        return known[perpetrator]


def panel_ranked(*, user, today: date | None = None) -> list[PanelRow]:
    """The panel's ranked list from the events the user's agency may see."""
    today = today or timezone.localdate()
    return _ranked(access.records_visible_to(user, Event), today=today, settings=panel_settings())


def _with_key(plans: QuerySet) -> QuerySet:
    return plans.annotate(perpetrator_key=person_key("perpetrator"))


def plans_visible(*, user) -> QuerySet:
    return _with_key(access.records_visible_to(user, PerpetratorPlan)).select_related("perpetrator", "owner", "meeting")


def keys_with_an_active_plan(*, user, keys) -> set[int]:
    """Which of these perpetrators already have an active plan the user's agency may see."""
    return set(
        plans_visible(user=user)
        .filter(status=PlanStatus.ACTIVE, perpetrator_key__in=list(keys))
        .values_list("perpetrator_key", flat=True)
    )


def plans_due(*, user, by: date) -> QuerySet:
    """Active plans whose review falls on or before ``by`` (overdue ones too)."""
    return plans_visible(user=user).filter(status=PlanStatus.ACTIVE, review_on__lte=by).order_by("review_on", "pk")


def plans_due_count(user) -> int:
    """The home queue's count: active plans to review within 7 days, or overdue."""
    by = timezone.localdate() + timedelta(days=7)
    return access.records_visible_to(user, PerpetratorPlan).filter(status=PlanStatus.ACTIVE, review_on__lte=by).count()


def meetings_visible(*, user) -> QuerySet:
    """The panel's meetings the user's agency holds (the police force that runs them)."""
    if not user.is_authenticated or user.agency_id is None:
        return PanelMeeting.objects.none()
    return PanelMeeting.objects.filter(agency_id=user.agency_id)


def meeting_agenda(*, user, meeting: PanelMeeting) -> dict:
    """A meeting's agenda: the ranked perpetrators without an active plan, as of the
    meeting's day (or today, for one still to come), and the plans due for review by then."""
    day = min(timezone.localdate(meeting.starts_at), timezone.localdate())
    ranked = panel_ranked(user=user, today=day)
    planned = keys_with_an_active_plan(user=user, keys=[r.entry.perpetrator for r in ranked])
    return {
        "unplanned": [r for r in ranked if r.entry.perpetrator not in planned],
        "reviews": list(plans_due(user=user, by=timezone.localdate(meeting.starts_at))),
    }


def plan_owners(*, user) -> QuerySet:
    """Who may own a plan the user makes: active staff of the user's agency."""
    return User.objects.filter(agency_id=user.agency_id, is_active=True).order_by("first_name", "last_name", "username")


def panel_flags_for_victim(person_ids) -> dict[str, bool]:
    """Whether anyone who harmed her (on events against any of her linked records) is a
    serial or a repeat perpetrator: two flags, nothing about his other victims."""
    ids = list(person_ids)
    keys = set(
        Event.objects.filter(victim_id__in=ids, perpetrator__isnull=False)
        .annotate(key=person_key("perpetrator"))
        .values_list("key", flat=True)
    )
    if not keys:
        return {"serial": False, "repeat": False}
    his = Event.objects.filter(Q(perpetrator_id__in=keys) | Q(perpetrator__identity_key__in=keys))
    entries = [row.entry for row in _ranked(his, today=timezone.localdate(), settings=panel_settings())]
    return {"serial": any(e.serial for e in entries), "repeat": any(e.repeat for e in entries)}


def plan_people(plan: PerpetratorPlan):
    return [(plan.perpetrator_id, "Perpetrator")]


def plan_involvement(agency_id: int) -> Q:
    """The agency of the plan's owner or of the one who made it holds the plan."""
    return Q(owner__agency_id=agency_id) | Q(created_by__agency_id=agency_id)

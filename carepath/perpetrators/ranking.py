"""The serial and repeat perpetrator panel: who is on it, and in what order.

Pure Python, no Django: a board or a data-protection officer can read the rules here.

Who is on the panel (domain.md "Routing"; "Defaults for the pathway beyond the front door";
references.md "MATAC"):

- a **serial perpetrator** has harmed ``serial_min_victims`` (2) or more distinct victims
  within the look-back (``window_days``, 1095: three years). Victims are counted as people:
  records linked as one person count once (the caller passes each victim's person key);
- a **repeat perpetrator** has ``repeat_min_events`` (2) or more events against ONE victim
  within ``repeat_window_days`` (365: twelve months) of each other, inside the look-back.

The order (references.md "MATAC": a recency, frequency and gravity score, sometimes with the
number of victims), over his events in the look-back:

- R, recency: ``recency_months`` less the whole months since his latest event (never below 0);
- F, frequency: his events;
- G, gravity: for each event, its points as a crime or a non-crime incident, plus points for
  the victim's risk level (high or medium; standard or not assessed adds none);
- V, victims: the distinct victims;
- score = wR x R + wF x F + wG x G + wV x V, the weights configurable.

Highest score first; then more victims; then the most recent latest event.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

HIGH = "high"
MEDIUM = "medium"


class PanelEvent(NamedTuple):
    """One of his events: when, against whom (her person key), crime or not, her risk level.
    (A tuple: a national year makes hundreds of thousands of them.)"""

    on: date
    victim: int
    is_crime: bool
    risk_level: str | None = None


@dataclass(frozen=True)
class PanelSettings:
    """The partnership's settings for the panel (``configuration.definitions``)."""

    window_days: int = 1095
    serial_min_victims: int = 2
    repeat_min_events: int = 2
    repeat_window_days: int = 365
    recency_months: int = 12
    recency_weight: Decimal = Decimal("1")
    frequency_weight: Decimal = Decimal("1")
    gravity_weight: Decimal = Decimal("1")
    victims_weight: Decimal = Decimal("5")
    crime_points: int = 2
    non_crime_points: int = 1
    high_risk_points: int = 3
    medium_risk_points: int = 1

    @classmethod
    def from_partnership(cls, settings) -> "PanelSettings":
        """From the partnership's settings object (its ``perpetrator_*`` attributes)."""
        return cls(
            window_days=settings.perpetrator_panel_window_days,
            serial_min_victims=settings.serial_perpetrator_min_victims,
            repeat_min_events=settings.repeat_perpetrator_min_events,
            repeat_window_days=settings.repeat_perpetrator_window_days,
            recency_months=settings.perpetrator_recency_months,
            recency_weight=Decimal(settings.perpetrator_recency_weight),
            frequency_weight=Decimal(settings.perpetrator_frequency_weight),
            gravity_weight=Decimal(settings.perpetrator_gravity_weight),
            victims_weight=Decimal(settings.perpetrator_victims_weight),
            crime_points=settings.perpetrator_gravity_crime_points,
            non_crime_points=settings.perpetrator_gravity_non_crime_points,
            high_risk_points=settings.perpetrator_gravity_high_risk_points,
            medium_risk_points=settings.perpetrator_gravity_medium_risk_points,
        )

    @property
    def fewest_events(self) -> int:
        """The fewest events in the look-back that can put anyone on the panel."""
        return min(self.serial_min_victims, self.repeat_min_events)

    def window_start(self, today: date) -> date:
        """The first day of the look-back (inclusive)."""
        return today - timedelta(days=self.window_days)


@dataclass(frozen=True, slots=True)
class PanelEntry:
    """One perpetrator's flags and score, with the score's parts."""

    perpetrator: int
    serial: bool
    repeat: bool
    recency: int
    frequency: int
    gravity: int
    victims: int
    latest: date
    score: Decimal

    @property
    def listed(self) -> bool:
        return self.serial or self.repeat


def whole_months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (0 within the first month)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(0, months)


def _repeated(dates: list[date], *, least: int, within_days: int) -> bool:
    """Whether ``least`` of the (sorted) dates fall within ``within_days`` of each other."""
    span = timedelta(days=within_days)
    return any(dates[i + least - 1] - dates[i] <= span for i in range(len(dates) - least + 1))


def _any_repeat(by_victim: Mapping[int, list[date]], settings: PanelSettings) -> bool:
    least = settings.repeat_min_events
    return any(
        _repeated(sorted(dates), least=least, within_days=settings.repeat_window_days)
        for dates in by_victim.values()
        if len(dates) >= least
    )


def flags(events: Iterable[PanelEvent], *, today: date, settings: PanelSettings) -> tuple[bool, bool]:
    """(serial, repeat) from his events in the look-back, by the same rules as ``assess``
    without the score: the board's count of serial and repeat perpetrators."""
    start = settings.window_start(today)
    by_victim: dict[int, list[date]] = {}
    for on, victim, *_ in events:
        if start <= on <= today:
            by_victim.setdefault(victim, []).append(on)
    return len(by_victim) >= settings.serial_min_victims, _any_repeat(by_victim, settings)


def assess(
    perpetrator: int, events: Iterable[PanelEvent], *, today: date, settings: PanelSettings
) -> PanelEntry | None:
    """His flags and score from his events in the look-back; None when he has none there.
    (Any 4-tuples in ``PanelEvent``'s order will do: a national year passes plain tuples.)"""
    start = settings.window_start(today)
    by_victim: dict[int, list[date]] = {}
    frequency = gravity = 0
    latest = None
    # Gravity's points (the module's docstring); this loop runs once per event of a national year.
    crime, non_crime = settings.crime_points, settings.non_crime_points
    risk_points = {HIGH: settings.high_risk_points, MEDIUM: settings.medium_risk_points}
    for on, victim, is_crime, risk_level in events:
        if on < start or on > today:
            continue
        dates = by_victim.get(victim)
        if dates is None:
            by_victim[victim] = [on]
        else:
            dates.append(on)
        frequency += 1
        gravity += (crime if is_crime else non_crime) + risk_points.get(risk_level, 0)
        if latest is None or on > latest:
            latest = on
    if latest is None:
        return None
    repeat = _any_repeat(by_victim, settings)
    recency = max(0, settings.recency_months - whole_months_between(latest, today))
    victims = len(by_victim)
    score = (
        settings.recency_weight * recency
        + settings.frequency_weight * frequency
        + settings.gravity_weight * gravity
        + settings.victims_weight * victims
    )
    return PanelEntry(
        perpetrator=perpetrator,
        serial=victims >= settings.serial_min_victims,
        repeat=repeat,
        recency=recency,
        frequency=frequency,
        gravity=gravity,
        victims=victims,
        latest=latest,
        score=score,
    )


def rank(
    events_by_perpetrator: Mapping[int, Iterable[PanelEvent]], *, today: date, settings: PanelSettings
) -> list[PanelEntry]:
    """The panel's list: only serial or repeat perpetrators, highest score first, then the
    most victims, then the most recent latest event (then his key, so the order is stable)."""
    entries = [
        entry
        for perpetrator, events in events_by_perpetrator.items()
        if (entry := assess(perpetrator, events, today=today, settings=settings)) is not None and entry.listed
    ]
    entries.sort(key=lambda e: (e.score, e.victims, e.latest, -e.perpetrator), reverse=True)
    return entries

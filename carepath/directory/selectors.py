"""Reads of the directory: the public's entries (checked recently), searches with filters,
an owner's entries to check, and the entries that match a referral for signposting."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from carepath.configuration.selectors import partnership_settings_get
from carepath.directory import hours
from carepath.directory.models import AccessRoute, Area, Entry, OpeningHours, WhoFor, who_for_field
from carepath.triage.deadlines import LONDON, is_bank_holiday


@dataclass(frozen=True)
class Staleness:
    """The days from the partnership's settings: hidden after ``stale_days`` unchecked, due
    for checking ``due_days`` before that."""

    stale_days: int
    due_days: int

    def hidden_before(self, today: date) -> date:
        """Entries last checked before this day are hidden from the public."""
        return today - timedelta(days=self.stale_days)

    def due_before(self, today: date) -> date:
        """Entries last checked before this day are due for checking."""
        return today - timedelta(days=self.stale_days - self.due_days)

    def hidden_on(self, entry: Entry) -> date:
        return entry.last_checked_on + timedelta(days=self.stale_days)


def staleness() -> Staleness:
    settings = partnership_settings_get()
    return Staleness(stale_days=settings.directory_stale_days, due_days=settings.directory_check_due_days)


@dataclass(frozen=True)
class Search:
    """What someone looks for: every ``who_for`` group must be served (a man aged 16 or 17
    finds services for men that take 16 and 17 year olds)."""

    district_id: int | None = None
    who_for: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    access_route: str = ""
    open_now: bool = False
    language: str = ""
    text: str = ""
    include_stale: bool = False
    now: datetime | None = None
    today: date | None = None


def _with_hours(entries: QuerySet) -> QuerySet:
    return entries.prefetch_related(Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens")))


def open_at(moment: datetime) -> Q:
    """Entries open at ``moment`` (London time), as a filter: the same rule as
    ``hours.is_open``, in the database so a search of thousands stays fast."""
    local = moment.astimezone(LONDON)
    today, clock = local.date(), local.time()
    yesterday = today - timedelta(days=1)

    def day_counts(day: date) -> Q:
        return Q() if not is_bank_holiday(day) else Q(entry__open_bank_holidays=True)

    # Today's openings that have started: until later today, or running past midnight.
    todays = Q(weekday=today.weekday(), opens__lte=clock) & (Q(closes__gt=clock) | Q(closes__lte=F("opens")))
    # Yesterday's openings running past midnight that have not yet closed.
    overnight = Q(weekday=yesterday.weekday(), closes__lte=F("opens"), closes__gt=clock)
    opening = OpeningHours.objects.filter(entry=OuterRef("pk")).filter(
        (todays & day_counts(today)) | (overnight & day_counts(yesterday))
    )
    return Q(open_24_hours=True) | Q(Exists(opening))


def search(criteria: Search) -> QuerySet:
    """Entries matching every filter given, by name."""
    entries = Entry.objects.all()
    if not criteria.include_stale:
        today = criteria.today or datetime.now(LONDON).date()
        entries = entries.filter(last_checked_on__gte=staleness().hidden_before(today))
    if criteria.district_id:
        entries = entries.filter(
            Q(area__in=[Area.COUNTY, Area.NATIONAL])
            | Q(Exists(Entry.districts.through.objects.filter(entry=OuterRef("pk"), district=criteria.district_id)))
        )
    for code in criteria.who_for:
        if code in WhoFor.values:
            entries = entries.filter(**{who_for_field(code): True})
    if criteria.kinds:
        entries = entries.filter(kind__in=criteria.kinds)
    if criteria.access_route in (AccessRoute.SELF, AccessRoute.PROFESSIONAL):
        entries = entries.filter(access_route__in=[criteria.access_route, AccessRoute.BOTH])
    if criteria.language:
        entries = entries.filter(languages__icontains=criteria.language.strip())
    if criteria.text:
        for word in criteria.text.split()[:8]:
            entries = entries.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if criteria.open_now:
        entries = entries.filter(open_at(criteria.now or datetime.now(LONDON)))
    return _with_hours(entries).order_by("name", "pk")


def entries_public(criteria: Search) -> QuerySet:
    """What the public pages show: never a stale entry, whatever is asked."""
    return search(Search(**{**criteria.__dict__, "include_stale": False}))


def entry_public(entry_id: int, *, today: date) -> Entry | None:
    return (
        _with_hours(Entry.objects.filter(pk=entry_id, last_checked_on__gte=staleness().hidden_before(today)))
        .prefetch_related("districts")
        .first()
    )


def week_of(entry: Entry) -> hours.Week:
    return hours.Week(
        openings=tuple(hours.Opening(h.weekday, h.opens, h.closes) for h in entry.hours.all()),
        always_open=entry.open_24_hours,
        open_bank_holidays=entry.open_bank_holidays,
    )


@dataclass(frozen=True)
class Listed:
    """An entry as a list shows it: its hours in words and whether it is open now."""

    entry: Entry
    open_now: bool
    status: str


def listed(entries, *, now: datetime) -> list[Listed]:
    rows = []
    for entry in entries:
        week = week_of(entry)
        rows.append(Listed(entry=entry, open_now=hours.is_open(week, now), status=hours.status_words(week, now)))
    return rows


def entries_to_check(*, user, today: date) -> QuerySet:
    """The user's own entries due for checking or already hidden, the oldest check first."""
    return Entry.objects.filter(owner=user, last_checked_on__lt=staleness().due_before(today)).order_by(
        "last_checked_on", "name"
    )


def signpost_search(referral) -> Search:
    """The search for a referral's ``signpost_universal`` task: services in the victim's
    district for her risk level and the groups her record shows (men, 16 and 17 year olds).
    Only what the referral records: the worker widens the search with her."""
    from carepath.people.models import GenderIdentity

    who_for = []
    risk = {"standard": WhoFor.STANDARD_RISK, "medium": WhoFor.MEDIUM_RISK, "high": WhoFor.HIGH_RISK}.get(
        referral.risk_level or ""
    )
    if risk:
        who_for.append(risk)
    victim = referral.victim
    if victim is not None:
        gender = getattr(victim, "gender_identity", "")
        if gender == GenderIdentity.MAN:
            who_for.append(WhoFor.MEN)
        elif gender == GenderIdentity.WOMAN:
            who_for.append(WhoFor.WOMEN)
        elif gender == GenderIdentity.NON_BINARY:
            who_for.append(WhoFor.TRANS_NON_BINARY)
        born = victim.date_of_birth
        if born is not None:
            day = referral.received_at.date()
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            if age in (16, 17):
                who_for.append(WhoFor.AGED_16_17)
    return Search(district_id=referral.district_id, who_for=tuple(who_for))


def entries_matching(*, district_id: int | None, who_for: tuple[str, ...], today: date) -> QuerySet:
    """Current entries serving the district (or all the county) and every group named."""
    return search(Search(district_id=district_id, who_for=who_for, today=today))


def signpost_link(referral, *, today: date) -> dict:
    """For the front door's signposting task: the directory search for the referral (its
    address) and how many current entries it finds."""
    from urllib.parse import urlencode

    from django.urls import reverse

    criteria = signpost_search(referral)
    query = [("who_for", code) for code in criteria.who_for]
    if criteria.district_id:
        query.insert(0, ("district", criteria.district_id))
    matches = entries_matching(district_id=criteria.district_id, who_for=criteria.who_for, today=today)
    return {"url": f"{reverse('directory_search')}?{urlencode(query)}", "count": matches.count()}

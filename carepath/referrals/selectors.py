"""Reads for referrals: the victim's history that routing needs, the triage queue, and
the referral page — always through the access rule."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.urls import reverse
from django.utils import timezone

from carepath.configuration.definitions import PartnershipSettings
from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.codes import ActionType, AgencyType, RiskLevel, Role, SharePart, TaskStatus, label
from carepath.core.models import Agency, Task
from carepath.events.models import Event
from carepath.people.models import ContactChannel
from carepath.people.safe_contact import EMAIL, LETTER, PHONE_CALL, TEXT
from carepath.people.selectors import identity_records, person_contact_channels, person_key, person_known_across
from carepath.referrals.models import OPEN_STATUSES, Destination, PoliceImport, Referral, ReferralDecision
from carepath.risk.dash import ANSWER_LABELS
from carepath.risk.selectors import checklist_get
from carepath.triage.casejson import decision_for_referrer
from carepath.triage.routing import criterion_words

User = get_user_model()


@dataclass(frozen=True)
class VictimHistory:
    events_last_12_months: int
    last_marac_referral_days_ago: int | None


NO_HISTORY = VictimHistory(events_last_12_months=0, last_marac_referral_days_ago=None)


@dataclass(frozen=True)
class PerpetratorHistory:
    """Earlier events of a perpetrator: the people they abused (identities) and, in the
    repeat window, the times of events against each."""

    victims: frozenset[int]
    recent: tuple[tuple[int, datetime], ...]


def perpetrator_history(*, identity_key: int, at: datetime, settings: PartnershipSettings) -> PerpetratorHistory:
    """Events before ``at`` in which any record linked as this person is the perpetrator
    (domain.md "Routing": serial perpetrator — distinct victims; repeat perpetrator —
    events against one victim in the window). Victims are counted as people."""
    earlier = Event.objects.filter(
        perpetrator__in=identity_records(identity_key=identity_key).values("pk"), occurred_at__lt=at
    )
    rows = earlier.values_list(person_key("victim"), "occurred_at")
    window_start = at - timedelta(days=settings.repeat_perpetrator_window_days)
    victims, recent = set(), []
    for victim, occurred in rows:
        victims.add(victim)
        if occurred >= window_start:
            recent.append((victim, occurred))
    return PerpetratorHistory(victims=frozenset(victims), recent=tuple(recent))


def victim_history(*, identity_key: int, at: datetime, settings: PartnershipSettings) -> VictimHistory:
    """Earlier events (in the escalation window) and the last MARAC referral, before
    ``at``, of every record linked as this person (domain.md "MARAC referral criteria":
    escalation and repeat count people, not records)."""
    records = identity_records(identity_key=identity_key).values("pk")
    window_start = at - timedelta(days=settings.marac_escalation_window_days)
    earlier = Event.objects.filter(victim__in=records, occurred_at__gte=window_start, occurred_at__lt=at).count()
    last_marac = (
        Referral.objects.filter(victim__in=records, destination=Destination.MARAC, received_at__lt=at)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return VictimHistory(
        events_last_12_months=earlier,
        last_marac_referral_days_ago=None if last_marac is None else (at - last_marac).days,
    )


def referrals_visible_to(user) -> QuerySet[Referral]:
    """Referrals the user's agency made or received, or was given by a share."""
    return access.records_visible_to(user, Referral)


def referral_people(referral: Referral) -> list[tuple[int, str]]:
    """Everyone a referral's page may show, with their part in it."""
    people = [(referral.victim_id, "Victim"), (referral.perpetrator_id, "Person causing harm")]
    people += [(child_id, "Child") for child_id in referral.children.values_list("child_id", flat=True)]
    return [(pk, role) for pk, role in people if pk is not None]


RISK_ORDER = SqlCase(
    When(risk_level="high", then=Value(0)),
    When(risk_level="", then=Value(1)),
    When(risk_level="medium", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


FIRST_CONTACT_ACTIONS = (
    "idva_referral",
    "caseworker_referral",
    "seek_consent",
    "dash_assessment",
    "signpost_universal",
    "victim_support_offer",
)


@dataclass(frozen=True)
class QueueFilters:
    """What a triage worker narrows the queue to; empty means everything open."""

    district_id: int | None = None
    risk: str = ""  # a level, or "none" for not assessed yet
    channel: str = ""
    received_within_days: int | None = None
    received_before_days: int | None = None
    overdue_only: bool = False
    owner: str = ""  # "mine", "nobody", or a user's id
    status: str = ""


def first_contact_due() -> Subquery:
    """The earliest open first-contact deadline of the referral (``OuterRef("pk")``)."""
    return Subquery(
        Task.objects.filter(
            content_type=ContentType.objects.get_for_model(Referral),
            object_id=OuterRef("pk"),
            status=TaskStatus.OPEN,
            action_type__in=FIRST_CONTACT_ACTIONS,
            due_at__isnull=False,
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )


def triage_open(*, user, now: datetime) -> QuerySet[Referral]:
    """Every open referral at the user's front door (new or in triage), each with whether
    its first-contact deadline is missed."""
    return (
        referrals_visible_to(user)
        .filter(receiving_agency_id=user.agency_id, status__in=OPEN_STATUSES)
        .annotate(
            overdue=SqlCase(
                When(first_contact_due_at__lt=now, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
    )


def triage_queue(*, user, filters: QueueFilters = QueueFilters(), now: datetime | None = None) -> QuerySet[Referral]:
    """The front door's open referrals: missed first-contact deadlines first across the
    whole queue, then highest risk (not yet assessed counts just below high), then oldest."""
    now = now or timezone.now()
    queue = triage_open(user=user, now=now)
    if filters.district_id:
        queue = queue.filter(district_id=filters.district_id)
    if filters.risk:
        queue = queue.filter(risk_level="" if filters.risk == "none" else filters.risk)
    if filters.channel:
        queue = queue.filter(channel=filters.channel)
    if filters.received_within_days is not None:
        queue = queue.filter(received_at__gte=now - timedelta(days=filters.received_within_days))
    if filters.received_before_days is not None:
        queue = queue.filter(received_at__lt=now - timedelta(days=filters.received_before_days))
    if filters.overdue_only:
        queue = queue.filter(first_contact_due_at__lt=now)
    if filters.owner == "mine":
        queue = queue.filter(triage_owner=user)
    elif filters.owner == "nobody":
        queue = queue.filter(triage_owner__isnull=True)
    elif filters.owner.isdigit():
        queue = queue.filter(triage_owner_id=int(filters.owner))
    if filters.status:
        queue = queue.filter(status=filters.status)
    return queue.annotate(risk_order=RISK_ORDER).order_by("-overdue", "risk_order", "received_at", "pk")


def triage_rows(*, ids: list[int], now: datetime) -> list[Referral]:
    """One page of the queue, in the queue's order: read after ordering its keys, so that
    sorting thousands of referrals carries no more than their keys and no encrypted field
    is read for rows not shown."""
    rows = (
        Referral.objects.filter(pk__in=ids)
        .select_related("victim", "referring_agency", "triage_owner", "district")
        .only(
            "channel",
            "received_at",
            "risk_level",
            "first_contact_due_at",
            "status",
            "victim__given_name",
            "victim__family_name",
            "referring_agency__name",
            "triage_owner__username",
            "triage_owner__first_name",
            "triage_owner__last_name",
            "district__name",
        )
    )
    by_id = {r.pk: r for r in rows}
    page = [by_id[pk] for pk in ids if pk in by_id]
    for referral in page:
        referral.overdue = referral.first_contact_due_at is not None and referral.first_contact_due_at < now
    return page


def triage_queue_preview(user, n: int) -> list[dict]:
    """The first ``n`` referrals of the queue, as links for the home page (no names)."""
    now = timezone.now()
    ids = list(triage_queue(user=user, now=now).values_list("pk", flat=True)[:n])
    return [
        {
            "text": f"Referral {r.pk}: "
            + (f"{RiskLevel(r.risk_level).label.lower()} risk" if r.risk_level else "risk not assessed yet")
            + f", {r.get_channel_display().lower()}",
            "url": reverse("referral_detail", args=[r.pk]),
            "due": r.first_contact_due_at,
            "overdue": r.overdue,
        }
        for r in triage_rows(ids=ids, now=now)
    ]


@dataclass(frozen=True)
class WorkerLoad:
    worker: object | None  # None: referrals nobody has taken yet
    open: int
    overdue: int
    oldest: datetime | None


def triage_team(*, user) -> QuerySet:
    """The user's front-door team: its active triage staff, by name."""
    return User.objects.filter(agency_id=user.agency_id, role=Role.TRIAGE, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def triage_team_load(*, user, now: datetime | None = None) -> list[WorkerLoad]:
    """What each member of the front-door team has open, and how much of it is overdue,
    with the referrals nobody has taken yet: what a supervisor balances."""
    now = now or timezone.now()
    rows = (
        triage_open(user=user, now=now)
        .values("triage_owner")
        .annotate(
            n=Count("pk"),
            missed=Count("pk", filter=Q(first_contact_due_at__lt=now)),
            oldest=Min("received_at"),
        )
        .order_by()
    )
    by_owner = {row["triage_owner"]: row for row in rows}
    team = list(triage_team(user=user))
    loads = [WorkerLoad(None, **_load(by_owner.get(None)))]
    loads += [WorkerLoad(member, **_load(by_owner.get(member.pk))) for member in team]
    return loads


def _load(row: dict | None) -> dict:
    if row is None:
        return {"open": 0, "overdue": 0, "oldest": None}
    return {"open": row["n"], "overdue": row["missed"], "oldest": row["oldest"]}


@dataclass(frozen=True)
class FamilyMember:
    person: object
    role: str
    risk_level: str = ""
    age: int | None = None
    present: bool = False
    harmed: bool = False
    risk_notes: str = ""


@dataclass(frozen=True)
class ReferralPage:
    """What one user sees of a referral (``referral_page``)."""

    view: access.SharedView
    is_front_door: bool
    is_referrer: bool
    family: list[FamilyMember]
    withheld: int
    decision: dict | None
    criteria: list[str]  # the MARAC criteria met, in words
    tasks: list
    dash_rows: list[dict]
    checklist: object | None  # the checklist version the assessment used
    known: object | None
    can_assess: bool = False  # may complete or repeat the risk checklist
    changes: list = field(default_factory=list)  # what each re-routing changed (front door only)

    @property
    def people_shown(self) -> list[int]:
        return [member.person.pk for member in self.family]

    def shows(self, part: str) -> bool:
        return self.view.shows(part)


def referral_page(*, user, referral: Referral) -> ReferralPage:
    """The parts and people of a referral the user may see. The front door that received it
    sees everything, including what other agencies hold; the agency that referred sees
    what it sent, an acknowledgement and the tasks it owns (``decision_for_referrer``);
    any other agency only the people its shares name and the parts they list."""
    view = access.shared_view(user, referral)
    people = referral_people(referral)
    is_front_door = referral.receiving_agency_id is not None and referral.receiving_agency_id == user.agency_id
    is_referrer = not is_front_door and referral.referring_agency_id == user.agency_id
    visible = view.people
    if not view.full:  # and anyone in it the agency may see for another reason
        visible |= set(
            access.records_visible_to(user, type(referral.victim))
            .filter(pk__in=[p for p, _ in people])
            .values_list("pk", flat=True)
        )
    children = {c.child_id: c for c in referral.children.select_related("child")}
    family, withheld = [], 0
    for person_id, role in people:
        if person_id not in visible:
            withheld += 1
            continue
        if role == "Victim":
            family.append(FamilyMember(referral.victim, role, referral.risk_level))
        elif role == "Person causing harm":
            family.append(FamilyMember(referral.perpetrator, role))
        elif view.shows(SharePart.CHILDREN):
            c = children[person_id]
            family.append(FamilyMember(c.child, role, c.risk_level, c.age, c.present, c.harmed, c.risk_notes))
        else:
            withheld += 1
    tasks = referral.tasks.select_related("owner_agency", "done_by", "owner")
    if is_front_door or (not is_referrer and view.shows(SharePart.DECISION)):
        decision = referral.decision
    else:  # the referrer's view of it, or none; and only the agency's own tasks
        tasks = tasks.filter(owner_agency_id=user.agency_id)
        agency_type = user.agency.agency_type if user.agency_id else None
        decision = decision_for_referrer(referral.decision, owner_agency_type=agency_type) if is_referrer else None
    assessment = referral.risk_assessment
    answers = assessment.answers if assessment and view.shows(SharePart.DASH_ANSWERS) else {}
    # The questions of the version the assessment used, not of the one in force now.
    checklist = checklist_get(pk=assessment.checklist_id) if assessment else None
    dash_rows = (
        [
            {
                "number": q.number,
                "question": q.text,
                "answer": ANSWER_LABELS.get(answers.get(str(q.number), {}).get("answer"), ""),
                "source": answers.get(str(q.number), {}).get("source", ""),
                "comment": answers.get(str(q.number), {}).get("comment", ""),
            }
            for q in checklist.questions
        ]
        if checklist and answers
        else []
    )
    words = criterion_words(partnership_settings_get())
    known = person_known_across(person=referral.victim) if user.has_perm("people.see_known_across") else None
    return ReferralPage(
        view=view,
        is_front_door=is_front_door,
        is_referrer=is_referrer,
        family=family,
        withheld=withheld,
        decision=decision,
        criteria=[words[c] for c in (decision or {}).get("marac_criteria", [])],
        tasks=list(tasks),
        dash_rows=dash_rows,
        checklist=checklist,
        known=known,
        can_assess=can_assess_risk(user=user, referral=referral),
        changes=decision_changes(referral=referral) if is_front_door else [],
    )


@dataclass(frozen=True)
class TriageMove:
    at: datetime
    by: object | None
    state: str
    why: str


def referral_triage_moves(*, referral: Referral) -> list[TriageMove]:
    """Who moved the referral through the front door, when, and why, from its change history."""
    moves, last = [], None
    rows = referral.history.select_related("history_user", "triage_owner").order_by("history_date", "history_id")
    for row in rows:
        state = (row.status, row.triage_owner_id)
        if state != last:
            why = "Received" if last is None else (row.history_change_reason or "")
            moves.append(TriageMove(row.history_date, row.history_user, row.get_status_display(), why))
            last = state
    return moves


def police_import_involvement(agency_id: int) -> Q:
    """The imports an agency is involved with: its own force's; at the One Front Door, which
    receives every force's extract, all of them."""
    if Agency.objects.filter(pk=agency_id, agency_type=AgencyType.FRONT_DOOR).exists():
        return Q(pk__isnull=False)
    return Q(agency_id=agency_id)


def police_imports_visible_to(user) -> QuerySet[PoliceImport]:
    """The import history the user sees, newest first."""
    return access.records_visible_to(user, PoliceImport).select_related("agency", "imported_by")


def police_forces_for(user) -> QuerySet[Agency]:
    """The forces whose extracts the user may import: their own force's, or at the One
    Front Door any force's."""
    forces = Agency.objects.filter(agency_type=AgencyType.POLICE)
    if user.agency_id is not None and user.agency.agency_type == AgencyType.FRONT_DOOR:
        return forces
    return forces.filter(pk=user.agency_id)


def police_import_same_file_before(record: PoliceImport) -> PoliceImport | None:
    """The first earlier import of the very same file (by its SHA-256) for the same force."""
    if not record.file_sha256:
        return None
    return (
        PoliceImport.objects.filter(agency_id=record.agency_id, file_sha256=record.file_sha256, pk__lt=record.pk)
        .order_by("pk")
        .first()
    )


#: Channels a checklist can be completed through: a conversation or a written exchange
#: (a voicemail is neither), and only those the victim said are safe.
CHECKLIST_CHANNELS = (PHONE_CALL, TEXT, EMAIL, LETTER)


def risk_assessment_channels(*, referral: Referral) -> list[tuple[str, str]]:
    """The ways the front door may reach the victim to complete the checklist, in words:
    the channels she said are safe (domain.md "Safe contact"); none until she has said."""
    safe = {c.channel for c in person_contact_channels(person=referral.victim) if c.safe}
    return [(c, ContactChannel(c).label) for c in CHECKLIST_CHANNELS if c in safe]


def can_assess_risk(*, user, referral: Referral) -> bool:
    """The front door that received the referral completes or repeats its checklist; not
    for a child victim, whom children's services assess."""
    return (
        referral.receiving_agency_id is not None
        and referral.receiving_agency_id == user.agency_id
        and "child_victim" not in (referral.decision or {}).get("flags", [])
    )


@dataclass(frozen=True)
class DecisionChange:
    """What one re-routing changed, in words."""

    decided_at: datetime
    decided_by: str
    how: str
    risk_before: str
    risk_after: str
    actions_added: list[str]
    actions_no_longer_indicated: list[str]
    criteria_added: list[str]
    criteria_no_longer_met: list[str]


def _risk_words(decision: dict) -> str:
    level = decision.get("risk_level")
    if not level:
        return "not assessed"
    score = decision.get("dash_score")
    words = label(RiskLevel, level, level).lower()
    return f"{words} (DASH score {score})" if score is not None else words


def _action_words(action: dict) -> str:
    words = label(ActionType, action["type"], "Other action")
    subject = action.get("subject", "victim")
    return words if subject == "victim" else f"{words}, about the {subject}"


def decision_changes(*, referral: Referral) -> list[DecisionChange]:
    """Each re-routing of the referral, newest first: the risk before and after, and the
    actions and MARAC criteria added or no longer indicated (their tasks stay)."""
    words = criterion_words(partnership_settings_get())
    changes = []
    for row in ReferralDecision.objects.filter(referral=referral).select_related("decided_by").order_by("-decided_at"):
        before, after = row.earlier or {}, row.decision or {}
        key = lambda a: (a["type"], a.get("subject", "victim"))  # noqa: E731
        before_actions = {key(a): a for a in before.get("actions", [])}
        after_actions = {key(a): a for a in after.get("actions", [])}
        before_criteria, after_criteria = before.get("marac_criteria", []), after.get("marac_criteria", [])
        changes.append(
            DecisionChange(
                decided_at=row.decided_at,
                decided_by=row.decided_by.get_username(),
                how=label_channel(row.contact_channel),
                risk_before=_risk_words(before),
                risk_after=_risk_words(after),
                actions_added=[_action_words(a) for k, a in after_actions.items() if k not in before_actions],
                actions_no_longer_indicated=[
                    _action_words(a) for k, a in before_actions.items() if k not in after_actions
                ],
                criteria_added=[
                    words.get(c, "a criterion no longer used") for c in after_criteria if c not in before_criteria
                ],
                criteria_no_longer_met=[
                    words.get(c, "a criterion no longer used") for c in before_criteria if c not in after_criteria
                ],
            )
        )
    return changes


def label_channel(channel: str) -> str:
    try:
        return ContactChannel(channel).label.lower()
    except ValueError:
        return "a channel no longer in use"


#: The champions network's report's words for where a referral went (its destination).
REFERRED_TO = {Destination.TRIAGE: "front_door", Destination.IDVA: "idva", Destination.MARAC: "marac"}


def referrals_made_by(*, agency_id: int, first, last) -> list[tuple[str, object]]:
    """(where it went, the day it was received) of each referral the agency made (it is
    the referring agency) to the front door, the IDVA service or MARAC, received from
    ``first`` to ``last`` (dates, inclusive, in local time). Counts, never people."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return [
        (REFERRED_TO[destination], timezone.localtime(received_at).date())
        for destination, received_at in Referral.objects.filter(
            referring_agency_id=agency_id,
            destination__in=list(REFERRED_TO),
            received_at__gte=start,
            received_at__lt=end,
        )
        .order_by()
        .values_list("destination", "received_at")
    ]

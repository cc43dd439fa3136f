"""Reads for referrals: the victim's history that routing needs, the triage queue, and
the referral page — always through the access rule."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import BigIntegerField, IntegerField, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce

from carepath.configuration.definitions import PartnershipSettings
from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.codes import ActionType, RiskLevel, SharePart, label
from carepath.core.models import Task
from carepath.events.models import Event
from carepath.people.models import ContactChannel
from carepath.people.safe_contact import EMAIL, LETTER, PHONE_CALL, TEXT
from carepath.people.selectors import identity_records, person_contact_channels, person_known_across
from carepath.referrals.models import Destination, Referral, ReferralDecision
from carepath.risk.dash import ANSWER_LABELS
from carepath.risk.selectors import checklist_get
from carepath.triage.casejson import decision_for_referrer
from carepath.triage.routing import criterion_words


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
    rows = earlier.values_list(
        Coalesce("victim__identity_key", "victim_id", output_field=BigIntegerField()), "occurred_at"
    )
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


def triage_queue(*, user) -> QuerySet[Referral]:
    """New referrals at the user's front door: highest risk first (not yet assessed counts
    just below high), then oldest first."""
    return (
        referrals_visible_to(user)
        .filter(receiving_agency_id=user.agency_id, status="new")
        .annotate(risk_order=RISK_ORDER)
        .order_by("risk_order", "received_at")
        .select_related("victim", "referring_agency")
    )


FIRST_CONTACT_ACTIONS = ("idva_referral", "caseworker_referral", "seek_consent", "dash_assessment")


def first_contact_due(*, referrals: list[Referral]) -> dict[int, datetime]:
    """The earliest open first-contact deadline of each referral."""
    due: dict[int, datetime] = {}
    for referral_id, due_at in Task.objects.filter(
        referral__in=referrals, status="open", action_type__in=FIRST_CONTACT_ACTIONS, due_at__isnull=False
    ).values_list("object_id", "due_at"):
        if referral_id not in due or due_at < due[referral_id]:
            due[referral_id] = due_at
    return due


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

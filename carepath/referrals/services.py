"""Writes for the One Front Door: every channel ends in ``referral_create``."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.configuration.definitions import PartnershipSettings
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.ages import age_on
from carepath.core.bulk import bulk_insert
from carepath.core.codes import ActionType, SharePart, TaskStatus
from carepath.core.history import changed_by
from carepath.core.models import Agency, AgencyType, District, InformationShare, SharedPerson, Task
from carepath.core.services import share_create, task_record
from carepath.events.models import Event
from carepath.people.models import Address, Person, Relationship, RelationshipKind, SafeContact
from carepath.people.safe_contact import usable_channels
from carepath.people.selectors import people_visible_to
from carepath.people.services import people_link_new
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import Channel, Consent, Destination, Referral, ReferralChild, ReferralDecision
from carepath.referrals.selectors import (
    NO_HISTORY,
    VictimHistory,
    can_assess_risk,
    perpetrator_history,
    risk_assessment_channels,
    victim_history,
)
from carepath.referrals.triage_services import referrals_first_contact_refresh
from carepath.risk.checklist import ChecklistDefinition
from carepath.risk.dash import Judgement, assess_risk, dash_score, officer_grade_judgement
from carepath.risk.models import RiskAssessment
from carepath.risk.selectors import checklist_in_force
from carepath.triage.casejson import decision_to_json
from carepath.triage.deadlines import due_at
from carepath.triage.routing import (
    LAWFUL_BASIS_WITHOUT_CONSENT,
    RISK_INDEPENDENT_ACTIONS,
    Case,
    Child,
    Decision,
    Due,
    route,
)

RELATIONSHIP_KINDS = {
    "partner": RelationshipKind.PARTNER,
    "ex_partner": RelationshipKind.EX_PARTNER,
    "family": RelationshipKind.OTHER_FAMILY,
}


@dataclass(frozen=True)
class MaracServing:
    """A MARAC serving a district, as configured: the coordination that runs it and the
    DASH scores it hears, if it has a band (a medium-risk MARAC such as Stevenage's, 10-13;
    domain.md "Domain reference"). Both ends are set for a banded one."""

    agency_id: int
    min_score: int | None = None
    max_score: int | None = None

    @property
    def banded(self) -> bool:
        return self.min_score is not None

    def hears(self, score: int | None) -> bool:
        return not self.banded or (score is not None and self.min_score <= score <= self.max_score)


def _no_maracs(district_id: int) -> list[MaracServing]:
    return []


#: The MARACs configured to serve a district: ``finder(district_id) -> [MaracServing]``.
#: The MARAC app registers it (``register_maracs_serving``): referrals do not import it.
_maracs_serving: Callable[[int], list[MaracServing]] = _no_maracs


def register_maracs_serving(finder: Callable[[int], list[MaracServing]]) -> None:
    global _maracs_serving
    _maracs_serving = finder


def maracs_serving(district_id: int | None) -> list[MaracServing]:
    """The MARACs configured to serve a district (none where the district is not known)."""
    return _maracs_serving(district_id) if district_id else []


def _band(maracs: Sequence[MaracServing], score: int) -> tuple[int, int] | None:
    """The medium-risk band routing is given: the one that hears the score, else the first
    (routing then sees the score is outside it); None where no banded MARAC serves."""
    banded = [m for m in maracs if m.banded]
    chosen = next((m for m in banded if m.hears(score)), banded[0] if banded else None)
    return (chosen.min_score, chosen.max_score) if chosen else None


def _hearing(maracs: Sequence[MaracServing], score: int | None) -> int | None:
    """The coordination whose MARAC hears a case with this score, a banded one first (as
    the MARAC app's ``rules.marac_for`` chooses when the coordinator accepts it)."""
    hearing = sorted((m for m in maracs if m.hears(score)), key=lambda m: not m.banded)
    return hearing[0].agency_id if hearing else None


@dataclass(frozen=True)
class ReferralResult:
    referral_id: int
    created: bool

    @property
    def referral(self) -> Referral:
        return Referral.objects.get(pk=self.referral_id)


def _age_at(details: PersonDetails | ChildDetails, on: date) -> int | None:
    if details.date_of_birth:
        return age_on(details.date_of_birth, on)
    return details.age


def _new_person(details: PersonDetails | ChildDetails, agency_id: int) -> dict:
    return {
        "recorded_by_id": agency_id,
        "given_name": details.given_name.strip(),
        "family_name": details.family_name.strip(),
        "date_of_birth": details.date_of_birth,
        "date_of_birth_as_written": "" if details.date_of_birth else getattr(details, "date_of_birth_as_written", ""),
        "sex": getattr(details, "sex", "not_known"),
        "gender_identity": getattr(details, "gender_identity", "not_known"),
        "phone": getattr(details, "phone", ""),
        "pnc_id": getattr(details, "pnc_id", ""),
        "nhs_number": getattr(details, "nhs_number", ""),
        "first_language": getattr(details, "first_language", ""),
        "interpreter_needed": getattr(details, "interpreter_needed", False),
    }


@dataclass(frozen=True)
class PeopleRecorded:
    victim_id: int
    perpetrator_id: int | None
    child_ids: list[int]


def referrer_victim_check(*, user, victim, new_victim, to: str) -> None:
    """An agency's referral (to MARAC, to a casework service) is of a victim the agency
    holds or of a new one, never both nor neither; a victim it cannot see is refused as if
    she did not exist (``people.selectors``)."""
    if user.agency_id is None:
        raise PermissionDenied(f"Only the staff of an agency refer to {to}.")
    if victim is not None and not people_visible_to(user).filter(pk=victim.pk).exists():
        raise PermissionDenied("Choose a victim your agency holds, or enter a new one.")
    if (victim is None) == (new_victim is None):
        raise ValidationError({"victim": "Choose the victim from your agency's records, or enter a new one."})


def referral_people_record(
    *,
    agency_id: int,
    user_id: int | None,
    victim_id: int | None = None,
    victim: PersonDetails | None = None,
    perpetrator: PersonDetails | None = None,
    relationship: str = "",
    children: Sequence[ChildDetails] = (),
) -> PeopleRecorded:
    """Record the people of a referral made outside the front door's intake (a MARAC
    referral from an agency's form) as the intake records them: new records (kept by the
    referring agency) for a new victim, the person causing harm and each child, with their
    addresses, how they are related, and matched to the people already known (identity
    resolution). ``victim_id`` names a victim already on record instead of ``victim``."""
    new = [d for d in (None if victim_id else victim, perpetrator, *children) if d is not None]
    ids = iter(bulk_insert(Person, [_new_person(d, agency_id) for d in new], history_user_id=user_id))
    victim_id = victim_id or next(ids)
    perpetrator_id = next(ids) if perpetrator else None
    child_ids = [next(ids) for _ in children]
    addresses = [
        {"person_id": person_id, "line_1": details.address or "(not given)", "postcode": details.postcode}
        for person_id, details in ((victim_id, victim), (perpetrator_id, perpetrator))
        if details is not None and person_id is not None and (details.address or details.postcode)
    ]
    relationships = [
        {"from_person_id": victim_id, "to_person_id": child_id, "kind": RelationshipKind.PARENT}
        for child_id in child_ids
    ]
    if perpetrator_id and relationship in RELATIONSHIP_KINDS:
        relationships.append(
            {"from_person_id": perpetrator_id, "to_person_id": victim_id, "kind": RELATIONSHIP_KINDS[relationship]}
        )
    bulk_insert(Address, addresses, history_user_id=user_id)
    bulk_insert(Relationship, relationships, history_user_id=user_id)
    people_link_new(person_ids=[pk for pk in (victim_id if victim else None, perpetrator_id) if pk])
    return PeopleRecorded(victim_id=victim_id, perpetrator_id=perpetrator_id, child_ids=child_ids)


def _safe_channels(data: ReferralInput) -> set[str]:
    return usable_channels(data.safe_contact) if data.safe_contact else set()


def referral_decide(
    data: ReferralInput,
    settings: PartnershipSettings,
    *,
    checklist: ChecklistDefinition,
    history: VictimHistory = NO_HISTORY,
    perpetrator: tuple[int, int] | None = None,
    maracs: Sequence[MaracServing] = (),
) -> tuple[Decision, dict]:
    """Score (on ``checklist``, the version in force), assess and route one referral (no
    writes), given what the partnership already knows of the victim and, as
    ``perpetrator``, (distinct victims, events against this victim in the repeat window)
    counting this one, and the MARACs configured to serve its district (``maracs``: a
    medium-risk MARAC among them hears medium scores in its band).
    Returns the decision and the risk facts.

    Without a DASH the risk is not known yet: only what does not depend on it stands —
    the children's actions and the MARAC criteria that rest on the victim's history
    (potential escalation, repeat), which send the case to MARAC, with its IDVA referral,
    whatever the score (domain.md "MARAC referral criteria" 3 and 4)."""
    on = (data.occurred_at or data.received_at).date()
    dash_given = data.dash_answers is not None or data.dash_score is not None
    if data.dash_answers is not None:
        score = dash_score({q: a.answer for q, a in data.dash_answers.items()}, checklist)
    elif data.dash_score is not None:
        score = data.dash_score
    else:
        score = 0
    judgement = None
    if dash_given:
        judgement = data.judgement or officer_grade_judgement(data.officer_grade, score, settings, checklist)
    risk = assess_risk(score, judgement, settings, checklist)
    case = Case(
        victim_age=_age_at(data.victim, on),
        risk=risk,
        consent=data.consent,
        judgement=judgement,
        events_last_12_months=history.events_last_12_months + 1,
        last_marac_referral_days_ago=history.last_marac_referral_days_ago,
        # Every child in the household, there at the time or not (domain.md "Routing").
        children=tuple(Child(age=_age_at(c, on), harmed=c.harmed) for c in data.children),
        perpetrator_age=_age_at(data.perpetrator, on) if data.perpetrator else None,
        crime_recorded=data.crime_recorded,
        safe_channels=frozenset(_safe_channels(data)),
        perpetrator_distinct_victims=perpetrator[0] if perpetrator else None,
        perpetrator_events_against_victim_12_months=perpetrator[1] if perpetrator else None,
        # Only a scored case: without a DASH the score is not known to be in any band.
        medium_marac_band=_band(maracs, risk.score) if dash_given else None,
    )
    decision = route(case, settings)
    if not dash_given:
        decision = replace(
            decision,
            actions=tuple(a for a in decision.actions if a.type in RISK_INDEPENDENT_ACTIONS or decision.marac_criteria),
        )
    return decision, {"risk": risk, "judgement": judgement, "dash_given": dash_given, "checklist": checklist}


def marac_coordination_serving(*, district_id: int | None) -> Agency | None:
    """The MARAC coordination (an agency of type MARAC) serving a district: the district's
    own, else its MARAC area's, else the county's (``_serving``)."""
    area_id = District.objects.filter(pk=district_id).values_list("marac_area_id", flat=True).first()
    return _serving(list(Agency.objects.filter(agency_type=AgencyType.MARAC).order_by("name")), district_id, area_id)


def _serving(of_type: Sequence[Agency], district_id: int | None, area_id: int | None) -> Agency | None:
    """Of the agencies of one type, the one serving a place: the district's own, else the
    one for its MARAC area, else the county-wide one, else any."""
    return (
        next((a for a in of_type if district_id and a.district_id == district_id), None)
        or next((a for a in of_type if area_id and a.marac_area_id == area_id), None)
        or next((a for a in of_type if a.district_id is None and a.marac_area_id is None), None)
        or next(iter(of_type), None)
    )


class _Intake:
    """What a batch of referrals needs once: configuration, the front door, task owners."""

    def __init__(self):
        self.settings = partnership_settings_get()
        self.checklist = checklist_in_force()
        self.front_door = Agency.objects.filter(agency_type=AgencyType.FRONT_DOOR).order_by("name").first()
        self.agencies = list(Agency.objects.order_by("name"))
        self.area_of = dict(District.objects.values_list("pk", "marac_area_id"))
        self._owners: dict[tuple[str, int | None], Agency | None] = {}
        self._maracs: dict[int | None, list[MaracServing]] = {}

    def maracs_serving(self, district_id: int | None) -> list[MaracServing]:
        """The MARACs configured to serve a district, looked up once per batch."""
        if district_id not in self._maracs:
            self._maracs[district_id] = maracs_serving(district_id)
        return self._maracs[district_id]

    def marac_owner(self, district_id: int | None, score: int | None) -> Agency | None:
        """The coordination whose MARAC hears the case (a medium-risk MARAC's for a score in
        its band); None where no MARAC is configured for the district."""
        agency_id = _hearing(self.maracs_serving(district_id), score)
        return next((a for a in self.agencies if agency_id and a.pk == agency_id), None)

    def owner_for(self, agency_type: str, district_id: int | None, referrer_id: int | None = None) -> Agency | None:
        """The agency that owns a task: the referrer itself when it is of the type (a force
        plans around its own perpetrator, not a neighbouring force); else one of the type
        serving the district (``_serving``). Where the partnership has no agency of the
        type, the front door owns the task until it passes it on: every task has a named owner."""
        referrer = next((a for a in self.agencies if a.pk == referrer_id), None) if referrer_id else None
        if referrer is not None and referrer.agency_type == agency_type:
            return referrer
        key = (agency_type, district_id)
        if key not in self._owners:
            of_type = [a for a in self.agencies if a.agency_type == agency_type]
            self._owners[key] = _serving(of_type, district_id, self.area_of.get(district_id)) or self.front_door
        return self._owners[key]


@dataclass
class _Plan:
    """The rows one referral will write, built in memory so a batch is written in bulk.
    People are row values until written; then ``*_id`` hold their keys."""

    data: ReferralInput
    recording_agency_id: int
    victim: dict
    perpetrator: dict | None
    children: list[dict]
    victim_id: int | None = None
    perpetrator_id: int | None = None
    child_ids: list[int] = field(default_factory=list)
    event_id: int | None = None
    assessment_id: int | None = None
    decision: Decision | None = None
    facts: dict = field(default_factory=dict)


def _external_key(data: ReferralInput) -> tuple | None:
    return (data.referring_agency_id, data.channel, data.external_reference) if data.external_reference else None


@transaction.atomic
def referrals_create(inputs: Sequence[ReferralInput], *, link_people: bool = True) -> list[ReferralResult]:
    """Record referrals from any channel: the people, the event, the DASH assessment, the
    routing decision, its tasks and the information shares they need — in bulk, so a
    force's daily extract or a national year loads quickly, all or nothing.

    Re-sending a referral with the same external reference from the same agency and
    channel returns the first one and adds nothing. With ``link_people`` the new victim
    and perpetrator records are matched to the people already known first (identity
    resolution), so routing sees their history across agencies.
    """
    intake = _Intake()
    keys = [_external_key(d) for d in inputs]
    wanted = {k for k in keys if k}
    existing: dict[tuple, Referral] = {}
    by_source: dict[tuple, set[str]] = {}
    for agency_id, channel, reference in wanted:
        by_source.setdefault((agency_id, channel), set()).add(reference)
    for (agency_id, channel), references in by_source.items():  # uses the unique index's columns
        for referral in Referral.objects.filter(
            referring_agency_id=agency_id, channel=channel, external_reference__in=references
        ):
            existing[(agency_id, channel, referral.external_reference)] = referral
    plans: list[_Plan] = []
    first_in_batch: dict[tuple, int] = {}
    slot_of_input: list[tuple[str, object]] = []
    for data, key in zip(inputs, keys):
        if key in existing:
            slot_of_input.append(("existing", existing[key].pk))
        elif key and key in first_in_batch:
            slot_of_input.append(("duplicate", first_in_batch[key]))
        else:
            if key:
                first_in_batch[key] = len(plans)
            slot_of_input.append(("new", len(plans)))
            plans.append(_plan(data, intake))
    user_id = next((d.created_by_id for d in inputs if d.created_by_id), None)
    referral_ids = _write(plans, intake, user_id, link_people)
    return [
        ReferralResult(referral_id=existing_id_or_index, created=False)
        if kind == "existing"
        else ReferralResult(referral_id=referral_ids[existing_id_or_index], created=kind == "new")
        for kind, existing_id_or_index in slot_of_input
    ]


def referral_create(*, data: ReferralInput) -> ReferralResult:
    """Record one referral (see ``referrals_create``)."""
    return referrals_create([data])[0]


def _plan(data: ReferralInput, intake: _Intake) -> _Plan:
    recording_agency_id = data.referring_agency_id or (intake.front_door.pk if intake.front_door else None)
    if recording_agency_id is None:
        raise ValidationError("No front-door agency is set up to receive public referrals.")
    return _Plan(
        data=data,
        recording_agency_id=recording_agency_id,
        victim=_new_person(data.victim, recording_agency_id),
        perpetrator=_new_person(data.perpetrator, recording_agency_id) if data.perpetrator else None,
        children=[_new_person(c, recording_agency_id) for c in data.children],
    )


def _decide_all(plans: list[_Plan], intake: _Intake) -> None:
    """Route each referral with what the partnership knows, counted as people: the
    victim's events and MARAC referrals across every record linked as them, and the
    perpetrator's other victims and repeat events — including earlier referrals in this
    batch, which are not stored yet."""
    settings, checklist = intake.settings, intake.checklist
    identities = dict(
        Person.objects.filter(
            pk__in=[pk for p in plans for pk in (p.victim_id, p.perpetrator_id) if pk],
            identity_key__isnull=False,
        ).values_list("pk", "identity_key")
    )
    victim_window = timedelta(days=settings.marac_escalation_window_days)
    perpetrator_window = timedelta(days=settings.repeat_perpetrator_window_days)
    victim_batch: dict[int, list[datetime]] = {}
    perpetrator_batch: dict[int, list[tuple[int, datetime]]] = {}
    for plan in sorted(plans, key=lambda p: p.data.occurred_at or p.data.received_at):
        at = plan.data.occurred_at or plan.data.received_at
        victim = identities.get(plan.victim_id, plan.victim_id)
        history, perpetrator = NO_HISTORY, None
        if plan.victim_id in identities:
            stored = victim_history(identity_key=victim, at=at, settings=settings)
            earlier = sum(1 for when in victim_batch.setdefault(victim, []) if at - victim_window <= when < at)
            history = VictimHistory(
                events_last_12_months=stored.events_last_12_months + earlier,
                last_marac_referral_days_ago=stored.last_marac_referral_days_ago,
            )
            victim_batch[victim].append(at)
        if plan.perpetrator_id in identities:
            key = identities[plan.perpetrator_id]
            known = perpetrator_history(identity_key=key, at=at, settings=settings)
            events = [*known.recent, *perpetrator_batch.setdefault(key, [])]
            perpetrator = (
                len(known.victims | {v for v, _ in events} | {victim}),
                1 + sum(1 for v, when in events if v == victim and at - perpetrator_window <= when < at),
            )
            perpetrator_batch[key].append((victim, at))
        plan.decision, plan.facts = referral_decide(
            plan.data,
            settings,
            checklist=checklist,
            history=history,
            perpetrator=perpetrator,
            maracs=intake.maracs_serving(plan.data.district_id),
        )


def _write(plans: list[_Plan], intake: _Intake, user_id: int | None, link_people: bool) -> list[int]:
    """Write the batch's rows, table by table, and return the referrals' keys."""
    front_door = intake.front_door
    people = [p for plan in plans for p in (plan.victim, plan.perpetrator, *plan.children) if p is not None]
    person_ids = iter(bulk_insert(Person, people, history_user_id=user_id))
    for plan in plans:
        plan.victim_id = next(person_ids)
        plan.perpetrator_id = next(person_ids) if plan.perpetrator is not None else None
        plan.child_ids = [next(person_ids) for _ in plan.children]
    if link_people:
        people_link_new(person_ids=[pk for plan in plans for pk in (plan.victim_id, plan.perpetrator_id) if pk])
    _decide_all(plans, intake)

    # An event the agency reported before (through another channel) is linked, not duplicated.
    known_events = {
        (agency_id, reference): pk
        for agency_id, reference, pk in Event.objects.filter(
            agency_id__in={p.data.referring_agency_id for p in plans if p.data.referring_agency_id},
            reference__in={p.data.external_reference for p in plans if p.data.external_reference},
        ).values_list("agency_id", "reference", "pk")
    }
    addresses, safe_contacts, relationships, events, evented = [], [], [], [], []
    for plan in plans:
        data = plan.data
        for person_id, details in ((plan.victim_id, data.victim), (plan.perpetrator_id, data.perpetrator)):
            if person_id is not None and (details.address or details.postcode):
                addresses.append(
                    {"person_id": person_id, "line_1": details.address or "(not given)", "postcode": details.postcode}
                )
        if data.safe_contact:
            safe = data.safe_contact
            safe_contacts.append(
                {
                    "person_id": plan.victim_id,
                    "safe_phone": safe.safe_phone,
                    "safe_times": safe.safe_times,
                    "voicemail_safe": safe.voicemail_safe,
                    "text_safe": safe.text_safe,
                    "letter_safe": safe.letter_safe,
                    "email_safe": safe.email_safe,
                    "safe_email": safe.safe_email,
                    "do_not_contact_via": sorted(safe.do_not_contact_via),
                    "notes": safe.notes,
                }
            )
        if plan.perpetrator_id and data.relationship in RELATIONSHIP_KINDS:
            relationships.append(
                {
                    "from_person_id": plan.perpetrator_id,
                    "to_person_id": plan.victim_id,
                    "kind": RELATIONSHIP_KINDS[data.relationship],
                }
            )
        relationships += [
            {"from_person_id": plan.victim_id, "to_person_id": child_id, "kind": RelationshipKind.PARENT}
            for child_id in plan.child_ids
        ]
        reference = data.external_reference or f"REF-{plan.victim_id}"
        if data.referring_agency_id and data.occurred_at and (data.referring_agency_id, reference) in known_events:
            plan.event_id = known_events[(data.referring_agency_id, reference)]
        elif data.referring_agency_id and data.occurred_at:
            risk, graded = plan.facts["risk"], plan.facts["dash_given"]
            events.append(
                {
                    "agency_id": data.referring_agency_id,
                    "reference": reference,
                    "occurred_at": data.occurred_at,
                    "reported_at": data.received_at,
                    "district_id": data.district_id,
                    "victim_id": plan.victim_id,
                    "perpetrator_id": plan.perpetrator_id,
                    "is_crime": bool(data.crime_recorded),
                    "risk_level": risk.level if graded else (data.officer_grade or ""),
                    "dash_score": risk.score if graded else None,
                    "children_present": any(c.present for c in data.children),
                }
            )
            evented.append(plan)
    bulk_insert(Address, addresses, history_user_id=user_id)
    bulk_insert(SafeContact, safe_contacts, history_user_id=user_id)
    bulk_insert(Relationship, relationships, history_user_id=user_id)
    for plan, event_id in zip(evented, bulk_insert(Event, events, history_user_id=user_id)):
        plan.event_id = event_id

    assessed = [plan for plan in plans if plan.facts["dash_given"]]
    assessments = []
    for plan in assessed:
        data, risk = plan.data, plan.facts["risk"]
        assessments.append(
            {
                "person_id": plan.victim_id,
                "agency_id": plan.recording_agency_id,
                "assessed_by_id": data.created_by_id,
                "assessed_at": data.occurred_at or data.received_at,
                "answers": {str(q): a.__dict__ for q, a in (data.dash_answers or {}).items()},
                "score": risk.score,
                "level_by_score": risk.level_by_score,
                "level": risk.level,
                "judgement_level": plan.facts["judgement"].level if plan.facts["judgement"] else "",
                "judgement_reason": plan.facts["judgement"].reason if plan.facts["judgement"] else "",
                "checklist_id": intake.checklist.pk,
            }
        )
    for plan, assessment_id in zip(assessed, bulk_insert(RiskAssessment, assessments, history_user_id=user_id)):
        plan.assessment_id = assessment_id

    referrals = []
    for plan in plans:
        data = plan.data
        decision_json = decision_to_json(plan.decision)
        if not plan.facts["dash_given"]:
            decision_json |= {"risk_level": None, "dash_score": None}
            decision_json["messages"].insert(0, "No DASH checklist yet: the front door completes it at first contact.")
        referrals.append(
            {
                "channel": data.channel,
                "destination": Destination.TRIAGE,
                "referring_agency_id": data.referring_agency_id,
                "victim_id": plan.victim_id,
                "perpetrator_id": plan.perpetrator_id,
                "event_id": plan.event_id,
                "district_id": data.district_id,
                "received_at": data.received_at,
                "created_by_id": data.created_by_id,
                "receiving_agency_id": front_door.pk if front_door else None,
                "external_reference": data.external_reference,
                "api_client_id": data.api_client_id,
                "risk_assessment_id": plan.assessment_id,
                "risk_level": plan.decision.risk_level if plan.facts["dash_given"] else "",
                "consent": data.consent,
                "consent_reason": data.consent_reason,
                "decision": decision_json,
                "referrer_name": data.referrer_name,
                "referrer_contact": data.referrer_contact,
                "referrer_relationship": data.referrer_relationship,
                "referrer_safe_contact": data.referrer_safe_contact,
                "police_reference": data.police_reference,
                "details": data.details,
            }
        )
    referral_ids = bulk_insert(Referral, referrals, history_user_id=user_id)

    children, tasks, shares, named = [], [], [], []
    referral_type = ContentType.objects.get_for_model(Referral).pk
    for plan, referral_id in zip(plans, referral_ids):
        data = plan.data
        children += [
            {
                "referral_id": referral_id,
                "child_id": child_id,
                "age": _age_at(details, data.received_at.date()),
                "present": details.present,
                "harmed": details.harmed,
                "risk_level": details.risk_level,
                "risk_notes": details.risk_notes,
            }
            for child_id, details in zip(plan.child_ids, data.children)
        ]
        plan_tasks, plan_shares = _tasks_and_shares(plan, referral_id, intake)
        tasks += [{**task, "content_type_id": referral_type, "object_id": referral_id} for task in plan_tasks]
        for share, people in plan_shares:
            shares.append({**share, "content_type_id": referral_type, "object_id": referral_id})
            named.append(people)
    bulk_insert(ReferralChild, children, history_user_id=user_id)
    bulk_insert(Task, tasks, history_user_id=user_id)
    referrals_first_contact_refresh(referral_ids=referral_ids)
    share_ids = bulk_insert(InformationShare, shares, history_user_id=user_id)
    bulk_insert(
        SharedPerson,
        [
            {"share_id": share_id, "person_id": person_id, "why": why[:300]}
            for share_id, people in zip(share_ids, named)
            for person_id, why in people
        ],
        history_user_id=user_id,
    )
    return referral_ids


def _share_people(plan: _Plan, who: Sequence[str]) -> list[tuple[int, str]]:
    """The people a share names, from the words routing uses: victim, perpetrator,
    children, or "child N"."""
    people = []
    for role in who:
        if role == "victim":
            people.append((plan.victim_id, "The victim"))
        elif role == "perpetrator" and plan.perpetrator_id:
            people.append((plan.perpetrator_id, "The person causing harm"))
        elif role == "children":
            people += [(child_id, "A child in the household") for child_id in plan.child_ids]
        elif role.startswith("child ") and role[6:].isdigit() and int(role[6:]) <= len(plan.child_ids):
            people.append((plan.child_ids[int(role[6:]) - 1], f"The {role} the action is about"))
    return people


def _tasks_and_shares(plan: _Plan, referral_id: int, intake: _Intake) -> tuple[list[dict], list[tuple[dict, list]]]:
    """The rows of the referral's tasks, and of the information shares they need, each
    with the people it names: the front door is given the whole referral; each other
    agency owning an action only the people and parts routing says it needs."""
    data, front_door = plan.data, intake.front_door
    everyone = _share_people(plan, ("victim", "perpetrator", "children"))
    # The basis for sharing the victim's referral; a child's action carries its own.
    lawful_basis = "" if data.consent == Consent.GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT
    # (agency, people, parts, why, lawful basis), merged per agency below.
    recipients: list[tuple[Agency, list[tuple[int, str]], tuple[str, ...], str, str]] = []
    if front_door and front_door.pk != plan.recording_agency_id:
        recipients.append((front_door, everyone, tuple(SharePart), "Referral to the One Front Door", lawful_basis))
    graded = plan.facts["dash_given"]
    actions = plan.decision.actions
    tasks = []
    for action in actions:
        owner = intake.owner_for(action.owner_agency, data.district_id, data.referring_agency_id)
        if action.type == ActionType.MARAC_REFERRAL:
            # The coordination of the MARAC configured to hear it, where one is.
            owner = intake.marac_owner(data.district_id, plan.decision.dash_score if graded else None) or owner
        tasks.append(
            {
                "action_type": action.type,
                "concerns": action.subject,
                "reason": action.reason,
                "rule": action.rule,
                "owner_agency_id": owner.pk if owner else None,
                "owner_agency_type": action.owner_agency,
                "due_at": due_at(data.received_at, action.due),
                "contact_channels": list(action.contact_channels),
                "lawful_basis": action.lawful_basis,
            }
        )
        if owner and owner.pk != plan.recording_agency_id and action.share is not None:
            recipients.append(
                (
                    owner,
                    _share_people(plan, action.share.people),
                    action.share.parts,
                    action.share.why,
                    action.lawful_basis or lawful_basis,
                )
            )
    child_victim = any(a.type == "child_safeguarding_only" for a in actions)
    if not graded and front_door and not child_victim:
        tasks.append(
            {
                "action_type": "dash_assessment",
                "concerns": "victim",
                "reason": "Complete the DASH checklist with the victim, using only the channels they said are safe.",
                "rule": "routing.no_dash_yet",
                "owner_agency_id": front_door.pk,
                "owner_agency_type": AgencyType.FRONT_DOOR,
                # Risk is unknown until assessed: treat it as high for the deadline.
                "due_at": due_at(data.received_at, Due(working_days=intake.settings.first_contact_working_days_high)),
                "contact_channels": sorted(_safe_channels(data)),
            }
        )
    merged: dict[int, tuple[Agency, dict[int, str], set[str], list[str], list[str]]] = {}
    for agency, people, parts, why, basis in recipients:
        _, named, shared_parts, reasons, bases = merged.setdefault(agency.pk, (agency, {}, set(), [], []))
        for person_id, person_why in people:
            named.setdefault(person_id, person_why)
        shared_parts.update(parts)
        if why not in reasons:
            reasons.append(why)
        if basis and basis not in bases:
            bases.append(basis)
    shares = []
    for agency, named, parts, reasons, bases in merged.values():
        shares.append(
            (
                {
                    "shared_with_id": agency.pk,
                    "shared_by_id": plan.recording_agency_id,
                    "parts": sorted(parts),
                    "what": "; ".join(SharePart(p).label for p in SharePart if p in parts)[:200],
                    "why": " ".join(reasons),
                    "lawful_basis": " ".join(bases),
                    "consent": data.consent,
                    "consent_reason": data.consent_reason,
                    "shared_at": data.received_at,
                },
                list(named.items()),
            )
        )
    return tasks, shares


@transaction.atomic
def marac_referral_create(*, referral: Referral, user) -> Referral:
    """Refer the victim to MARAC, pre-filled from the front-door referral's DASH answers
    and decision: nobody retypes them. Records the marac_referral task as done."""
    existing = Referral.objects.filter(
        victim=referral.victim, destination=Destination.MARAC, risk_assessment=referral.risk_assessment
    ).first()
    if existing:
        return existing
    # The MARAC of the area the victim lives in: their current address's district where
    # known (never a confidential one's), else the referral's.
    district_id = (
        Address.objects.filter(
            person=referral.victim_id, valid_to__isnull=True, is_confidential=False, district__isnull=False
        )
        .values_list("district_id", flat=True)
        .first()
    ) or referral.district_id
    # Where MARACs are configured for the referral's district (the district routing used,
    # and the coordinator's check uses), the coordination whose MARAC hears the score: a
    # medium-risk MARAC's for a medium score in its band. Else the coordination serving it.
    score = referral.risk_assessment.score if referral.risk_assessment_id else None
    hearing = _hearing(maracs_serving(referral.district_id), score)
    marac = Agency.objects.get(pk=hearing) if hearing else marac_coordination_serving(district_id=district_id)
    marac_referral = Referral.objects.create(
        channel=Channel.PROFESSIONAL,
        destination=Destination.MARAC,
        # The agency that raised the concern refers her: the return counts referrals by it.
        referring_agency_id=referral.referring_agency_id or user.agency_id,
        victim=referral.victim,
        perpetrator=referral.perpetrator,
        event=referral.event,
        district=referral.district,
        received_at=timezone.now(),
        created_by=user,
        receiving_agency=marac,
        risk_assessment=referral.risk_assessment,
        risk_level=referral.risk_level,
        consent=referral.consent,
        consent_reason=referral.consent_reason,
        decision=referral.decision,
        details=referral.details,
    )
    # MARAC agrees one plan for the victim and the children (domain.md "Routing").
    bulk_insert(
        ReferralChild,
        [
            {
                "referral_id": marac_referral.pk,
                "child_id": c.child_id,
                "age": c.age,
                "present": c.present,
                "harmed": c.harmed,
                "risk_level": c.risk_level,
                "risk_notes": c.risk_notes,
            }
            for c in referral.children.all()
        ],
        history_user_id=user.pk,
    )
    task = referral.tasks.filter(action_type="marac_referral", status="open").first()
    if task is not None:
        task_record(task=task, user=user, status="done", note=f"Referred to MARAC (referral {marac_referral.pk}).")
    return marac_referral


def marac_referral_task_done(*, task, user) -> str:
    """Marking the MARAC referral task done makes the MARAC referral (``access`` task handler)."""
    marac = marac_referral_create(referral=task.subject, user=user)
    return f"Referred to MARAC with the DASH answers and reasons (MARAC referral {marac.pk})."


def _held(referral: Referral) -> dict[int, tuple[set[str], set[int]]]:
    """The parts and people each agency has already been given by the referral's shares."""
    held: dict[int, tuple[set[str], set[int]]] = {}
    for share in referral.shares.prefetch_related("named"):
        parts, people = held.setdefault(share.shared_with_id, (set(), set()))
        parts.update(share.parts)
        people.update(named.person_id for named in share.named.all())
    return held


@transaction.atomic
def referral_risk_assess(
    *,
    referral: Referral,
    answers: dict[int, DashAnswer],
    channel: str,
    user,
    judgement: Judgement | None = None,
) -> Referral:
    """The front door completes the risk checklist on a referral (one that came without a
    DASH) or repeats it, with the victim, through a channel she said is safe; the referral
    is routed again with the same rules and history as when it arrived.

    The earlier decision is kept (``ReferralDecision``); the referral's decision becomes
    the new one. Actions the new decision adds become tasks, with the information shares
    their owners need, unless a task of that type about the same person is already open
    or done; no task is removed, even when the risk is lower. The open "complete the DASH
    checklist" task is recorded as done. Refuses (``ValidationError``) a channel the victim
    has not said is safe; ``DashError`` for answers that do not fit the checklist in force."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("victim", "perpetrator", "event")
        .get(pk=referral.pk)
    )
    if not can_assess_risk(user=user, referral=referral):
        raise PermissionDenied
    safe = dict(risk_assessment_channels(referral=referral))
    if channel not in safe:
        allowed = ", ".join(words.lower() for words in safe.values()) or "none yet: ask her how and when it is safe"
        raise ValidationError(
            {"channel": f"The victim has not said this way of contacting her is safe. Safe ways: {allowed}."}
        )
    intake = _Intake()
    victim, perpetrator, event = referral.victim, referral.perpetrator, referral.event
    at = event.occurred_at if event else referral.received_at
    contact = SafeContact.objects.filter(person=victim).first()
    answers_known = contact.answers() if contact else None
    data = ReferralInput(
        channel=referral.channel,
        received_at=timezone.now(),  # new tasks' deadlines run from now, when the risk is known
        occurred_at=at,
        referring_agency_id=referral.referring_agency_id,
        created_by_id=user.pk,
        victim=PersonDetails(date_of_birth=victim.date_of_birth),
        perpetrator=PersonDetails(date_of_birth=perpetrator.date_of_birth) if perpetrator else None,
        children=tuple(
            ChildDetails(age=c.age, present=c.present, harmed=c.harmed) for c in referral.children.order_by("pk")
        ),
        dash_answers=answers,
        judgement=judgement,
        consent=referral.consent,
        consent_reason=referral.consent_reason,
        crime_recorded=event.is_crime if event else None,
        district_id=referral.district_id,
        safe_contact=SafeContactDetails(**answers_known.__dict__) if answers_known else None,
        # A force's grade without a DASH (kept on its event) still counts as the officer's judgement.
        officer_grade=event.risk_level if event and event.dash_score is None else "",
    )
    history, perpetrator_counts = NO_HISTORY, None
    if victim.identity_key:
        history = victim_history(identity_key=victim.identity_key, at=at, settings=intake.settings)
    if perpetrator and perpetrator.identity_key:
        known = perpetrator_history(identity_key=perpetrator.identity_key, at=at, settings=intake.settings)
        window = timedelta(days=intake.settings.repeat_perpetrator_window_days)
        perpetrator_counts = (
            len(known.victims | {victim.identity}),
            1 + sum(1 for v, when in known.recent if v == victim.identity and at - window <= when < at),
        )
    decision, facts = referral_decide(
        data,
        intake.settings,
        checklist=intake.checklist,
        history=history,
        perpetrator=perpetrator_counts,
        maracs=intake.maracs_serving(data.district_id),
    )
    risk, used_judgement = facts["risk"], facts["judgement"]
    now = data.received_at
    assessment = RiskAssessment(
        person=victim,
        agency_id=user.agency_id,
        assessed_by=user,
        assessed_at=now,
        answers={str(q): a.__dict__ for q, a in answers.items()},
        score=risk.score,
        level_by_score=risk.level_by_score,
        level=risk.level,
        judgement_level=used_judgement.level if used_judgement else "",
        judgement_reason=used_judgement.reason if used_judgement else "",
        checklist_id=intake.checklist.pk,
    )
    changed_by(assessment, user)
    assessment.save()
    new_json = decision_to_json(decision)
    kept = ReferralDecision(
        referral=referral,
        decided_at=now,
        decided_by=user,
        contact_channel=channel,
        risk_assessment=assessment,
        earlier_risk_assessment=referral.risk_assessment,
        earlier=referral.decision,
        decision=new_json,
    )
    changed_by(kept, user)
    kept.save()
    referral.decision, referral.risk_assessment, referral.risk_level = new_json, assessment, risk.level
    changed_by(referral, user, reason=f"Risk checklist completed by {safe[channel].lower()}")
    referral.save(update_fields=["decision", "risk_assessment", "risk_level"])

    on_referral = set(
        referral.tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.DONE]).values_list("action_type", "concerns")
    )
    plan = _Plan(
        data=data,
        recording_agency_id=referral.referring_agency_id or (intake.front_door.pk if intake.front_door else None),
        victim={},
        perpetrator=None,
        children=[],
        victim_id=victim.pk,
        perpetrator_id=perpetrator.pk if perpetrator else None,
        child_ids=list(referral.children.order_by("pk").values_list("child_id", flat=True)),
        decision=replace(
            decision, actions=tuple(a for a in decision.actions if (a.type, a.subject) not in on_referral)
        ),
        facts=facts,
    )
    tasks, shares = _tasks_and_shares(plan, referral.pk, intake)
    referral_type = ContentType.objects.get_for_model(Referral).pk
    bulk_insert(
        Task,
        [{**t, "content_type_id": referral_type, "object_id": referral.pk} for t in tasks],
        history_user_id=user.pk,
    )
    referrals_first_contact_refresh(referral_ids=[referral.pk])
    held = _held(referral)
    for share, people in shares:
        parts, named = held.get(share["shared_with_id"], (set(), set()))
        if set(share["parts"]) <= parts and {person_id for person_id, _ in people} <= named:
            continue  # the agency already holds all of it
        share_create(
            subject=referral,
            shared_with=Agency.objects.get(pk=share["shared_with_id"]),
            shared_by=Agency.objects.filter(pk=share["shared_by_id"]).first(),
            people=people,
            parts=share["parts"],
            what=share["what"],
            why=share["why"],
            consent=share["consent"],
            consent_reason=share["consent_reason"],
            lawful_basis=share["lawful_basis"],
            user=user,
        )
    for task in referral.tasks.filter(action_type=ActionType.DASH_ASSESSMENT, status=TaskStatus.OPEN):
        task_record(task=task, user=user, status=TaskStatus.DONE, note=f"Completed by {safe[channel].lower()}.")
    return referral

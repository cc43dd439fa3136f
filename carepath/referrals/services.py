"""Writes for the One Front Door: every channel ends in ``referral_create``."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from carepath.configuration.definitions import PartnershipSettings
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.models import Agency, AgencyType
from carepath.events.models import Event
from carepath.people.models import Address, Person, Relationship, RelationshipKind, SafeContact
from carepath.people.safe_contact import usable_channels
from carepath.referrals.intake import ChildDetails, PersonDetails, ReferralInput
from carepath.referrals.models import Channel, Consent, Destination, InformationShare, Referral, ReferralChild
from carepath.referrals.selectors import victim_history
from carepath.risk.dash import assess_risk, dash_score
from carepath.risk.models import RiskAssessment
from carepath.triage.deadlines import due_at
from carepath.triage.models import Task
from carepath.triage.services import task_record
from carepath.triage.casejson import decision_to_json
from carepath.triage.rules import LAWFUL_BASIS_WITHOUT_CONSENT, Case, Child, Decision, Due, route

RELATIONSHIP_KINDS = {"partner": RelationshipKind.PARTNER, "ex_partner": RelationshipKind.EX_PARTNER,
                      "family": RelationshipKind.OTHER_FAMILY}


@dataclass(frozen=True)
class ReferralResult:
    referral: Referral
    created: bool


def _age_at(details: PersonDetails | ChildDetails, on: date) -> int | None:
    if details.date_of_birth:
        dob = details.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return details.age


def _person_create(details: PersonDetails | ChildDetails, agency_id: int) -> Person:
    person = Person.objects.create(
        recorded_by_id=agency_id, given_name=details.given_name.strip(), family_name=details.family_name.strip(),
        date_of_birth=details.date_of_birth, sex=getattr(details, "sex", "not_known"),
        phone=getattr(details, "phone", ""), pnc_id=getattr(details, "pnc_id", ""),
        nhs_number=getattr(details, "nhs_number", ""), first_language=getattr(details, "first_language", ""),
        interpreter_needed=getattr(details, "interpreter_needed", False),
    )
    address = getattr(details, "address", "")
    if address or getattr(details, "postcode", ""):
        Address.objects.create(person=person, line_1=address or "(not given)", postcode=getattr(details, "postcode", ""))
    return person


def _owner_for(agency_type: str, district_id: int | None, cache: dict) -> Agency | None:
    """The agency that owns a task: of the type, in the district if one exists there."""
    key = (agency_type, district_id)
    if key not in cache:
        candidates = Agency.objects.filter(agency_type=agency_type)
        cache[key] = (candidates.filter(district_id=district_id).first() if district_id else None) or \
            candidates.filter(district__isnull=True).order_by("name").first() or candidates.order_by("name").first()
    return cache[key]


def _safe_channels(data: ReferralInput) -> set[str]:
    return usable_channels(data.safe_contact.answers()) if data.safe_contact else set()


def referral_decide(data: ReferralInput, settings: PartnershipSettings, *, victim: Person | None) -> tuple[Decision, dict]:
    """Score, assess and route one referral (no writes). Returns the decision and the risk facts."""
    on = (data.occurred_at or data.received_at).date()
    if data.dash_answers is not None:
        score = dash_score({q: a.answer for q, a in data.dash_answers.items()})
    elif data.dash_score is not None:
        score = data.dash_score
    else:
        score = 0
    risk = assess_risk(score, data.judgement, settings)
    history = victim_history(person=victim, at=data.occurred_at or data.received_at, settings=settings)
    case = Case(
        victim_age=_age_at(data.victim, on), risk=risk, consent=data.consent, judgement=data.judgement,
        events_last_12_months=history.events_last_12_months + 1,
        last_marac_referral_days_ago=history.last_marac_referral_days_ago,
        children=tuple(Child(age=_age_at(c, on) or 0, harmed=c.harmed) for c in data.children if c.present),
        perpetrator_age=_age_at(data.perpetrator, on) if data.perpetrator else None,
        crime_recorded=data.crime_recorded, safe_channels=frozenset(_safe_channels(data)),
    )
    return route(case, settings), {"risk": risk, "dash_given": data.dash_answers is not None or data.dash_score is not None}


@transaction.atomic
def referral_create(*, data: ReferralInput) -> ReferralResult:
    """Record a referral from any channel: the people, the event, the DASH assessment,
    the routing decision, its tasks and the information shares they need.

    Re-sending a referral with the same external reference from the same agency and
    channel returns the first one and adds nothing.
    """
    if data.external_reference:
        existing = Referral.objects.filter(referring_agency_id=data.referring_agency_id, channel=data.channel,
                                           external_reference=data.external_reference).first()
        if existing:
            return ReferralResult(referral=existing, created=False)
    settings = partnership_settings_get()
    front_door = Agency.objects.filter(agency_type=AgencyType.FRONT_DOOR).order_by("name").first()
    recording_agency_id = data.referring_agency_id or (front_door.pk if front_door else None)
    if recording_agency_id is None:
        raise ValueError("No front-door agency is set up to receive public referrals.")

    victim = _person_create(data.victim, recording_agency_id)
    decision, facts = referral_decide(data, settings, victim=victim)
    perpetrator = _person_create(data.perpetrator, recording_agency_id) if data.perpetrator else None
    if perpetrator and data.relationship in RELATIONSHIP_KINDS:
        Relationship.objects.create(from_person=perpetrator, to_person=victim, kind=RELATIONSHIP_KINDS[data.relationship])
    if data.safe_contact:
        SafeContact.objects.create(person=victim, **{k: (list(v) if k == "do_not_contact_via" else v)
                                                     for k, v in data.safe_contact.__dict__.items()})

    event = None
    if data.referring_agency_id and data.occurred_at:
        event = Event.objects.create(
            agency_id=data.referring_agency_id,
            reference=data.external_reference or f"REF-{victim.pk}",
            occurred_at=data.occurred_at, reported_at=data.received_at, district_id=data.district_id,
            victim=victim, perpetrator=perpetrator, is_crime=bool(data.crime_recorded),
            risk_level=facts["risk"].level if facts["dash_given"] else (data.officer_grade or ""),
            dash_score=facts["risk"].score if facts["dash_given"] else None,
            children_present=any(c.present for c in data.children),
        )

    assessment = None
    if facts["dash_given"]:
        risk = facts["risk"]
        assessment = RiskAssessment.objects.create(
            person=victim, agency_id=recording_agency_id, assessed_by_id=data.created_by_id,
            assessed_at=data.occurred_at or data.received_at,
            answers={str(q): a.__dict__ for q, a in (data.dash_answers or {}).items()},
            score=risk.score, level_by_score=risk.level_by_score, level=risk.level,
            judgement_level=data.judgement.level if data.judgement else "",
            judgement_reason=data.judgement.reason if data.judgement else "",
        )
    decision_json = decision_to_json(decision)
    if not facts["dash_given"]:
        decision_json["messages"].insert(0, "No DASH checklist yet: the front door completes it at first contact.")
    referral = Referral.objects.create(
        channel=data.channel, destination=Destination.TRIAGE, referring_agency_id=data.referring_agency_id,
        victim=victim, perpetrator=perpetrator, event=event, district_id=data.district_id,
        received_at=data.received_at, created_by_id=data.created_by_id,
        receiving_agency=front_door, external_reference=data.external_reference,
        risk_assessment=assessment, risk_level=decision.risk_level if facts["dash_given"] else "",
        consent=data.consent, consent_reason=data.consent_reason, decision=decision_json,
        referrer_name=data.referrer_name, referrer_contact=data.referrer_contact,
        referrer_relationship=data.referrer_relationship, details=data.details,
    )
    children = []
    for child in data.children:
        person = _person_create(child, recording_agency_id)
        children.append(person)
        Relationship.objects.create(from_person=victim, to_person=person, kind=RelationshipKind.PARENT)
        ReferralChild.objects.create(referral=referral, child=person, age=_age_at(child, data.received_at.date()),
                                     present=child.present, harmed=child.harmed, risk_level=child.risk_level,
                                     risk_notes=child.risk_notes)

    people = [p for p in (victim, perpetrator, *children) if p is not None]
    shares = []
    if front_door and front_door.pk != recording_agency_id:
        shares += [(front_door, p, "Referral to the One Front Door") for p in people]
    owners: dict = {}
    tasks = []
    for action in decision.actions if facts["dash_given"] else ():
        owner = _owner_for(action.owner_agency, data.district_id, owners)
        tasks.append(Task(
            referral=referral, action_type=action.type, subject=action.subject, reason=action.reason,
            rule=action.rule, owner_agency=owner, owner_agency_type=action.owner_agency,
            due_at=due_at(data.received_at, action.due), contact_channels=list(action.contact_channels),
            lawful_basis=action.lawful_basis,
        ))
        if owner and owner.pk != recording_agency_id:
            subjects = [victim] if action.subject == "victim" else (
                [perpetrator] if action.subject == "perpetrator" else children)
            shares += [(owner, p, action.reason) for p in subjects if p is not None]
    if not facts["dash_given"] and front_door:
        tasks.append(Task(referral=referral, action_type="dash_assessment", subject="victim",
                          reason="Complete the DASH checklist with the victim, using only the channels they said are safe.",
                          rule="routing.no_dash_yet", owner_agency=front_door, owner_agency_type=AgencyType.FRONT_DOOR,
                          # Risk is unknown until assessed: treat it as high for the deadline.
                          due_at=due_at(data.received_at, Due(working_days=settings.first_contact_working_days_high)),
                          contact_channels=sorted(_safe_channels(data))))
    Task.objects.bulk_create(tasks)
    lawful_basis = "" if data.consent == Consent.GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT
    seen = set()
    InformationShare.objects.bulk_create([
        InformationShare(person=person, event=event, referral=referral, shared_with=agency,
                         shared_by_id=recording_agency_id, what="Referral, DASH answers and routing decision",
                         why=why, lawful_basis=lawful_basis, consent=data.consent, consent_reason=data.consent_reason,
                         shared_at=data.received_at)
        for agency, person, why in shares if (agency.pk, person.pk) not in seen and not seen.add((agency.pk, person.pk))
    ])
    return ReferralResult(referral=referral, created=True)



@transaction.atomic
def marac_referral_create(*, referral: Referral, user) -> Referral:
    """Refer the victim to MARAC, pre-filled from the front-door referral's DASH answers
    and decision: nobody retypes them. Records the marac_referral task as done."""
    existing = Referral.objects.filter(victim=referral.victim, destination=Destination.MARAC,
                                       risk_assessment=referral.risk_assessment).first()
    if existing:
        return existing
    marac = Agency.objects.filter(agency_type=AgencyType.MARAC).order_by("name").first()
    marac_referral = Referral.objects.create(
        channel=Channel.PROFESSIONAL, destination=Destination.MARAC, referring_agency_id=user.agency_id,
        victim=referral.victim, perpetrator=referral.perpetrator, event=referral.event, district=referral.district,
        received_at=timezone.now(), created_by=user, receiving_agency=marac,
        risk_assessment=referral.risk_assessment, risk_level=referral.risk_level, consent=referral.consent,
        consent_reason=referral.consent_reason, decision=referral.decision, details=referral.details,
    )
    task = referral.tasks.filter(action_type="marac_referral", status="open").first()
    if task is not None:
        task_record(task=task, user=user, status="done", note=f"Referred to MARAC (referral {marac_referral.pk}).")
    return marac_referral

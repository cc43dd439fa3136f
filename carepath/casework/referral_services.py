"""Referrals into casework from outside the front door (issue 14): another agency's form,
MARAC (a case accepted with no IDVA, or an action plan giving a service her support), and
a case handed over to another agency's service. Each is a referral with an open task in
the service's queue, due by the first-contact deadline for her risk level, and an
information share recorded with the service's agency, with her consent or the lawful
basis for sharing without it. Keyword-only and atomic; the rules are ``referral_rules``.
"""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.casework import referral_rules, rules
from carepath.casework.models import Case, Service, ServiceKind, ServiceReferral, StatusChange
from carepath.casework.services import CASEWORK_ACTIONS, works_on
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.ages import age_on
from carepath.core.codes import Consent, SharePart, TaskStatus
from carepath.core.history import changed_by
from carepath.core.models import District, Task
from carepath.core.services import share_create
from carepath.people.models import Person, SafeContact
from carepath.people.safe_contact import usable_channels
from carepath.people.selectors import identity_records
from carepath.referrals.intake import PersonDetails, SafeContactDetails
from carepath.referrals.models import Channel, Destination, Referral, ReferralStatus
from carepath.referrals.services import referral_people_record, referrer_victim_check
from carepath.risk.dash import Judgement, assess_risk
from carepath.risk.selectors import checklist_in_force
from carepath.risk.services import risk_assessment_record
from carepath.triage.deadlines import add_working_days
from carepath.triage.routing import LAWFUL_BASIS_WITHOUT_CONSENT

#: What a casework service is given of her referral: enough to reach her safely and plan
#: her safety (as the front door gives an IDVA: triage.routing.SHARES).
SHARED_PARTS = (SharePart.SUMMARY, SharePart.RISK, SharePart.DETAILS, SharePart.DECISION, SharePart.SAFE_CONTACT)


def service_words(service: Service) -> str:
    """A service with the districts it covers, as the referral form lists it."""
    districts = [d.name for d in service.districts.all()]
    return f"{service.name} ({', '.join(districts) if districts else 'the whole county'})"


def covers(service: Service, district: District | None) -> bool:
    """A service with no districts covers the whole county."""
    ids = {d.pk for d in service.districts.all()}
    return not ids or (district is not None and district.pk in ids)


def _destination(service: Service) -> str:
    return (
        Destination.IDVA
        if referral_rules.action_type_for(service.kind) == referral_rules.IDVA_REFERRAL
        else Destination.CASEWORKER
    )


def _due(level: str, now: datetime) -> datetime:
    settings = partnership_settings_get()
    days = referral_rules.first_contact_working_days(
        level,
        high=settings.first_contact_working_days_high,
        medium=settings.first_contact_working_days_medium,
        standard=settings.first_contact_working_days_standard,
    )
    return add_working_days(now, days)


def _channels(victim_id: int) -> list[str]:
    safe = SafeContact.objects.filter(person_id=victim_id).first()
    return sorted(usable_channels(safe.answers())) if safe else []


def _referral_with_task(
    *,
    service: Service,
    source: str,
    referring_agency,
    victim_id: int,
    user,
    now: datetime,
    reason: str,
    rule: str,
    consent: str,
    consent_reason: str,
    why: str,
    risk_level: str = "",
    risk_assessment_id: int | None = None,
    perpetrator_id: int | None = None,
    district_id: int | None = None,
    details: str = "",
    decision: dict | None = None,
) -> Referral:
    """The referral to the service, its open task in the service's queue (due by the
    first-contact deadline for her risk level, only by the channels she said are safe),
    and the information share with the service's agency."""
    lawful_basis = "" if consent == Consent.GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT
    referral = Referral(
        channel=Channel.PROFESSIONAL,
        destination=_destination(service),
        referring_agency=referring_agency,
        victim_id=victim_id,
        perpetrator_id=perpetrator_id,
        district_id=district_id,
        received_at=now,
        created_by=user,
        # No receiving agency: that is the front door's place (its triage and checklist).
        # The service opens the referral through its information share, as the front
        # door's IDVA referrals are opened, seeing only the parts shared.
        receiving_agency=None,
        risk_assessment_id=risk_assessment_id,
        risk_level=risk_level,
        consent=consent,
        consent_reason=consent_reason,
        details=details,
        status=ReferralStatus.ROUTED,
        status_changed_at=now,
        status_changed_by=user,
        decision={
            referral_rules.SOURCE_KEY: source,
            "casework_service": service.pk,
            "risk_level": risk_level or None,
            "marac_criteria": [],
            "actions": [],
            "flags": [],
            "messages": [],
            **(decision or {}),
        },
    )
    changed_by(referral, user, reason=f"Casework referral ({source})")
    referral.save()
    task = Task(
        subject=referral,
        action_type=referral_rules.action_type_for(service.kind),
        concerns="victim",
        reason=reason,
        rule=rule,
        owner_agency=service.agency,
        owner_agency_type=service.agency.agency_type,
        due_at=_due(risk_level, now),
        contact_channels=_channels(victim_id),
        lawful_basis=lawful_basis,
    )
    changed_by(task, user)
    task.save()
    ServiceReferral.objects.create(task=task, service=service)
    if service.agency_id == getattr(referring_agency, "pk", None):
        return referral  # the agency's own service: nothing leaves the agency, and it holds the referral
    named = [(victim_id, "the victim")]
    named += [(perpetrator_id, "the person causing harm")] if perpetrator_id else []
    share_create(
        subject=referral,
        shared_with=service.agency,
        shared_by=referring_agency,
        people=named,
        parts=list(SHARED_PARTS),
        what=f"Referral to {service.name}",
        why=why,
        consent=consent,
        consent_reason=consent_reason,
        lawful_basis=lawful_basis,
        shared_at=now,
        user=user,
    )
    return referral


def _safe_contact_record(*, victim_id: int, answers: SafeContactDetails | None, user) -> None:
    """Her safe contact as the referrer asked her: a new record when she has none; on her
    record, only the answers the referrer got from her (a question left "not known", a
    blank phone or email, changes nothing), and her "never contact by" list only grows."""
    if answers is None:
        return
    record = SafeContact.objects.filter(person_id=victim_id).first() or SafeContact(person_id=victim_id)
    for name in ("safe_phone", "safe_times", "safe_email", "notes"):
        if getattr(answers, name):
            setattr(record, name, getattr(answers, name))
    for name in ("voicemail_safe", "text_safe", "letter_safe", "email_safe"):
        if getattr(answers, name) not in ("", "not_known"):
            setattr(record, name, getattr(answers, name))
    record.do_not_contact_via = sorted(set(record.do_not_contact_via or ()) | set(answers.do_not_contact_via))
    changed_by(record, user, reason="Safe contact given on a casework referral")
    record.save()


@transaction.atomic
def casework_referral_from_agency(
    *,
    user,
    service: Service,
    district: District | None,
    consent: str,
    consent_reason: str = "",
    victim: Person | None = None,
    new_victim: PersonDetails | None = None,
    risk_level: str = "",
    dash_score: int | None = None,
    judgement_reason: str = "",
    needs: Sequence[str] = (),
    safe_contact: SafeContactDetails | None = None,
    details: str = "",
    now: datetime | None = None,
) -> Referral:
    """Any agency refers a victim to a casework service of its choosing (issue 14, 1): one
    the agency holds, or new records made as the front door's intake makes them; her risk
    level or DASH score if known (judgement raises the score's level with its reason, never
    lowers it: domain.md "Victim risk level"); her consent, or why it was refused or not
    sought (without it, only at high risk: ``referral_rules.consent_refusal``); what she
    needs; how she may safely be contacted. The service's manager finds the task in the
    queue, due by the first-contact deadline for her level. Refusals name the field."""
    now = now or timezone.now()
    settings = partnership_settings_get()
    referrer_victim_check(user=user, victim=victim, new_victim=new_victim, to="a casework service")
    errors: dict[str, str] = {}
    if service is None:
        errors["service"] = "Choose the service to refer her to."
    if district is None:
        errors["district"] = "Select the district she lives in."
    elif service is not None and not covers(service, district):
        errors["service"] = f"{service.name} does not cover {district.name}: choose a service that does."
    born, age = (victim.date_of_birth, None) if victim is not None else (new_victim.date_of_birth, new_victim.age)
    if born is not None:
        age = age_on(born, timezone.localdate(now))
    if age is not None and age < settings.victim_adult_age:
        errors["victim"] = (
            f"She is {age}: under {settings.victim_adult_age} this is child safeguarding, not casework. "
            "Refer to children's services."
        )
    if risk_level not in ("", "high", "medium", "standard"):
        errors["risk_level"] = "Choose high, medium or standard, or say it is not known."
    checklist = checklist_in_force()
    risk = None
    if dash_score is not None and not 0 <= dash_score <= checklist.max_score:
        errors["dash_score"] = f"Enter a DASH score from 0 to {checklist.max_score}."
    elif dash_score is not None and "risk_level" not in errors:
        by_score = assess_risk(dash_score, None, settings, checklist).level
        order = ("standard", "medium", "high")
        if risk_level and order.index(risk_level) < order.index(by_score):
            errors["risk_level"] = (
                f"A DASH score of {dash_score} is {by_score} risk: judgement can raise the level, never lower it."
            )
        elif risk_level and risk_level != by_score and not judgement_reason.strip():
            errors["judgement_reason"] = (
                f"Say why you judge the risk {risk_level} when the DASH score of {dash_score} is {by_score}."
            )
        else:
            judged = Judgement(risk_level, judgement_reason.strip()) if risk_level and risk_level != by_score else None
            risk = assess_risk(dash_score, judged, settings, checklist)
    level = risk.level if risk else risk_level
    errors.update(referral_rules.consent_refusal(consent=consent, consent_reason=consent_reason, risk_level=level))
    if referral_rules.needs_refusal(list(needs), rules.SPECIALISMS):
        errors["needs"] = referral_rules.needs_refusal(list(needs), rules.SPECIALISMS)
    if errors:
        raise ValidationError(errors)

    people = referral_people_record(
        agency_id=user.agency_id,
        user_id=user.pk,
        victim_id=victim.pk if victim is not None else None,
        victim=new_victim,
    )
    _safe_contact_record(victim_id=people.victim_id, answers=safe_contact, user=user)
    assessment_id = None
    if risk is not None:
        assessment = risk_assessment_record(
            person_id=people.victim_id,
            agency_id=user.agency_id,
            user=user,
            at=now,
            risk=risk,
            checklist_id=checklist.pk,
            judgement=Judgement(risk.level, judgement_reason) if risk.raised_by_judgement else None,
        )
        assessment_id = assessment.pk
    level_words = f"{level} risk" if level else "risk not known yet (treated as high for the deadline)"
    return _referral_with_task(
        service=service,
        source=referral_rules.AGENCY,
        referring_agency=user.agency,
        victim_id=people.victim_id,
        user=user,
        now=now,
        reason=f"Referred by {user.agency}: {level_words}. Contact her only by the ways she said are safe.",
        rule="casework.referral_from_agency",
        consent=consent,
        consent_reason=consent_reason.strip(),
        why=f"{user.agency} referred her to {service.name}, which contacts her safely and supports her.",
        risk_level=level,
        risk_assessment_id=assessment_id,
        district_id=district.pk,
        details=details.strip(),
        decision={
            "dash_score": dash_score,
            "needs": [n for n in rules.SPECIALISMS if n in needs],
            "messages": [f"Referred to {service.name} by {user.agency}."],
        },
    )


def _open_casework(victim: Person, *, agency_ids: Sequence[int] | None = None, idva_only: bool = False) -> bool:
    """Whether she (any of her linked records) has an open case, or an open referral task,
    at casework services (their agencies' when named; IDVA services only when asked)."""
    records = identity_records(identity_key=victim.identity)
    cases = Case.objects.filter(victim__in=records, status__in=rules.OPEN | {rules.DORMANT})
    tasks = Task.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id__in=Referral.objects.filter(victim__in=records).values("pk"),
        status=TaskStatus.OPEN,
        action_type__in=CASEWORK_ACTIONS,
    )
    if idva_only:
        cases = cases.filter(service__kind__in=referral_rules.IDVA_KINDS)
        tasks = tasks.filter(action_type=referral_rules.IDVA_REFERRAL)
    if agency_ids is not None:
        cases = cases.filter(service__agency_id__in=agency_ids)
        tasks = tasks.filter(owner_agency_id__in=agency_ids)
    return cases.exists() or tasks.exists()


def idva_service_for(district_id: int | None) -> Service | None:
    """The IDVA service covering a district: one that names it, else a county-wide one."""
    idva = Service.objects.filter(kind=ServiceKind.IDVA).select_related("agency").order_by("name")
    return (idva.filter(districts__pk=district_id).first() if district_id else None) or idva.filter(
        districts__isnull=True
    ).first()


def casework_referral_on_marac_accept(*, case, user, now: datetime) -> Referral | None:
    """A case accepted at MARAC (issue 14, 2): a MARAC case needs an IDVA (domain.md
    "Routing": high risk or MARAC case, IDVA support with a proactive contact). The front
    door routes one with every MARAC referral it makes; an agency's MARAC referral or a
    transfer in has none. So when she has no open IDVA case and no open IDVA referral, the
    IDVA service covering her district is sent one, from the MARAC. Not for a medium-risk
    MARAC's case: at medium risk her support rests on her consent (domain.md "Routing")."""
    referral = case.referral
    if case.marac.min_score is not None or case.marac.max_score is not None:
        return None
    if _open_casework(case.victim, idva_only=True):
        return None
    service = idva_service_for(referral.district_id)
    if service is None:
        return None
    return _from_marac(
        case=case,
        service=service,
        user=user,
        now=now,
        reason=f"MARAC case {case.number} ({case.marac}) has no IDVA: IDVA support with a proactive contact "
        "attempt. Contact her only by the ways she said are safe.",
        rule="casework.marac_case_without_idva",
        why=f"{case.marac} accepted her case: the IDVA contacts her safely and plans her safety around the "
        "person causing harm.",
        details=referral.details,
        decision={"marac_case": case.pk, "messages": [f"Sent by {case.marac} on accepting her case."]},
    )


def _from_marac(
    *, case, service: Service, user, now: datetime, reason: str, rule: str, why: str, details: str, decision: dict
) -> Referral:
    """A referral the MARAC sends a service for her case, on her referral's consent and risk."""
    referral = case.referral
    return _referral_with_task(
        service=service,
        source=referral_rules.MARAC,
        referring_agency=case.marac.agency,
        victim_id=case.victim_id,
        user=user,
        now=now,
        reason=reason,
        rule=rule,
        consent=referral.consent or Consent.NOT_SOUGHT,
        consent_reason=referral.consent_reason,
        why=why,
        risk_level=referral.risk_level,  # not known: due as high (referral_rules)
        risk_assessment_id=referral.risk_assessment_id,
        perpetrator_id=referral.perpetrator_id,
        district_id=referral.district_id,
        details=details,
        decision=decision,
    )


def casework_referral_on_marac_action(*, action, user, now: datetime) -> Referral | None:
    """An action in a MARAC plan for the victim, owned by an agency that runs casework
    services (issue 14, 2): the plan refers her to it. Unless she already has an open case
    or an open referral there, its service covering her district (else its first) is sent
    a referral from the MARAC, carrying the action agreed."""
    from carepath.marac.models import ActionFor

    case = action.case
    if action.action_for != ActionFor.VICTIM:
        return None
    offered = list(Service.objects.filter(agency_id=action.agency_id).select_related("agency").order_by("name"))
    if not offered or _open_casework(case.victim, agency_ids=[action.agency_id]):
        return None
    referral = case.referral
    service = next((s for s in offered if referral.district_id and covers(s, referral.district)), offered[0])
    return _from_marac(
        case=case,
        service=service,
        user=user,
        now=now,
        reason=f"MARAC case {case.number} ({case.marac}) agreed in its action plan that your service supports "
        "her. Contact her only by the ways she said are safe.",
        rule="casework.marac_action",
        why=f"{case.marac} agreed an action for your service in its plan for her.",
        details=f"The MARAC's action for your service: {action.action}",
        decision={
            "marac_case": case.pk,
            "marac_action": action.pk,
            "messages": [f"Sent by {case.marac}: an action in its plan."],
        },
    )


@transaction.atomic
def case_handover_to_service(
    *,
    case: Case,
    user,
    to_service: Service | None,
    agreed: str,
    consent: str,
    consent_reason: str = "",
    now: datetime | None = None,
) -> Referral:
    """Hand her case to another agency's casework service (issue 14, 3): that service is
    sent a referral carrying what was agreed with her (kept encrypted, as the referral's
    details), an open task due by the first-contact deadline for her risk level, and an
    information share with her consent or the lawful basis. The case here closes as handed
    over, with a note, keeping its history; the new service opens its own case (source:
    handover), whose worker is told what was agreed. Within the agency, ``case_handover``."""
    now = now or timezone.now()
    case = Case.objects.select_for_update(of=("self",)).select_related("service", "worker", "referral").get(pk=case.pk)
    if not works_on(user, case):
        raise PermissionDenied("Only the case's worker or a manager of its service hands it over.")
    errors: dict[str, str] = {}
    if to_service is None:
        errors["to_service"] = "Choose the service to hand her case to."
    elif to_service.agency_id == case.service.agency_id:
        errors["to_service"] = "That service is your agency's own: hand the case to one of its workers instead."
    if not agreed.strip():
        errors["agreed"] = "Tell the new service what was agreed with her."
    errors.update(
        referral_rules.consent_refusal(consent=consent, consent_reason=consent_reason, risk_level=case.risk_level)
    )
    refusal = referral_rules.handover_refusal(case.status)
    if refusal:
        errors["to_service"] = refusal
    if errors:
        raise ValidationError(errors)
    earlier = case.referral
    referral = _referral_with_task(
        service=to_service,
        source=referral_rules.HANDOVER,
        referring_agency=case.service.agency,
        victim_id=case.victim_id,
        user=user,
        now=now,
        reason=f"Handed over by {case.service} ({case.service.agency}): what was agreed with her comes with it. "
        "Contact her only by the ways she said are safe.",
        rule="casework.handover_between_agencies",
        consent=consent,
        consent_reason=consent_reason.strip(),
        why=f"{case.service} handed her case to {to_service.name}, which carries on supporting her.",
        risk_level=case.risk_level,
        risk_assessment_id=earlier.risk_assessment_id if earlier else None,
        perpetrator_id=earlier.perpetrator_id if earlier else None,
        district_id=earlier.district_id if earlier else None,
        details=agreed.strip(),
        decision={
            "handed_over_from_case": case.pk,
            "from_worker": case.worker_id,
            "needs": list(case.needs),
            "messages": [f"Handed over by {case.service}."],
        },
    )
    StatusChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=rules.HANDED_OVER,
        at=now,
        by=user,
        note=f"Handed over to {to_service.name} ({to_service.agency}) as referral {referral.pk}. "
        f"Agreed with her: {agreed.strip()}",
    )
    case.status, case.closed_at = rules.HANDED_OVER, now
    case.save(update_fields=["status", "closed_at"])
    return referral

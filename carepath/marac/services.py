"""MARAC writes: meetings planned, referrals checked (accepted and listed, or returned),
research asked and returned, and the meeting itself: attendance, each case heard (summary,
risks, action plan, the perpetrator's risk-management plan), actions followed up and
chased, cases closed or transferred.

Keyword-only and atomic; each change is in the records' history (``RecordHistory``).
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.ages import age_on
from carepath.core.bulk import bulk_insert
from carepath.core.codes import ActionType, AgencyType, Consent, SharePart, TaskStatus, values
from carepath.core.history import changed_by
from carepath.core.models import Agency, District, InformationShare, Task
from carepath.core.services import share_create, task_record
from carepath.marac import rules
from carepath.marac.models import (
    IN_THE_ROOM,
    OPEN_CASE_STATUSES,
    ActionFor,
    ActionStatus,
    Attendance,
    CaseSource,
    CaseStatus,
    Marac,
    MaracAction,
    MaracAttendance,
    MaracCase,
    MaracDiscussion,
    MaracMeeting,
    MaracResearch,
    MeetingStatus,
    RiskManagementPlan,
)
from carepath.people.models import Person
from carepath.people.selectors import identity_records
from carepath.referrals.intake import ChildDetails, PersonDetails
from carepath.referrals.models import Channel, Destination, Referral, ReferralChild
from carepath.referrals.services import marac_coordination_serving, referral_people_record, referrer_victim_check
from carepath.risk.dash import HIGH, Judgement, assess_risk
from carepath.risk.selectors import checklist_in_force
from carepath.risk.services import risk_assessment_record
from carepath.triage.deadlines import add_working_days, working_days_before
from carepath.triage.routing import (
    LAWFUL_BASIS_WITHOUT_CONSENT,
    POTENTIAL_ESCALATION,
    PROFESSIONAL_JUDGEMENT,
    REPEAT,
    VISIBLE_HIGH_RISK,
    criterion_words,
)

#: Meetings kept planned ahead of today, so that a case can roll past full ones.
MEETINGS_AHEAD = 6

#: What the apps after MARAC do when it accepts a case or agrees an action in a plan
#: (casework: the IDVA or service referral the case calls for), each called as
#: ``hook(case=..., user=..., now=...)`` or ``hook(action=..., user=..., now=...)`` in the
#: same transaction. Registered from their ``AppConfig.ready()``: MARAC imports none of them.
CASE_ACCEPTED_HOOKS: list[Callable] = []
ACTION_ADDED_HOOKS: list[Callable] = []


def register_case_accepted(hook: Callable) -> None:
    if hook not in CASE_ACCEPTED_HOOKS:
        CASE_ACCEPTED_HOOKS.append(hook)


def register_action_added(hook: Callable) -> None:
    if hook not in ACTION_ADDED_HOOKS:
        ACTION_ADDED_HOOKS.append(hook)


@transaction.atomic
def marac_meetings_plan(
    *, marac: Marac, now: datetime | None = None, count: int = MEETINGS_AHEAD
) -> list[MaracMeeting]:
    """Make sure the next ``count`` meetings of the MARAC's pattern exist (planned, with the
    MARAC's capacity); returns the planned meetings to come, soonest first."""
    now = now or timezone.now()
    for starts_at in rules.meeting_times(marac.pattern, marac.first_meeting, after=now, count=count):
        MaracMeeting.objects.get_or_create(marac=marac, starts_at=starts_at, defaults={"capacity": marac.capacity})
    return list(marac.meetings.filter(starts_at__gte=now, status=MeetingStatus.PLANNED).order_by("starts_at"))


def _meeting_with_room(meetings: list[MaracMeeting], *, earliest: datetime) -> rules.Scheduling:
    """``rules.meeting_with_room`` over planned meetings, with the cases each already lists."""
    listed = dict(
        MaracMeeting.objects.filter(pk__in=[m.pk for m in meetings])
        .annotate(n=Count("cases", filter=Q(cases__status__in=(CaseStatus.LISTED, CaseStatus.DISCUSSED))))
        .values_list("pk", "n")
    )
    return rules.meeting_with_room(
        [rules.MeetingRoom(m.pk, m.starts_at, listed.get(m.pk, 0), m.capacity) for m in meetings], earliest=earliest
    )


def _can_check(user, referral: Referral) -> bool:
    return (
        referral.destination == Destination.MARAC
        and referral.receiving_agency_id is not None
        and referral.receiving_agency_id == user.agency_id
        and user.has_perm("marac.check_marac_referral")
    )


def _marac_hearing(referral: Referral, *, lock: bool = False) -> Marac | None:
    """The coordination's MARAC that hears this referral (``rules.marac_for``), locked
    while its next case number and meeting place are taken. A ``ValidationError`` when
    none does and the caller needs one."""
    maracs = Marac.objects.filter(agency_id=referral.receiving_agency_id).prefetch_related("districts")
    score = referral.risk_assessment.score if referral.risk_assessment_id else None
    chosen = rules.marac_for(
        [rules.MaracScope(m.pk, frozenset(d.pk for d in m.districts.all()), m.min_score, m.max_score) for m in maracs],
        district_id=referral.district_id,
        score=score,
    )
    if chosen is None:
        if lock:
            raise ValidationError(
                "None of your MARACs hears this referral (its district or DASH score is outside them): "
                "return it to the referrer with the MARAC it belongs to."
            )
        return None
    return (Marac.objects.select_for_update() if lock else Marac.objects).get(pk=chosen)


def _source(referral: Referral) -> str:
    decision = referral.decision or {}
    if decision.get("transferred_from") or decision.get("transferred_from_outside"):
        return CaseSource.TRANSFER_IN
    if (referral.decision or {}).get("source") == CaseSource.AGENCY:
        return CaseSource.AGENCY  # made on an agency's MARAC referral form
    return CaseSource.FRONT_DOOR if referral.risk_assessment_id and referral.decision else CaseSource.AGENCY


#: The SafeLives criteria an agency may refer on (domain.md "MARAC referral criteria" 1-4).
AGENCY_CRITERIA = (VISIBLE_HIGH_RISK, PROFESSIONAL_JUDGEMENT, POTENTIAL_ESCALATION, REPEAT)


def _coordination_hearing(*, district: District, score: int | None) -> Agency | None:
    """The MARAC coordination that hears a referral: the one running the MARAC configured
    for the district that hears the score (``rules.marac_for``: a medium-risk MARAC for a
    score in its band), else the coordination serving the district as the front door finds it."""
    maracs = list(Marac.objects.filter(districts=district).select_related("agency").prefetch_related("districts"))
    chosen = rules.marac_for(
        [rules.MaracScope(m.pk, frozenset(d.pk for d in m.districts.all()), m.min_score, m.max_score) for m in maracs],
        district_id=district.pk,
        score=score,
    )
    if chosen is not None:
        return next(m.agency for m in maracs if m.pk == chosen)
    return marac_coordination_serving(district_id=district.pk)


@transaction.atomic
def marac_referral_from_agency(
    *,
    user,
    district: District | None,
    criterion: str,
    consent: str,
    consent_reason: str = "",
    victim: Person | None = None,
    new_victim: PersonDetails | None = None,
    perpetrator: PersonDetails | None = None,
    relationship: str = "",
    children: Sequence[ChildDetails] = (),
    dash_score: int | None = None,
    judgement_reason: str = "",
    details: str = "",
    transferred_from_outside: str = "",
    now: datetime | None = None,
) -> Referral:
    """Any agency refers a victim straight to MARAC on its own form (seed 002: too few
    referrals come from anyone but the police; issue 13, 1), on the criterion it states
    (domain.md "MARAC referral criteria": visible high risk with its DASH score,
    professional judgement with its reason, potential escalation or a repeat).

    The referral goes to the MARAC coordination that hears it (the district's MARAC, a
    medium-risk one for a score in its band), is the referring agency's to see, carries
    the criterion in the decision so the coordinator's queue shows it in words, and records
    what was shared with the coordination, with the victim's consent or the lawful basis
    for sharing without it (domain.md "Information sharing"). The victim is one the
    agency may already see, or new records made as the front door's intake makes them.
    Refuses (``ValidationError`` naming the field) what MARAC cannot hear. A case open at
    a MARAC outside the partnership, whose victim has moved here, arrives this way too,
    naming that MARAC (``transferred_from_outside``): a transfer in, not a new case."""
    now = now or timezone.now()
    settings = partnership_settings_get()
    referrer_victim_check(user=user, victim=victim, new_victim=new_victim, to="MARAC")
    errors: dict[str, str] = {}
    if criterion not in AGENCY_CRITERIA:
        errors["criterion"] = "Choose why the case goes to MARAC."
    elif criterion == VISIBLE_HIGH_RISK and (dash_score is None or dash_score < settings.dash_high_threshold):
        errors["dash_score"] = (
            f"Visible high risk needs a DASH score of {settings.dash_high_threshold} or more: enter it, "
            "or choose another reason."
        )
    elif criterion == PROFESSIONAL_JUDGEMENT and not judgement_reason.strip():
        errors["judgement_reason"] = (
            "Say why you judge the risk to be high: professional judgement needs its reason, and the MARAC reads it."
        )
    if consent not in values(Consent):
        errors["consent"] = "Say whether the victim agreed to this referral."
    elif consent != Consent.GIVEN and not consent_reason.strip():
        errors["consent_reason"] = "Say why consent was refused or not sought: the lawful basis rests on it."
    born, age = (victim.date_of_birth, None) if victim is not None else (new_victim.date_of_birth, new_victim.age)
    if born is not None:
        age = age_on(born, timezone.localdate(now))
    if age is not None and age < settings.victim_adult_age:
        errors["victim"] = (
            f"The victim is {age}: under {settings.victim_adult_age} this is child safeguarding, not a MARAC case. "
            "Refer to children's services."
        )
    checklist = checklist_in_force()
    if dash_score is not None and not 0 <= dash_score <= checklist.max_score:
        errors["dash_score"] = f"Enter a DASH score from 0 to {checklist.max_score}."
    coordination = _coordination_hearing(district=district, score=dash_score) if district is not None else None
    if district is None:
        errors["district"] = "Select the district the victim lives in: it decides which MARAC hears the case."
    elif coordination is None:
        errors["district"] = "No MARAC serves this district yet: ask the partnership's MARAC coordinator."
    if errors:
        raise ValidationError(errors)

    people = referral_people_record(
        agency_id=user.agency_id,
        user_id=user.pk,
        victim_id=victim.pk if victim is not None else None,
        victim=new_victim,
        perpetrator=perpetrator,
        relationship=relationship,
        children=children,
    )
    judgement = Judgement(level=HIGH, reason=judgement_reason.strip()) if criterion == PROFESSIONAL_JUDGEMENT else None
    assessment, level = None, HIGH if judgement else ""
    if dash_score is not None:
        risk = assess_risk(dash_score, judgement, settings, checklist)
        assessment = risk_assessment_record(
            person_id=people.victim_id,
            agency_id=user.agency_id,
            user=user,
            at=now,
            risk=risk,
            checklist_id=checklist.pk,
            judgement=judgement,
        )
        level = risk.level
    words = criterion_words(settings)
    referral = Referral(
        channel=Channel.PROFESSIONAL,
        destination=Destination.MARAC,
        referring_agency_id=user.agency_id,
        victim_id=people.victim_id,
        perpetrator_id=people.perpetrator_id,
        district=district,
        received_at=now,
        created_by=user,
        receiving_agency=coordination,
        risk_assessment=assessment,
        risk_level=level,
        consent=consent,
        consent_reason=consent_reason.strip(),
        details=details.strip(),
        decision={
            "source": CaseSource.TRANSFER_IN if transferred_from_outside.strip() else CaseSource.AGENCY,
            "transferred_from_outside": transferred_from_outside.strip(),
            "risk_level": level or None,
            "dash_score": dash_score,
            "marac_criteria": [criterion],
            "actions": [],
            "flags": [],
            "messages": [f"Referred to MARAC by {user.agency}: {words[criterion]}."]
            + ([f"Professional judgement: {judgement.reason}"] if judgement else []),
        },
    )
    changed_by(referral, user, reason="MARAC referral from an agency's form")
    referral.save()
    bulk_insert(
        ReferralChild,
        [
            {
                "referral_id": referral.pk,
                "child_id": child_id,
                "age": c.age,
                "present": c.present,
                "harmed": c.harmed,
                "risk_level": c.risk_level,
                "risk_notes": c.risk_notes,
            }
            for child_id, c in zip(people.child_ids, children)
        ],
        history_user_id=user.pk,
    )
    # MARAC agrees one plan for the victim, the children and the person causing harm.
    named = [(people.victim_id, "the victim")]
    named += [(people.perpetrator_id, "the person causing harm")] if people.perpetrator_id else []
    named += [(child_id, "a child in the household") for child_id in people.child_ids]
    share_create(
        subject=referral,
        shared_with=coordination,
        shared_by=user.agency,
        people=named,
        parts=list(SharePart),
        what="MARAC referral",
        why=f"Referred to MARAC ({words[criterion]}) for a multi-agency plan for the victim, the children "
        "and the person causing harm.",
        consent=consent,
        consent_reason=consent_reason.strip(),
        lawful_basis="" if consent == Consent.GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT,
        shared_at=now,
        user=user,
    )
    return referral


@transaction.atomic
def marac_referral_accept(*, referral: Referral, user, now: datetime | None = None) -> MaracCase:
    """The coordinator accepts a MARAC referral: it becomes a case with the MARAC's next
    number, flagged as a repeat when the victim (any of her linked records) had a MARAC
    referral within the repeat window, and listed at the first meeting with room whose
    research deadline is still ahead (a full meeting rolls it forward, and the case says
    how many it rolled past)."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update(of=("self",)).select_related("victim").get(pk=referral.pk)
    if not _can_check(user, referral):
        raise PermissionDenied("Only the MARAC's own coordinators check its referrals.")
    if MaracCase.objects.filter(referral=referral).exists():
        raise ValidationError("This MARAC referral has already been checked.")
    marac = _marac_hearing(referral, lock=True)
    settings = partnership_settings_get()
    referred_on = timezone.localdate(referral.received_at)
    # A transfer is the same case moving with her, not a repeat of it.
    earlier = (
        MaracCase.objects.filter(
            victim__in=identity_records(identity_key=referral.victim.identity), number__isnull=False
        )
        .exclude(pk=(referral.decision or {}).get("transferred_from") or 0)
        .values_list("pk", "referred_on")
    )
    repeat = rules.repeat_of(
        referred_on,
        [rules.EarlierCase(pk, on) for pk, on in earlier],
        window_days=settings.marac_repeat_window_days,
    )
    criteria = list((referral.decision or {}).get("marac_criteria", []))
    if repeat and "repeat" not in criteria:
        criteria.append("repeat")
    # Research is due the set number of working days before the meeting: a meeting
    # sooner than that cannot have it back.
    earliest = add_working_days(now, settings.marac_research_working_days) + timedelta(seconds=1)
    scheduling = _meeting_with_room(marac_meetings_plan(marac=marac, now=now), earliest=earliest)
    number = (MaracCase.objects.filter(marac=marac).aggregate(n=Max("number"))["n"] or 0) + 1
    case = MaracCase.objects.create(
        marac=marac,
        referral=referral,
        victim=referral.victim,
        number=number,
        source=_source(referral),
        criteria=criteria,
        status=CaseStatus.LISTED if scheduling.meeting_id else CaseStatus.AWAITING_MEETING,
        meeting_id=scheduling.meeting_id,
        referred_on=referred_on,
        repeat_of_id=repeat.case_id if repeat else None,
        rolled_past=len(scheduling.rolled_past),
        transferred_from_id=(referral.decision or {}).get("transferred_from"),
        transferred_from_outside=(referral.decision or {}).get("transferred_from_outside", ""),
        checked_by=user,
        checked_at=now,
    )
    for hook in CASE_ACCEPTED_HOOKS:
        hook(case=case, user=user, now=now)
    return case


@transaction.atomic
def marac_referral_return(*, referral: Referral, user, reason: str, now: datetime | None = None) -> MaracCase:
    """The coordinator returns a MARAC referral to the referrer, with the reason (it does
    not meet the criteria, it belongs to another MARAC, ...). The reason is kept."""
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if not _can_check(user, referral):
        raise PermissionDenied("Only the MARAC's own coordinators check its referrals.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is returned: the referrer reads it."})
    if MaracCase.objects.filter(referral=referral).exists():
        raise ValidationError("This MARAC referral has already been checked.")
    marac = _marac_hearing(referral) or Marac.objects.filter(agency_id=referral.receiving_agency_id).first()
    if marac is None:
        raise ValidationError("Your coordination has no MARAC set up yet.")
    now = now or timezone.now()
    return MaracCase.objects.create(
        marac=marac,
        referral=referral,
        victim_id=referral.victim_id,
        source=_source(referral),
        criteria=list((referral.decision or {}).get("marac_criteria", [])),
        status=CaseStatus.RETURNED,
        referred_on=timezone.localdate(referral.received_at),
        returned_reason=reason.strip(),
        checked_by=user,
        checked_at=now,
    )


def coordinates(user, case: MaracCase) -> bool:
    """Whether the user is one of the coordinators of the case's MARAC."""
    return user.agency_id == case.marac.agency_id and user.has_perm("marac.check_marac_referral")


def _consent_and_basis(case: MaracCase) -> tuple[str, str]:
    """The victim's consent to sharing as the referral recorded it, and the lawful basis
    when it was not given (domain.md "Information sharing")."""
    consent = case.referral.consent or Consent.NOT_SOUGHT
    return consent, "" if consent == Consent.GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT


@transaction.atomic
def marac_research_request(
    *, case: MaracCase, agencies: list, user, now: datetime | None = None
) -> list[MaracResearch]:
    """Invite agencies to research a listed case before its meeting: each gets the case
    (an information share naming the victim and the children, with the lawful basis when
    she did not consent), a research task in its queue, due the set number of working
    days before the meeting. An agency already invited is not asked twice."""
    now = now or timezone.now()
    case = (
        MaracCase.objects.select_for_update(of=("self",)).select_related("marac", "meeting", "referral").get(pk=case.pk)
    )
    if not coordinates(user, case):
        raise PermissionDenied("Only the MARAC's own coordinators ask for research.")
    if case.status != CaseStatus.LISTED or case.meeting is None:
        raise ValidationError("Only a case listed for a meeting can be researched.")
    settings = partnership_settings_get()
    due = working_days_before(case.meeting.starts_at, settings.marac_research_working_days)
    asked = set(case.research.values_list("agency_id", flat=True))
    consent, basis = _consent_and_basis(case)
    children = [(c, "a child in the household") for c in case.referral.children.values_list("child_id", flat=True)]
    made = []
    for agency in agencies:
        if agency.pk in asked or agency.pk == case.marac.agency_id:
            continue
        asked.add(agency.pk)
        made.append(
            MaracResearch.objects.create(case=case, agency=agency, due_at=due, requested_by=user, requested_at=now)
        )
        share_create(
            subject=case,
            shared_with=agency,
            shared_by=case.marac.agency,
            people=[(case.victim_id, "the victim"), *children],
            parts=[SharePart.SUMMARY, SharePart.RISK, SharePart.CHILDREN],
            what="MARAC case for research before the meeting",
            why=f"{case.marac} asks what your agency holds on the victim, the children and the person "
            "causing harm, for its risk-management plan.",
            consent=consent,
            lawful_basis=basis,
            shared_at=now,
            user=user,
        )
        Task.objects.create(
            subject=case,
            action_type=ActionType.MARAC_RESEARCH,
            concerns="victim",
            reason=f"Research for MARAC case {case.number}: what your agency holds on the victim, each child "
            f"and the person causing harm, back before the meeting on {timezone.localtime(case.meeting.starts_at):%-d %B %Y}.",
            rule="domain.md 'Defaults for the pathway beyond the front door' (MARAC research due before the meeting)",
            owner_agency=agency,
            owner_agency_type=agency.agency_type,
            due_at=due,
            lawful_basis=basis,
        )
    return made


@transaction.atomic
def marac_research_return(
    *,
    research: MaracResearch,
    user,
    victim: str = "",
    children: str = "",
    perpetrator: str = "",
    nothing_held: bool = False,
    now: datetime | None = None,
) -> MaracResearch:
    """An invited agency returns its research: what it holds (or that it holds nothing),
    shared with the MARAC's coordination with its lawful basis; its research task is done."""
    now = now or timezone.now()
    research = (
        MaracResearch.objects.select_for_update(of=("self",))
        .select_related("case__marac", "case__referral", "agency")
        .get(pk=research.pk)
    )
    if user.agency_id != research.agency_id:
        raise PermissionDenied("Only the invited agency returns its research.")
    if research.returned_at is not None:
        raise ValidationError("Your agency's research for this case has already been returned.")
    if not nothing_held and not any(text.strip() for text in (victim, children, perpetrator)):
        raise ValidationError("Say what your agency holds, or tick that it holds nothing on these people.")
    research.victim, research.children, research.perpetrator = victim.strip(), children.strip(), perpetrator.strip()
    research.nothing_held = nothing_held
    research.returned_at, research.returned_by = now, user
    research.save()
    case = research.case
    consent, basis = _consent_and_basis(case)
    share_create(
        subject=case,
        shared_with=case.marac.agency,
        shared_by=research.agency,
        people=[(case.victim_id, "the victim")],
        parts=[SharePart.DETAILS],
        what="MARAC research",
        why="What the agency holds, for the MARAC meeting's risk-management plan.",
        consent=consent,
        lawful_basis=basis,
        shared_at=now,
        user=user,
    )
    for task in Task.objects.filter(
        content_type=ContentType.objects.get_for_model(MaracCase),
        object_id=case.pk,
        action_type=ActionType.MARAC_RESEARCH,
        owner_agency_id=research.agency_id,
        status=TaskStatus.OPEN,
    ):
        task_record(task=task, user=user, status=TaskStatus.DONE, note="Research returned to the MARAC.")
    return research


def _coordinated_meeting(meeting: MaracMeeting, user) -> MaracMeeting:
    meeting = MaracMeeting.objects.select_for_update(of=("self",)).select_related("marac").get(pk=meeting.pk)
    if user.agency_id != meeting.marac.agency_id or not user.has_perm("marac.check_marac_referral"):
        raise PermissionDenied("Only the MARAC's own coordinators and chairs record its meetings.")
    return meeting


def _meeting_day_reached(meeting: MaracMeeting, now: datetime) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled.")
    if timezone.localdate(meeting.starts_at) > timezone.localdate(now):
        raise ValidationError(
            f"The meeting is on {timezone.localtime(meeting.starts_at):%-d %B %Y}: record it on the day or after."
        )


@transaction.atomic
def marac_attendance_record(
    *,
    meeting: MaracMeeting,
    user,
    attendance: str,
    agency=None,
    organisation: str = "",
    attendee: str = "",
    confidentiality_signed: bool = False,
    now: datetime | None = None,
) -> MaracAttendance:
    """Record one agency's (or an outside observer's) part in a meeting: present, apologies,
    apologies with information sent, or observing. Nobody hears the cases without having
    signed the confidentiality statement, so a person present or observing must have."""
    now = now or timezone.now()
    meeting = _coordinated_meeting(meeting, user)
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": "Choose present, apologies, information sent or observer."})
    organisation, attendee = organisation.strip(), attendee.strip()
    if agency is None and not organisation:
        raise ValidationError({"agency": "Choose the agency, or name an observer's organisation."})
    if agency is None and attendance != Attendance.OBSERVER:
        raise ValidationError({"agency": "Only an observer can come from outside the partnership: choose the agency."})
    if attendance in IN_THE_ROOM and not attendee:
        raise ValidationError({"attendee": "Give the name and role of the person in the room."})
    if attendance in IN_THE_ROOM and not confidentiality_signed:
        raise ValidationError(
            {
                "confidentiality_signed": "Everyone in the room signs the confidentiality statement before the first case."
            }
        )
    if (
        agency is not None
        and attendance != Attendance.OBSERVER
        and meeting.attendance.filter(agency=agency).exclude(attendance=Attendance.OBSERVER).exists()
    ):
        raise ValidationError({"agency": f"{agency} is already recorded for this meeting."})
    return MaracAttendance.objects.create(
        meeting=meeting,
        agency=agency,
        organisation="" if agency is not None else organisation,
        attendee=attendee,
        attendance=attendance,
        confidentiality_signed_at=now if attendance in IN_THE_ROOM else None,
        recorded_by=user,
        recorded_at=now,
    )


def _case_for_meeting(case: MaracCase, user) -> MaracCase:
    case = (
        MaracCase.objects.select_for_update(of=("self",)).select_related("marac", "meeting", "referral").get(pk=case.pk)
    )
    if not coordinates(user, case):
        raise PermissionDenied("Only the MARAC's own coordinators and chairs record what its meeting agreed.")
    return case


@transaction.atomic
def marac_case_discuss(
    *, case: MaracCase, user, summary: str, risks: str, now: datetime | None = None
) -> MaracDiscussion:
    """Record a case as its meeting heard it: the summary and the risks identified (to the
    victim, the children and others). Heard again at a later meeting, it gets another."""
    now = now or timezone.now()
    case = _case_for_meeting(case, user)
    if case.status not in (CaseStatus.LISTED, CaseStatus.DISCUSSED) or case.meeting is None:
        raise ValidationError("Only a case listed for a meeting can be heard.")
    _meeting_day_reached(case.meeting, now)
    errors = {}
    if not summary.strip():
        errors["summary"] = "Give the summary the meeting agreed."
    if not risks.strip():
        errors["risks"] = "Give the risks the meeting identified."
    if errors:
        raise ValidationError(errors)
    discussion, _ = MaracDiscussion.objects.update_or_create(
        case=case,
        meeting=case.meeting,
        defaults={"summary": summary.strip(), "risks": risks.strip(), "recorded_by": user, "recorded_at": now},
    )
    case.status = CaseStatus.DISCUSSED
    case.save(update_fields=["status"])
    return discussion


def _share_case_with(case: MaracCase, agency, *, what: str, why: str, user, now: datetime) -> None:
    """Share a case with an agency given work on it, once: the information share records
    with whom, why and on what basis."""
    already = InformationShare.objects.filter(
        content_type=ContentType.objects.get_for_model(MaracCase), object_id=case.pk, shared_with=agency
    )
    if agency.pk == case.marac.agency_id or already.exists():
        return
    consent, basis = _consent_and_basis(case)
    children = [(c, "a child in the household") for c in case.referral.children.values_list("child_id", flat=True)]
    share_create(
        subject=case,
        shared_with=agency,
        shared_by=case.marac.agency,
        people=[(case.victim_id, "the victim"), *children],
        parts=[SharePart.SUMMARY, SharePart.RISK, SharePart.CHILDREN],
        what=what,
        why=why,
        consent=consent,
        lawful_basis=basis,
        shared_at=now,
        user=user,
    )


@transaction.atomic
def marac_action_add(
    *,
    case: MaracCase,
    user,
    action_for: str,
    action: str,
    agency,
    owner: str,
    due_on,
    child=None,
    now: datetime | None = None,
) -> MaracAction:
    """Add an action to a heard case's plan: for the victim, a child of the household or the
    person causing harm, owned by an agency and a named person there, due by a date. The
    owning agency is given the case (an information share) so that it can report back."""
    now = now or timezone.now()
    case = _case_for_meeting(case, user)
    if case.status != CaseStatus.DISCUSSED:
        raise ValidationError("Record the meeting's summary and risks before its actions.")
    errors = {}
    if action_for not in ActionFor.values:
        errors["action_for"] = "Say whom the action is for: the victim, a child or the person causing harm."
    household = set(case.referral.children.values_list("child_id", flat=True))
    if action_for == ActionFor.CHILD and (child is None or child.pk not in household):
        errors["child"] = "Choose the child of the household the action is for."
    if not action.strip():
        errors["action"] = "Say what is to be done."
    if not owner.strip():
        errors["owner"] = "Name the person at the agency who does it."
    if due_on is None:
        errors["due_on"] = "Give the date it is due."
    elif due_on < timezone.localdate(case.meeting.starts_at):
        errors["due_on"] = "The due date cannot be before the meeting."
    if agency is None or agency.partnership_id != case.marac.agency.partnership_id:
        errors["agency"] = "Choose the agency that owns the action."
    if errors:
        raise ValidationError(errors)
    made = MaracAction.objects.create(
        case=case,
        meeting=case.meeting,
        action_for=action_for,
        child=child if action_for == ActionFor.CHILD else None,
        action=action.strip(),
        agency=agency,
        owner=owner.strip(),
        due_on=due_on,
        created_by=user,
        created_at=now,
    )
    _share_case_with(
        case,
        agency,
        what="MARAC case with an action for your agency",
        why=f"{case.marac} agreed an action for your agency in its plan for the victim, the children and "
        "the person causing harm; report back whether it is done.",
        user=user,
        now=now,
    )
    for hook in ACTION_ADDED_HOOKS:
        hook(action=made, user=user, now=now)
    return made


def _chases(action: MaracAction):
    return Task.objects.filter(
        content_type=ContentType.objects.get_for_model(MaracCase),
        object_id=action.case_id,
        action_type=ActionType.MARAC_ACTION,
        owner_agency_id=action.agency_id,
        status=TaskStatus.OPEN,
    )


@transaction.atomic
def marac_action_update(
    *, action: MaracAction, user, status: str, note: str = "", now: datetime | None = None
) -> MaracAction:
    """Report how an action ended: done, not possible because circumstances changed (say
    what changed), or (the coordinator only) the agency did not act. The owning agency's
    reminder, if any, is done with it."""
    now = now or timezone.now()
    action = MaracAction.objects.select_for_update(of=("self",)).select_related("case__marac").get(pk=action.pk)
    coordinator = coordinates(user, action.case)
    if not coordinator and user.agency_id != action.agency_id:
        raise PermissionDenied("Only the owning agency or the MARAC's coordinators report on an action.")
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action has already been reported on.")
    if status not in (ActionStatus.DONE, ActionStatus.NOT_POSSIBLE, ActionStatus.NOT_ACTED):
        raise ValidationError({"status": "Choose done, not possible or the agency did not act."})
    if status == ActionStatus.NOT_ACTED and not coordinator:
        raise PermissionDenied("Only the MARAC's coordinators record that an agency did not act.")
    if status != ActionStatus.DONE and not note.strip():
        raise ValidationError({"note": "Say what changed, or what the agency did not do."})
    action.status, action.status_note, action.status_by, action.status_at = status, note.strip(), user, now
    action.save()
    # Only the owning agency records its own reminder done; one left open once the
    # action is reported would chase it for nothing, so it is closed here either way.
    if not _actions_open_for(action):
        _chases(action).update(status=TaskStatus.DONE, done_by=user, done_at=now, note="The actions were reported on.")
    return action


def _actions_open_for(action: MaracAction) -> bool:
    return MaracAction.objects.filter(
        case_id=action.case_id, agency_id=action.agency_id, status=ActionStatus.OPEN, chased_at__isnull=False
    ).exists()


@transaction.atomic
def marac_actions_chase(*, now: datetime | None = None, marac: Marac | None = None) -> int:
    """Chase every open action past its due date and not chased yet (``rules.actions_to_chase``):
    a task in the owning agency's queue to report whether it is done. Returns how many."""
    now = now or timezone.now()
    open_actions = MaracAction.objects.select_for_update().filter(status=ActionStatus.OPEN)
    if marac is not None:
        open_actions = open_actions.filter(case__marac=marac)
    due = rules.actions_to_chase(
        list(open_actions.values_list("pk", "due_on", "chased_at")), today=timezone.localdate(now)
    )
    for action in MaracAction.objects.filter(pk__in=due).select_related("case__marac", "agency"):
        Task.objects.create(
            subject=action.case,
            action_type=ActionType.MARAC_ACTION,
            concerns="victim",
            reason=f"An action your agency owns in MARAC case {action.case.number} ({action.case.marac}) was "
            f"due on {action.due_on:%-d %B %Y}: open the case and say whether it is done.",
            rule="domain.md 'Defaults for the pathway beyond the front door' (MARAC action status)",
            owner_agency=action.agency,
            owner_agency_type=action.agency.agency_type,
            due_at=now,
        )
        action.chased_at = now
        action.save(update_fields=["chased_at"])
    return len(due)


@transaction.atomic
def risk_management_plan_record(
    *,
    case: MaracCase,
    user,
    police_lead,
    options: list[str],
    notes: str = "",
    review_on=None,
    now: datetime | None = None,
) -> RiskManagementPlan:
    """The plan for the person causing harm, owned by a police lead, with the options
    chosen from seed 002 §4.2 (``rules.PERPETRATOR_OPTIONS``). The coordinator records it
    at the meeting; the lead's force is given the case."""
    now = now or timezone.now()
    case = _case_for_meeting(case, user)
    if case.status != CaseStatus.DISCUSSED:
        raise ValidationError("Record the meeting's summary and risks before the plan for the person causing harm.")
    errors = {}
    lead_agency = getattr(police_lead, "agency", None)
    if lead_agency is None or lead_agency.agency_type != AgencyType.POLICE:
        errors["police_lead"] = "The plan's lead is a police officer: choose one."
    unknown = [o for o in options if o not in rules.PERPETRATOR_OPTIONS]
    if unknown or not options:
        errors["options"] = "Choose at least one of the options for the person causing harm."
    if errors:
        raise ValidationError(errors)
    plan, _ = RiskManagementPlan.objects.update_or_create(
        case=case,
        defaults={
            "police_lead": police_lead,
            "options": [o for o in rules.PERPETRATOR_OPTIONS if o in options],
            "notes": notes.strip(),
            "review_on": review_on,
            "updated_by": user,
            "updated_at": now,
        },
    )
    _share_case_with(
        case,
        lead_agency,
        what="MARAC case with a risk-management plan your officer leads",
        why=f"{case.marac} agreed a risk-management plan for the person causing harm, led by your officer.",
        user=user,
        now=now,
    )
    return plan


@transaction.atomic
def marac_case_close(*, case: MaracCase, user, reason: str, now: datetime | None = None) -> MaracCase:
    """Close a case at the meeting or on review, with the reason. Its actions stay to be
    reported on."""
    now = now or timezone.now()
    case = _case_for_meeting(case, user)
    if case.status != CaseStatus.DISCUSSED:
        raise ValidationError("Only a case the meeting has heard can be closed.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case closes."})
    case.status, case.closed_at, case.closed_reason, case.review_on = CaseStatus.CLOSED, now, reason.strip(), None
    case.save(update_fields=["status", "closed_at", "closed_reason", "review_on"])
    return case


@transaction.atomic
def marac_case_review_set(*, case: MaracCase, user, review_on, now: datetime | None = None) -> MaracCase:
    """Keep a heard case open to be reviewed at a later meeting: it is listed at the first
    meeting on or after the review date with room."""
    now = now or timezone.now()
    case = _case_for_meeting(case, user)
    if case.status != CaseStatus.DISCUSSED:
        raise ValidationError("Only a case the meeting has heard can be kept open for review.")
    if review_on is None or review_on <= timezone.localdate(case.meeting.starts_at):
        raise ValidationError({"review_on": "Give a review date after this meeting."})
    meetings = [
        m for m in marac_meetings_plan(marac=case.marac, now=now) if timezone.localdate(m.starts_at) >= review_on
    ]
    scheduling = _meeting_with_room(meetings, earliest=now)
    case.review_on = review_on
    if scheduling.meeting_id:
        case.meeting_id, case.status = scheduling.meeting_id, CaseStatus.LISTED
    case.save(update_fields=["review_on", "meeting", "status"])
    return case


@transaction.atomic
def marac_case_transfer(
    *,
    case: MaracCase,
    user,
    reason: str,
    to_marac: Marac | None = None,
    to_outside: str = "",
    now: datetime | None = None,
) -> MaracCase:
    """The victim has moved: transfer the case to the MARAC of her new area. Within the
    partnership the receiving coordination gets a MARAC referral carrying the case's criteria
    (its case, once accepted, says where it came from, and the victim's MARAC history follows
    her linked records); outside it, the case records where it went. Either way this case
    keeps its history and closes as transferred."""
    now = now or timezone.now()
    case = _case_for_meeting(case, user)
    if case.status not in OPEN_CASE_STATUSES:
        raise ValidationError("Only an open case can be transferred.")
    to_outside = to_outside.strip()
    if (to_marac is None) == (not to_outside):
        raise ValidationError({"to_marac": "Choose the partnership's MARAC, or name the MARAC outside it."})
    if to_marac is not None and to_marac.pk == case.marac_id:
        raise ValidationError({"to_marac": "The case is already at this MARAC."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is transferred (for example, where she has moved)."})
    if to_marac is not None:
        referral = case.referral
        moved = Referral.objects.create(
            channel=referral.channel,
            destination=Destination.MARAC,
            referring_agency=case.marac.agency,
            victim_id=case.victim_id,
            perpetrator_id=referral.perpetrator_id,
            event_id=referral.event_id,
            district=to_marac.districts.order_by("pk").first() or referral.district,
            received_at=now,
            created_by=user,
            receiving_agency=to_marac.agency,
            risk_assessment_id=referral.risk_assessment_id,
            risk_level=referral.risk_level,
            consent=referral.consent,
            consent_reason=referral.consent_reason,
            decision={**(referral.decision or {}), "marac_criteria": list(case.criteria), "transferred_from": case.pk},
            details=referral.details,
        )
        for child in referral.children.all():
            child.pk = None
            child.referral = moved
            child.save()
    case.status, case.closed_at = CaseStatus.TRANSFERRED_OUT, now
    case.closed_reason = reason.strip()
    case.transferred_to_outside = to_outside
    case.save(update_fields=["status", "closed_at", "closed_reason", "transferred_to_outside"])
    return case


@transaction.atomic
def marac_meeting_held(*, meeting: MaracMeeting, user, chair: str, now: datetime | None = None) -> MaracMeeting:
    """Record that the meeting was held and who chaired it. A listed case it did not reach
    goes to the next meeting with room."""
    now = now or timezone.now()
    meeting = _coordinated_meeting(meeting, user)
    _meeting_day_reached(meeting, now)
    if not chair.strip():
        raise ValidationError({"chair": "Name the chair."})
    if not meeting.attendance.filter(attendance=Attendance.PRESENT).exists():
        raise ValidationError("Record who was present before closing the meeting.")
    meeting.status, meeting.chair = MeetingStatus.HELD, chair.strip()
    meeting.save(update_fields=["status", "chair"])
    later = marac_meetings_plan(marac=meeting.marac, now=now)
    for case in meeting.cases.filter(status=CaseStatus.LISTED).order_by("number"):
        scheduling = _meeting_with_room(later, earliest=now)
        case.meeting_id = scheduling.meeting_id
        case.status = CaseStatus.LISTED if scheduling.meeting_id else CaseStatus.AWAITING_MEETING
        case.save(update_fields=["meeting", "status"])
    return meeting

"""MARAC reads: the referrals waiting for the coordinator's check, and the cases."""

from dataclasses import dataclass

from django.db.models import QuerySet

from carepath.core import access
from carepath.core.codes import AgencyType, RiskLevel, label
from carepath.core.models import Agency
from carepath.marac.models import MaracCase, MaracResearch
from carepath.referrals.models import Destination, Referral


def marac_referrals_to_check(*, user) -> QuerySet[Referral]:
    """MARAC referrals sent to the user's MARAC that nobody has checked yet, oldest first.
    Empty for anyone who may not check them."""
    if not user.has_perm("marac.check_marac_referral"):
        return Referral.objects.none()
    return (
        access.records_visible_to(user, Referral)
        .filter(destination=Destination.MARAC, receiving_agency_id=user.agency_id, marac_case__isnull=True)
        .order_by("received_at", "pk")
    )


def maracs_serving(district_id: int):
    """The MARACs configured to serve a district, with their score bands, for routing at
    the front door (registered with ``referrals.services.register_maracs_serving``). A
    band open at one end is closed by the checklist's bounds."""
    from carepath.marac.models import Marac
    from carepath.referrals.services import MaracServing
    from carepath.risk.selectors import checklist_in_force

    rows = Marac.objects.filter(districts=district_id).order_by("pk").values_list("agency_id", "min_score", "max_score")
    top = checklist_in_force().max_score
    return [
        MaracServing(agency_id)
        if low is None and high is None
        else MaracServing(agency_id, low or 0, top if high is None else high)
        for agency_id, low, high in rows
    ]


def criteria_in_words():
    """A reader of MARAC criterion codes: the partnership's own words for each (its
    thresholds and windows), read once per page. Unknown codes are left out, never shown."""
    from carepath.configuration.selectors import partnership_settings_get
    from carepath.triage.routing import criterion_words

    words = criterion_words(partnership_settings_get())
    return lambda codes: [words[c] for c in codes if c in words]


def risk_in_words(level: str) -> str:
    return label(RiskLevel, level) or "Not assessed"


def marac_case_involvement(agency_id: int):
    """The MARAC's own coordination holds its cases (access registry rule)."""
    from django.db.models import Q

    return Q(marac__agency_id=agency_id)


def marac_case_people(case: MaracCase):
    """The people a MARAC case's page shows: the victim (children and the perpetrator come
    with the referral's own page)."""
    return [(case.victim_id, "victim")]


def case_research(*, case: MaracCase, user) -> list[MaracResearch]:
    """The research of a case the user may read: all of it for the MARAC's coordination,
    only its own for an invited agency (one agency never reads another's research)."""
    research = case.research.select_related("agency")
    if user.agency_id != case.marac.agency_id:
        research = research.filter(agency_id=user.agency_id)
    return list(research.order_by("agency__name"))


def agencies_to_invite(*, case: MaracCase) -> list[Agency]:
    """The partnership's agencies the coordinator may still ask for research on a case."""
    asked = case.research.values("agency_id")
    return list(
        Agency.objects.filter(partnership_id=case.marac.agency.partnership_id)
        .exclude(agency_type__in=(AgencyType.MARAC, AgencyType.PARTNERSHIP))
        .exclude(pk__in=asked)
        .order_by("name")
    )


@dataclass(frozen=True)
class AgendaItem:
    """One case on a meeting's agenda: what the chair needs to hear it, no contact
    details and no address (issue 13, 3)."""

    case: MaracCase
    victim: str
    born: str
    perpetrator: str
    risk: str
    score: int | None
    criteria: list[str]
    repeat: bool
    children: list[str]
    flags: list[str]
    research_returned: int
    research_asked: int
    heard: bool = False

    @property
    def people(self) -> list[int]:
        referral = self.case.referral
        return [p for p in (referral.victim_id, referral.perpetrator_id) if p] + [
            c.child_id for c in referral.children.all()
        ]


def meeting_for_coordinator(*, user, meeting_id: int):
    """A meeting of one of the user's agency's MARACs, or None (as for a missing one)."""
    from carepath.marac.models import MaracMeeting

    if not user.has_perm("marac.check_marac_referral"):
        return None
    return MaracMeeting.objects.select_related("marac").filter(pk=meeting_id, marac__agency_id=user.agency_id).first()


def meeting_agenda(*, meeting) -> list[AgendaItem]:
    """The cases listed for a meeting, by case number, as the agenda shows them."""
    from carepath.marac.models import CaseStatus
    from carepath.referrals.templatetags.referral_words import flag_words

    in_words = criteria_in_words()
    from django.db.models import Q

    # Listed there, or heard there (a case heard and since closed, transferred or listed
    # for its review is still on the agenda of the meeting that heard it).
    cases = (
        MaracCase.objects.filter(
            Q(meeting=meeting, status__in=(CaseStatus.LISTED, CaseStatus.DISCUSSED)) | Q(discussions__meeting=meeting)
        )
        .distinct()
        .select_related("referral__victim", "referral__perpetrator", "referral__risk_assessment")
        .prefetch_related("referral__children__child", "research", "discussions")
        .order_by("number")
    )
    items = []
    for case in cases:
        referral = case.referral
        research = list(case.research.all())
        items.append(
            AgendaItem(
                case=case,
                victim=referral.victim.display_name,
                born=referral.victim.date_of_birth_shown,
                perpetrator=referral.perpetrator.display_name if referral.perpetrator else "Not known",
                risk=risk_in_words(referral.risk_level),
                score=referral.risk_assessment.score if referral.risk_assessment_id else None,
                criteria=in_words(case.criteria),
                repeat=case.is_repeat,
                children=[
                    f"{c.child.given_name or 'A child'}, {'aged ' + str(c.age) if c.age is not None else 'age not known'}"
                    for c in referral.children.all()
                ],
                flags=[w for w in (flag_words(f) for f in (referral.decision or {}).get("flags", [])) if w],
                research_returned=sum(r.returned_at is not None for r in research),
                research_asked=len(research),
                heard=any(d.meeting_id == meeting.pk for d in case.discussions.all()),
            )
        )
    return items


def case_actions(*, case: MaracCase, user) -> list:
    """A case's actions the user may read: all for the MARAC's coordination, only its own
    for an agency that owns some."""
    actions = case.actions.select_related("agency", "meeting", "child")
    if user.agency_id != case.marac.agency_id:
        actions = actions.filter(agency_id=user.agency_id)
    return list(actions.order_by("due_on", "pk"))


def case_plan(*, case: MaracCase, user):
    """The perpetrator's risk-management plan, for the MARAC's coordination and the police
    lead's force only; None otherwise or when there is none."""
    from carepath.marac.models import RiskManagementPlan

    plan = RiskManagementPlan.objects.select_related("police_lead__agency").filter(case=case).first()
    if plan is None or user.agency_id not in (case.marac.agency_id, plan.police_lead.agency_id):
        return None
    return plan


def household_children(*, case: MaracCase) -> list[tuple[int, str]]:
    """The children of the case's household, as the action form offers them."""
    return [
        (c.child_id, f"{c.child.given_name or 'A child'}{', aged ' + str(c.age) if c.age is not None else ''}")
        for c in case.referral.children.select_related("child").order_by("pk")
    ]


@dataclass(frozen=True)
class MinutesItem:
    """One case as the minutes record it: who, the summary and risks, the action plan and
    the perpetrator's plan. No contact details and no address."""

    case: MaracCase
    victim: str
    perpetrator: str
    discussion: object
    actions: list
    plan_options: list[str]
    plan_lead: str
    outcome: str

    @property
    def people(self) -> list[int]:
        referral = self.case.referral
        return [p for p in (referral.victim_id, referral.perpetrator_id) if p]


def meeting_minutes(*, meeting) -> list[MinutesItem]:
    """The cases a meeting heard, by case number, with what it agreed."""
    from carepath.marac.models import CaseStatus, MaracDiscussion, RiskManagementPlan
    from carepath.marac.rules import options_in_words

    discussions = (
        MaracDiscussion.objects.filter(meeting=meeting)
        .select_related("case__referral__victim", "case__referral__perpetrator", "case__meeting")
        .order_by("case__number")
    )
    plans = {
        p.case_id: p
        for p in RiskManagementPlan.objects.filter(case__discussions__meeting=meeting).select_related("police_lead")
    }
    actions: dict[int, list] = {}
    for action in meeting.actions.select_related("agency", "child").order_by("due_on", "pk"):
        actions.setdefault(action.case_id, []).append(action)
    items = []
    for d in discussions:
        case, referral = d.case, d.case.referral
        plan = plans.get(case.pk)
        if case.status == CaseStatus.CLOSED:
            outcome = f"Closed: {case.closed_reason}"
        elif case.status == CaseStatus.TRANSFERRED_OUT:
            outcome = f"Transferred: {case.closed_reason}"
        elif case.review_on and case.meeting_id != meeting.pk:
            outcome = f"Kept open, to be reviewed from {case.review_on:%-d %B %Y}"
        else:
            outcome = "Open"
        items.append(
            MinutesItem(
                case=case,
                victim=referral.victim.display_name,
                perpetrator=referral.perpetrator.display_name if referral.perpetrator else "Not known",
                discussion=d,
                actions=actions.get(case.pk, []),
                plan_options=options_in_words(plan.options) if plan else [],
                plan_lead=(plan.police_lead.get_full_name() or plan.police_lead.username) if plan else "",
                outcome=outcome,
            )
        )
    return items


def action_tracking(*, user, marac_id: int | None = None, overdue_only: bool = False, today=None):
    """The action-tracking report for the user's coordination: every action of its MARACs'
    cases (MARAC date, case number, action, agency, due, status), overdue first when asked."""
    from carepath.marac.models import ActionStatus, MaracAction

    if not user.has_perm("marac.check_marac_referral"):
        return MaracAction.objects.none()
    actions = MaracAction.objects.filter(case__marac__agency_id=user.agency_id).select_related(
        "case__marac", "meeting", "agency"
    )
    if marac_id:
        actions = actions.filter(case__marac_id=marac_id)
    if overdue_only:
        actions = actions.filter(status=ActionStatus.OPEN, due_on__lt=today)
    return actions.order_by("meeting__starts_at", "case__number", "due_on", "pk")


def maracs_for_returns(*, user=None, partnership_id: int | None = None):
    """The MARACs whose returns a user may see (those of their own agency, for a
    coordinator; none for anyone else), or every MARAC of a partnership (the command)."""
    from carepath.marac.models import Marac

    if user is not None:
        if not user.has_perm("marac.check_marac_referral"):
            return Marac.objects.none()
        return Marac.objects.filter(agency_id=user.agency_id).order_by("name")
    maracs = Marac.objects.order_by("name")
    return maracs.filter(agency__partnership_id=partnership_id) if partnership_id else maracs


def marac_returns(*, maracs, quarter) -> list:
    """The SafeLives quarterly return of each MARAC for a quarter (``returns.marac_return``),
    from a handful of queries whatever the number of cases: the meetings in the quarter,
    the cases heard at them, the rows of those cases and their children counted, each as
    plain values, never one query per case."""
    from collections import defaultdict
    from datetime import datetime, time, timedelta

    from django.db.models import Count, Sum
    from django.utils import timezone

    from carepath.configuration.selectors import partnership_settings_get
    from carepath.marac import returns
    from carepath.marac.models import MaracDiscussion, MaracMeeting
    from carepath.referrals.models import ReferralChild

    maracs = list(maracs.annotate(women=Sum("districts__women_16_plus")).order_by("name"))
    ids = [m.pk for m in maracs]
    zone = timezone.get_current_timezone()
    starts = datetime.combine(quarter.first_day, time.min, tzinfo=zone)
    ends = datetime.combine(quarter.last_day + timedelta(days=1), time.min, tzinfo=zone)
    meetings = defaultdict(list)
    for pk, marac_id, starts_at, status in MaracMeeting.objects.filter(
        marac_id__in=ids, starts_at__gte=starts, starts_at__lt=ends
    ).values_list("pk", "marac_id", "starts_at", "status"):
        meetings[marac_id].append(returns.MeetingRow(pk, timezone.localtime(starts_at, zone).date(), status))
    heard = MaracDiscussion.objects.filter(
        meeting__marac_id__in=ids, meeting__starts_at__gte=starts, meeting__starts_at__lt=ends
    )
    discussions = defaultdict(list)
    for case_id, meeting_id, marac_id in heard.values_list("case_id", "meeting_id", "meeting__marac_id"):
        discussions[marac_id].append((case_id, meeting_id))
    case_ids = heard.values("case_id")
    children = dict(
        ReferralChild.objects.filter(referral__marac_case__in=case_ids)
        .values_list("referral__marac_case")
        .annotate(n=Count("pk"))
        .values_list("referral__marac_case", "n")
    )
    cases = {
        pk: returns.CaseRow(pk, number, referred_on, repeat_of is not None, *rest, children=children.get(pk, 0))
        for pk, number, referred_on, repeat_of, *rest in MaracCase.objects.filter(pk__in=case_ids)
        .order_by()
        .values_list(
            "pk",
            "number",
            "referred_on",
            "repeat_of_id",
            "referral__referring_agency__agency_type",
            "victim__sex",
            "victim__gender_identity",
            "victim__trans",
            "victim__ethnicity",
            "victim__disability",
            "victim__sexual_orientation",
            "victim__date_of_birth",
            "referral__perpetrator__date_of_birth",
        )
    }
    rate = partnership_settings_get().marac_expected_cases_per_10k_women
    return [
        returns.marac_return(
            marac=m.name,
            quarter=quarter,
            meetings=meetings[m.pk],
            discussions=discussions[m.pk],
            cases=cases,
            women_16_plus=m.women,
            expected_per_10k_women=rate,
            banded=m.min_score is not None or m.max_score is not None,
        )
        for m in maracs
    ]


def marac_history(*, case: MaracCase) -> list[MaracCase]:
    """The victim's other MARAC cases, across her linked records and the partnership's
    MARACs, newest first: what the coordinator and chair weigh a repeat against."""
    from carepath.people.selectors import identity_records

    return list(
        MaracCase.objects.filter(victim__in=identity_records(identity_key=case.victim.identity), number__isnull=False)
        .exclude(pk=case.pk)
        .select_related("marac", "meeting")
        .order_by("-referred_on", "-pk")
    )

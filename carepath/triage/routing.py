"""Routing: "resources follow risk". Pure Python, no Django imports.

Implements ``shared/docs/domain.md`` "Routing" (seed 002 §2.1 and Appendix 2, One Front
Door) and "MARAC referral criteria" (SafeLives). Every action carries the rule that
produced it and a reason in words, so a triage worker sees why. Thresholds, ages and
deadlines come from ``PartnershipSettings``.
"""

from dataclasses import dataclass, field

from carepath.configuration.definitions import PartnershipSettings
from carepath.core.codes import AgencyType, Consent, SharePart
from carepath.risk.dash import HIGH, MEDIUM, Judgement, RiskResult

# MARAC referral criteria (domain.md "MARAC referral criteria" 1-4)
VISIBLE_HIGH_RISK = "visible_high_risk"
PROFESSIONAL_JUDGEMENT = "professional_judgement"
POTENTIAL_ESCALATION = "potential_escalation"
REPEAT = "repeat"
# Not a SafeLives criterion: a partnership's own medium-risk MARAC (Stevenage's hears
# DASH scores 10-13) hears medium-risk cases in its band that meet none of the four
# (domain.md "Domain reference": areas differ; issue 13, 1).
MEDIUM_RISK_MARAC = "medium_risk_marac"

CONSENT_GIVEN, CONSENT_REFUSED, CONSENT_NOT_SOUGHT = Consent.GIVEN, Consent.REFUSED, Consent.NOT_SOUGHT
CONSENTS = tuple(Consent)

# Owners are agency types (carepath.core.models.AgencyType); services pick the agency.
FRONT_DOOR, MARAC_OWNER, IDVA_SERVICE, POLICE = (
    AgencyType.FRONT_DOOR,
    AgencyType.MARAC,
    AgencyType.IDVA_SERVICE,
    AgencyType.POLICE,
)
CHILDRENS_SERVICES, HEALTH_VISITING, EDUCATION, VICTIM_SUPPORT = (
    AgencyType.CHILDRENS_SERVICES,
    AgencyType.HEALTH_VISITING,
    AgencyType.EDUCATION,
    AgencyType.VICTIM_SUPPORT,
)

# Lawful basis for sharing without consent (domain.md "Information sharing").
LAWFUL_BASIS_WITHOUT_CONSENT = (
    "UK GDPR Art 6(1)(e) public task and Art 9 substantial public interest; "
    "DPA 2018 Schedule 1 para 18 (safeguarding of children and individuals at risk)"
)
# A child's notification rests on the duty to safeguard children, whatever the adult's
# consent (Children Act 1989 s.17 and s.47; Children Act 2004 s.11).
LAWFUL_BASIS_CHILDREN = (
    "Children Act 1989 s.17 and s.47 and Children Act 2004 s.11 (safeguarding children); "
    "UK GDPR Art 6(1)(e) public task and Art 9 substantial public interest; "
    "DPA 2018 Schedule 1 para 18 (safeguarding of children and individuals at risk)"
)

# What rests on other agencies' records (the victim's and perpetrator's history): the front
# door sees it; a referrer does not (no oracle: referring a name must not reveal who else knows them).
HISTORY_CRITERIA = frozenset({POTENTIAL_ESCALATION, REPEAT})
HISTORY_FLAGS = frozenset({"serial_perpetrator", "repeat_perpetrator"})
PERPETRATOR_FLAGGED = "Perpetrator flagged"

# Actions that do not depend on the victim's risk level: taken even before a DASH checklist.
RISK_INDEPENDENT_ACTIONS = frozenset(
    {
        "child_safeguarding_only",
        "children_services_notification",
        "health_visitor_notification",
        "school_notification",
        "child_protection_referral",
    }
)

# Actions that contact the victim, and so may only use channels the victim said are safe.
VICTIM_CONTACT_ACTIONS = frozenset(
    {
        "idva_referral",
        "caseworker_referral",
        "seek_consent",
        "signpost_universal",
        "victim_support_offer",
    }
)


@dataclass(frozen=True)
class Child:
    age: int | None  # None: a child is known to be there, age not given
    harmed: bool = False


@dataclass(frozen=True)
class Case:
    """What triage knows about one victim at one event."""

    victim_age: int | None
    risk: RiskResult
    consent: str
    judgement: Judgement | None = None
    events_last_12_months: int = 1
    last_marac_referral_days_ago: int | None = None
    children: tuple[Child, ...] = ()
    perpetrator_age: int | None = None
    crime_recorded: bool | None = None
    # Channels the victim said are safe (people.safe_contact.usable_channels); empty: none known.
    safe_channels: frozenset[str] = frozenset()
    perpetrator_distinct_victims: int | None = None
    perpetrator_events_against_victim_12_months: int | None = None
    # The DASH score band (lowest, highest) of a medium-risk MARAC serving the victim's
    # district, looked up by the caller from the MARACs configured; None where none does.
    medium_marac_band: tuple[int, int] | None = None


@dataclass(frozen=True)
class Due:
    """A deadline relative to the referral's arrival (``carepath.triage.deadlines``): a
    number of working days later; a number of hours later, round the clock (urgent); or
    before the school day starts (``school_day_start``, "HH:MM") on the ``school_days``-th
    school day to start after it."""

    working_days: int | None = None
    school_days: int | None = None
    hours: int | None = None
    school_day_start: str | None = None

    def as_dict(self) -> dict[str, int | str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Share:
    """What the owning agency is given to do an action (domain.md "Information sharing"):
    the people named ("victim", "perpetrator", "children" or one "child N"), the parts of
    the referral, and why; no more than the action needs."""

    people: tuple[str, ...]
    parts: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Action:
    type: str
    reason: str
    rule: str
    owner_agency: str
    subject: str = "victim"
    due: Due | None = None
    contact_channels: tuple[str, ...] = ()
    lawful_basis: str = ""
    share: Share | None = None


_ALL_PARTS = tuple(SharePart)
_VICTIM_WORK = (
    SharePart.SUMMARY,
    SharePart.RISK,
    SharePart.DASH_ANSWERS,
    SharePart.DETAILS,
    SharePart.DECISION,
    SharePart.SAFE_CONTACT,
)
#: The share each action's owner is given. Actions the front door owns need none: the
#: front door holds the whole referral.
SHARES = {
    "marac_referral": Share(
        ("victim", "perpetrator", "children"),
        _ALL_PARTS,
        "MARAC agrees one plan for the victim, the children and the person causing harm.",
    ),
    "idva_referral": Share(
        ("victim", "perpetrator"),
        _VICTIM_WORK,
        "The IDVA contacts the victim safely and plans their safety around the person causing harm.",
    ),
    "caseworker_referral": Share(
        ("victim", "perpetrator"),
        _VICTIM_WORK,
        "The caseworker contacts the victim safely and plans their safety around the person causing harm.",
    ),
    "victim_support_offer": Share(
        ("victim",),
        (SharePart.SUMMARY, SharePart.SAFE_CONTACT),
        "Victim Support offers the victim a volunteer, using only the safe channels.",
    ),
    "perpetrator_risk_plan": Share(
        ("perpetrator", "victim"),
        (SharePart.SUMMARY, SharePart.RISK, SharePart.DASH_ANSWERS, SharePart.DETAILS, SharePart.DECISION),
        "The police lead plans how to manage the risk the perpetrator poses to the victim.",
    ),
    "children_services_notification": Share(
        ("children",),
        (SharePart.SUMMARY, SharePart.RISK, SharePart.CHILDREN),
        "Children's services check on the children, knowing the adult's risk.",
    ),
    "child_protection_referral": Share(
        ("child",),
        (SharePart.SUMMARY, SharePart.RISK, SharePart.DETAILS, SharePart.CHILDREN),
        "The child protection team needs what happened to the child.",
    ),
    "health_visitor_notification": Share(
        ("child",), (SharePart.SUMMARY, SharePart.CHILDREN), "The health visitor checks on the child."
    ),
    "school_notification": Share(
        ("child",), (SharePart.SUMMARY, SharePart.CHILDREN), "The school's safeguarding lead looks out for the child."
    ),
    "child_safeguarding_only": Share(
        ("victim", "perpetrator", "children"),
        _ALL_PARTS,
        "The victim is a child: children's services take the whole case.",
    ),
}


@dataclass(frozen=True)
class Decision:
    risk_level: str
    dash_score: int
    marac_criteria: tuple[str, ...]
    actions: tuple[Action, ...]
    flags: tuple[str, ...] = ()
    messages: tuple[str, ...] = field(default_factory=tuple)


def marac_criteria(case: Case, settings: PartnershipSettings) -> tuple[str, ...]:
    """Which of the four SafeLives criteria hold (domain.md "MARAC referral criteria")."""
    criteria = []
    if case.risk.score >= settings.dash_high_threshold:
        criteria.append(VISIBLE_HIGH_RISK)
    if case.judgement is not None and case.judgement.level == HIGH and case.judgement.reason.strip():
        criteria.append(PROFESSIONAL_JUDGEMENT)
    if case.events_last_12_months >= settings.marac_escalation_events:
        criteria.append(POTENTIAL_ESCALATION)
    if (
        case.last_marac_referral_days_ago is not None
        and case.last_marac_referral_days_ago <= settings.marac_repeat_window_days
    ):
        criteria.append(REPEAT)
    return tuple(criteria)


def route(case: Case, settings: PartnershipSettings) -> Decision:
    """The decision for one case: MARAC criteria, actions (each with its rule), flags, messages."""
    if case.consent not in CONSENTS:
        raise ValueError(f"consent: {case.consent!r} is not one of {', '.join(CONSENTS)}.")
    if case.victim_age is not None and case.victim_age < settings.victim_adult_age:
        return _child_victim(case, settings)

    flags: list[str] = []
    messages: list[str] = []
    actions: list[Action] = []
    criteria = marac_criteria(case, settings)
    young = case.victim_age is not None and case.victim_age <= settings.young_victim_max_age
    if young:
        flags.append("young_victim")
        messages.append(f"Young victim (aged {case.victim_age}): refer to the young people's specialism.")
    if case.victim_age is None:
        messages.append("The victim's age is not known: check they are 16 or over.")
    if case.risk.note:
        messages.append(case.risk.note)

    if criteria:
        actions += _marac_route(case, criteria, settings, young)
    elif heard_by_medium_marac(case):
        criteria = (MEDIUM_RISK_MARAC,)
        actions += _medium_marac_route(case, settings, messages)
    elif case.risk.level == MEDIUM:
        actions += _medium_route(case, settings, messages)
    else:
        actions += _standard_route(case, settings)

    actions += _children_actions(case, settings)
    flags += _perpetrator_flags(case, settings, messages)
    actions = [_with_share(_with_safe_channels(a, case)) for a in actions]
    if any(a.type in VICTIM_CONTACT_ACTIONS for a in actions) and not case.safe_channels:
        messages.append(
            "No safe way to contact the victim is recorded: do not phone, text, email or write "
            "until they have said how and when it is safe."
        )
    return Decision(
        risk_level=case.risk.level,
        dash_score=case.risk.score,
        marac_criteria=criteria,
        actions=tuple(actions),
        flags=tuple(flags),
        messages=tuple(messages),
    )


def _child_victim(case: Case, settings: PartnershipSettings) -> Decision:
    message = (
        f"The victim is {case.victim_age}: under {settings.victim_adult_age} this is child safeguarding, "
        "not domestic abuse in law (Domestic Abuse Act 2021). Refer to children's services only; "
        "no MARAC or IDVA referral."
    )
    action = Action(
        type="child_safeguarding_only",
        reason=message,
        rule="routing.victim_under_16",
        owner_agency=CHILDRENS_SERVICES,
        due=Due(hours=settings.child_victim_referral_hours),
        lawful_basis=LAWFUL_BASIS_CHILDREN,
    )
    # The victim's own children are still notified: a child victim may be a parent.
    actions = [action, *_children_actions(case, settings)]
    return Decision(
        risk_level=case.risk.level,
        dash_score=case.risk.score,
        marac_criteria=(),
        actions=tuple(_with_share(a) for a in actions),
        flags=("child_victim",),
        messages=(message,),
    )


def _window(days: int) -> str:
    return "12 months" if days == 365 else f"{days} days"


def criterion_words(settings: PartnershipSettings) -> dict[str, str]:
    """Each MARAC criterion in words, with the partnership's own threshold, count and windows
    (the medium-risk MARAC's band is each MARAC's own: the action's reason gives it)."""
    return {
        VISIBLE_HIGH_RISK: f"DASH score of {settings.dash_high_threshold} or more (high risk)",
        PROFESSIONAL_JUDGEMENT: "professional judgement of high risk",
        POTENTIAL_ESCALATION: f"potential escalation ({settings.marac_escalation_events} or more events in "
        f"{_window(settings.marac_escalation_window_days)})",
        REPEAT: f"repeat within {_window(settings.marac_repeat_window_days)} of the last MARAC referral",
        MEDIUM_RISK_MARAC: "medium risk, with a DASH score in the band the area's medium-risk MARAC hears",
    }


def heard_by_medium_marac(case: Case) -> bool:
    """Whether a medium-risk MARAC hears the case: it is medium risk, meets none of the
    four SafeLives criteria (the caller checks: those go to MARAC anyway), and a
    medium-risk MARAC serving the victim's district hears its DASH score (Stevenage's
    hears 10-13; domain.md "Domain reference")."""
    band = case.medium_marac_band
    return band is not None and case.risk.level == MEDIUM and band[0] <= case.risk.score <= band[1]


def _marac_route(case: Case, criteria: tuple[str, ...], settings: PartnershipSettings, young: bool) -> list[Action]:
    words = criterion_words(settings)
    why = "; ".join(words[c] for c in criteria)
    lawful_basis = "" if case.consent == CONSENT_GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT
    idva_reason = "High risk or MARAC case: IDVA support with a proactive contact attempt"
    if young:
        idva_reason += " (young people's IDVA)"
    if case.consent != CONSENT_GIVEN:
        idva_reason += "; shared without consent to protect the victim (lawful basis recorded)"
    return [
        Action(
            type="marac_referral",
            reason=f"MARAC criteria met: {why}.",
            rule="marac." + "+".join(criteria),
            owner_agency=MARAC_OWNER,
            due=Due(working_days=settings.marac_referral_working_days),
            lawful_basis=lawful_basis,
        ),
        Action(
            type="idva_referral",
            reason=idva_reason + ".",
            rule="routing.high_risk",
            owner_agency=IDVA_SERVICE,
            due=Due(working_days=settings.first_contact_working_days_high),
            lawful_basis=lawful_basis,
        ),
        Action(
            type="perpetrator_risk_plan",
            reason="Perpetrator of a MARAC case: risk-management plan owned by the police lead.",
            rule="routing.perpetrator_at_marac",
            owner_agency=POLICE,
            subject="perpetrator",
        ),
    ]


def _medium_marac_route(case: Case, settings: PartnershipSettings, messages: list[str]) -> list[Action]:
    """A medium-risk case the area's medium-risk MARAC hears: referred to it, as a MARAC
    case (its perpetrator gets the police lead's plan). The victim's own support still
    rests on her consent, as at medium risk anywhere (domain.md "Routing")."""
    low, high = case.medium_marac_band
    lawful_basis = "" if case.consent == CONSENT_GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT
    return [
        Action(
            type="marac_referral",
            reason=f"Medium risk with a DASH score of {case.risk.score}: heard by this area's medium-risk MARAC, "
            f"which hears scores {low}-{high}.",
            rule="marac.medium_risk_marac",
            owner_agency=MARAC_OWNER,
            due=Due(working_days=settings.marac_referral_working_days),
            lawful_basis=lawful_basis,
        ),
        *_medium_route(case, settings, messages),
        Action(
            type="perpetrator_risk_plan",
            reason="Perpetrator of a MARAC case: risk-management plan owned by the police lead.",
            rule="routing.perpetrator_at_marac",
            owner_agency=POLICE,
            subject="perpetrator",
        ),
    ]


def _medium_route(case: Case, settings: PartnershipSettings, messages: list[str]) -> list[Action]:
    due = Due(working_days=settings.first_contact_working_days_medium)
    if case.consent == CONSENT_GIVEN:
        return [
            Action(
                type="caseworker_referral",
                reason="Medium risk with consent: domestic abuse caseworker with a proactive contact attempt.",
                rule="routing.medium_risk",
                owner_agency=IDVA_SERVICE,
                due=due,
            )
        ]
    if case.consent == CONSENT_REFUSED:
        messages.append(
            "Consent refused at medium risk: no caseworker referral. Record the refusal and give "
            "information about services."
        )
        return [
            Action(
                type="signpost_universal",
                reason="Medium risk, consent to a caseworker referral refused: information and signposting.",
                rule="routing.medium_risk_consent_refused",
                owner_agency=FRONT_DOOR,
                due=due,
            )
        ]
    return [
        Action(
            type="seek_consent",
            reason="Medium risk, consent not yet sought: ask the victim to agree to a caseworker referral.",
            rule="routing.medium_risk_consent_not_sought",
            owner_agency=FRONT_DOOR,
            due=due,
        )
    ]


def _standard_route(case: Case, settings: PartnershipSettings) -> list[Action]:
    due = Due(working_days=settings.first_contact_working_days_standard)
    actions = [
        Action(
            type="signpost_universal",
            reason="Standard risk: information and signposting to universal services.",
            rule="routing.standard_risk",
            owner_agency=FRONT_DOOR,
            due=due,
        )
    ]
    if case.crime_recorded and case.consent == CONSENT_GIVEN:
        actions.append(
            Action(
                type="victim_support_offer",
                reason="A crime was recorded and the victim consents: offer a Victim Support volunteer.",
                rule="routing.standard_risk_crime",
                owner_agency=VICTIM_SUPPORT,
                due=due,
            )
        )
    elif case.crime_recorded and case.consent == CONSENT_NOT_SOUGHT:
        actions.append(
            Action(
                type="seek_consent",
                reason="A crime was recorded and consent was not sought: ask the victim whether they "
                "would like a Victim Support volunteer.",
                rule="routing.standard_risk_crime_consent_not_sought",
                owner_agency=FRONT_DOOR,
                due=due,
            )
        )
    return actions


def _children_actions(case: Case, settings: PartnershipSettings) -> list[Action]:
    if not case.children:
        return []
    ages = ", ".join("age not known" if c.age is None else str(c.age) for c in case.children)
    actions = [
        Action(
            type="children_services_notification",
            subject="children",
            reason=f"Children in the household (aged {ages}): notify the children's safeguarding front door "
            "whatever the adult's risk.",
            rule="routing.child_in_household",
            owner_agency=CHILDRENS_SERVICES,
            due=Due(working_days=settings.children_notification_working_days),
            lawful_basis=LAWFUL_BASIS_CHILDREN,
        )
    ]
    for index, child in enumerate(case.children):
        subject = f"child {index + 1} ({'age not known' if child.age is None else f'aged {child.age}'})"
        if child.harmed:
            actions.append(
                Action(
                    type="child_protection_referral",
                    subject=subject,
                    rule="routing.child_harmed",
                    reason=f"Child {index + 1} directly harmed: urgent referral to the child "
                    "protection investigation team.",
                    owner_agency=CHILDRENS_SERVICES,
                    due=Due(hours=settings.child_protection_referral_hours),
                    lawful_basis=LAWFUL_BASIS_CHILDREN,
                )
            )
        if child.age is None:
            continue  # children's services find out the age; health visitor and school need it
        if child.age <= settings.health_visitor_child_max_age:
            actions.append(
                Action(
                    type="health_visitor_notification",
                    subject=subject,
                    rule="routing.child_under_5",
                    reason=f"Child aged {child.age}: notify the health visitor.",
                    owner_agency=HEALTH_VISITING,
                    due=Due(working_days=settings.children_notification_working_days),
                    lawful_basis=LAWFUL_BASIS_CHILDREN,
                )
            )
        if settings.school_age_min <= child.age <= settings.school_age_max:
            actions.append(
                Action(
                    type="school_notification",
                    subject=subject,
                    rule="routing.school_age_child",
                    reason=f"School-age child aged {child.age}: tell the school's safeguarding lead "
                    "before the next school day (Operation Encompass).",
                    owner_agency=EDUCATION,
                    due=Due(
                        school_days=settings.school_notification_school_days,
                        school_day_start=str(settings.school_day_start),
                    ),
                    lawful_basis=LAWFUL_BASIS_CHILDREN,
                )
            )
    return actions


def _perpetrator_flags(case: Case, settings: PartnershipSettings, messages: list[str]) -> list[str]:
    flags = []
    if (case.perpetrator_distinct_victims or 0) >= settings.serial_perpetrator_min_victims:
        flags.append("serial_perpetrator")
    if (case.perpetrator_events_against_victim_12_months or 0) >= settings.repeat_perpetrator_min_events:
        flags.append("repeat_perpetrator")
    if flags:
        messages.append(
            PERPETRATOR_FLAGGED + " (" + ", ".join(f.replace("_", " ") for f in flags) + "): "
            "list for the perpetrator panel."
        )
    if case.perpetrator_age is not None and case.perpetrator_age < settings.victim_adult_age:
        flags.append("perpetrator_under_16")
        messages.append(
            f"The perpetrator is {case.perpetrator_age}: under {settings.victim_adult_age} this is not "
            "domestic abuse in law; tell children's services about the young person causing harm."
        )
    return flags


def _with_share(action: Action) -> Action:
    share = SHARES.get(action.type)
    if share is not None and share.people == ("child",):
        # The child the action is about: "child 2 (aged 7)" -> "child 2".
        share = Share(people=(" ".join(action.subject.split()[:2]),), parts=share.parts, why=share.why)
    return Action(**{**action.__dict__, "share": share})


def _with_safe_channels(action: Action, case: Case) -> Action:
    if action.type not in VICTIM_CONTACT_ACTIONS:
        return action
    return Action(**{**action.__dict__, "contact_channels": tuple(sorted(case.safe_channels))})

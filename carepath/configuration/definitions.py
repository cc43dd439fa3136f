"""The partnership's configurable thresholds, caseloads and deadlines.

This module is the one place the defaults from ``shared/docs/domain.md`` are written
down; everything else reads them through ``PartnershipSettings``. Partnerships differ
(Stevenage runs a medium-risk MARAC for scores 10-13; some MARACs escalate at 5
call-outs), so an administrator can change any of them in the browser, and each change
is recorded. Pure Python: pure domain modules take a ``PartnershipSettings`` argument.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime, time
from decimal import Decimal


class ClockTime(str):
    """A time of day as HH:MM (e.g. "08:45"), stored and shown as typed."""

    def __new__(cls, value: str):
        try:
            parsed = datetime.strptime(str(value).strip(), "%H:%M").time()
        except ValueError:
            raise ValueError(f"{value!r} is not a time of day like 08:45") from None
        return super().__new__(cls, parsed.strftime("%H:%M"))

    @property
    def time(self) -> time:
        return time.fromisoformat(self)


def _setting(default, *, label: str, group: str, source: str, minimum=0, maximum=None, unit: str = ""):
    return field(
        default=default,
        metadata={
            "label": label,
            "group": group,
            "source": source,
            "minimum": minimum,
            "maximum": maximum,
            "unit": unit,
        },
    )


RISK = "Risk levels (DASH)"
MARAC = "MARAC"
DEADLINES = "Deadlines"
CAPACITY = "Caseloads and capacity"
PERPETRATORS = "Perpetrators"
VICTIMS = "Victims"
IDENTITY = "Identity resolution"
ACCOMMODATION = "Safe accommodation"
TRAINING = "Champions network and training"
DIRECTORY = "Directory"
DISCLOSURE = "Clare's Law (disclosure scheme)"
BOARD = "Board reporting"


@dataclass(frozen=True)
class PartnershipSettings:
    """Every threshold, caseload and deadline the rules use, with domain.md's defaults."""

    dash_high_threshold: int = _setting(
        14,
        label="DASH score for high risk (at least)",
        group=RISK,
        minimum=1,
        maximum=24,
        source="domain.md 'Victim risk level'; seed 002 Table 1 and Appendix 10",
    )
    dash_medium_threshold: int = _setting(
        8,
        label="DASH score for medium risk (at least)",
        group=RISK,
        minimum=1,
        maximum=24,
        source="domain.md 'Victim risk level'; seed 002 Table 1 and Appendix 10",
    )
    marac_escalation_events: int = _setting(
        3,
        label="Events in the escalation window that make potential escalation",
        group=MARAC,
        minimum=2,
        source="domain.md 'MARAC referral criteria' 3 (SafeLives)",
    )
    marac_escalation_window_days: int = _setting(
        365,
        label="Escalation window",
        group=MARAC,
        minimum=1,
        unit="days",
        source="domain.md 'MARAC referral criteria' 3 (12 months)",
    )
    marac_repeat_window_days: int = _setting(
        365,
        label="Repeat window after the last MARAC referral",
        group=MARAC,
        minimum=1,
        unit="days",
        source="domain.md 'MARAC referral criteria' 4 (12 months)",
    )
    marac_expected_cases_per_10k_women: int = _setting(
        40,
        label="Expected MARAC cases a year per 10,000 women aged 16+",
        group=MARAC,
        minimum=1,
        source="domain.md 'MARAC referral criteria' (SafeLives recommended volume)",
    )
    marac_expected_repeat_rate_low_percent: int = _setting(
        28,
        label="Expected MARAC repeat rate, lower bound",
        group=MARAC,
        maximum=100,
        unit="%",
        source="domain.md 'MARAC referral criteria'",
    )
    marac_expected_repeat_rate_high_percent: int = _setting(
        40,
        label="Expected MARAC repeat rate, upper bound",
        group=MARAC,
        maximum=100,
        unit="%",
        source="domain.md 'MARAC referral criteria'",
    )
    marac_research_working_days: int = _setting(
        2,
        label="Research due before a MARAC meeting",
        group=MARAC,
        minimum=0,
        maximum=20,
        unit="working days",
        source="domain.md 'Defaults for the pathway beyond the front door' (MARAC research)",
    )
    marac_cases_per_administrator: int = _setting(
        400,
        label="MARAC cases a year per MARAC administrator",
        group=MARAC,
        minimum=1,
        source="domain.md 'MARAC referral criteria'",
    )
    first_contact_working_days_high: int = _setting(
        1,
        label="First contact for a high-risk victim",
        group=DEADLINES,
        minimum=0,
        unit="working days",
        source="domain.md 'Routing' (high-risk victim)",
    )
    first_contact_working_days_medium: int = _setting(
        3,
        label="First contact for a medium-risk victim",
        group=DEADLINES,
        minimum=0,
        unit="working days",
        source="domain.md 'Routing' (medium-risk victim)",
    )
    first_contact_working_days_standard: int = _setting(
        5,
        label="First contact for a standard-risk victim",
        group=DEADLINES,
        minimum=0,
        unit="working days",
        source="domain.md 'Routing' (every referral gets an owner and a first-contact deadline; "
        "the number is Carepath's default, one working week)",
    )
    marac_referral_working_days: int = _setting(
        1,
        label="Send the MARAC referral within",
        group=DEADLINES,
        minimum=0,
        unit="working days",
        source="domain.md 'Routing' (high-risk victim; the deadline is Carepath's default, the same as first contact)",
    )
    school_notification_school_days: int = _setting(
        1,
        label="Tell the school's safeguarding lead before the start of school day number (1: the next)",
        group=DEADLINES,
        minimum=1,
        unit="school days",
        source="domain.md 'Routing' (Operation Encompass: before the next school day). School days "
        "are counted as working days: term dates differ by school",
    )
    school_day_start: ClockTime = _setting(
        ClockTime("08:45"),
        label="Time the school day starts",
        group=DEADLINES,
        minimum=None,
        source="domain.md 'Routing' (school-age child: the school hears before the next school day, "
        "Operation Encompass, seed 003); 08:45 is Carepath's default",
    )
    child_protection_referral_hours: int = _setting(
        4,
        label="Urgent referral of a child directly harmed, within",
        group=DEADLINES,
        minimum=1,
        maximum=24,
        unit="hours",
        source="domain.md 'Routing' (child directly harmed: urgent referral) and 'Words' (MASH: "
        "triaged the same day); the hours are Carepath's default. Counted round the clock",
    )
    child_victim_referral_hours: int = _setting(
        4,
        label="Referral of a victim under 16 to children's services, within",
        group=DEADLINES,
        minimum=1,
        maximum=24,
        unit="hours",
        source="domain.md 'Words' (a victim under 16 is a child-safeguarding case; MASH: triaged "
        "the same day); the hours are Carepath's default. Counted round the clock",
    )
    children_notification_working_days: int = _setting(
        1,
        label="Notify children's services and the health visitor within",
        group=DEADLINES,
        minimum=0,
        unit="working days",
        source="domain.md 'Routing' (any child in the household; the deadline is Carepath's default)",
    )
    clares_law_decision_days: int = _setting(
        28,
        label="Clare's Law panel decision within",
        group=DEADLINES,
        minimum=1,
        unit="days",
        source="domain.md 'Information sharing'",
    )
    idva_caseload_high: int = _setting(
        65,
        label="High-risk victims a year per full-time IDVA",
        group=CAPACITY,
        minimum=1,
        source="domain.md 'Caseloads and capacity'; seed 002 Appendix 6",
    )
    idva_caseload_medium: int = _setting(
        85,
        label="Medium-risk victims a year per full-time IDVA",
        group=CAPACITY,
        minimum=1,
        source="domain.md 'Caseloads and capacity'; seed 002 Appendix 6",
    )
    casework_open_cases_per_worker: int = _setting(
        80,
        label="Open cases at once per full-time IDVA or caseworker",
        group=CAPACITY,
        minimum=1,
        maximum=200,
        source="domain.md 'Caseloads and capacity' and 'Defaults for the pathway beyond the front door' "
        "(SafeLives: 60-80 open cases per full-time IDVA; the top of the range by default)",
    )
    refuge_caseload_per_worker: int = _setting(
        13,
        label="Victims a year per refuge support worker",
        group=CAPACITY,
        minimum=1,
        source="domain.md 'Caseloads and capacity'; seed 002 Table 11",
    )
    refuge_places_per_10k_population: Decimal = _setting(
        Decimal("1"),
        label="Refuge family places per 10,000 population",
        group=CAPACITY,
        minimum=Decimal("0"),
        source="domain.md 'Caseloads and capacity' (Council of Europe benchmark)",
    )
    accommodation_vacancy_stale_hours: int = _setting(
        24,
        label="A vacancy not confirmed by its provider is stale after",
        group=ACCOMMODATION,
        minimum=1,
        maximum=168,
        unit="hours",
        source="domain.md 'Defaults for the pathway beyond the front door' (safe accommodation: 24 hours); "
        "references.md, Finding A Bed Tonight's fresh / stale badge",
    )
    accommodation_hold_hours: int = _setting(
        4,
        label="A referral's hold on a unit expires after",
        group=ACCOMMODATION,
        minimum=1,
        maximum=72,
        unit="hours",
        source="domain.md 'Defaults for the pathway beyond the front door' (safe accommodation: 4 hours "
        "unless the provider extends it); references.md, Finding A Bed Tonight's soft holds",
    )
    accommodation_unmet_demand_window_minutes: int = _setting(
        60,
        label="The same search by the same agency counts once as unmet demand within",
        group=ACCOMMODATION,
        minimum=0,
        maximum=1440,
        unit="minutes",
        source="Carepath's default: a worker re-running a search for the same family while she phones "
        "round is one household not placed, not several (domain.md 'Safe accommodation': households "
        "that could not be supported); 0 counts every search",
    )
    training_foundation_current_months: int = _setting(
        36,
        label="Foundation (domestic abuse awareness) training stays current for",
        group=TRAINING,
        minimum=1,
        maximum=120,
        unit="months",
        source="Carepath's default, not a national standard: no published interval was found to cite for "
        "repeating the one-day awareness course (seed 002 section 12.5); three years, with the shorter "
        "refresher keeping practice up to date in between. Set the partnership's own. The training "
        "report sets trained staff against referrals by source agency (domain.md 'Board reporting')",
    )
    training_dash_current_months: int = _setting(
        12,
        label="DASH risk-assessment training stays current for",
        group=TRAINING,
        minimum=1,
        maximum=120,
        unit="months",
        source="Carepath's default, not a national standard: yearly, because practitioners score the DASH "
        "checklist and apply the MARAC referral criteria (domain.md 'Victim risk level') and routing relies "
        "on them doing it the same way; no published interval was found to cite. Set the partnership's "
        "own. The training report sets trained staff against referrals by source agency (domain.md "
        "'Board reporting')",
    )
    training_tier_two_current_months: int = _setting(
        24,
        label="Tier 2 training stays current for",
        group=TRAINING,
        minimum=1,
        maximum=120,
        unit="months",
        source="Carepath's default, not a national standard: two years for tier 2 training (planned in seed "
        "002 section 12.5). Set the partnership's own. The training report sets trained staff "
        "against referrals by source agency (domain.md 'Board reporting')",
    )
    training_refresher_current_months: int = _setting(
        12,
        label="A refresher keeps training current for",
        group=TRAINING,
        minimum=1,
        maximum=120,
        unit="months",
        source="Carepath's default, not a national standard: a yearly refresher, as champions schemes keep "
        "their champions up to date between courses (seed 002 Appendix 2, 2.2: champions train and advise "
        "colleagues). Set the partnership's own. The training report sets trained staff "
        "against referrals by source agency (domain.md 'Board reporting')",
    )
    training_refresher_warning_days: int = _setting(
        60,
        label="List a refresher as due this many days before training lapses",
        group=TRAINING,
        minimum=0,
        maximum=365,
        unit="days",
        source="Carepath's default: about two months, time to book a place on a session before training "
        "lapses, so trained staff stay counted in the training report (domain.md 'Board reporting')",
    )
    directory_stale_days: int = _setting(
        180,
        label="A directory entry not checked by its owner is hidden from the public after",
        group=DIRECTORY,
        minimum=30,
        maximum=730,
        unit="days",
        source="Inform USA (formerly AIRS) Standards for Professional Information and Referral: every "
        "record in a resource directory reviewed at least once a year. Half that here: seed 002 found local "
        "services' funding 'piecemeal and insecure', so their hours and criteria change with it, and "
        "a victim signposted to a wrong number may not try again (domain.md 'Routing': information and signposting)",
    )
    directory_check_due_days: int = _setting(
        30,
        label="Days before it is hidden that an entry is due for checking by its owner",
        group=DIRECTORY,
        minimum=1,
        maximum=365,
        unit="days",
        source="Carepath's default: a month gives an owner on leave, or waiting for a service's reply, time to "
        "check before the entry leaves the public pages (domain.md 'Routing': information and signposting)",
    )
    victim_adult_age: int = _setting(
        16,
        label="Age from which a victim is an adult (below it: child safeguarding)",
        group=VICTIMS,
        minimum=1,
        source="domain.md 'Words' (Domestic Abuse Act 2021)",
    )
    young_victim_max_age: int = _setting(
        17,
        label="Oldest age flagged as a young victim",
        group=VICTIMS,
        minimum=1,
        source="domain.md 'Routing' (victim aged 16-17)",
    )
    health_visitor_child_max_age: int = _setting(
        4,
        label="Oldest child age for health visitor notification",
        group=VICTIMS,
        minimum=0,
        source="domain.md 'Routing' (child under 5)",
    )
    school_age_min: int = _setting(
        4,
        label="Youngest age notified to a school (Operation Encompass)",
        group=VICTIMS,
        minimum=0,
        source="domain.md 'Routing' (school-age child; reception year starts at 4)",
    )
    school_age_max: int = _setting(
        17,
        label="Oldest age notified to a school (Operation Encompass)",
        group=VICTIMS,
        minimum=0,
        source="domain.md 'Routing' (school-age child; education or training to 18)",
    )
    serial_perpetrator_min_victims: int = _setting(
        2,
        label="Distinct victims that make a serial perpetrator",
        group=PERPETRATORS,
        minimum=2,
        source="domain.md 'Routing' (serial perpetrator)",
    )
    repeat_perpetrator_min_events: int = _setting(
        2,
        label="Events against one victim that make a repeat perpetrator",
        group=PERPETRATORS,
        minimum=2,
        source="domain.md 'Routing' (repeat perpetrator)",
    )
    repeat_perpetrator_window_days: int = _setting(
        365,
        label="Repeat perpetrator window",
        group=PERPETRATORS,
        minimum=1,
        unit="days",
        source="domain.md 'Routing' (repeat perpetrator: 12 months)",
    )
    perpetrator_panel_window_days: int = _setting(
        1095,
        label="Serial perpetrator panel: look back over",
        group=PERPETRATORS,
        minimum=30,
        unit="days",
        source="domain.md 'Defaults for the pathway beyond the front door' (Perpetrators: 2 or more victims "
        "within 3 years, MATAC)",
    )
    perpetrator_panel_interval_days: int = _setting(
        28,
        label="Serial perpetrator panel meets every",
        group=PERPETRATORS,
        minimum=7,
        unit="days",
        source="domain.md 'Defaults for the pathway beyond the front door' (the panel meets every 4 weeks)",
    )
    perpetrator_recency_months: int = _setting(
        12,
        label="Ranking: recency counts down over",
        group=PERPETRATORS,
        minimum=1,
        unit="months",
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (recency, "
        "frequency and gravity); Carepath's default: a perpetrator whose latest event is this month scores "
        "this many recency points, one fewer for each whole month since",
    )
    perpetrator_recency_weight: Decimal = _setting(
        Decimal("1"),
        label="Ranking: weight of recency",
        group=PERPETRATORS,
        maximum=Decimal("100"),
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (recency, "
        "frequency and gravity score); Carepath's default: the three weigh the same",
    )
    perpetrator_frequency_weight: Decimal = _setting(
        Decimal("1"),
        label="Ranking: weight of frequency (events in the look-back)",
        group=PERPETRATORS,
        maximum=Decimal("100"),
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (recency, "
        "frequency and gravity score); Carepath's default: the three weigh the same",
    )
    perpetrator_gravity_weight: Decimal = _setting(
        Decimal("1"),
        label="Ranking: weight of gravity",
        group=PERPETRATORS,
        maximum=Decimal("100"),
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (recency, "
        "frequency and gravity score); Carepath's default: the three weigh the same",
    )
    perpetrator_victims_weight: Decimal = _setting(
        Decimal("5"),
        label="Ranking: weight of each victim",
        group=PERPETRATORS,
        maximum=Decimal("100"),
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (the score "
        "sometimes adds the number of victims); Carepath's default: each victim counts as much as five events",
    )
    perpetrator_gravity_crime_points: int = _setting(
        2,
        label="Gravity points: an event recorded as a crime",
        group=PERPETRATORS,
        maximum=100,
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (gravity); "
        "Carepath's default: a crime weighs more than a non-crime incident",
    )
    perpetrator_gravity_non_crime_points: int = _setting(
        1,
        label="Gravity points: a non-crime incident",
        group=PERPETRATORS,
        maximum=100,
        source="domain.md 'Defaults for the pathway beyond the front door' and references.md 'MATAC' (gravity); "
        "Carepath's default",
    )
    perpetrator_gravity_high_risk_points: int = _setting(
        3,
        label="Gravity points added: the victim assessed at high risk",
        group=PERPETRATORS,
        maximum=100,
        source="references.md 'MATAC' (gravity); domain.md 'Victim risk level' (high risk: MARAC)",
    )
    perpetrator_gravity_medium_risk_points: int = _setting(
        1,
        label="Gravity points added: the victim assessed at medium risk",
        group=PERPETRATORS,
        maximum=100,
        source="references.md 'MATAC' (gravity); domain.md 'Victim risk level'",
    )
    disclosure_initial_checks_hours: int = _setting(
        24,
        label="Clare's Law: initial checks within",
        group=DISCLOSURE,
        minimum=1,
        unit="hours",
        source="domain.md 'Defaults for the pathway beyond the front door' (Clare's Law: initial checks "
        "within 24 hours)",
    )
    disclosure_meeting_working_days: int = _setting(
        10,
        label="Clare's Law: multi-agency meeting within",
        group=DISCLOSURE,
        minimum=1,
        unit="working days",
        source="domain.md 'Defaults for the pathway beyond the front door' (Clare's Law: meeting within 10 "
        "working days)",
    )
    disclosure_decision_days: int = _setting(
        28,
        label="Clare's Law: decision and disclosure within",
        group=DISCLOSURE,
        minimum=1,
        unit="days",
        source="domain.md 'Information sharing' and 'Defaults ...' (Clare's Law: decided within 28 days)",
    )
    disclosure_decision_max_days: int = _setting(
        35,
        label="Clare's Law: decision and disclosure at the latest",
        group=DISCLOSURE,
        minimum=1,
        unit="days",
        source="domain.md 'Defaults for the pathway beyond the front door' (Clare's Law: 35 days at most)",
    )
    linkage_link_probability: Decimal = _setting(
        Decimal("0.99"),
        label="Match probability at which two records are linked as one person",
        group=IDENTITY,
        minimum=Decimal("0.5"),
        maximum=Decimal("1"),
        source="Issue 4 (splink). Higher links fewer records wrongly and misses more repeats; "
        "the data-protection officer's decision",
    )
    linkage_review_probability: Decimal = _setting(
        Decimal("0.80"),
        label="Match probability from which a pair goes to human review",
        group=IDENTITY,
        minimum=Decimal("0.01"),
        maximum=Decimal("1"),
        source="Issue 4 (splink): pairs between this and the linking probability are reviewed by a person",
    )
    small_number_threshold: int = _setting(
        5,
        label="Smallest count shown where figures may be seen outside the partnership",
        group=BOARD,
        minimum=1,
        maximum=20,
        source="domain.md 'Defaults for the pathway beyond the front door' (suppress counts under 5 wherever a "
        "figure may leave the partnership: small numbers can identify someone)",
    )
    engagement_expected_idva_percent: int = _setting(
        49,
        label="Engagement expected of an IDVA service, % of victims referred",
        group=BOARD,
        maximum=100,
        unit="%",
        source="domain.md 'Board reporting' (seed 004: IDVA 49%)",
    )
    engagement_expected_caseworker_percent: int = _setting(
        21,
        label="Engagement expected of a caseworker service, % of victims referred",
        group=BOARD,
        maximum=100,
        unit="%",
        source="domain.md 'Board reporting' (seed 004: caseworker 21%)",
    )
    peer_spend_per_incident_low: int = _setting(
        146,
        label="Comparable areas' spending per police incident, lowest",
        group=BOARD,
        minimum=1,
        unit="£",
        source="domain.md 'Caseloads and capacity' (spending benchmarks: peers £146-£236 per police incident, "
        "seed 002)",
    )
    peer_spend_per_incident_high: int = _setting(
        236,
        label="Comparable areas' spending per police incident, highest",
        group=BOARD,
        minimum=1,
        unit="£",
        source="domain.md 'Caseloads and capacity' (spending benchmarks: peers £146-£236 per police incident, "
        "seed 002)",
    )
    population_minoritised_percent: Decimal = _setting(
        Decimal("19.2"),
        label="Black, Asian or minoritised people, % of the population",
        group=BOARD,
        maximum=Decimal("100"),
        unit="%",
        source="domain.md 'Board reporting' (seed 002 Table 3: B&ME 19.2%); replace with the local census figure",
    )
    population_lgbt_percent: Decimal = _setting(
        Decimal("6"),
        label="LGBT+ people, % of the population",
        group=BOARD,
        maximum=Decimal("100"),
        unit="%",
        source="domain.md 'Board reporting' (seed 002 Table 3: LGBT 5-7%, the middle of the range)",
    )
    population_disabled_percent: Decimal = _setting(
        Decimal("14.3"),
        label="Disabled people, % of the population",
        group=BOARD,
        maximum=Decimal("100"),
        unit="%",
        source="domain.md 'Board reporting' (seed 002 Table 3: disability 14.3%)",
    )
    population_aged_16_17_percent: Decimal = _setting(
        Decimal("3.3"),
        label="People aged 16 or 17, % of the population",
        group=BOARD,
        maximum=Decimal("100"),
        unit="%",
        source="domain.md 'Board reporting' (seed 002 Table 3: 16/17-year-olds 3.3%)",
    )

    def validate(self) -> dict[str, str]:
        """Errors that make a combination of values meaningless, by setting name."""
        errors: dict[str, str] = {}
        if self.dash_medium_threshold >= self.dash_high_threshold:
            errors["dash_medium_threshold"] = "The medium-risk score must be lower than the high-risk score."
        if self.peer_spend_per_incident_low > self.peer_spend_per_incident_high:
            errors["peer_spend_per_incident_low"] = "The lowest must not exceed the highest."
        if self.marac_expected_repeat_rate_low_percent > self.marac_expected_repeat_rate_high_percent:
            errors["marac_expected_repeat_rate_low_percent"] = "The lower bound must not exceed the upper bound."
        if self.school_age_min > self.school_age_max:
            errors["school_age_min"] = "The youngest school age must not exceed the oldest."
        if self.young_victim_max_age < self.victim_adult_age:
            errors["young_victim_max_age"] = "The oldest young-victim age must be at least the adult age."
        if self.directory_check_due_days >= self.directory_stale_days:
            errors["directory_check_due_days"] = "An entry must be due for checking before it is hidden."
        if self.linkage_review_probability >= self.linkage_link_probability:
            errors["linkage_review_probability"] = "The review probability must be lower than the linking probability."
        if self.disclosure_decision_days > self.disclosure_decision_max_days:
            errors["disclosure_decision_days"] = "The usual time to a decision must not exceed the latest."
        return errors


@dataclass(frozen=True)
class SettingDefinition:
    key: str
    label: str
    group: str
    source: str
    default: object
    value_type: type
    minimum: object
    maximum: object
    unit: str

    def parse(self, raw: object):
        """Convert a stored or typed value; raises ValueError with a message a person can act on."""
        try:
            value = self.value_type(str(raw).strip())
        except (ArithmeticError, ValueError) as exc:
            kind = {int: "a whole number", ClockTime: "a time of day like 08:45"}.get(self.value_type, "a number")
            raise ValueError(f"{self.label}: enter {kind}, not {raw!r}.") from exc
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.label}: must be at least {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.label}: must be at most {self.maximum}.")
        return value


def setting_definitions() -> list[SettingDefinition]:
    return [
        SettingDefinition(
            key=f.name,
            label=f.metadata["label"],
            group=f.metadata["group"],
            source=f.metadata["source"],
            default=f.default,
            value_type=type(f.default),
            minimum=f.metadata["minimum"],
            maximum=f.metadata["maximum"],
            unit=f.metadata["unit"],
        )
        for f in fields(PartnershipSettings)
    ]


def settings_from_values(values: dict[str, object]) -> PartnershipSettings:
    """Defaults overlaid with stored values; unknown keys (settings since removed) are ignored."""
    known = {d.key: d for d in setting_definitions()}
    return PartnershipSettings(**{k: known[k].parse(v) for k, v in values.items() if k in known})

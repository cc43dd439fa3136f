"""The partnership's shared vocabulary: every code stored in more than one app, once.

Pure Python (no Django imports): the risk rules, routing and the API use these directly,
and models build their choices from them with ``choices``. Each code carries the words a
user reads (``label``); pages never show the code itself.
"""

from enum import StrEnum


class Code(StrEnum):
    """A stored value with the words shown to users: ``HIGH = "high", "High"``."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def choices(codes: type[Code]) -> list[tuple[str, str]]:
    """Django ``choices`` for a model or form field."""
    return [(code.value, code.label) for code in codes]


def values(codes: type[Code]) -> list[str]:
    return [code.value for code in codes]


def label(codes: type[Code], value: str, default: str = "") -> str:
    """The words for a stored value; ``default`` for a blank or retired one."""
    try:
        return codes(value).label
    except ValueError:
        return default


class RiskLevel(Code):
    """domain.md "Victim risk level" (seed 002 Table 1)."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    STANDARD = "standard", "Standard"


class ChildrenOutcome(Code):
    """What children's services decided for a child in a domestic abuse referral: board
    measure 5 counts the children who do and do not reach the statutory threshold, and those
    given other support (domain.md "Board reporting", seed 002 §4.1)."""

    STATUTORY = "statutory", "Meets the statutory threshold (child in need, s.17, or child protection, s.47)"
    EARLY_HELP = "early_help", "Other support (early help)"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Consent(Code):
    """domain.md "Information sharing": consent given, refused or not sought (and why)."""

    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_SOUGHT = "not_sought", "Not sought"


class AgencyType(Code):
    """Agency types named in seed 002 (Appendix 7 and §2)."""

    POLICE = "police", "Police"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    GP = "gp", "GP practice"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    ACUTE_HOSPITAL = "acute_hospital", "Acute hospital"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    IDVA_SERVICE = "idva_service", "IDVA service"
    REFUGE_PROVIDER = "refuge_provider", "Refuge provider"
    VICTIM_SUPPORT = "victim_support", "Victim Support"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    MARAC = "marac", "MARAC coordination"
    FRONT_DOOR = "front_door", "MASH / One Front Door"
    PARTNERSHIP = "partnership", "Partnership office (commissioning and administration)"


class Role(Code):
    TRIAGE = "triage", "Front-door triage"
    IDVA = "idva", "IDVA"
    CASEWORKER = "caseworker", "Caseworker"
    MARAC_COORDINATOR = "marac_coordinator", "MARAC coordinator"
    MARAC_CHAIR = "marac_chair", "MARAC chair"
    REFUGE_WORKER = "refuge_worker", "Refuge worker"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    COMMISSIONER = "commissioner", "Commissioner or analyst"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data-protection officer"
    ADMINISTRATOR = "administrator", "Administrator"


class ActionType(Code):
    """What a routing decision asks an agency to do (domain.md "Routing"), and the front
    door's own work on a referral."""

    MARAC_REFERRAL = "marac_referral", "Refer to MARAC"
    MARAC_RESEARCH = "marac_research", "Research for a MARAC meeting"
    MARAC_ACTION = "marac_action", "Overdue MARAC action"
    IDVA_REFERRAL = "idva_referral", "IDVA referral"
    CASEWORKER_REFERRAL = "caseworker_referral", "Domestic abuse caseworker referral"
    SEEK_CONSENT = "seek_consent", "Ask the victim's consent to a referral"
    SIGNPOST_UNIVERSAL = "signpost_universal", "Information and signposting"
    VICTIM_SUPPORT_OFFER = "victim_support_offer", "Offer a Victim Support volunteer"
    PERPETRATOR_RISK_PLAN = "perpetrator_risk_plan", "Risk-management plan for the perpetrator"
    CHILDREN_SERVICES_NOTIFICATION = "children_services_notification", "Notify children's services"
    HEALTH_VISITOR_NOTIFICATION = "health_visitor_notification", "Notify the health visitor"
    SCHOOL_NOTIFICATION = "school_notification", "Notify the school's safeguarding lead"
    CHILD_PROTECTION_REFERRAL = "child_protection_referral", "Urgent child protection referral"
    CHILD_SAFEGUARDING_ONLY = "child_safeguarding_only", "Child safeguarding referral"
    DASH_ASSESSMENT = "dash_assessment", "Complete the DASH checklist"
    REVIEW_ACCESS_ALERT = "review_access_alert", "Review refused attempts to open records"


class TaskStatus(Code):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done (reason recorded)"


class AccessAction(Code):
    """What a member of staff did with a record (the access log)."""

    OPENED = "opened", "Opened"
    LISTED = "listed", "Listed"
    EXPORTED = "exported", "Exported"
    PRINTED = "printed", "Printed"
    REFUSED = "refused", "Refused"


class SharePart(Code):
    """The parts of a record an information share gives (domain.md "Information sharing":
    record what was shared). The people a share names are kept with the share itself."""

    SUMMARY = "summary", "Who referred, when and where"
    RISK = "risk", "Risk level and DASH score"
    DASH_ANSWERS = "dash_answers", "DASH answers and comments"
    DETAILS = "details", "What happened"
    DECISION = "decision", "Routing decision, its reasons and tasks"
    CHILDREN = "children", "Children's details and their risk"
    SAFE_CONTACT = "safe_contact", "Safe contact details"

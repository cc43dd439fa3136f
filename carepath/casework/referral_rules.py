"""Referrals into casework from outside the front door (issue 14): what work a service is
sent, where a case came from, when first contact is due, and which cases a handover to
another agency's service closes. Pure Python, no Django.

Sources: domain.md "Routing" (a high-risk victim gets an IDVA referral and proactive
contact within 1 working day; a medium-risk one a caseworker referral with consent and
contact within 3; every referral gets an owner and a first-contact deadline; risk not yet
known is treated as high, as the front door does until its DASH is done) and "Information
sharing" (record what, with whom, why, on what basis and consent); seed 002 Appendix 1
(one named worker for the journey: a handover carries what was agreed with her).
"""

from __future__ import annotations

from collections.abc import Mapping

#: The kinds of service that take IDVA referrals (the rest take caseworker referrals).
IDVA_KINDS = frozenset({"idva", "hospital_idva"})
IDVA_REFERRAL, CASEWORKER_REFERRAL = "idva_referral", "caseworker_referral"

#: Where a casework referral came from, kept in the referral's decision under this key.
SOURCE_KEY = "casework_source"
FRONT_DOOR, MARAC, AGENCY, HANDOVER = "front_door", "marac", "agency", "handover"
SOURCES = frozenset({FRONT_DOOR, MARAC, AGENCY, HANDOVER})


def action_type_for(service_kind: str) -> str:
    """The task a service is sent: an IDVA referral for an IDVA service (a hospital's too),
    a caseworker referral for the others."""
    return IDVA_REFERRAL if service_kind in IDVA_KINDS else CASEWORKER_REFERRAL


def case_source(decision: Mapping | None) -> str:
    """Where a case opened from a referral came from: what the referral's decision says
    (another agency's form, MARAC, a handover from another agency's service); a referral
    that says nothing was routed by the front door."""
    source = (decision or {}).get(SOURCE_KEY)
    return source if source in SOURCES else FRONT_DOOR


def first_contact_working_days(
    risk_level: str, *, high: int, medium: int, standard: int
) -> int:  # the partnership's settings
    """Working days to first contact for her risk level (domain.md "Routing"). A level not
    known yet is treated as high: nobody waits longer because the risk was not assessed."""
    return {"medium": medium, "standard": standard}.get(risk_level, high)


#: The statuses a handover to another agency's service closes: a case still open, or
#: dormant (a closed, declined or dropped-out case has nothing to hand over).
HANDED_OVER_FROM = frozenset({"referred", "contacting", "engaged", "ongoing_support", "not_contactable", "dormant"})


def handover_refusal(status: str) -> str | None:
    """Why a case may not be handed to another agency's service, in words; None when it
    may. The handover closes the case here, keeping its history; the new service opens
    its own, so that each service's time to first contact and outcomes stay honest."""
    if status in HANDED_OVER_FROM:
        return None
    return "Only an open or dormant case can be handed over: a new referral opens a new case."


def needs_refusal(needs: list[str], specialisms: Mapping[str, str]) -> str | None:
    """Why the needs given cannot be recorded; None when each is a known specialism."""
    unknown = [n for n in needs if n not in specialisms]
    return "Choose what she needs from the list." if unknown else None


def consent_refusal(*, consent: str, consent_reason: str, risk_level: str) -> dict[str, str]:
    """Why a referral cannot be shared on the consent given, by field; empty when it can.
    Without her consent her details go to a service only to protect her at high risk, on
    the lawful basis recorded, and the referrer says why consent was refused or not sought
    (domain.md "Routing" and "Information sharing"; a medium-risk referral needs consent)."""
    if consent not in ("given", "refused", "not_sought"):
        return {"consent": "Say whether she agreed to this referral."}
    if consent == "given":
        return {}
    if not consent_reason.strip():
        return {"consent_reason": "Say why consent was refused or not sought: the lawful basis rests on it."}
    if risk_level != "high":
        return {
            "consent": "Without her consent a referral is shared only to protect her at high risk: "
            "ask her first, or give the risk level if it is high."
        }
    return {}

"""Cases and decisions as JSON: the format of ``carepath route`` and the REST API.

Pure Python. Errors name the case and the field, e.g.
``case 3: dash.answers.7: 'maybe' is not yes, no or dont_know``.
"""

from collections.abc import Mapping
from typing import Any

from carepath.configuration.definitions import PartnershipSettings
from carepath.people.safe_contact import ALL_CHANNELS
from carepath.risk.checklist import ChecklistDefinition
from carepath.risk.dash import ANSWERS, LEVELS, DashError, Judgement, assess_risk, dash_score
from carepath.triage.routing import (
    CONSENTS,
    HISTORY_CRITERIA,
    HISTORY_FLAGS,
    PERPETRATOR_FLAGGED,
    Case,
    Child,
    Decision,
    route,
)


class CaseInputError(ValueError):
    pass


def _int(value: Any, where: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CaseInputError(f"{where}: {value!r} is not a whole number.")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise CaseInputError(f"{where}: {value} must be {bounds}.")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise CaseInputError(f"{where}: {value!r} is not true or false.")
    return value


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CaseInputError(f"{where}: expected an object, got {type(value).__name__}.")
    return value


def _channels(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or any(c not in ALL_CHANNELS for c in value):
        raise CaseInputError(f"{where}: expected a list of channels from {', '.join(ALL_CHANNELS)}.")
    return frozenset(value)


def dash_answers_from_json(answers: Any, checklist: ChecklistDefinition, where: str = "dash.answers") -> dict[int, str]:
    answers = _object(answers, where)
    parsed: dict[int, str] = {}
    for key, answer in answers.items():
        if not str(key).isdigit():
            raise CaseInputError(f"{where}: {key!r} is not a question number 1 to {len(checklist.questions)}.")
        if answer not in ANSWERS:
            raise CaseInputError(f"{where}.{key}: {answer!r} is not yes, no or dont_know.")
        parsed[int(key)] = answer
    return parsed


def case_from_json(data: Any, settings: PartnershipSettings, checklist: ChecklistDefinition) -> Case:
    data = _object(data, "case")
    victim = _object(data.get("victim", {}), "victim")
    dash = _object(data.get("dash"), "dash") if "dash" in data else None
    if dash is None or ("score" in dash) == ("answers" in dash):
        raise CaseInputError('dash: give either {"score": N} or {"answers": {"1": "yes", ...}}.')
    try:
        score = (
            _int(dash["score"], "dash.score", maximum=checklist.max_score)
            if "score" in dash
            else dash_score(dash_answers_from_json(dash["answers"], checklist), checklist)
        )
        judgement = None
        if data.get("judgement") is not None:
            j = _object(data["judgement"], "judgement")
            if j.get("level") not in LEVELS:
                raise CaseInputError(f"judgement.level: {j.get('level')!r} is not high, medium or standard.")
            judgement = Judgement(level=j["level"], reason=str(j.get("reason") or ""))
        risk = assess_risk(score, judgement, settings, checklist)
    except DashError as exc:
        raise CaseInputError(str(exc)) from None
    consent = data.get("consent")
    if consent not in CONSENTS:
        raise CaseInputError(f"consent: {consent!r} is not one of {', '.join(CONSENTS)}.")
    children = data.get("children") or []
    if not isinstance(children, list):
        raise CaseInputError("children: expected a list.")
    perpetrator = _object(data.get("perpetrator") or {}, "perpetrator")
    band = data.get("medium_marac_band")
    if band is not None and (not isinstance(band, list) or len(band) != 2):
        raise CaseInputError("medium_marac_band: expected [lowest, highest] DASH scores, e.g. [10, 13].")
    optional_int = lambda obj, key, where, **kw: None if obj.get(key) is None else _int(obj[key], where, **kw)  # noqa: E731
    return Case(
        victim_age=optional_int(victim, "age", "victim.age", maximum=120),
        risk=risk,
        consent=consent,
        judgement=judgement,
        events_last_12_months=_int(data.get("events_last_12_months", 1), "events_last_12_months", minimum=1),
        last_marac_referral_days_ago=optional_int(data, "last_marac_referral_days_ago", "last_marac_referral_days_ago"),
        children=tuple(
            Child(
                age=_int(_object(c, f"children.{i}").get("age"), f"children.{i}.age", maximum=17),
                harmed=_bool(c.get("harmed", False), f"children.{i}.harmed"),
            )
            for i, c in enumerate(children)
        ),
        perpetrator_age=optional_int(perpetrator, "age", "perpetrator.age", maximum=120),
        crime_recorded=None if data.get("crime_recorded") is None else _bool(data["crime_recorded"], "crime_recorded"),
        safe_channels=(
            _channels(data.get("safe_channels", []), "safe_channels")
            - _channels(data.get("do_not_contact_via", []), "do_not_contact_via")
        ),
        perpetrator_distinct_victims=optional_int(perpetrator, "distinct_victims", "perpetrator.distinct_victims"),
        perpetrator_events_against_victim_12_months=optional_int(
            perpetrator, "events_against_victim_12_months", "perpetrator.events_against_victim_12_months"
        ),
        medium_marac_band=None
        if band is None
        else (
            _int(band[0], "medium_marac_band.0", maximum=checklist.max_score),
            _int(band[1], "medium_marac_band.1", maximum=checklist.max_score),
        ),
    )


def decision_to_json(decision: Decision) -> dict[str, Any]:
    return {
        "risk_level": decision.risk_level,
        "dash_score": decision.dash_score,
        "marac_criteria": list(decision.marac_criteria),
        "actions": [
            {
                "type": a.type,
                "reason": a.reason,
                "rule": a.rule,
                "owner_agency": a.owner_agency,
                "subject": a.subject,
                "due": a.due.as_dict() if a.due else None,
                "contact_channels": list(a.contact_channels),
                "lawful_basis": a.lawful_basis or None,
                "share": {"people": list(a.share.people), "parts": list(a.share.parts), "why": a.share.why}
                if a.share
                else None,
            }
            for a in decision.actions
        ],
        "flags": list(decision.flags),
        "messages": list(decision.messages),
    }


def decision_for_referrer(decision: Mapping[str, Any], *, owner_agency_type: str | None) -> dict[str, Any]:
    """The decision as an agency that referred (and is not the front door) may see it: what
    follows from what it sent (its DASH score and judgement), and the actions its own agency
    owns; never what rests on other agencies' records (escalation, a repeat MARAC referral,
    serial or repeat perpetrator flags), so that sending a name reveals nothing about who
    else knows that person. A criterion the agency stated itself on its own MARAC referral
    (``source`` "agency") is its own, and shown."""
    own = decision.get("source") == "agency"
    return {
        "risk_level": decision.get("risk_level"),
        "dash_score": decision.get("dash_score"),
        "marac_criteria": [c for c in decision.get("marac_criteria", []) if own or c not in HISTORY_CRITERIA],
        "actions": [
            a for a in decision.get("actions", []) if owner_agency_type and a.get("owner_agency") == owner_agency_type
        ],
        "flags": [f for f in decision.get("flags", []) if f not in HISTORY_FLAGS],
        "messages": [m for m in decision.get("messages", []) if not m.startswith(PERPETRATOR_FLAGGED)],
    }


def route_cases(
    cases: Any, settings: PartnershipSettings, checklist: ChecklistDefinition
) -> tuple[list[dict[str, Any]], list[str]]:
    """Decisions for a JSON array of cases, in order, and errors naming each bad case (1-based),
    scored on ``checklist`` (the version in force)."""
    if not isinstance(cases, list):
        raise CaseInputError("The file must hold a JSON array of cases.")
    decisions, errors = [], []
    for number, data in enumerate(cases, start=1):
        try:
            decisions.append(decision_to_json(route(case_from_json(data, settings, checklist), settings)))
        except CaseInputError as exc:
            errors.append(f"case {number}: {exc}")
    return decisions, errors

"""DASH risk identification checklist: scoring and risk level.

Pure Python, no Django imports. Rules from ``shared/docs/domain.md`` "DASH questions"
and "Victim risk level" (seed 002 Table 1 and Appendix 10; SafeLives DASH RIC):

- the questions are those of the checklist version in force (``checklist.py``: the
  SafeLives DASH RIC 2009 has 24), passed in as a plain ``ChecklistDefinition``;
- the score is the number of "yes" answers (each "yes" adds its question's weight, 1
  unless the version says otherwise);
- the level comes from the partnership's thresholds (defaults: high >= 14, medium 8-13,
  standard 0-7);
- professional judgement can raise the level, never lower it, and must carry a reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from carepath.configuration.definitions import PartnershipSettings
from carepath.core.codes import RiskLevel
from carepath.risk.checklist import ChecklistDefinition

YES, NO, DONT_KNOW = "yes", "no", "dont_know"
ANSWERS = (YES, NO, DONT_KNOW)
ANSWER_LABELS = {YES: "Yes", NO: "No", DONT_KNOW: "Don't know"}

HIGH, MEDIUM, STANDARD = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD
LEVELS = (STANDARD, MEDIUM, HIGH)  # in rising order


class DashError(ValueError):
    """Input that cannot be scored; the message says which question or field and why."""


def dash_score(answers: Mapping[int, str], checklist: ChecklistDefinition) -> int:
    """The score: each "yes" adds its question's weight. Every question of the checklist
    must be answered yes, no or don't know."""
    numbers = checklist.numbers
    unknown = sorted(set(answers) - set(numbers))
    if unknown:
        raise DashError(
            f"There is no DASH question {unknown[0]}: the questions of {checklist.label} "
            f"are numbered 1 to {len(numbers)}."
        )
    missing = [q for q in numbers if q not in answers]
    if missing:
        raise DashError(f"DASH question {missing[0]} has no answer: answer yes, no or don't know.")
    for question, answer in answers.items():
        if answer not in ANSWERS:
            raise DashError(f"DASH question {question}: {answer!r} is not yes, no or don't know.")
    return sum(q.weight for q in checklist.questions if answers[q.number] == YES)


def level_from_score(score: int, settings: PartnershipSettings, checklist: ChecklistDefinition) -> str:
    if not 0 <= score <= checklist.max_score:
        raise DashError(f"A DASH score is between 0 and {checklist.max_score}, not {score}.")
    if score >= settings.dash_high_threshold:
        return HIGH
    if score >= settings.dash_medium_threshold:
        return MEDIUM
    return STANDARD


@dataclass(frozen=True)
class Judgement:
    """A practitioner's professional judgement of the level, with their reason."""

    level: str
    reason: str


@dataclass(frozen=True)
class RiskResult:
    score: int
    level_by_score: str
    level: str
    raised_by_judgement: bool
    note: str = ""


OFFICER_GRADE_REASON = "The officer's grade"


def officer_grade_judgement(
    grade: str, score: int, settings: PartnershipSettings, checklist: ChecklistDefinition
) -> Judgement | None:
    """A police officer's grade above the level the score gives is the officer's
    professional judgement (domain.md "Victim risk level": judgement raises the level,
    never lowers it, with a reason). A grade at or below the score's level adds nothing."""
    if grade not in LEVELS or LEVELS.index(grade) <= LEVELS.index(level_from_score(score, settings, checklist)):
        return None
    return Judgement(level=grade, reason=OFFICER_GRADE_REASON)


def assess_risk(
    score: int, judgement: Judgement | None, settings: PartnershipSettings, checklist: ChecklistDefinition
) -> RiskResult:
    """The victim's risk level: the score's level, raised (never lowered) by judgement."""
    by_score = level_from_score(score, settings, checklist)
    if judgement is None:
        return RiskResult(score=score, level_by_score=by_score, level=by_score, raised_by_judgement=False)
    if judgement.level not in LEVELS:
        raise DashError(f"Professional judgement: {judgement.level!r} is not high, medium or standard.")
    if not judgement.reason.strip():
        raise DashError(
            "Professional judgement needs a reason (for example: strangulation, threats to kill, stalking)."
        )
    if LEVELS.index(judgement.level) > LEVELS.index(by_score):
        return RiskResult(
            score=score,
            level_by_score=by_score,
            level=judgement.level,
            raised_by_judgement=True,
            note=f"Raised from {by_score} to {judgement.level} by professional judgement: {judgement.reason.strip()}",
        )
    note = ""
    if LEVELS.index(judgement.level) < LEVELS.index(by_score):
        note = (
            f"Professional judgement of {judgement.level} cannot lower the level: "
            f"a score of {score} is {by_score} risk."
        )
    return RiskResult(score=score, level_by_score=by_score, level=by_score, raised_by_judgement=False, note=note)

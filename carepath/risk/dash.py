"""DASH risk identification checklist: scoring and risk level.

Pure Python, no Django imports. Rules from ``shared/docs/domain.md`` "DASH questions"
and "Victim risk level" (seed 002 Table 1 and Appendix 10; SafeLives DASH RIC):

- the score is the number of "yes" answers to the 24 questions;
- the level comes from the partnership's thresholds (defaults: high >= 14, medium 8-13,
  standard 0-7);
- professional judgement can raise the level, never lower it, and must carry a reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from carepath.configuration.definitions import PartnershipSettings
from carepath.core.codes import RiskLevel

YES, NO, DONT_KNOW = "yes", "no", "dont_know"
ANSWERS = (YES, NO, DONT_KNOW)
ANSWER_LABELS = {YES: "Yes", NO: "No", DONT_KNOW: "Don't know"}

HIGH, MEDIUM, STANDARD = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD
LEVELS = (STANDARD, MEDIUM, HIGH)  # in rising order

QUESTIONS: dict[int, str] = {
    1: "Has the current incident resulted in injury?",
    2: "Are you very frightened?",
    3: "What are you afraid of? Is it further injury or violence, being killed, for yourself or your children?",
    4: "Do you feel isolated from family or friends?",
    5: "Are you feeling depressed or having suicidal thoughts?",
    6: "Have you separated or tried to separate from the abuser within the past year?",
    7: "Is there conflict over child contact?",
    8: "Does the abuser constantly text, call, contact, follow, stalk or harass you?",
    9: "Are you pregnant or have you recently had a baby (within the last 18 months)?",
    10: "Is the abuse happening more often?",
    11: "Is the abuse getting worse?",
    12: "Does the abuser try to control everything you do and/or are they excessively jealous?",
    13: "Has the abuser ever used weapons or objects to hurt you?",
    14: "Has the abuser ever threatened to kill you or someone else and you believed them?",
    15: "Has the abuser ever attempted to strangle, choke, suffocate or drown you?",
    16: "Does the abuser do or say things of a sexual nature that make you feel bad or that physically hurt you or someone else?",
    17: "Is there any other person who has threatened you or who you are afraid of?",
    18: "Do you know if the abuser has hurt anyone else?",
    19: "Has the abuser ever mistreated an animal or the family pet?",
    20: "Are there any financial issues, for example are you dependent on the abuser for money?",
    21: "Has the abuser had problems in the past year with drugs, alcohol or mental health?",
    22: "Has the abuser ever threatened or attempted suicide?",
    23: "Has the abuser ever broken bail, an injunction or a formal agreement about contact?",
    24: "Do you know if the abuser has ever been in trouble with the police or has a criminal history?",
}


class DashError(ValueError):
    """Input that cannot be scored; the message says which question or field and why."""


def dash_score(answers: Mapping[int, str]) -> int:
    """Number of "yes" answers. Every question 1-24 must be answered yes, no or don't know."""
    unknown = sorted(set(answers) - set(QUESTIONS))
    if unknown:
        raise DashError(f"There is no DASH question {unknown[0]}: questions are numbered 1 to 24.")
    missing = [q for q in QUESTIONS if q not in answers]
    if missing:
        raise DashError(f"DASH question {missing[0]} has no answer: answer yes, no or don't know.")
    for question, answer in answers.items():
        if answer not in ANSWERS:
            raise DashError(f"DASH question {question}: {answer!r} is not yes, no or don't know.")
    return sum(1 for a in answers.values() if a == YES)


def level_from_score(score: int, settings: PartnershipSettings) -> str:
    if not 0 <= score <= len(QUESTIONS):
        raise DashError(f"A DASH score is between 0 and {len(QUESTIONS)}, not {score}.")
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


def officer_grade_judgement(grade: str, score: int, settings: PartnershipSettings) -> Judgement | None:
    """A police officer's grade above the level the score gives is the officer's
    professional judgement (domain.md "Victim risk level": judgement raises the level,
    never lowers it, with a reason). A grade at or below the score's level adds nothing."""
    if grade not in LEVELS or LEVELS.index(grade) <= LEVELS.index(level_from_score(score, settings)):
        return None
    return Judgement(level=grade, reason=OFFICER_GRADE_REASON)


def assess_risk(score: int, judgement: Judgement | None, settings: PartnershipSettings) -> RiskResult:
    """The victim's risk level: the score's level, raised (never lowered) by judgement."""
    by_score = level_from_score(score, settings)
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

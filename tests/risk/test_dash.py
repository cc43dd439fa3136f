"""DASH scoring and risk levels (domain.md "Victim risk level"). No database."""

from dataclasses import replace

import pytest

from carepath.configuration.definitions import PartnershipSettings
from carepath.risk.checklist import DASH_RIC_2009
from carepath.risk.dash import DashError, Judgement, assess_risk, dash_score, level_from_score

DEFAULTS = PartnershipSettings()
DASH = DASH_RIC_2009


def answers_with(yes: int) -> dict[int, str]:
    return {q: ("yes" if q <= yes else ("dont_know" if q % 2 else "no")) for q in DASH.numbers}


def test_score_counts_yes_answers_only():
    assert dash_score(answers_with(0), DASH) == 0
    assert dash_score(answers_with(15), DASH) == 15
    assert dash_score(answers_with(24), DASH) == 24


@pytest.mark.parametrize(
    "score, level", [(0, "standard"), (7, "standard"), (8, "medium"), (13, "medium"), (14, "high"), (24, "high")]
)
def test_levels_at_the_thresholds(score, level):
    assert level_from_score(score, DEFAULTS, DASH) == level


def test_thresholds_come_from_configuration():
    stevenage = replace(DEFAULTS, dash_medium_threshold=10)
    assert level_from_score(9, stevenage, DASH) == "standard"
    assert level_from_score(10, stevenage, DASH) == "medium"


@pytest.mark.parametrize(
    "answers, message",
    [
        ({**answers_with(3), 7: "maybe"}, "question 7: 'maybe' is not yes, no or don't know"),
        ({q: "no" for q in range(1, 24)}, "question 24 has no answer"),
        ({**answers_with(3), 25: "yes"}, "no DASH question 25"),
    ],
)
def test_bad_answers_are_named(answers, message):
    with pytest.raises(DashError, match=message):
        dash_score(answers, DASH)


def test_judgement_raises_with_a_reason():
    result = assess_risk(9, Judgement("high", "strangulation and threats to kill"), DEFAULTS, DASH)
    assert (result.level_by_score, result.level, result.raised_by_judgement) == ("medium", "high", True)
    assert "strangulation" in result.note


def test_judgement_never_lowers():
    result = assess_risk(15, Judgement("medium", "she seems calmer"), DEFAULTS, DASH)
    assert result.level == "high"
    assert not result.raised_by_judgement
    assert "cannot lower" in result.note


def test_judgement_needs_a_reason():
    with pytest.raises(DashError, match="needs a reason"):
        assess_risk(3, Judgement("high", "  "), DEFAULTS, DASH)


def test_the_seeded_checklist_is_the_24_questions_of_the_dash_2009():
    assert DASH.label == "SafeLives DASH RIC (2009)" and len(DASH.questions) == 24 and DASH.max_score == 24
    assert DASH.question(15).text == "Has the abuser ever attempted to strangle, choke, suffocate or drown you?"


def test_a_question_weighted_more_adds_its_weight_for_a_yes():
    revised = replace(
        DASH, questions=(*DASH.questions[:14], replace(DASH.questions[14], weight=3), *DASH.questions[15:])
    )
    assert revised.max_score == 26
    answers = {q: "no" for q in revised.numbers} | {15: "yes", 1: "yes"}
    assert dash_score(answers, revised) == 4
    assert dash_score(answers, DASH) == 2


def test_another_checklist_scores_its_own_questions_and_no_others():
    short = replace(DASH, name="Revised checklist", version="2027", questions=DASH.questions[:20])
    assert dash_score({q: "yes" for q in range(1, 21)}, short) == 20
    with pytest.raises(
        DashError, match="no DASH question 21: the questions of Revised checklist .2027. are numbered 1 to 20"
    ):
        dash_score({q: "yes" for q in range(1, 25)}, short)
    with pytest.raises(DashError, match="between 0 and 20, not 22"):
        level_from_score(22, DEFAULTS, short)

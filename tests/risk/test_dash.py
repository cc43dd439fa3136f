"""DASH scoring and risk levels (domain.md "Victim risk level"). No database."""

from dataclasses import replace

import pytest

from carepath.configuration.definitions import PartnershipSettings
from carepath.risk.dash import QUESTIONS, DashError, Judgement, assess_risk, dash_score, level_from_score

DEFAULTS = PartnershipSettings()


def answers_with(yes: int) -> dict[int, str]:
    return {q: ("yes" if q <= yes else ("dont_know" if q % 2 else "no")) for q in QUESTIONS}


def test_score_counts_yes_answers_only():
    assert dash_score(answers_with(0)) == 0
    assert dash_score(answers_with(15)) == 15
    assert dash_score(answers_with(24)) == 24


@pytest.mark.parametrize(
    "score, level", [(0, "standard"), (7, "standard"), (8, "medium"), (13, "medium"), (14, "high"), (24, "high")]
)
def test_levels_at_the_thresholds(score, level):
    assert level_from_score(score, DEFAULTS) == level


def test_thresholds_come_from_configuration():
    stevenage = replace(DEFAULTS, dash_medium_threshold=10)
    assert level_from_score(9, stevenage) == "standard"
    assert level_from_score(10, stevenage) == "medium"


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
        dash_score(answers)


def test_judgement_raises_with_a_reason():
    result = assess_risk(9, Judgement("high", "strangulation and threats to kill"), DEFAULTS)
    assert (result.level_by_score, result.level, result.raised_by_judgement) == ("medium", "high", True)
    assert "strangulation" in result.note


def test_judgement_never_lowers():
    result = assess_risk(15, Judgement("medium", "she seems calmer"), DEFAULTS)
    assert result.level == "high"
    assert not result.raised_by_judgement
    assert "cannot lower" in result.note


def test_judgement_needs_a_reason():
    with pytest.raises(DashError, match="needs a reason"):
        assess_risk(3, Judgement("high", "  "), DEFAULTS)

"""Casework's pure rules (carepath.casework.rules): the case's moves, safe caseloads, the
allocation suggestion and the safe-contact check."""

from datetime import datetime, time

import pytest

from carepath.casework import rules
from carepath.casework.rules import Candidate, SafeCaseload, SafeWindow

pytestmark = pytest.mark.no_database
SAFE = SafeCaseload(high_a_year=65, medium_a_year=85, open_at_once=80)


def test_a_case_moves_along_its_journey_and_says_why_when_it_cannot():
    assert rules.move_refusal(rules.REFERRED, rules.CONTACTING) is None
    assert rules.move_refusal(rules.CONTACTING, rules.ENGAGED) is None
    assert rules.move_refusal(rules.DORMANT, rules.ONGOING) is None
    assert rules.move_refusal(rules.REFERRED, rules.CLOSED) == (
        "A case that is referred can only become: contacting, declined support, not contactable."
    )
    assert rules.move_refusal(rules.CLOSED, rules.ENGAGED) == "The case is closed: a new referral opens a new case."
    assert rules.move_refusal(rules.REFERRED, "lost") == "That is not a case status."


def test_seed_002s_idva_with_120_high_risk_victims_a_year_is_over_safe():
    over = rules.load(fte=1.0, high_this_year=120, medium_this_year=0, open_cases=40, safe=SAFE)
    assert over.over and over.year_share == pytest.approx(120 / 65)
    safe = rules.load(fte=1.0, high_this_year=40, medium_this_year=20, open_cases=50, safe=SAFE)
    assert not safe.over and safe.year_share == pytest.approx(40 / 65 + 20 / 85)
    # Half-time: half the safe load. Open cases alone can put a worker over.
    half = rules.load(fte=0.5, high_this_year=10, medium_this_year=0, open_cases=41, safe=SAFE)
    assert half.open_limit == 40 and half.over
    assert rules.load(fte=0, high_this_year=0, medium_this_year=0, open_cases=1, safe=SAFE).over


def test_the_suggestion_puts_safe_workers_with_the_right_specialism_first():
    light = rules.load(fte=1.0, high_this_year=10, medium_this_year=0, open_cases=10, safe=SAFE)
    busy = rules.load(fte=1.0, high_this_year=50, medium_this_year=0, open_cases=60, safe=SAFE)
    over = rules.load(fte=1.0, high_this_year=90, medium_this_year=0, open_cases=60, safe=SAFE)
    candidates = [
        Candidate(1, frozenset(), light),
        Candidate(2, frozenset({"young_people", "housing"}), busy),
        Candidate(3, frozenset({"young_people"}), over),
        Candidate(4, frozenset({"young_people"}), light),
    ]
    ranked = rules.suggest_workers(candidates, needs={"young_people", "housing"})
    assert [s.worker_id for s in ranked] == [2, 4, 1, 3]
    assert ranked[0].matched == ("housing", "young_people") and ranked[-1].over


EVENINGS = (SafeWindow(frozenset({0, 1, 2, 3, 4}), time(18, 0), time(20, 0)),)


@pytest.mark.parametrize(
    ("channel", "at", "windows", "refused"),
    [
        ("phone_call", datetime(2026, 12, 1, 18, 30), EVENINGS, None),
        ("phone_call", datetime(2026, 12, 1, 20, 0), EVENINGS, "outside the times"),  # the end is not in it
        ("phone_call", datetime(2026, 12, 5, 18, 30), EVENINGS, "outside the times"),  # a Saturday
        ("text", datetime(2026, 12, 1, 18, 30), EVENINGS, "not said this way"),
        ("phone_call", datetime(2026, 12, 5, 3, 0), (), None),  # no times given: the channel decides
    ],
)
def test_a_contact_attempt_uses_only_a_safe_channel_at_a_safe_time(channel, at, windows, refused):
    answer = rules.contact_refusal(channel=channel, usable={"phone_call"}, windows=windows, at=at)
    assert (answer is None) if refused is None else (refused in answer)

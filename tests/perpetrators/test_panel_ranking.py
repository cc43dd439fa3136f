"""The serial and repeat flags and the ranking, on a fixture whose figures are worked out
by hand below (the partnership's default settings: look back 1095 days; serial at 2
victims; repeat at 2 events against one victim within 365 days; recency over 12 months;
weights R 1, F 1, G 1, V 5; gravity crime 2, non-crime 1, high risk +3, medium +1)."""

from datetime import date
from decimal import Decimal

import pytest

from carepath.perpetrators.ranking import PanelEvent, PanelSettings, assess, flags, rank, whole_months_between

pytestmark = pytest.mark.no_database

TODAY = date(2026, 12, 1)
DEFAULTS = PanelSettings()
E = PanelEvent

FIXTURE = {
    # Serial: three victims. Gravity 2+3 (crime, high) + 1+1 (non-crime, medium) + 2 (crime,
    # not assessed) = 9. Latest 20 Nov 2026: no whole month to 1 Dec, so R = 12.
    # Score 12 + 3 + 9 + 5x3 = 39.
    1: [
        E(date(2026, 11, 20), 10, True, "high"),
        E(date(2025, 6, 1), 11, False, "medium"),
        E(date(2024, 1, 10), 12, True, None),
    ],
    # Repeat: two events against one victim 167 days apart. G = 2 (crime, standard) + 2+1
    # (crime, medium) = 5. Latest 15 Aug: 3 whole months to 1 Dec, R = 9. Score 9+2+5+5 = 21.
    2: [E(date(2026, 3, 1), 20, True, "standard"), E(date(2026, 8, 15), 20, True, "medium")],
    # Not repeat: two events against one victim 366 days apart (1 Jan 2025 to 2 Jan 2026).
    3: [E(date(2025, 1, 1), 30, True, "high"), E(date(2026, 1, 2), 30, True, "high")],
    # Repeat: her two linked records are one person (the same key), so one victim, not serial.
    # G = 1 + 1; latest 1 Nov: 1 whole month, R = 11. Score 11 + 2 + 2 + 5 = 20.
    4: [E(date(2026, 10, 1), 40, False), E(date(2026, 11, 1), 40, False)],
    # Not serial: the first victim's event was on 1 Dec 2023, one day before the look-back
    # (1 Dec 2026 less 1095 days is 2 Dec 2023); one event left, so not repeat either.
    5: [E(date(2023, 12, 1), 50, True), E(date(2026, 6, 1), 51, True, "high")],
    # Serial, two victims: G = 1 + 1; latest 1 Jun: 6 whole months, R = 6. Score 6+2+2+10 = 20,
    # the same as 4 but with more victims: before 4.
    6: [E(date(2026, 5, 1), 60, False), E(date(2026, 6, 1), 61, False)],
    # Repeat: G = 2 + 1; latest 1 Oct: 2 whole months, R = 10. Score 10+2+3+5 = 20, one victim
    # as 4, but his latest event is a month older: after 4.
    7: [E(date(2026, 9, 1), 70, True), E(date(2026, 10, 1), 70, False)],
}


def test_the_flags_and_parts_of_each_score_are_those_worked_out_by_hand():
    got = {p: assess(p, events, today=TODAY, settings=DEFAULTS) for p, events in FIXTURE.items()}
    parts = {p: (e.serial, e.repeat, e.recency, e.frequency, e.gravity, e.victims, e.score) for p, e in got.items()}
    assert parts == {
        1: (True, False, 12, 3, 9, 3, Decimal(39)),
        2: (False, True, 9, 2, 5, 1, Decimal(21)),
        3: (False, False, 2, 2, 10, 1, Decimal(19)),  # latest 2 Jan 2026: 10 whole months, R = 2; G = 5+5
        4: (False, True, 11, 2, 2, 1, Decimal(20)),
        5: (False, False, 6, 1, 5, 1, Decimal(17)),  # 1 Jun: R = 6; G = 2+3; 6+1+5+5
        6: (True, False, 6, 2, 2, 2, Decimal(20)),
        7: (False, True, 10, 2, 3, 1, Decimal(20)),
    }


def test_the_list_holds_only_serial_and_repeat_perpetrators_in_order():
    ranked = rank(FIXTURE, today=TODAY, settings=DEFAULTS)
    # 39; 21; then the three on 20: more victims first (6), then the most recent (4 before 7).
    assert [e.perpetrator for e in ranked] == [1, 2, 6, 4, 7]


def test_the_look_back_includes_its_first_day():
    # 2 Dec 2023 is exactly 1095 days before 1 Dec 2026: inside, so two victims, serial.
    events = [E(date(2023, 12, 2), 50, True), E(date(2026, 6, 1), 51, True)]
    assert assess(5, events, today=TODAY, settings=DEFAULTS).serial


def test_two_events_365_days_apart_are_a_repeat():
    events = [E(date(2025, 1, 1), 30, True), E(date(2026, 1, 1), 30, True)]
    assert assess(3, events, today=TODAY, settings=DEFAULTS).repeat


def test_nobody_with_no_event_in_the_look_back_is_assessed():
    assert assess(9, [E(date(2020, 1, 1), 1, True)], today=TODAY, settings=DEFAULTS) is None
    assert assess(9, [E(date(2027, 1, 1), 1, True)], today=TODAY, settings=DEFAULTS) is None  # not yet


def test_the_weights_and_points_are_the_partnerships():
    # Perpetrator 1 with gravity weighing double and victims not at all: 12 + 3 + 2x9 + 0 = 33;
    # with a crime worth 5 points, G = (5+3) + (1+1) + 5 = 15: 12 + 3 + 2x15 = 45.
    heavy = PanelSettings(gravity_weight=Decimal(2), victims_weight=Decimal(0))
    assert assess(1, FIXTURE[1], today=TODAY, settings=heavy).score == 33
    assert (
        assess(
            1,
            FIXTURE[1],
            today=TODAY,
            settings=PanelSettings(gravity_weight=Decimal(2), victims_weight=Decimal(0), crime_points=5),
        ).score
        == 45
    )
    # Three victims needed: perpetrator 6 (two) leaves the list; 1 (three) stays.
    ranked = rank(FIXTURE, today=TODAY, settings=PanelSettings(serial_min_victims=3))
    assert [e.perpetrator for e in ranked] == [1, 2, 4, 7]


def test_whole_months():
    assert whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert whole_months_between(date(2026, 1, 31), date(2026, 3, 1)) == 1
    assert whole_months_between(date(2025, 12, 1), date(2026, 12, 1)) == 12


def test_the_boards_flags_are_the_panels():
    for man, events in FIXTURE.items():
        entry = assess(man, events, today=TODAY, settings=DEFAULTS)
        expected = (entry.serial, entry.repeat) if entry else (False, False)
        assert flags(events, today=TODAY, settings=DEFAULTS) == expected, man

"""The board's measures on hand-built rows, each figure worked out by hand in the comments."""

from datetime import date
from decimal import Decimal

import pytest

from carepath.core.codes import AgencyType, choices
from carepath.reporting import measures
from carepath.reporting.measures import IncidentRow, ReferralRow, VictimRow

pytestmark = pytest.mark.no_database

D = date(2026, 8, 1)
WORDS = dict(choices(AgencyType))

# Victim 1 (two incidents: medium, then high: high in the period); victim 2 (one standard);
# victim 3 (two high); victim 4 (one not assessed). 6 incidents, 4 victims.
INCIDENTS = [
    IncidentRow(D, 1, "medium", False, 100),
    IncidentRow(D, 1, "high", True, 100),
    IncidentRow(D, 2, "standard", False, 101),
    IncidentRow(D, 3, "high", True, 102),
    IncidentRow(D, 3, "high", True, 100),
    IncidentRow(D, 4, "", False, None),
]


def test_incidents_by_risk_count_incidents_and_victims_as_people():
    table = measures.incidents_by_risk(INCIDENTS)
    # High: 3 of 6 incidents (50.0%); victims at their highest: 1 and 3 high (2 of 4, 50.0%).
    assert table.value("High risk", "Incidents") == 3
    assert table.value("High risk", "% of incidents") == Decimal("50.0")
    assert table.value("High risk", "Victims (people)") == 2
    # Medium: 1 incident (16.7%), but no victim is at medium at her highest.
    assert table.value("Medium risk", "Incidents") == 1
    assert table.value("Medium risk", "% of incidents") == Decimal("16.7")
    assert table.value("Medium risk", "Victims (people)") == 0
    assert table.value("Not assessed", "Victims (people)") == 1
    assert table.value("All", "Incidents") == 6
    assert table.value("All", "Victims (people)") == 4
    assert table.headline_value == Decimal("50.0")


def test_serial_and_repeat_perpetrators_by_severity_and_risk():
    # 100 is serial (victims 1 and 3), 102 repeat, 101 neither; the unknown perpetrator is left out.
    flagged = {100: (True, True), 102: (False, True)}
    table = measures.serial_repeat_perpetrators(INCIDENTS, lambda man: flagged.get(man, (False, False)))
    # Crimes: 100 and 102 (2 men): serial 1 (50.0%), repeat 2 (100.0%).
    assert table.value("A crime", "Perpetrators (people)") == 2
    assert table.value("A crime", "Serial") == 1
    assert table.value("A crime", "% serial") == Decimal("50.0")
    assert table.value("A crime", "Repeat") == 2
    # Non-crimes: 100 (medium) and 101 (standard): 1 of 2 serial or repeat.
    assert table.value("A non-crime incident", "Serial or repeat") == 1
    # Victim at standard risk: only 101, neither.
    assert table.value("Victim at standard risk", "% serial or repeat") == Decimal("0.0")
    # All: three men, two serial or repeat: 66.7%.
    assert table.value("All incidents", "Perpetrators (people)") == 3
    assert table.headline_value == Decimal("66.7")


REFERRALS = [
    # The police referred victim 1 twice (MARAC on the assessment and IDVA; then MARAC as a repeat).
    ReferralRow(D, 1, AgencyType.POLICE, frozenset({"marac", "idva"}), "high", frozenset({"visible_high_risk"})),
    ReferralRow(D, 1, AgencyType.POLICE, frozenset({"marac"}), "high", frozenset({"repeat"})),
    # Victim 2 from the police, IDVA only, medium risk.
    ReferralRow(D, 2, AgencyType.POLICE, frozenset({"idva"}), "medium"),
    # A GP and a health visitor referred victim 5 to MARAC; a mental health team victim 6 to an IDVA.
    ReferralRow(D, 5, AgencyType.GP, frozenset({"marac"}), "high", frozenset({"professional_judgement"})),
    ReferralRow(D, 5, AgencyType.HEALTH_VISITING, frozenset({"marac"}), "high"),
    ReferralRow(D, 6, AgencyType.MENTAL_HEALTH, frozenset({"idva"}), "medium"),
    # A self-referral, nowhere yet.
    ReferralRow(D, 7, "self", frozenset(), ""),
]


def test_police_referrals_to_marac_and_idva_by_risk_and_criterion():
    table = measures.police_referrals(REFERRALS)
    # High: victim 1 to MARAC (once, as a person) and to an IDVA; medium: victim 2 to an IDVA.
    assert table.value("High risk", "Referred to MARAC (people)") == 1
    assert table.value("High risk", "Referred to an IDVA (people)") == 1
    assert table.value("Medium risk", "Referred to an IDVA (people)") == 1
    # Victim 1 was referred once on the assessment and once on her history: in both rows.
    assert table.value("MARAC: on the assessment only (score or judgement)", "Referred to MARAC (people)") == 1
    assert table.value("MARAC: on her history only (repeat or escalation)", "Referred to MARAC (people)") == 1
    assert table.value("MARAC: on both", "Referred to MARAC (people)") == 0
    assert table.value("All", "Referred to MARAC (people)") == 1
    assert table.value("All", "Referred to an IDVA (people)") == 2


def test_health_referrals_count_each_victim_once():
    table = measures.health_referrals(REFERRALS, WORDS)
    assert table.value("GP practice", "Referred to MARAC (people)") == 1
    assert table.value("Health visiting", "Referred to MARAC (people)") == 1
    assert table.value("Mental health", "Referred to an IDVA (people)") == 1
    assert table.value("Acute hospital", "Referred to MARAC (people)") == 0
    # Victim 5 came from two health agencies: one person in the total.
    assert table.value("All health agencies", "Referred to MARAC (people)") == 1
    assert table.headline_value == 2


def test_referrals_by_source():
    table = measures.referrals_by_source(REFERRALS, WORDS)
    # 7 referrals: police 3 (42.9%, 2 people), GP 1, health visiting 1, mental health 1, self 1.
    assert table.value("Police", "Referrals") == 3
    assert table.value("Police", "% of referrals") == Decimal("42.9")
    assert table.value("Police", "Victims (people)") == 2
    assert table.value("The victim herself (self-referral)", "Referrals") == 1
    assert [row[0].value for row in table.rows][:2] == ["Police", "GP practice"]
    assert table.value("All", "Victims (people)") == 5
    # Not from the police: 4 of 7.
    assert table.headline_value == Decimal("57.1")


def test_diverse_groups_against_the_population():
    victims = {
        1: VictimRow("asian_indian", "heterosexual", "no", "yes", "female", "woman", date(1990, 1, 1)),
        2: VictimRow("white_british", "bisexual", "no", "no", "female", "woman", date(2009, 9, 1)),
        3: VictimRow("not_stated", "not_stated", "no", "not_known", "male", "not_known", None),
        4: VictimRow("white_irish", "heterosexual", "yes", "no", "female", "woman", date(1980, 1, 1)),
    }
    referred = {1: D, 2: D, 3: D, 4: D}
    population = measures.PopulationShares(Decimal("19.2"), Decimal("6"), Decimal("14.3"), None, Decimal("3.3"))
    table = measures.diverse_access(victims, referred, population)
    # Minoritised: 1 and 4 (White Irish counts, as SafeLives counts): 2 of 4, 50.0%.
    assert table.value("Black, Asian or minoritised", "Victims referred (people)") == 2
    assert table.value("Black, Asian or minoritised", "% of victims referred") == Decimal("50.0")
    assert table.value("Black, Asian or minoritised", "% of the population") == Decimal("19.2")
    # LGBT+: 2 (bisexual) and 4 (trans): 2.  Disabled: 1.  Male: 3 (recorded male, gender not known).
    assert table.value("LGBT+", "Victims referred (people)") == 2
    assert table.value("Disabled", "Victims referred (people)") == 1
    assert table.value("Male", "Victims referred (people)") == 1
    # Aged 16 or 17 on 1 Aug 2026: victim 2, born 1 Sep 2009, is 16.
    assert table.value("Aged 16 or 17", "Victims referred (people)") == 1
    assert table.benchmark_values == (Decimal("19.2"),)


def test_what_changed_says_which_way_each_headline_moved():
    before = measures.incidents_by_risk(INCIDENTS[:2])  # 1 of 2 high: 50.0%
    now = measures.incidents_by_risk(INCIDENTS)  # 3 of 6: 50.0%
    higher = measures.incidents_by_risk(INCIDENTS[1:2])  # 1 of 1: 100.0%
    fewer = measures.health_referrals(REFERRALS[:4], WORDS)  # victim 5 only: 1
    assert measures.what_changed([now], [before], since="Q2") == [
        "Incidents assessed high risk (% of incidents): 50.0%, the same as in Q2."
    ]
    assert measures.what_changed([higher], [now], since="Q2") == [
        "Incidents assessed high risk (% of incidents): rose from 50.0% in Q2 to 100.0%."
    ]
    assert measures.what_changed([fewer], [measures.health_referrals(REFERRALS, WORDS)], since="Q2") == [
        "Victims health agencies referred to MARAC or an IDVA: fell from 2 in Q2 to 1."
    ]
    hidden = measures.suppress(now, 5)
    assert "not comparable" in measures.what_changed([hidden], [before], since="Q2")[0]


def test_children_outcomes_shares():
    table = measures.children_outcomes(statutory=3, early_help=4, no_further_action=1, awaiting=2)
    # Decided 8: statutory 3 (37.5%); below 5 (62.5%); of those 4 early help (80.0%).
    assert table.value("Reach the statutory threshold", "%") == Decimal("37.5")
    assert table.value("Below the threshold", "Children") == 5
    assert table.value("Below the threshold, given other support (early help)", "%") == Decimal("80.0")
    assert table.headline_value == Decimal("80.0")


def test_marac_volume_against_expected():
    maracs = [
        measures.MaracVolume("North", discussed=30, repeats=9, expected=Decimal("40.0")),
        measures.MaracVolume("South", discussed=10, repeats=1, expected=None),
    ]
    table = measures.marac_volume(maracs, repeat_low=28, repeat_high=40)
    assert table.value("North", "% of expected") == Decimal("75.0")
    assert table.value("North", "Repeat rate") == Decimal("30.0")
    assert table.value("South", "% of expected") is None
    # All: 40 discussed of 40 expected: 100.0%; 10 repeats of 40: 25.0%.
    assert table.value("All MARACs", "% of expected") == Decimal("100.0")
    assert table.value("All MARACs", "Repeat rate") == Decimal("25.0")


def test_small_numbers_are_hidden_with_the_shares_worked_out_from_them():
    table = measures.incidents_by_risk(INCIDENTS)
    hidden = measures.suppress(table, 5)
    # Every count in the fixture is under 5 except none: the high row's 3 incidents and 2 people hide,
    # and so do its percentages.
    assert hidden.value("High risk", "Incidents") == "fewer than 5"
    assert hidden.value("High risk", "% of incidents") == "fewer than 5"
    # Zero identifies no one: shown.
    assert hidden.value("Medium risk", "Victims (people)") == 0
    # A total of 6 is shown.
    assert hidden.value("All", "Incidents") == 6
    # A threshold of 1 hides nothing.
    assert measures.suppress(table, 1) == table


def test_a_small_headline_is_hidden_and_so_is_a_percentage_of_a_small_count():
    assert measures.suppress(measures.health_referrals(REFERRALS, WORDS), 5).headline_value == "fewer than 5"
    # 3 high-risk incidents of 6: 50.0%, worked out from a count under 5.
    assert measures.suppress(measures.incidents_by_risk(INCIDENTS), 5).headline_value == "fewer than 5"
    assert measures.suppress(measures.incidents_by_risk(INCIDENTS), 3).headline_value == Decimal("50.0")


def test_every_measure_names_its_source_in_words_a_board_reads():
    for measure in measures.MEASURES.values():
        assert measure.source and "domain.md" not in measure.source and "Seed" not in measure.source


def test_idva_caseloads_against_safe():
    services = [
        measures.ServiceCaseload("North IDVAs", 2.0, 130, 20, 110, 1.2, 120.0),
        measures.ServiceCaseload("South IDVAs", 1.0, 30, 10, 40, 0.6, 60.0),
    ]
    table = measures.idva_caseload(services, safe_high=65, safe_open=60)
    assert table.value("North IDVAs", "The year's cases as % of safe") == Decimal("120.0")
    assert table.value("South IDVAs", "Full-time workers") == Decimal("1.0")
    # The busiest service is the headline: 120.0% of safe, against a benchmark of 100%.
    assert table.headline_value == Decimal("120.0") and table.benchmark_values == (Decimal(100),)


def test_engagement_by_service_with_its_levels_and_first_contact():
    services = [
        measures.ServiceEngagement("IDVA", 40, 30, 20, {1: 5, 2: 10, 3: 5}, 18, 2, 1.0),
        measures.ServiceEngagement("Caseworkers", 60, 30, 10, {2: 10}, 20, 20, None),
    ]
    table = measures.engagement(
        services, level_words={1: "Level 1", 2: "Level 2", 3: "Level 3"}, expected_idva=49, expected_caseworker=21
    )
    assert table.value("IDVA", "% engaged") == Decimal("50.0")
    assert table.value("IDVA", "Engaged at level 2") == 10
    assert table.value("IDVA", "% in time") == Decimal("90.0")
    assert table.value("Caseworkers", "Engaged at level 1") == 0
    assert table.value("Caseworkers", "Median working days to first contact") is None
    # 30 engaged of 100 referred, against the settings' 49% and 21% (a band on the chart).
    assert table.headline_value == Decimal("30.0")
    assert table.benchmark_values == (Decimal(49), Decimal(21))


def test_outcomes_and_wellbeing_at_closure():
    table = measures.outcomes(
        {"physical": {"ceased": 6, "reduced": 2, "no_change": 1, "increased": 1}, "sexual": {"ceased": 1}},
        abuse_words={"physical": "Physical abuse", "sexual": "Sexual abuse"},
        outcome_words={"ceased": "Ceased", "reduced": "Reduced", "no_change": "No change", "increased": "Increased"},
    )
    assert table.value("Physical abuse", "% ceased") == Decimal("60.0")
    assert table.value("Sexual abuse", "Closed cases with an outcome") == 1
    # Ceased or reduced: 6 + 2 + 1 of 11 recorded = 81.8%.
    assert table.headline_value == Decimal("81.8")
    scores = measures.wellbeing({"safety": measures.ScoreTotals(4, 12.0, 28.0, 3)}, score_words={"safety": "Safety"})
    assert scores.value("Safety", "Mean at intake") == Decimal("3.0")
    assert scores.value("Safety", "Mean at exit") == Decimal("7.0")
    assert scores.value("Safety", "% improved") == Decimal("75.0")


def test_spending_per_incident_rounds_down_as_the_review():
    # The review: £1.64m a year over 13,658 incidents is £120.
    year = measures.spend_per_incident(
        yearly=Decimal(1_643_254), incidents=13_658, days=365, peers=(Decimal(146), Decimal(236))
    )
    assert year.value("Spending per police incident", "Value") == Decimal(120)
    assert year.benchmark_values == (Decimal(146), Decimal(236))
    # A quarter of 92 days spends 92/365 of the year's.
    quarter = measures.spend_per_incident(
        yearly=Decimal(365_000), incidents=46, days=92, peers=(Decimal(146), Decimal(236))
    )
    assert quarter.value("Spending on domestic abuse services in the period", "Value") == Decimal(92_000)
    assert quarter.headline_value == Decimal(2000)
    nowhere = measures.spend_per_incident(yearly=None, incidents=10, days=92, peers=(Decimal(1), Decimal(2)))
    assert nowhere.headline_value is None and "not given" in nowhere.note

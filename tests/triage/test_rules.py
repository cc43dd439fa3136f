"""Routing (domain.md "Routing") and the four MARAC criteria. Pure: no database."""

from dataclasses import replace

import pytest

from carepath.configuration.definitions import PartnershipSettings
from carepath.risk.checklist import DASH_RIC_2009
from carepath.risk.dash import Judgement, assess_risk
from carepath.triage.routing import VICTIM_CONTACT_ACTIONS, Case, Child, Due, route

DEFAULTS = PartnershipSettings()


def case(score=3, *, judgement=None, age=34, consent="given", **kw) -> Case:
    return Case(
        victim_age=age,
        risk=assess_risk(score, judgement, DEFAULTS, DASH_RIC_2009),
        consent=consent,
        judgement=judgement,
        **kw,
    )


def types(decision) -> list[str]:
    return [a.type for a in decision.actions]


def action(decision, kind):
    [found] = [a for a in decision.actions if a.type == kind]
    return found


class TestRiskLevelRows:
    def test_high_risk_goes_to_marac_and_idva_with_contact_in_one_working_day(self):
        decision = route(case(14), DEFAULTS)
        assert decision.risk_level == "high"
        assert decision.marac_criteria == ("visible_high_risk",)
        assert types(decision)[:3] == ["marac_referral", "idva_referral", "perpetrator_risk_plan"]
        assert action(decision, "idva_referral").due == Due(working_days=1)
        assert action(decision, "perpetrator_risk_plan").owner_agency == "police"

    def test_score_13_is_medium_and_not_marac(self):
        decision = route(case(13), DEFAULTS)
        assert decision.risk_level == "medium" and decision.marac_criteria == ()
        assert types(decision) == ["caseworker_referral"]
        assert action(decision, "caseworker_referral").due == Due(working_days=3)

    def test_score_8_is_medium(self):
        assert route(case(8), DEFAULTS).risk_level == "medium"

    def test_score_7_is_standard_signposting(self):
        decision = route(case(7, crime_recorded=False), DEFAULTS)
        assert decision.risk_level == "standard"
        assert types(decision) == ["signpost_universal"]

    def test_standard_with_crime_and_consent_offers_victim_support(self):
        assert types(route(case(2, crime_recorded=True), DEFAULTS)) == ["signpost_universal", "victim_support_offer"]

    def test_standard_with_crime_but_no_consent_gets_no_victim_support(self):
        assert "victim_support_offer" not in types(route(case(2, crime_recorded=True, consent="refused"), DEFAULTS))

    def test_high_risk_without_consent_shares_with_a_lawful_basis(self):
        decision = route(case(16, consent="refused"), DEFAULTS)
        assert "DPA 2018 Schedule 1 para 18" in action(decision, "marac_referral").lawful_basis
        assert "without consent" in action(decision, "idva_referral").reason

    def test_high_risk_with_consent_needs_no_lawful_basis_for_sharing(self):
        assert action(route(case(16), DEFAULTS), "marac_referral").lawful_basis == ""

    def test_consent_refused_at_medium_risk_means_no_referral(self):
        decision = route(case(10, consent="refused"), DEFAULTS)
        assert types(decision) == ["signpost_universal"]
        assert any("Consent refused" in m for m in decision.messages)

    def test_consent_not_sought_at_medium_risk_asks_for_it(self):
        decision = route(case(10, consent="not_sought"), DEFAULTS)
        assert types(decision) == ["seek_consent"]
        assert action(decision, "seek_consent").due == Due(working_days=3)


class TestMaracCriteria:
    def test_judgement_raises_a_medium_score_to_marac(self):
        decision = route(case(9, judgement=Judgement("high", "threats to kill")), DEFAULTS)
        assert decision.risk_level == "high"
        assert decision.marac_criteria == ("professional_judgement",)
        assert "marac_referral" in types(decision)

    def test_judgement_that_tries_to_lower_is_ignored_and_said(self):
        decision = route(case(15, judgement=Judgement("standard", "minimising")), DEFAULTS)
        assert decision.risk_level == "high"
        assert "visible_high_risk" in decision.marac_criteria
        assert "professional_judgement" not in decision.marac_criteria
        assert any("cannot lower" in m for m in decision.messages)

    @pytest.mark.parametrize("events, escalates", [(2, False), (3, True)])
    def test_potential_escalation_at_three_events_in_12_months(self, events, escalates):
        decision = route(case(4, events_last_12_months=events), DEFAULTS)
        assert ("potential_escalation" in decision.marac_criteria) is escalates
        assert ("marac_referral" in types(decision)) is escalates

    def test_escalation_threshold_is_configurable(self):
        five_callouts = replace(DEFAULTS, marac_escalation_events=5)
        assert route(case(4, events_last_12_months=4), five_callouts).marac_criteria == ()

    @pytest.mark.parametrize("days, repeat", [(365, True), (366, False), (0, True)])
    def test_repeat_just_inside_and_outside_12_months(self, days, repeat):
        decision = route(case(2, last_marac_referral_days_ago=days), DEFAULTS)
        assert ("repeat" in decision.marac_criteria) is repeat
        assert ("marac_referral" in types(decision)) is repeat

    def test_a_repeat_returns_to_marac_whatever_its_score(self):
        decision = route(case(0, last_marac_referral_days_ago=30), DEFAULTS)
        assert decision.risk_level == "standard"
        assert types(decision)[:2] == ["marac_referral", "idva_referral"]

    def test_several_criteria_are_all_recorded(self):
        decision = route(
            case(
                18, judgement=Judgement("high", "stalking"), events_last_12_months=4, last_marac_referral_days_ago=100
            ),
            DEFAULTS,
        )
        assert decision.marac_criteria == (
            "visible_high_risk",
            "professional_judgement",
            "potential_escalation",
            "repeat",
        )
        assert (
            action(decision, "marac_referral").rule
            == "marac.visible_high_risk+professional_judgement+potential_escalation+repeat"
        )


def test_the_escalation_words_follow_the_partnerships_count_and_window():
    five_in_six_months = replace(DEFAULTS, marac_escalation_events=5, marac_escalation_window_days=183)
    decision = route(case(3, events_last_12_months=5), five_in_six_months)
    reason = action(decision, "marac_referral").reason
    assert "5 or more events in 183 days" in reason and "12 months" not in reason
    assert (
        "3 or more events in 12 months"
        in action(route(case(3, events_last_12_months=3), DEFAULTS), "marac_referral").reason
    )


class TestAges:
    def test_a_15_year_old_victim_goes_to_child_safeguarding_not_marac_and_her_baby_is_still_notified(self):
        decision = route(case(16, age=15, children=(Child(2),)), DEFAULTS)
        assert types(decision) == [
            "child_safeguarding_only",
            "children_services_notification",
            "health_visitor_notification",
        ]
        assert decision.marac_criteria == ()
        assert "under 16" in decision.messages[0] and "child safeguarding" in decision.messages[0]

    def test_a_16_year_old_is_a_young_victim_routed_as_an_adult(self):
        decision = route(case(16, age=16), DEFAULTS)
        assert "young_victim" in decision.flags
        assert "marac_referral" in types(decision)
        assert "young people" in action(decision, "idva_referral").reason

    def test_an_18_year_old_is_not_flagged_young(self):
        assert "young_victim" not in route(case(16, age=18), DEFAULTS).flags

    def test_perpetrator_under_16_is_flagged(self):
        decision = route(case(5, perpetrator_age=15), DEFAULTS)
        assert "perpetrator_under_16" in decision.flags


class TestChildren:
    def test_any_child_notifies_childrens_services_even_at_standard_risk(self):
        decision = route(case(1, children=(Child(10),)), DEFAULTS)
        assert "children_services_notification" in types(decision)

    def test_child_under_5_also_notifies_the_health_visitor(self):
        decision = route(case(1, children=(Child(4), Child(5))), DEFAULTS)
        [hv] = [a for a in decision.actions if a.type == "health_visitor_notification"]
        assert hv.subject == "child 1 (aged 4)"

    def test_school_age_child_notifies_the_school_before_the_next_school_day(self):
        decision = route(case(1, children=(Child(7),)), DEFAULTS)
        assert action(decision, "school_notification").due == Due(school_days=1, school_day_start="08:45")

    def test_baby_is_not_notified_to_a_school(self):
        assert "school_notification" not in types(route(case(1, children=(Child(1),)), DEFAULTS))

    def test_harmed_child_gets_an_urgent_child_protection_referral(self):
        decision = route(case(1, children=(Child(9, harmed=True),)), DEFAULTS)
        referral = action(decision, "child_protection_referral")
        assert referral.due == Due(hours=DEFAULTS.child_protection_referral_hours)
        assert referral.owner_agency == "childrens_services"

    def test_no_children_no_child_actions(self):
        assert not any(
            a.subject != "victim" and a.type != "perpetrator_risk_plan" for a in route(case(16), DEFAULTS).actions
        )


class TestPerpetrators:
    def test_serial_perpetrator_is_flagged(self):
        decision = route(case(3, perpetrator_distinct_victims=2), DEFAULTS)
        assert "serial_perpetrator" in decision.flags
        assert any("perpetrator panel" in m for m in decision.messages)

    def test_repeat_perpetrator_is_flagged(self):
        assert "repeat_perpetrator" in route(case(3, perpetrator_events_against_victim_12_months=2), DEFAULTS).flags

    def test_one_victim_one_event_is_not_flagged(self):
        decision = route(
            case(3, perpetrator_distinct_victims=1, perpetrator_events_against_victim_12_months=1), DEFAULTS
        )
        assert decision.flags == ()


class TestSafeContact:
    @pytest.mark.parametrize("score", [2, 10, 16])
    def test_no_action_uses_a_channel_not_marked_safe(self, score):
        decision = route(case(score, safe_channels=frozenset({"phone_call"}), crime_recorded=True), DEFAULTS)
        contact_actions = [a for a in decision.actions if a.type in VICTIM_CONTACT_ACTIONS]
        assert contact_actions
        assert all(a.contact_channels == ("phone_call",) for a in contact_actions)

    def test_with_no_safe_channel_the_decision_says_do_not_contact(self):
        decision = route(case(16), DEFAULTS)
        assert action(decision, "idva_referral").contact_channels == ()
        assert any("No safe way to contact" in m for m in decision.messages)


def test_every_action_says_which_rule_and_why():
    decision = route(case(16, children=(Child(3), Child(8, harmed=True)), perpetrator_distinct_victims=3), DEFAULTS)
    for a in decision.actions:
        assert a.rule and a.reason and a.owner_agency


def test_child_of_unknown_age_is_still_notified_and_protected():
    decision = route(case(1, children=(Child(None, harmed=True),)), DEFAULTS)
    assert types(decision) == ["signpost_universal", "children_services_notification", "child_protection_referral"]
    assert "age not known" in action(decision, "children_services_notification").reason


class TestEveryReferralHasAnOwnerAndAFirstContactDeadline:
    @pytest.mark.parametrize(
        "score, consent, crime",
        [
            (2, "given", True),
            (2, "given", False),
            (2, "refused", True),
            (2, "not_sought", True),
            (10, "given", False),
            (10, "refused", False),
            (10, "not_sought", False),
            (16, "refused", True),
        ],
    )
    def test_every_victim_action_has_an_owner_and_a_deadline(self, score, consent, crime):
        decision = route(case(score, consent=consent, crime_recorded=crime), DEFAULTS)
        victim_actions = [a for a in decision.actions if a.subject == "victim"]
        assert victim_actions
        for a in victim_actions:
            assert a.owner_agency and a.due is not None, a.type

    def test_standard_risk_first_contact_follows_the_configured_working_days(self):
        seven_days = replace(DEFAULTS, first_contact_working_days_standard=7)
        decision = route(case(2, crime_recorded=True), seven_days)
        assert action(decision, "signpost_universal").due == Due(working_days=7)
        assert action(decision, "victim_support_offer").due == Due(working_days=7)

    def test_standard_risk_crime_without_consent_sought_asks_for_it(self):
        decision = route(case(2, consent="not_sought", crime_recorded=True), DEFAULTS)
        assert types(decision) == ["signpost_universal", "seek_consent"]
        assert "Victim Support" in action(decision, "seek_consent").reason

    def test_standard_risk_consent_refused_is_not_asked_again(self):
        decision = route(case(2, consent="refused", crime_recorded=True), DEFAULTS)
        assert types(decision) == ["signpost_universal"]


class TestLawfulBasis:
    def test_the_basis_without_consent_names_the_safeguarding_of_children(self):
        basis = action(route(case(16, consent="refused"), DEFAULTS), "marac_referral").lawful_basis
        assert "safeguarding of children and individuals at risk" in basis

    @pytest.mark.parametrize("consent", ["given", "refused"])
    def test_every_child_action_carries_its_lawful_basis_whatever_the_adults_consent(self, consent):
        decision = route(case(2, consent=consent, children=(Child(3), Child(8, harmed=True))), DEFAULTS)
        child_actions = [a for a in decision.actions if a.subject != "victim"]
        assert {a.type for a in child_actions} == {
            "children_services_notification",
            "health_visitor_notification",
            "school_notification",
            "child_protection_referral",
        }
        for a in child_actions:
            assert "Children Act 1989" in a.lawful_basis and "Children Act 2004" in a.lawful_basis, a.type

    def test_a_victim_under_16_is_referred_on_the_childrens_basis(self):
        decision = route(case(2, age=15), DEFAULTS)
        assert "Children Act 1989" in action(decision, "child_safeguarding_only").lawful_basis


class TestMediumRiskMarac:
    """A partnership's medium-risk MARAC (Stevenage's hears 10-13) hears medium-risk cases
    in its band that meet none of the four criteria (issue 13, 1)."""

    def test_a_medium_score_in_the_band_goes_to_the_medium_risk_marac_with_its_own_rule_and_words(self):
        from carepath.triage.routing import MEDIUM_RISK_MARAC, criterion_words

        decision = route(case(11, medium_marac_band=(10, 13)), DEFAULTS)
        assert decision.risk_level == "medium" and decision.marac_criteria == (MEDIUM_RISK_MARAC,)
        referral = action(decision, "marac_referral")
        assert referral.rule == "marac.medium_risk_marac" and referral.owner_agency == "marac"
        assert "medium-risk MARAC" in referral.reason and "10-13" in referral.reason
        assert "perpetrator_risk_plan" in types(decision)
        # Her own support still rests on her consent, as at medium risk anywhere.
        assert "caseworker_referral" in types(decision) and "idva_referral" not in types(decision)
        assert "medium-risk MARAC" in criterion_words(DEFAULTS)[MEDIUM_RISK_MARAC]

    def test_a_score_outside_the_band_or_no_band_takes_the_ordinary_medium_route(self):
        for decision in (route(case(9, medium_marac_band=(10, 13)), DEFAULTS), route(case(11), DEFAULTS)):
            assert decision.marac_criteria == () and types(decision) == ["caseworker_referral"]

    def test_without_consent_the_marac_referral_records_the_lawful_basis(self):
        decision = route(case(12, consent="not_sought", medium_marac_band=(10, 13)), DEFAULTS)
        assert action(decision, "marac_referral").lawful_basis
        assert "seek_consent" in types(decision)

    def test_high_risk_and_the_four_criteria_are_unaffected(self):
        assert route(case(15, medium_marac_band=(10, 13)), DEFAULTS).marac_criteria == ("visible_high_risk",)
        judged = route(case(11, judgement=Judgement("high", "Threats to kill"), medium_marac_band=(10, 13)), DEFAULTS)
        assert judged.marac_criteria == ("professional_judgement",)
        repeat = route(case(11, last_marac_referral_days_ago=30, medium_marac_band=(10, 13)), DEFAULTS)
        assert repeat.marac_criteria == ("repeat",)


def test_a_case_file_may_give_the_medium_risk_marac_band():
    from carepath.triage.casejson import CaseInputError, case_from_json, route_cases

    case = {"victim": {"age": 30}, "dash": {"score": 11}, "consent": "given", "medium_marac_band": [10, 13]}
    assert case_from_json(case, DEFAULTS, DASH_RIC_2009).medium_marac_band == (10, 13)
    [decision], errors = route_cases([case], DEFAULTS, DASH_RIC_2009)
    assert not errors and decision["marac_criteria"] == ["medium_risk_marac"]
    with pytest.raises(CaseInputError, match="medium_marac_band"):
        case_from_json({**case, "medium_marac_band": 10}, DEFAULTS, DASH_RIC_2009)

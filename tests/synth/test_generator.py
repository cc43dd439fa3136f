"""The synthetic county generator: determinism, calibration marginals, noise, truth.

Marginals are recomputed here from the generated records and their ground truth, not
taken from the generator's own summary.
"""

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from carepath.events.models import ChildInvolvement, RiskLevel
from carepath.people.models import ContactChannel, Ethnicity, GenderIdentity, NameKind, RelationshipKind, Sex
from carepath.referrals.models import Channel
from carepath.synth import hertfordshire as herts
from carepath.synth.generator import generate_county, iter_shards, shard_scales

POLICE = herts.POLICE


def police_events(county):
    return [e for e in county.events if e.agency == POLICE]


def truth_of(county):
    return {r.key: r.true_person_key for r in county.records}


def repeat_share(county, events=None):
    """Share of police incidents whose true victim had a police incident in the previous
    365 days (the definition in the generator's docstring)."""
    truth = truth_of(county)
    by_victim = defaultdict(list)
    for e in police_events(county):
        by_victim[truth[e.victim_record]].append(e.occurred_at)
    repeats = {}
    for victim, times in by_victim.items():
        times.sort()
        for i, when in enumerate(times):
            repeats[(victim, when)] = i > 0 and when - times[i - 1] <= timedelta(days=365)
    chosen = police_events(county) if events is None else events
    return sum(repeats[(truth[e.victim_record], e.occurred_at)] for e in chosen) / len(chosen)


def age_on(dob, when):
    return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))


# ------------------------------------------------------------------ determinism


def test_same_seed_same_county():
    a = generate_county(seed=7, scale=0.1)
    b = generate_county(seed=7, scale=0.1)
    assert a == b
    assert len(a.records) > 1000


def test_different_seed_different_county():
    a = generate_county(seed=7, scale=0.1)
    b = generate_county(seed=8, scale=0.1)
    assert [(r.given_name, r.family_name, r.date_of_birth) for r in a.records[:200]] != [
        (r.given_name, r.family_name, r.date_of_birth) for r in b.records[:200]
    ]
    assert [e.occurred_at for e in a.events[:200]] != [e.occurred_at for e in b.events[:200]]


def test_output_does_not_depend_on_hash_randomisation():
    """No iteration over sets or dicts of strings leaks into the output: two processes with
    different string-hash seeds produce the same county."""
    code = (
        "import hashlib, carepath.synth.generator as g; c = g.generate_county(seed=11, years=2, scale=0.03); "
        "print(hashlib.sha256(repr(c).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_generator_is_pure_python():
    code = (
        "import sys, carepath.synth.generator as g; g.generate_county(seed=1, scale=0.01); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_bad_arguments_are_refused():
    for kwargs in ({"years": 0}, {"scale": 0}, {"scale": -1.0}, {"scale": float("nan")}, {"years": 1.5}):
        with pytest.raises(ValueError):
            generate_county(seed=1, **kwargs)


# ------------------------------------------------------------------ police incidents (Appendix 6)


def test_incidents_per_area_match_appendix_6(county_year):
    per_area = Counter(e.area for e in police_events(county_year))
    for area in herts.AREAS:
        assert abs(per_area[area.name] - area.police_incidents) / area.police_incidents < 0.03
    assert sum(per_area.values()) == pytest.approx(13_658, rel=0.01)


def test_risk_split_3_25_72(county_year):
    events = police_events(county_year)
    levels = Counter(e.risk_level for e in events)
    n = len(events)
    assert abs(levels["high"] / n - 0.03) <= 0.02
    assert abs(levels["medium"] / n - 0.25) <= 0.02
    assert abs(levels["standard"] / n - 0.72) <= 0.02
    # DASH score consistent with the level (generation targets: high >= 14, medium 8-13).
    for e in events:
        assert e.dash_score is not None
        if e.risk_level == RiskLevel.HIGH:
            assert 14 <= e.dash_score <= 24
        elif e.risk_level == RiskLevel.MEDIUM:
            assert 8 <= e.dash_score <= 13
        else:
            assert 0 <= e.dash_score <= 7


def test_risk_is_persistent_for_a_victim(county_year):
    """High-risk incidents cluster on victims: a victim with one high-risk incident is far
    more likely than average to have another high or medium one."""
    truth = truth_of(county_year)
    levels_by_victim = defaultdict(list)
    for e in police_events(county_year):
        levels_by_victim[truth[e.victim_record]].append(e.risk_level)
    multi = [lv for lv in levels_by_victim.values() if len(lv) >= 2]
    with_high = [lv for lv in multi if "high" in lv]
    share_other_serious = sum(sum(x != "standard" for x in lv) - 1 >= 1 for lv in with_high) / len(with_high)
    assert share_other_serious > 0.5


def test_repeat_rate_41_percent(county_year):
    assert abs(repeat_share(county_year) - 0.41) <= 0.02
    truth = truth_of(county_year)
    victims = {truth[e.victim_record] for e in police_events(county_year)}
    assert 7_500 <= len(victims) <= 8_600  # ~8,000 victims for 13,658 incidents


def test_repeats_span_years_and_stay_at_41_percent(two_years):
    start = two_years.start
    year2 = [e for e in police_events(two_years) if e.occurred_at.date() >= start + timedelta(days=365)]
    year1 = [e for e in police_events(two_years) if e.occurred_at.date() < start + timedelta(days=365)]
    assert abs(repeat_share(two_years, year1) - 0.41) <= 0.02
    assert abs(repeat_share(two_years, year2) - 0.41) <= 0.02
    truth = truth_of(two_years)
    victims1 = {truth[e.victim_record] for e in year1}
    carried = {truth[e.victim_record] for e in year2} & victims1
    assert len(carried) > 100
    assert all(start <= e.occurred_at.date() < two_years.end for e in two_years.events)


def test_children_present_in_31_percent(county_year):
    events = police_events(county_year)
    share = sum(e.children_present for e in events) / len(events)
    assert abs(share - 0.31) <= 0.02
    records = {r.key: r for r in county_year.records}
    people = {p.key: p for p in county_year.people}
    parent_links = {(r.from_record, r.to_record) for r in county_year.relationships if r.kind == "parent"}
    household_pairs = set()
    for h in county_year.households:
        adults = [m for m, is_child in h.members if not is_child]
        for child, is_child in h.members:
            if is_child:
                household_pairs.update((a, child) for a in adults)
    involvement = Counter()
    for e in events:
        assert e.children_present == bool(e.children)
        for child_rec, how in e.children:
            child = people[records[child_rec].true_person_key]
            assert child.role == "child"
            assert 0 <= age_on(child.date_of_birth, e.occurred_at.date()) <= 17
            assert (e.victim_record, child_rec) in parent_links
            assert (e.victim_record, child_rec) in household_pairs
            involvement[how] += 1
    assert set(involvement) == set(ChildInvolvement.values)
    assert involvement["harmed"] > 0


# ------------------------------------------------------------------ people


def test_victims_perpetrators_and_characteristics(county_year):
    truth = truth_of(county_year)
    people = {p.key: p for p in county_year.people}
    events = police_events(county_year)
    victims = {truth[e.victim_record] for e in events}
    sexes = Counter(people[v].sex for v in victims)
    assert 0.7 < sexes["female"] / len(victims) < 0.9
    assert sexes["male"] > 0
    ages = [age_on(people[truth[e.victim_record]].date_of_birth, e.occurred_at.date()) for e in events]
    assert min(ages) >= 16
    assert 0 < sum(a < 18 for a in ages) / len(ages) < 0.05
    # Perpetrators: mostly one victim each, some serial (2+ distinct victims).
    victims_of = defaultdict(set)
    for e in events:
        if e.perpetrator_record is not None:
            victims_of[truth[e.perpetrator_record]].add(truth[e.victim_record])
    serial = sum(len(v) >= 2 for v in victims_of.values())
    assert serial >= 50
    assert serial / len(victims_of) < 0.1
    for p in victims_of:
        assert people[p].role == "perpetrator"
    # Valid choices and plausible shares.
    records = county_year.records
    assert {r.sex for r in records} <= set(Sex.values)
    assert {r.gender_identity for r in records} <= set(GenderIdentity.values)
    assert {r.ethnicity for r in records} <= set(Ethnicity.values)
    stated = [r.ethnicity for r in records if r.ethnicity != "not_stated"]
    assert 0.70 < stated.count("white_british") / len(stated) < 0.90
    assert sum(r.disability == "yes" for r in records) > 0
    assert sum(r.sexual_orientation in ("gay_lesbian", "bisexual") for r in records) > 0
    assert sum(r.interpreter_needed for r in records) > 0
    assert {r.first_language for r in records} > {"English", "Polish", ""}


def test_people_recur_across_agencies_with_noise(county_year):
    people = {p.key: p for p in county_year.people}
    by_person = defaultdict(list)
    for r in county_year.records:
        by_person[r.true_person_key].append(r)
    multi = {k: rs for k, rs in by_person.items() if len({r.agency for r in rs}) >= 2}
    assert len(multi) > 1_000
    differs = Counter()
    for key, rs in multi.items():
        truth = people[key]
        if any(r.given_name != truth.given_name for r in rs):
            differs["given"] += 1
        if any(r.family_name != truth.family_name for r in rs):
            differs["family"] += 1
        if any(r.date_of_birth is None for r in rs):
            differs["dob missing"] += 1
        if any(r.date_of_birth and r.date_of_birth != truth.date_of_birth for r in rs):
            differs["dob wrong"] += 1
        if any(not r.phone for r in rs):
            differs["phone missing"] += 1
    for kind in ("given", "family", "dob missing", "dob wrong", "phone missing"):
        assert differs[kind] > 20, (kind, differs)
    # day/month swaps are among the wrong dates of birth
    swaps = sum(
        1
        for r in county_year.records
        if r.date_of_birth
        and r.date_of_birth != people[r.true_person_key].date_of_birth
        and (r.date_of_birth.day, r.date_of_birth.month)
        == (people[r.true_person_key].date_of_birth.month, people[r.true_person_key].date_of_birth.day)
    )
    assert swaps > 10
    # nicknames and previous surnames are kept as other names, sometimes
    kinds = Counter(n.kind for n in county_year.other_names)
    assert kinds["nickname"] > 50 and kinds["previous"] > 50
    assert set(kinds) <= set(NameKind.values)
    # addresses: moves give people several addresses; postcodes are sometimes missing
    current = {}
    for a in county_year.addresses:
        if a.valid_to is None:
            current[a.record] = (a.line_1, a.postcode)
    moved = sum(len({current.get(r.key) for r in rs} - {None}) >= 2 for rs in multi.values())
    assert moved > 50
    assert sum(a.postcode == "" for a in county_year.addresses) > 100
    postcode = re.compile(r"^(AL|SG|WD|EN|HP|CM)\d{1,2} ?\d[A-Z]{2}$")
    assert all(postcode.match(a.postcode) for a in county_year.addresses if a.postcode and not a.is_confidential)


def test_ground_truth_is_complete(county_year):
    people = {p.key for p in county_year.people}
    record_keys = [r.key for r in county_year.records]
    assert len(record_keys) == len(set(record_keys))
    assert all(r.true_person_key in people for r in county_year.records)
    recs = set(record_keys)
    assert all(a.record in recs for a in county_year.addresses)
    assert all(n.record in recs for n in county_year.other_names)
    assert all(r.from_record in recs and r.to_record in recs for r in county_year.relationships)
    assert all(m in recs for h in county_year.households for m, _ in h.members)
    assert all(
        e.victim_record in recs and (e.perpetrator_record is None or e.perpetrator_record in recs)
        for e in county_year.events
    )
    event_keys = {e.key for e in county_year.events}
    assert all(r.victim_record in recs and (r.event is None or r.event in event_keys) for r in county_year.referrals)
    assert {r.kind for r in county_year.relationships} <= set(RelationshipKind.values)
    # an agency's event only uses that agency's records
    agency_of = {r.key: r.agency for r in county_year.records}
    assert all(agency_of[e.victim_record] == e.agency for e in county_year.events)


def test_generated_identifiers_cannot_reach_real_people(county_year):
    drama = re.compile(r"^(07700 ?900\d{3}|01632 ?96\d{4}|0\d{2,3} ?\d{3,4} ?\d{4})$")
    reserved = (
        "07700",
        "01632",
        "0207946",
        "0113496",
        "0114496",
        "0115496",
        "0116496",
        "0117496",
        "0118496",
        "0121496",
        "0131496",
        "0141496",
        "0151496",
        "0161496",
        "0191498",
        "0292018",
    )
    phones = [r.phone for r in county_year.records if r.phone] + [
        s.safe_phone for s in county_year.safe_contacts if s.safe_phone
    ]
    assert phones
    for phone in phones:
        assert drama.match(phone) and phone.replace(" ", "").startswith(reserved), phone
    for r in county_year.records:
        if r.nhs_number:
            digits = [int(c) for c in r.nhs_number]
            assert r.nhs_number.startswith("999") and len(digits) == 10
            assert (11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11) % 11 == digits[9]
    assert all(s.safe_email.endswith("@example.org") for s in county_year.safe_contacts if s.safe_email)


# ------------------------------------------------------------------ referrals (Appendix 7)


@pytest.mark.parametrize(
    "destination, table, total",
    [
        ("idva", herts.IDVA_REFERRALS_BY_SOURCE, 1_163),
        ("marac", herts.MARAC_REFERRALS_BY_SOURCE, 694),
    ],
)
def test_referrals_by_source_follow_appendix_7(county_year, destination, table, total):
    refs = [r for r in county_year.referrals if r.destination == destination]
    assert abs(len(refs) - total) <= 0.02 * total
    by_source = Counter(r.source for r in refs)
    for source, count in table.items():
        assert abs(by_source[source] / len(refs) - count / total) <= 0.02, source
    assert set(by_source) <= set(table)
    # the category follows from the referring agency's type, so reports need no extra field
    agency_type = {a.name: a.agency_type for a in county_year.agencies}
    for r in refs:
        assert herts.SOURCE_BY_AGENCY_TYPE[agency_type.get(r.agency)] == r.source


def test_referrals_are_about_existing_victims(county_year):
    truth = truth_of(county_year)
    records = {r.key: r for r in county_year.records}
    agency_type = {a.name: a.agency_type for a in county_year.agencies}
    first_incident = {}
    police_times = defaultdict(list)
    assessments = defaultdict(list)  # risk levels any agency gave the victim
    for e in county_year.events:
        v = truth[e.victim_record]
        if e.risk_level:
            assessments[v].append((e.occurred_at, e.risk_level))
        if e.agency == POLICE:
            first_incident[v] = min(first_incident.get(v, e.occurred_at), e.occurred_at)
            police_times[v].append(e.occurred_at)
    why = Counter()
    for r in county_year.referrals:
        victim = truth[r.victim_record]
        assert records[r.victim_record].role == "victim"
        assert first_incident[victim] <= r.received_at
        assert r.channel in Channel.values
        if r.source == "self":
            assert r.agency is None and r.channel == "self"
            assert agency_type[records[r.victim_record].agency] == "idva_service"
        else:
            assert r.agency == records[r.victim_record].agency
        if r.source == "police":
            assert r.event is not None and r.channel == "police_import"
        if r.destination == "marac":
            levels = [lv for when, lv in assessments[victim] if when <= r.received_at]
            times = sorted(t for t in police_times[victim] if t <= r.received_at)
            escalation = any(times[i] - times[i - 2] <= timedelta(days=365) for i in range(2, len(times)))
            why[
                "high" if "high" in levels else "repeat" if r.is_repeat else "escalation" if escalation else "other"
            ] += 1
    marac = sum(why.values())
    assert why["high"] / marac > 0.55  # mostly visible high risk (DASH >= 14 by some agency)
    assert why["other"] / marac < 0.15  # the rest: repeats, escalation, a few professional judgements
    repeats = sum(r.is_repeat for r in county_year.referrals if r.destination == "marac") / marac
    assert abs(repeats - 0.18) < 0.05  # Appendix 6: 18% repeat cases at MARAC


def test_safe_contacts_mark_unsafe_channels(county_year):
    contacts = county_year.safe_contacts
    referred = {r.victim_record for r in county_year.referrals}
    assert referred <= {s.record for s in contacts}
    unsafe = [s for s in contacts if s.do_not_contact_via]
    assert len(unsafe) > 0.2 * len(contacts)
    for s in contacts:
        assert set(s.do_not_contact_via) <= set(ContactChannel.values)
        for channel, answer in (
            ("voicemail", s.voicemail_safe),
            ("text", s.text_safe),
            ("letter", s.letter_safe),
            ("email", s.email_safe),
        ):
            assert (answer == "no") == (channel in s.do_not_contact_via)


def test_refuges_and_confidential_addresses(county_year):
    assert [(r.name, r.units) for r in county_year.refuges] == [(r.name, r.units) for r in herts.REFUGES]
    providers = {r.provider for r in county_year.refuges}
    agency_of = {r.key: r.agency for r in county_year.records}
    confidential = [a for a in county_year.addresses if a.is_confidential]
    assert confidential
    # a refuge address is known to the refuge provider (and sometimes the IDVA service) only
    assert {agency_of[a.record] for a in confidential} <= providers | {herts.IDVA_SERVICE}
    role_of = {r.key: r.role for r in county_year.records}
    victims_in_refuge = {
        a.record for a in confidential if agency_of[a.record] in providers and role_of[a.record] == "victim"
    }
    children_in_refuge = {a.record for a in confidential if role_of[a.record] == "child"}
    assert children_in_refuge
    assert 150 <= len(victims_in_refuge) <= 260  # Table 11: 241 accommodated victims a year


# ------------------------------------------------------------------ scale and shards


def test_scale_multiplies_volumes(small_county, county_year):
    small = len(police_events(small_county))
    assert small == pytest.approx(0.05 * len(police_events(county_year)), rel=0.02)
    assert len([r for r in small_county.referrals if r.destination == "marac"]) == round(694 * 0.05)


def test_large_scales_stream_in_county_sized_shards():
    assert shard_scales(1.0) == [1.0]
    assert shard_scales(110) == [1.0] * 110
    assert shard_scales(2.5) == pytest.approx([2.5 / 3] * 3)
    shards = list(iter_shards(seed=2, scale=1.2))
    assert len(shards) == 2
    keys = [r.key for s in shards for r in s.records]
    assert keys == list(range(1, len(keys) + 1))
    people = [p.key for s in shards for p in s.people]
    assert len(people) == len(set(people))
    events = [e.key for s in shards for e in s.events]
    assert len(events) == len(set(events))
    total = sum(len(police_events(s)) for s in shards)
    assert total == pytest.approx(1.2 * 13_658, rel=0.01)

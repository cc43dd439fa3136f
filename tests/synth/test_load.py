"""Loading a synthetic county into the database, and the ``carepath synth`` command."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carepath.accommodation.models import SafeAccommodation
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.events.models import Event, EventChild
from carepath.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    Relationship,
    SafeContact,
)
from carepath.referrals.models import Referral
from carepath.synth import hertfordshire as herts
from carepath.synth.generator import generate_county
from carepath.synth.load import SynthLoadError, synth_load
from carepath.synth.models import SyntheticIdentity

TABLES = {
    "people": Person,
    "synthetic identities": SyntheticIdentity,
    "other names": PersonName,
    "addresses": Address,
    "relationships": Relationship,
    "households": Household,
    "household members": HouseholdMember,
    "events": Event,
    "event children": EventChild,
    "referrals": Referral,
    "safe contacts": SafeContact,
}


def table_counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in TABLES.items()}


def expected_counts(county) -> dict[str, int]:
    c = county.counts()
    return {
        "people": c["person records"],
        "synthetic identities": c["person records"],
        "other names": c["other names"],
        "addresses": c["addresses"],
        "relationships": c["relationships"],
        "households": c["households"],
        "household members": c["household members"],
        "events": c["events"],
        "event children": c["event children"],
        "referrals": c["referrals"],
        "safe contacts": c["safe contacts"],
    }


@pytest.mark.django_db
def test_load_creates_everything_with_ground_truth(small_county):
    counts = synth_load(small_county, replace=False)
    assert counts == expected_counts(small_county)
    assert table_counts() == expected_counts(small_county)
    # ground truth covers every synthetic person, one row each
    person_ids = set(Person.objects.values_list("id", flat=True))
    assert set(SyntheticIdentity.objects.values_list("person_id", flat=True)) == person_ids
    truth = dict(SyntheticIdentity.objects.values_list("person_id", "true_person_key"))
    assert sorted(truth.values()) == sorted(r.true_person_key for r in small_county.records)
    # geography and services, matched by name
    partnership = Partnership.objects.get(name="Hertfordshire")
    assert partnership.population == 1_116_062 and partnership.women_16_plus == 459_661
    assert sorted(MaracArea.objects.values_list("name", flat=True)) == ["Central", "East", "West"]
    assert District.objects.count() == 10
    for area in MaracArea.objects.all():
        assert sum(d.women_16_plus for d in area.districts.all()) == area.women_16_plus
    assert Agency.objects.count() == len(herts.AGENCIES)
    refuges = SafeAccommodation.objects.all()
    assert refuges.count() == 7
    assert sum(r.units for r in refuges) == 84
    assert sum(r.support_worker_fte for r in refuges) == Decimal("18.0")
    assert all(r.confidential_address for r in refuges)


@pytest.mark.django_db
def test_loaded_rows_match_the_generated_records(small_county):
    synth_load(small_county, replace=False)
    truth_to_person = {}
    for person_id, key in SyntheticIdentity.objects.values_list("person_id", "true_person_key"):
        truth_to_person.setdefault(key, []).append(person_id)
    record = next(r for r in small_county.records if r.role == "victim" and r.date_of_birth and r.phone)
    candidates = Person.objects.filter(id__in=truth_to_person[record.true_person_key], recorded_by__name=record.agency)
    person = next(p for p in candidates if p.given_name == record.given_name and p.phone == record.phone)
    assert (person.family_name, person.date_of_birth, person.sex, person.ethnicity) == (
        record.family_name,
        record.date_of_birth,
        record.sex,
        record.ethnicity,
    )
    # an event keeps its victim, perpetrator, children, risk and district
    generated = next(e for e in small_county.events if e.children and e.perpetrator_record)
    event = Event.objects.get(reference=generated.reference, agency__name=generated.agency)
    assert event.risk_level == generated.risk_level and event.dash_score == generated.dash_score
    assert event.occurred_at == generated.occurred_at
    assert event.district.name == generated.district
    assert event.children.count() == len(generated.children)
    assert event.victim.synthetic_identity.true_person_key != event.perpetrator.synthetic_identity.true_person_key
    # referrals keep their source agency (Appendix 7) and destination
    assert Referral.objects.filter(destination="marac").count() == sum(
        r.destination == "marac" for r in small_county.referrals
    )
    assert Referral.objects.filter(referring_agency__isnull=True).count() == sum(
        r.source == "self" for r in small_county.referrals
    )


@pytest.mark.django_db
def test_replace_is_idempotent_and_loading_twice_is_refused():
    out = io.StringIO()
    call_command("synth", "--scale", "0.05", "--seed", "4", "--replace", stdout=out)
    first = table_counts()
    assert first["people"] > 1000
    call_command("synth", "--scale", "0.05", "--seed", "4", "--replace", stdout=io.StringIO())
    assert table_counts() == first
    assert Agency.objects.count() == len(herts.AGENCIES)  # agencies matched by name, not duplicated
    with pytest.raises(CommandError, match="already loaded"):
        call_command("synth", "--scale", "0.05", "--seed", "4", stdout=io.StringIO())
    # the output has counts, never names
    text = out.getvalue()
    assert "people" in text and f"{first['people']:,}" in text
    for given, family, postcode in Person.objects.values_list("given_name", "family_name", "addresses__postcode"):
        assert f"{given} {family}" not in text
        assert not postcode or postcode not in text


@pytest.mark.django_db
def test_refuses_to_mix_with_real_people(small_county):
    agency = Agency.objects.create(
        partnership=Partnership.objects.create(name="Real", population=1, women_16_plus=1),
        name="Real police",
        agency_type="police",
    )
    real = Person.objects.create(recorded_by=agency, given_name="Real", family_name="Person")
    with pytest.raises(SynthLoadError, match="not synthetic"):
        synth_load(small_county, replace=True)
    assert Person.objects.count() == 1
    synth_load(small_county, replace=False, allow_real_data=True)
    synth_load(small_county, replace=True, allow_real_data=True)
    assert Person.objects.filter(id=real.id).exists()  # replace deletes synthetic rows only
    assert Person.objects.count() == 1 + len(small_county.records)


@pytest.mark.django_db
def test_csv_mode_writes_files_and_leaves_the_database_alone(tmp_path):
    call_command("synth", "--scale", "0.05", "--seed", "3", "--csv", str(tmp_path), stdout=io.StringIO())
    assert Person.objects.count() == 0 and Agency.objects.count() == 0
    county = generate_county(seed=3, scale=0.05)
    with open(tmp_path / "people.csv", newline="", encoding="utf-8") as f:
        people = list(csv.DictReader(f))
    assert list(people[0]) == [
        "record_id",
        "first_name",
        "last_name",
        "date_of_birth",
        "address",
        "postcode",
        "national_id",
        "sex",
        "phone",
    ]
    assert len(people) == len(county.records)
    with open(tmp_path / "truth.csv", newline="", encoding="utf-8") as f:
        truth = list(csv.DictReader(f))
    assert [t["record_id"] for t in truth] == [p["record_id"] for p in people]
    assert {t["true_person_key"] for t in truth} == {r.true_person_key for r in county.records}
    with open(tmp_path / "events.csv", newline="", encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    assert len(events) == len(county.events)
    record_ids = {p["record_id"] for p in people}
    assert all(e["victim_record_id"] in record_ids for e in events)
    assert any(p["date_of_birth"] == "" for p in people) and any(p["postcode"] == "" for p in people)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "0"], "--years"),
        (["--years", "two"], "--years"),
        (["--scale", "-1"], "--scale"),
        (["--scale", "0"], "--scale"),
        (["--start", "1st August"], "--start"),
    ],
)
def test_bad_options_are_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("synth", *args, stdout=io.StringIO())


@pytest.mark.slow
@pytest.mark.django_db
def test_whole_county_year_loads(county_year):
    counts = synth_load(county_year, replace=True)
    assert counts["people"] == len(county_year.records)
    assert Event.objects.filter(agency__name=herts.POLICE).count() == 13_658
    assert Referral.objects.filter(destination="idva").count() == 1_163
    assert Referral.objects.filter(destination="marac").count() == 694
    assert SyntheticIdentity.objects.count() == Person.objects.count()

"""Encryption at rest (issue 10, item 5): what an attacker with a copy of the database
would read. Records are made through the ordinary services (a referral, a police import,
an authenticator enrolment), then every table is read back with raw SQL: no encrypted
value may appear in plain text anywhere, change history included."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from carepath.accommodation.models import SafeAccommodation
from carepath.core.encryption import blind_index_lookup
from carepath.core.models import Agency, AgencyType, TOTPDevice
from carepath.core.two_factor import enrolment_code_issue
from carepath.people.models import Address, IdentityChange, Person, RecordLink, SafeContact
from carepath.people.selectors import linkage_candidates, linkage_records
from carepath.people.services import record_link_confirm
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import PoliceImport, Referral, ReferralChild
from carepath.referrals.police_import import police_extract_import
from carepath.referrals.services import referral_create
from carepath.risk.dash import Judgement
from carepath.risk.models import RiskAssessment
from tests.conftest import PASSWORD

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()

# What the referrer wrote, each value unlike anything else stored.
REFERRAL = {
    "address": "42 Quillfeather Mews",
    "postcode": "QF9 7ZX",
    "perpetrator_address": "9 Larkspur Rise",
    "safe_phone": "07700 900456",
    "safe_times": "Tuesdays after the school run",
    "safe_email": "quiet.inbox@example.org",
    "notes": "Never ring the landline at her mother's",
    "details": "Held her against the banister until she blacked out",
    "consent_reason": "She fears he reads her letters",
    "referrer_name": "Ottoline Fairweather",
    "referrer_contact": "ottoline.fairweather@example.net",
    "dash_comment": "He said he would find her at her sister's flat",
    "judgement_reason": "Escalating since the court hearing",
    "risk_notes": "Hides in the wardrobe when he shouts",
}


def raw_text_of_every_table() -> dict[str, str]:
    """Every table's every cell, read with SQL past the models, as text per table."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            cells = []
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, (bytes, memoryview)):
                        cells.append(bytes(cell).decode("latin-1"))
                    elif isinstance(cell, (dict, list)):
                        cells.append(json.dumps(cell))
                    else:
                        cells.append(str(cell))
            tables[table] = "\n".join(cells)
    return tables


def tables_holding(value: str, tables: dict[str, str]) -> list[str]:
    return sorted(name for name, text in tables.items() if value in text or value.upper() in text)


@pytest.fixture
def front_door(county):
    return Agency.objects.create(
        partnership=county["partnership"], name="Testshire MASH", agency_type=AgencyType.FRONT_DOOR
    )


def make_referral(county, staff, **overrides) -> Referral:
    v = REFERRAL | overrides
    data = ReferralInput(
        channel="professional",
        received_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        consent="refused",
        referring_agency_id=county["agencies"]["police"].pk,
        created_by_id=staff["officer"].pk,
        district_id=county["district"].pk,
        victim=PersonDetails(
            given_name="Wren",
            family_name="Abernathy",
            address=v["address"],
            postcode=v["postcode"],
            phone="07700 900001",
        ),
        perpetrator=PersonDetails(given_name="Cassius", family_name="Abernathy", address=v["perpetrator_address"]),
        relationship="ex_partner",
        children=(
            ChildDetails(
                given_name="Pip", family_name="Abernathy", age=6, risk_level="medium", risk_notes=v["risk_notes"]
            ),
        ),
        dash_answers={
            q: DashAnswer("yes" if q < 16 else "no", "victim", v["dash_comment"] if q == 1 else "")
            for q in range(1, 25)
        },
        judgement=Judgement(level="high", reason=v["judgement_reason"]),
        consent_reason=v["consent_reason"],
        safe_contact=SafeContactDetails(
            safe_phone=v["safe_phone"],
            text_safe="yes",
            email_safe="yes",
            safe_email=v["safe_email"],
            safe_times=v["safe_times"],
            notes=v["notes"],
        ),
        referrer_name=v["referrer_name"],
        referrer_contact=v["referrer_contact"],
        details=v["details"],
    )
    return Referral.objects.get(pk=referral_create(data=data).referral_id)


LINK_REASON = "Same scar above the left eyebrow"


def confirm_link(a: int, b: int, reviewer) -> None:
    """A reviewer decides two records are one person, saying why."""
    link = RecordLink.objects.create(
        person_a_id=min(a, b),
        person_b_id=max(a, b),
        match_probability=0.9,
        match_weight=4.2,
        status="review",
        scored_at=datetime(2026, 11, 21, tzinfo=UTC),
    )
    record_link_confirm(link=link, user=reviewer, reason=LINK_REASON)


def test_a_referral_leaves_no_plain_text_of_what_was_encrypted_in_any_table(county, staff, front_door):
    referral = make_referral(county, staff)
    other = Person.objects.create(recorded_by=county["agencies"]["idva"], given_name="Wren", family_name="Abernathy")
    confirm_link(referral.victim_id, other.pk, staff["admin"])

    # What staff read is what was written ...
    victim = referral.victim
    assert (referral.details, referral.consent_reason) == (REFERRAL["details"], REFERRAL["consent_reason"])
    assert (referral.referrer_name, referral.referrer_contact) == (
        REFERRAL["referrer_name"],
        REFERRAL["referrer_contact"],
    )
    assert victim.safe_contact.safe_times == REFERRAL["safe_times"]
    assert victim.safe_contact.notes == REFERRAL["notes"]
    assert victim.addresses.get().postcode == REFERRAL["postcode"]
    assessment = referral.risk_assessment
    assert assessment.answers["1"]["comment"] == REFERRAL["dash_comment"]
    assert assessment.judgement_reason == REFERRAL["judgement_reason"]
    assert ReferralChild.objects.get(referral=referral).risk_notes == REFERRAL["risk_notes"]
    assert referral.history.count() == 1 and victim.addresses.get().history.count() == 1
    assert IdentityChange.objects.get().reason == RecordLink.objects.get().reason == LINK_REASON

    # ... and nowhere in the database is it readable.
    tables = raw_text_of_every_table()
    found = {name: tables_holding(value, tables) for name, value in (REFERRAL | {"link": LINK_REASON}).items()}
    assert {name: where for name, where in found.items() if where} == {}
    # The victim's name is not encrypted (search and identity resolution need it): the
    # scan does find plain text where it is.
    assert tables_holding("Abernathy", tables)


def test_an_encrypted_value_is_a_fernet_token_under_the_newest_key(county, staff, front_door, settings):
    settings.FERNET_KEYS = [KEY_A]
    make_referral(county, staff)
    with connection.cursor() as cursor:
        cursor.execute("SELECT line_1 FROM people_address ORDER BY id LIMIT 1")
        token = bytes(cursor.fetchone()[0])
    assert Fernet(KEY_A).decrypt(token).decode() == REFERRAL["address"]
    with pytest.raises(InvalidToken):
        Fernet(KEY_B).decrypt(token)


POLICE_ROW = {
    "incident_ref": "HC-26-0999001",
    "occurred_at": "14/11/2026 23:10",
    "reported_at": "14/11/2026 23:55",
    "district": "Northtown",
    "crime_recorded": "Y",
    "officer_grade": "high",
    "victim_given_name": "Marigold",
    "victim_family_name": "Thistlewood",
    "victim_address": "3 Cobbler's Yard",
    "victim_postcode": "CY4 2QW",
    "victim_phone": "07700 900777",
    "officer_judgement_level": "high",
    "officer_judgement_reason": "Strangulation disclosed at the scene",
    "dash_score": "9",
    "children_present": "N",
    "safe_to_contact_by": "text",
}


def test_a_police_import_writes_addresses_and_reasons_encrypted(county, staff, front_door, tmp_path):
    extract = tmp_path / "extract.csv"
    extract.write_text(",".join(POLICE_ROW) + "\n" + ",".join(POLICE_ROW.values()) + "\n", encoding="utf-8")
    report = police_extract_import(path=extract, agency=county["agencies"]["police"])
    assert report.imported == 1

    address = Address.objects.get(person__family_name="Thistlewood")
    assert (address.line_1, address.postcode) == ("3 Cobbler's Yard", "CY4 2QW")
    assert RiskAssessment.objects.get(person=address.person).judgement_reason == POLICE_ROW["officer_judgement_reason"]
    tables = raw_text_of_every_table()
    for column in ("victim_address", "victim_postcode", "officer_judgement_reason"):
        assert tables_holding(POLICE_ROW[column], tables) == [], column


def test_the_rejected_rows_an_import_keeps_are_encrypted(county, staff, front_door, tmp_path):
    extract = tmp_path / "extract.csv"
    rejected = POLICE_ROW | {"occurred_at": "31/02/2026 10:00", "victim_given_name": "Hyacinth"}
    extract.write_text(",".join(POLICE_ROW) + "\n" + ",".join(rejected.values()) + "\n", encoding="utf-8")
    report = police_extract_import(path=extract, agency=county["agencies"]["police"])
    assert report.rejected == 1 and "Hyacinth" in PoliceImport.objects.get().rejected_rows
    assert tables_holding("Hyacinth", raw_text_of_every_table()) == []


def test_save_and_its_history_encrypt_too(reported_event, county):
    """The fixture's address and safe contact are made with ``Model.objects.create``."""
    SafeAccommodation.objects.create(
        provider=county["agencies"]["housing"],
        name="Haven House",
        kind="refuge",
        district=county["district"],
        units=6,
        confidential_address="Flat 2, 88 Hollyhock Terrace",
    )
    tables = raw_text_of_every_table()
    for value in ("17 Juniper Crescent", "NT1 4QZ", "07700 900123", "88 Hollyhock Terrace"):
        assert tables_holding(value, tables) == [], value
    assert SafeContact.objects.get(person=reported_event.victim).safe_phone == "07700 900123"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_an_authenticator_secret_is_encrypted_and_still_signs_in(staff):
    _, code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    client = Client()
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    accepted = client.post(reverse("two_factor"), {"enrolment_code": code})
    enrol = client.get(accepted["Location"])
    device = TOTPDevice.objects.get(user=staff["officer"])
    assert b"<svg" in enrol.content
    tables = raw_text_of_every_table()
    assert tables_holding(device.key, tables) == []
    assert client.post(reverse("two_factor"), {"token": current_code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_identity_resolution_still_finds_records_by_their_encrypted_postcode(county, staff, front_door):
    referral = make_referral(county, staff)
    newcomer = [r for r in linkage_records([referral.victim_id])]
    newcomer = [
        r.__class__(**{**r.__dict__, "record_id": "999999", "first_name": "", "date_of_birth": None, "phone": ""})
        for r in newcomer
    ]
    found = linkage_candidates(newcomer)
    assert [r.record_id for r in found] == [str(referral.victim_id)]
    assert found[0].postcode == REFERRAL["postcode"] and found[0].address == REFERRAL["address"]


def test_a_confidential_address_is_never_matched_by_postcode(reported_event):
    victim = reported_event.victim
    refuge = Address.objects.create(person=victim, line_1="Refuge", postcode="RF1 1AA", is_confidential=True)
    assert refuge.postcode_index is None
    assert not Address.objects.filter(postcode_index__in=blind_index_lookup("postcode", {"RF1 1AA"})).exists()
    assert Address.objects.filter(postcode_index__in=blind_index_lookup("postcode", {"nt14qz"})).exists()


def every_encrypted_value(referral_id: int) -> dict:
    referral = Referral.objects.get(pk=referral_id)
    victim = Person.objects.get(pk=referral.victim_id)
    return {
        "referral": [referral.details, referral.consent_reason, referral.referrer_name, referral.referrer_contact],
        "history": [h.details for h in referral.history.all()] + [h.line_1 for h in Address.history.all()],
        "addresses": sorted((a.line_1, a.postcode) for a in Address.objects.all()),
        "safe_contact": [victim.safe_contact.safe_phone, victim.safe_contact.notes],
        "dash": [referral.risk_assessment.answers, referral.risk_assessment.judgement_reason],
        "children": [c.risk_notes for c in ReferralChild.objects.all()],
        "links": [c.reason for c in IdentityChange.objects.all()] + [r.reason for r in RecordLink.objects.all()],
        "totp": [d.key for d in TOTPDevice.objects.all()],
    }


def test_rotate_keys_moves_every_value_to_the_newest_key_so_the_old_one_can_go(county, staff, front_door, settings):
    settings.FERNET_KEYS = [KEY_A]
    referral = make_referral(county, staff)
    second = make_referral(county, staff, postcode="QF9 7ZY")
    confirm_link(referral.victim_id, second.victim_id, staff["admin"])
    TOTPDevice.objects.create(user=staff["officer"], name="phone")
    before = every_encrypted_value(referral.pk)

    settings.FERNET_KEYS = [KEY_B]  # without the old key, nothing reads
    with pytest.raises(InvalidToken):
        Referral.objects.get(pk=referral.pk)

    settings.FERNET_KEYS = [KEY_B, KEY_A]
    out = StringIO()
    call_command("rotate-keys", "--batch-size", "2", stdout=out)
    # Four addresses: four first lines and the victims' two postcodes (blank values are stored blank).
    assert (
        "people_address: 4 rows, 6 values re-encrypted, 0 already under the newest key, 2 search indexes"
        " rewritten" in out.getvalue()
    )
    assert "people_historicaladdress: 4 rows, 6 values re-encrypted" in out.getvalue()
    assert "core_totpdevice: 1 rows, 1 values re-encrypted" in out.getvalue()

    settings.FERNET_KEYS = [KEY_B]
    assert every_encrypted_value(referral.pk) == before
    assert Address.objects.filter(postcode_index__in=blind_index_lookup("postcode", {"QF9 7ZY"})).count() == 1

    settings.FERNET_KEYS = [KEY_B, KEY_A]
    again = StringIO()
    call_command("rotate-keys", stdout=again)
    assert "Done: 0 values re-encrypted" in again.getvalue()


def test_rotate_keys_refuses_a_value_no_key_opens(county, staff, front_door, settings):
    settings.FERNET_KEYS = [KEY_A]
    make_referral(county, staff)
    settings.FERNET_KEYS = [KEY_B]
    with pytest.raises(Exception, match="opens with none of the configured keys"):
        call_command("rotate-keys", stdout=StringIO())


def start_production(**env) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("CAREPATH_") and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "carepath.settings",
            "CAREPATH_SECRET_KEY": "x" * 50,
            "CAREPATH_AUDIT_KEY": "y" * 50,
            **env,
        },
        timeout=120,
    )


@pytest.mark.no_database
def test_production_refuses_to_start_without_keys_and_says_how_to_make_one():
    started = start_production()
    assert started.returncode != 0
    assert "CAREPATH_FIELD_ENCRYPTION_KEYS is not set" in started.stderr
    assert "Fernet.generate_key()" in started.stderr

    bad = start_production(CAREPATH_FIELD_ENCRYPTION_KEYS=f"{KEY_A},not-a-key")
    assert bad.returncode != 0 and "key 2 of 2 is not a Fernet key" in bad.stderr
    assert "not-a-key" not in bad.stderr  # a key, even a wrong one, is never printed

    assert start_production(CAREPATH_FIELD_ENCRYPTION_KEYS=f"{KEY_B}, {KEY_A}").returncode == 0

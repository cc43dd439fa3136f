"""The migrations that brought encryption at rest, run on a database that already held
plain-text records: every value comes out encrypted, and reads back the same."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carepath.accommodation.models import SafeAccommodation
from carepath.core.encryption import blind_index_lookup
from carepath.core.models import TOTPDevice, User
from carepath.people.models import Address, IdentityChange, RecordLink, SafeContact
from carepath.referrals.models import Referral, ReferralChild
from carepath.risk.models import RiskAssessment
from tests.core.test_encryption_at_rest import raw_text_of_every_table, tables_holding

BEFORE_ENCRYPTION = [
    ("core", "0004_history_indexed_by_record_id"),
    ("people", "0003_history_indexed_by_record_id"),
    ("referrals", "0004_history_indexed_by_record_id"),
    ("risk", "0002_history_indexed_by_record_id"),
    ("accommodation", "0003_history_indexed_by_record_id"),
]
NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)
PLAIN = {
    "line_1": "11 Wisteria Walk",
    "postcode": "WW2 8PL",
    "refuge": "Refuge flat, 5 Sorrel Court",
    "safe_phone": "07700 900888",
    "notes": "Never write to the old address",
    "details": r"Broke the door down; see C:\notes\incident.txt",
    "consent_reason": "Her partner was in the room",
    "comment": "Threatened to take the baby abroad",
    "judgement_reason": "Strangulation last month",
    "risk_notes": "Stopped speaking at nursery",
    "link_reason": "Same tattoo on the left wrist",
    "totp_key": "3132333435363738393031323334353637383930",
}


def old_database_with_plain_text(apps) -> None:
    """Records as the schema before encryption held them, history rows included."""
    get = apps.get_model
    partnership = get("core", "Partnership").objects.create(name="Oldshire", population=1, women_16_plus=1)
    area = get("core", "MaracArea").objects.create(partnership=partnership, name="A", population=1, women_16_plus=1)
    district = get("core", "District").objects.create(marac_area=area, name="D", population=1, women_16_plus=1)
    agency = get("core", "Agency").objects.create(partnership=partnership, name="Oldshire Police", agency_type="police")
    user = get("core", "User").objects.create(username="officer", agency=agency, role="triage")
    get("otp_totp", "TOTPDevice").objects.create(user=user, name="phone", key=PLAIN["totp_key"], confirmed=True)
    administrator = get("core", "User").objects.create(username="administrator", agency=agency, role="administrator")
    administrator.user_permissions.add(
        get("auth", "Permission").objects.get(content_type__app_label="otp_totp", codename="delete_totpdevice")
    )
    person = get("people", "Person").objects.create(recorded_by=agency, given_name="Ada", family_name="Old")
    other = get("people", "Person").objects.create(recorded_by=agency, given_name="Ada", family_name="Old")
    for model in ("Address", "HistoricalAddress"):
        history = {"history_date": NOW, "history_type": "+", "id": 1} if model.startswith("Historical") else {}
        get("people", model).objects.create(
            person_id=person.pk, line_1=PLAIN["line_1"], town="Oldtown", postcode=PLAIN["postcode"], **history
        )
    get("people", "SafeContact").objects.create(person=person, safe_phone=PLAIN["safe_phone"], notes=PLAIN["notes"])
    link = get("people", "RecordLink").objects.create(
        person_a=person,
        person_b=other,
        match_probability=0.9,
        match_weight=4,
        status="confirmed",
        scored_at=NOW,
        reason=PLAIN["link_reason"],
    )
    get("people", "IdentityChange").objects.create(kind="merge", reason=PLAIN["link_reason"], link=link)
    assessment = get("risk", "RiskAssessment").objects.create(
        person=person,
        agency=agency,
        assessed_at=NOW,
        score=15,
        level="high",
        answers={"1": {"answer": "yes", "source": "victim", "comment": PLAIN["comment"]}},
        judgement_level="high",
        judgement_reason=PLAIN["judgement_reason"],
    )
    referral = get("referrals", "Referral").objects.create(
        channel="professional",
        destination="triage",
        victim=person,
        received_at=NOW,
        risk_assessment=assessment,
        consent="refused",
        consent_reason=PLAIN["consent_reason"],
        details=PLAIN["details"],
        decision={"messages": [f"Raised by professional judgement: {PLAIN['judgement_reason']}"]},
    )
    get("referrals", "ReferralChild").objects.create(referral=referral, child=other, risk_notes=PLAIN["risk_notes"])
    get("accommodation", "SafeAccommodation").objects.create(
        provider=agency, name="Haven", kind="refuge", district=district, units=4, confidential_address=PLAIN["refuge"]
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_a_database_of_plain_text_encrypts_every_value_and_keeps_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_ENCRYPTION)
    old_database_with_plain_text(
        executor.loader.project_state(
            [*BEFORE_ENCRYPTION, ("otp_totp", "0003_add_timestamps"), ("auth", "0012_alter_user_first_name_max_length")]
        ).apps
    )
    assert all(tables_holding(value, raw_text_of_every_table()) for value in PLAIN.values())

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    tables = raw_text_of_every_table()
    assert {name: tables_holding(value, tables) for name, value in PLAIN.items() if tables_holding(value, tables)} == {}
    address = Address.objects.get()
    assert (address.line_1, address.town, address.postcode) == (PLAIN["line_1"], "Oldtown", PLAIN["postcode"])
    assert Address.history.get().line_1 == PLAIN["line_1"]
    assert Address.objects.filter(postcode_index__in=blind_index_lookup("postcode", {PLAIN["postcode"]})).exists()
    assert SafeContact.objects.get().notes == PLAIN["notes"]
    assert RecordLink.objects.get().reason == IdentityChange.objects.get().reason == PLAIN["link_reason"]
    assessment = RiskAssessment.objects.get()
    assert assessment.answers["1"]["comment"] == PLAIN["comment"]
    assert assessment.judgement_reason == PLAIN["judgement_reason"]
    referral = Referral.objects.get()
    assert (referral.details, referral.consent_reason) == (PLAIN["details"], PLAIN["consent_reason"])
    assert PLAIN["judgement_reason"] in referral.decision["messages"][0]
    assert ReferralChild.objects.get().risk_notes == PLAIN["risk_notes"]
    assert SafeAccommodation.objects.get().confidential_address == PLAIN["refuge"]
    device = TOTPDevice.objects.get()
    assert (device.user.username, device.key, device.confirmed) == ("officer", PLAIN["totp_key"], True)
    # The administrator can still remove a lost phone's device.
    assert User.objects.get(username="administrator").has_perm("core.delete_totpdevice")

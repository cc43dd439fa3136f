"""Encrypt what referrers wrote (what happened, why consent was not given, who referred
and how to reach them), the routing decision (it quotes the reason for a professional
judgement) and each child's risk notes, on the records and in their history
(carepath/core/encryption.py)."""

from django.db import migrations

from carepath.core.encryption import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from carepath.core.migration_operations import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0005_information_shares_moved_to_core"),
    ]

    operations = [
        *encrypt_columns("referrals", "referral", {
            "consent_reason": EncryptedTextField(blank=True, default="",
                                                 help_text="Why consent was refused or not sought."),
            "referrer_name": EncryptedCharField(max_length=200, blank=True, default=""),
            "referrer_contact": EncryptedCharField(max_length=200, blank=True, default=""),
            "details": EncryptedTextField(blank=True, default="", help_text="What happened, in the referrer's words."),
            "decision": EncryptedJSONField(blank=True, default=dict,
                                           help_text="The routing decision, with its rules, as made."),
        }, keep_defaults=("decision",)),
        *encrypt_columns("referrals", "referralchild", {"risk_notes": EncryptedTextField(blank=True, default="")}),
    ]

"""Every model that holds personal data keeps its change history, found without a list of
apps: a model holds personal data when it is a registered record type, refers to one, or
is named by one (a person's addresses, a referral's children, a share's people)."""

import pytest
from django.apps import apps

from carepath.core import access
from carepath.core.models import AccessLog
from carepath.synth.models import SyntheticIdentity

#: The access log is append-only and hash-chained: its protection is the chain. The
#: synthetic generator's answer key exists only for invented people.
NOT_HISTORY = {AccessLog, SyntheticIdentity}


def _personal_models() -> list:
    records = set(access.registry.by_model)
    found = set(records)
    for model in apps.get_models():
        if not model.__module__.startswith("carepath.") or model._meta.model_name.startswith("historical"):
            continue
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete}
        generic = any(
            f.get_internal_type() == "PositiveBigIntegerField" and f.name == "object_id"
            for f in model._meta.concrete_fields
        )
        if related & records or generic:
            found.add(model)
    return sorted(found - NOT_HISTORY, key=lambda m: m._meta.label)


PERSONAL = _personal_models()


def test_the_search_finds_the_models_it_must():
    labels = {m._meta.label for m in PERSONAL}
    assert {
        "people.Person",
        "people.Address",
        "people.SafeContact",
        "events.Event",
        "referrals.Referral",
        "referrals.ReferralChild",
        "core.Task",
        "core.InformationShare",
        "core.SharedPerson",
        "risk.RiskAssessment",
    } <= labels


@pytest.mark.parametrize("model", PERSONAL, ids=lambda m: m._meta.label)
def test_model_keeps_history(model):
    assert hasattr(model, "history"), f"{model._meta.label} holds personal data but keeps no history"


def test_staff_accounts_keep_history_without_password_hashes():
    user_model = apps.get_model("core", "User")
    historical_fields = {f.name for f in user_model.history.model._meta.get_fields()}
    assert "agency" in historical_fields and "role" in historical_fields
    assert "password" not in historical_fields

"""Every model that holds personal data keeps its change history."""

import pytest
from django.apps import apps

PERSONAL_DATA_APPS = ["people", "events", "referrals", "accommodation"]


@pytest.mark.parametrize(
    "model",
    [m for label in PERSONAL_DATA_APPS for m in apps.get_app_config(label).get_models()
     if not m._meta.model_name.startswith("historical")],
    ids=lambda m: m._meta.label,
)
def test_model_keeps_history(model):
    assert hasattr(model, "history"), f"{model._meta.label} holds personal data but keeps no history"


def test_staff_accounts_keep_history_without_password_hashes():
    user_model = apps.get_model("core", "User")
    historical_fields = {f.name for f in user_model.history.model._meta.get_fields()}
    assert "agency" in historical_fields and "role" in historical_fields
    assert "password" not in historical_fields

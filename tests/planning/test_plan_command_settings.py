"""`carepath plan --settings-from-db`: the caseloads and benchmarks the partnership configures."""

import json
from io import StringIO

from django.core.management import call_command

from carepath.configuration.services import partnership_settings_update


def _plan(*args) -> dict:
    out = StringIO()
    call_command("plan", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_partnerships_caseloads_when_asked_for(staff):
    partnership_settings_update(user=staff["admin"], values={"idva_caseload_high": "80"}, reason="Our caseloads")
    assert _plan()["assumptions"]["idva_caseload_high"]["value"] == 65  # Carepath's default
    assert _plan("--settings-from-db")["assumptions"]["idva_caseload_high"]["value"] == 80

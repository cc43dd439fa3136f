"""carepath route FILE.json: the dry run partnerships use to test their configuration."""

import json
import os
import subprocess  # nosec B404 - runs this project's own interpreter
import sys

import pytest
from django.core.management import CommandError, call_command

from carepath.configuration.services import partnership_settings_update
from carepath.referrals.models import Referral


def run(tmp_path, cases, capsys, *options):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases) if not isinstance(cases, str) else cases, encoding="utf-8")
    call_command("route", str(path), *options)
    return json.loads(capsys.readouterr().out)


ALL_YES = {str(q): "yes" for q in range(1, 25)}


def test_decisions_in_the_same_order_as_the_cases(db, tmp_path, capsys):
    cases = [
        {
            "victim": {"age": 34},
            "dash": {"score": 15},
            "consent": "refused",
            "events_last_12_months": 1,
            "children": [{"age": 3, "harmed": False}],
            "perpetrator": {"age": 40},
            "crime_recorded": True,
        },
        {"victim": {"age": 15}, "dash": {"answers": {**ALL_YES, "1": "no"}}, "consent": "given"},
        {
            "victim": {"age": 40},
            "dash": {"score": 10},
            "consent": "given",
            "events_last_12_months": 2,
            "last_marac_referral_days_ago": 200,
        },
        {
            "victim": {"age": 29},
            "dash": {"score": 9},
            "judgement": {"level": "high", "reason": "strangulation"},
            "consent": "not_sought",
        },
    ]
    first, child, repeat, judged = run(tmp_path, cases, capsys)
    assert first["risk_level"] == "high" and first["dash_score"] == 15
    assert first["marac_criteria"] == ["visible_high_risk"]
    assert [a["type"] for a in first["actions"]] == [
        "marac_referral",
        "idva_referral",
        "perpetrator_risk_plan",
        "children_services_notification",
        "health_visitor_notification",
    ]
    assert child["dash_score"] == 23 and [a["type"] for a in child["actions"]] == ["child_safeguarding_only"]
    assert repeat["marac_criteria"] == ["repeat"]
    assert judged["risk_level"] == "high" and judged["marac_criteria"] == ["professional_judgement"]
    assert Referral.objects.count() == 0  # a dry run stores nothing


def test_the_partnerships_configuration_when_asked_for(staff, tmp_path, capsys):
    case = {"victim": {"age": 30}, "dash": {"score": 9}, "consent": "given"}
    partnership_settings_update(user=staff["admin"], values={"dash_medium_threshold": "10"}, reason="Stevenage model")
    assert run(tmp_path, [case], capsys)[0]["risk_level"] == "medium"  # Carepath's defaults
    assert run(tmp_path, [case], capsys, "--settings-from-db")[0]["risk_level"] == "standard"


@pytest.mark.no_database
def test_a_fresh_install_routes_with_no_keys_and_no_database(tmp_path):
    """As the README shows it: no environment but a PATH, in a folder with no database."""
    (tmp_path / "cases.json").write_text(
        json.dumps([{"victim": {"age": 34}, "dash": {"score": 15}, "consent": "refused"}]), encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-m", "carepath", "route", "cases.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [decision] = json.loads(result.stdout)
    assert decision["risk_level"] == "high" and decision["marac_criteria"] == ["visible_high_risk"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.json"]


@pytest.mark.parametrize(
    "cases, message",
    [
        ("[{", "not valid JSON at line 1"),
        ({"victim": {}}, "must hold a JSON array"),
        ([{"victim": {"age": 30}, "consent": "given"}], "case 1: dash: give either"),
        (
            [{"victim": {"age": 30}, "dash": {"score": 30}, "consent": "given"}],
            "case 1: dash.score: 30 must be between 0 and 24",
        ),
        (
            [{"victim": {"age": 30}, "dash": {"answers": {**ALL_YES, "7": "maybe"}}, "consent": "given"}],
            "case 1: dash.answers.7: 'maybe' is not yes, no or dont_know",
        ),
        ([{"victim": {"age": 30}, "dash": {"score": 3}, "consent": "yes please"}], "case 1: consent: 'yes please'"),
        (
            [
                {"victim": {"age": 30}, "dash": {"score": 3}, "consent": "given"},
                {"victim": {"age": 30}, "dash": {"score": 3}, "consent": "given", "children": [{"age": "three"}]},
            ],
            "case 2: children.0.age: 'three' is not a whole number",
        ),
        (
            [{"victim": {"age": 30}, "dash": {"score": 3}, "consent": "given", "judgement": {"level": "high"}}],
            "case 1: Professional judgement needs a reason",
        ),
    ],
)
def test_bad_input_is_named(db, tmp_path, cases, message):
    path = tmp_path / "cases.json"
    path.write_text(cases if isinstance(cases, str) else json.dumps(cases), encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("route", str(path))


def test_non_utf8_file_is_named(db, tmp_path):
    path = tmp_path / "cases.json"
    path.write_bytes(b'[{"victim": {"name": "Zo\xeb"}}]')
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("route", str(path))


@pytest.mark.no_database
def test_settings_from_a_database_never_set_up_say_what_to_do(tmp_path):
    (tmp_path / "cases.json").write_text("[]", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env |= {"CAREPATH_TESTING": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-m", "carepath", "route", "cases.json", "--settings-from-db"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "configuration cannot be read from the database" in result.stderr and "Traceback" not in result.stderr

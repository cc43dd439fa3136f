"""`carepath plan`: the whole plan on the terminal, as text or JSON, from the shipped or given inputs."""

import csv
import json
import os
import re
import shutil
import subprocess  # nosec B404 - runs this project's own interpreter
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from carepath.planning.inputs import HERTFORDSHIRE_2014, inputs_load, inputs_write_workbook
from carepath.planning.plan import plan_figure

pytestmark = pytest.mark.no_database


def _plan(*args) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_text_plan_for_hertfordshire_2014_prints_the_reviews_headline_figures():
    text = _plan()
    assert text.startswith("Carepath plan: Hertfordshire 2014")
    for expected in (
        "IDVAs needed",
        "£1,364,400",
        "£50,500",
        "£2,440,000",
        "£175",
        "£120 per police incident",
        "36 streams",
        "Checked against the review:",
    ):
        assert expected in text
    east = next(line for line in text.splitlines() if line.startswith("East "))
    assert "10.5" in east.split()


def test_json_plan_has_the_documented_keys():
    plan = json.loads(_plan("--format", "json"))
    assert plan["schema"] == "carepath.plan/1"
    assert set(plan) == {
        "schema",
        "inputs",
        "assumptions",
        "needs",
        "capacity",
        "marac",
        "refuge",
        "costs",
        "funding",
        "scenarios",
        "reconciliation",
    }
    assert plan["needs"]["county"]["idvas_total"] == 27.0
    assert plan["assumptions"]["idva_caseload_high"]["value"] == 65
    assert "Hertfordshire domestic abuse review (2014)" in plan["assumptions"]["idva_caseload_high"]["source"]


def test_a_workbook_of_inputs_gives_the_same_plan_as_the_folder(tmp_path):
    workbook = tmp_path / "inputs.xlsx"
    inputs_write_workbook(inputs_load(), workbook)
    from_workbook = json.loads(_plan("--inputs", str(workbook), "--format", "json"))
    from_folder = json.loads(_plan("--format", "json"))
    assert from_workbook["funding"] == from_folder["funding"]
    assert from_workbook["needs"] == from_folder["needs"]


def test_bad_inputs_are_refused_naming_the_file_row_and_field(tmp_path):
    folder = tmp_path / "herts"
    shutil.copytree(HERTFORDSHIRE_2014, folder)
    path = folder / "funding.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[2]["amount"] = "-5,000"
    rows[4]["funder"] = ""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(CommandError) as error:
        _plan("--inputs", str(folder))
    message = str(error.value)
    assert "funding.csv, row 4, amount:" in message and "negative" in message
    assert "funding.csv, row 6, funder:" in message


def test_a_missing_inputs_path_is_named(tmp_path):
    with pytest.raises(CommandError, match="nowhere: no such file or folder"):
        _plan("--inputs", str(tmp_path / "nowhere"))


def _documented_keys() -> dict[str, str]:
    """docs/planner.md's output table: key -> its documented fields."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "planner.md").read_text(encoding="utf-8")
    table = doc.split("## Output keys", 1)[1]
    return {m[1]: m[2] for m in re.finditer(r"^\| `([a-z_.\[\]]+)` \| (.*) \|$", table, re.M)}


def test_the_json_keys_are_the_documented_ones():
    plan = json.loads(_plan("--format", "json"))
    documented = _documented_keys()
    for section, fields in documented.items():
        top_level = re.split(r" \(|; ", fields)[0]  # what follows is prose
        while "{" in top_level:  # nested objects' fields are not this section's
            top_level = re.sub(r"\{[^{}]*\}", "", top_level)
        names = re.findall(r"\b([a-z_0-9]+)\b", top_level)
        node = plan_figure(plan, section.removesuffix("[]"))
        if isinstance(node, list):
            node = node[0]
        if isinstance(node, dict) and section not in ("assumptions", "inputs", "schema"):
            assert set(names) <= set(node), f"{section}: documented but missing {set(names) - set(node)}"
            assert set(node) <= set(names), f"{section}: in the plan but not documented {set(node) - set(names)}"


def test_a_fresh_install_plans_with_no_keys_and_no_database(tmp_path):
    """As the README shows it: no environment but a PATH, in a folder with no database."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-m", "carepath", "plan", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["assumptions"]["idva_caseload_high"]["value"] == 65
    assert list(tmp_path.iterdir()) == []

"""``make test`` runs bandit over carepath/ first (``make lint``), with its configuration in
pyproject.toml, and bandit with that configuration does fail on a real finding."""

import subprocess  # nosec B404 - runs this project's own tools
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BANDIT = Path(sys.executable).parent / "bandit"

pytestmark = pytest.mark.no_database


def test_make_test_runs_bandit_over_carepath_before_the_tests():
    planned = subprocess.run(
        ["make", "-n", "test"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,  # nosec B603 B607
        env={"PATH": "/usr/bin:/bin", "HOME": str(REPO)},
    ).stdout.splitlines()
    bandit = [i for i, line in enumerate(planned) if "bin/bandit -c pyproject.toml -r carepath" in line]
    pytest_runs = [i for i, line in enumerate(planned) if "-m pytest" in line]
    assert len(bandit) == 1 and pytest_runs, planned
    assert bandit[0] < pytest_runs[0]


def test_the_configuration_fails_on_a_real_finding(tmp_path):
    unsafe = tmp_path / "carepath_example.py"
    unsafe.write_text("import subprocess\n\ndef run(command):\n    return subprocess.call(command, shell=True)\n")
    result = subprocess.run(
        [str(BANDIT), "-c", str(REPO / "pyproject.toml"), "-q", str(unsafe)],  # nosec B603
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "B602" in result.stdout  # subprocess with shell=True

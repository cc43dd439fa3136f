"""Production installs (``pip install .``) carry no test tools and no Spark: the base
dependencies, followed through every package they need in turn, never reach pytest,
playwright, pypdfium2, hypothesis, bandit, ruff or pyspark. pyspark is the ``spark``
extra, imported only when the Spark linkage backend is used."""

import importlib.metadata
import subprocess  # nosec B404 - runs this project's own interpreter
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
NOT_IN_PRODUCTION = {"pytest", "pytest-django", "playwright", "pypdfium2", "hypothesis", "bandit", "ruff", "pyspark"}

pytestmark = pytest.mark.no_database


def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def needed_by(requirements: list[str]) -> set[str]:
    """Every distribution these requirements pull in, as installed here, without extras."""
    seen: set[str] = set()
    queue = [Requirement(r) for r in requirements]
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in seen or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        for dependency in map(Requirement, importlib.metadata.requires(name) or []):
            # An extra the requirement names, e.g. psycopg[binary], brings that extra's dependencies.
            if dependency.marker and any(dependency.marker.evaluate({"extra": e}) for e in requirement.extras):
                dependency.marker = None
            queue.append(dependency)
    return seen


def test_the_base_dependencies_pull_in_no_test_tool_and_no_spark():
    base = project()["dependencies"]
    assert not names(base) & NOT_IN_PRODUCTION
    pulled = needed_by(base)
    assert {"django", "splink", "weasyprint"} <= pulled  # the walk really follows the tree
    assert not pulled & NOT_IN_PRODUCTION, pulled & NOT_IN_PRODUCTION


def test_spark_and_the_test_tools_are_extras():
    extras = project()["optional-dependencies"]
    assert names(extras["spark"]) == {"pyspark"}
    assert {"pytest", "pytest-django", "playwright", "pypdfium2", "hypothesis", "bandit"} <= names(extras["test"])


def test_carepath_runs_without_pyspark_until_the_spark_backend_is_asked_for():
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        sys.modules["pyspark"] = None  # as if it were not installed: importing it fails
        import django
        django.setup()
        import carepath
        for module in pkgutil.walk_packages(carepath.__path__, "carepath."):
            if not module.name.endswith("__main__"):  # that one runs the command line
                importlib.import_module(module.name)
        from carepath.people.linkage import LinkageError, spark_session
        try:
            spark_session()
        except LinkageError as error:
            print(error)
    """)
    env = {"PATH": "/usr/bin:/bin", "CAREPATH_TESTING": "1", "DJANGO_SETTINGS_MODULE": "carepath.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )  # nosec B603
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "The Spark backend needs pyspark: pip install 'carepath[spark]'."

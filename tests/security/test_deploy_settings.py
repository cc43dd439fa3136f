"""Production settings, checked in a new process as a deployment would start: no demo,
test or debug mode, a long secret key, allowed hosts set. ``check --deploy`` reports
nothing, plain http is redirected to https, HSTS is sent, and the proxy header is honoured
only when the deployment says a proxy is there."""

import os
import subprocess  # nosec B404 - runs this project's own interpreter
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST = "carepath.example.gov.uk"

pytestmark = pytest.mark.no_database


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    # Nothing from this test run's environment (CAREPATH_TESTING, the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, ...): only what a server's would have.
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "carepath.settings",
            "CAREPATH_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-" + "x" * 20,
            "CAREPATH_AUDIT_KEY": "a" * 20 + "-a-long-random-audit-key-" + "z" * 20,
            "CAREPATH_FIELD_ENCRYPTION_KEYS": "ZGVwbG95LXRlc3Qta2V5LW5vdC1hLXNlY3JldC0xMjM=",
            "CAREPATH_ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'carepath.sqlite3'}",
            "CAREPATH_STATIC_ROOT": str(tmp_path / "static"),
            **overrides,
        }
    )
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)  # nosec B603


def test_check_deploy_finds_nothing_with_production_settings(tmp_path):
    result = run(production_env(tmp_path), "-m", "django", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_report_a_setting_turned_off(tmp_path):
    """The check above really looks: turning HSTS off in production is reported."""
    result = run(
        production_env(tmp_path, CAREPATH_HSTS_SECONDS="0"),
        "-m",
        "django",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0 and "security.W004" in result.stderr


# Requests a public page (it reads nothing from the database) the way a browser or a
# proxy would, and prints the status, the redirect and the HSTS header.
REQUEST = textwrap.dedent("""
    import sys, django
    django.setup()
    from django.test import Client
    secure, *headers = sys.argv[1:]
    extra = dict(header.split("=", 1) for header in headers)
    response = Client().get("/help/", secure=secure == "https", HTTP_HOST="carepath.example.gov.uk", **extra)
    print(response.status_code, response.get("Location", "-"), response.get("Strict-Transport-Security", "-"))
""")


def test_plain_http_is_redirected_and_https_gets_hsts(tmp_path):
    env = production_env(tmp_path)
    assert run(env, "-c", REQUEST, "http").stdout.split() == ["301", f"https://{HOST}/help/", "-"]
    assert run(env, "-c", REQUEST, "https").stdout.split() == [
        "200",
        "-",
        "max-age=31536000;",
        "includeSubDomains;",
        "preload",
    ]


def test_the_forwarded_protocol_counts_only_behind_a_declared_proxy(tmp_path):
    forwarded = "HTTP_X_FORWARDED_PROTO=https"
    direct = run(production_env(tmp_path), "-c", REQUEST, "http", forwarded).stdout.split()
    assert direct[0] == "301"  # anyone can send the header: it is ignored
    proxied = run(production_env(tmp_path, CAREPATH_TRUSTED_PROXIES="1"), "-c", REQUEST, "http", forwarded)
    assert proxied.stdout.split()[:2] == ["200", "-"], proxied.stderr
    assert proxied.stdout.split()[2] == "max-age=31536000;"


def test_the_demo_over_plain_http_is_neither_redirected_nor_pinned(tmp_path):
    env = production_env(tmp_path, CAREPATH_DEMO="1")
    assert run(env, "-c", REQUEST, "http").stdout.split() == ["200", "-", "-"]

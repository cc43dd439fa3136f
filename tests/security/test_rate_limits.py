"""Rate limits (carepath.security.ratelimits) count clients by address: an IPv6 client by
its /64, a client behind a declared proxy by the address the proxy saw. The counters are in
the database, so every worker process of a deployment shares them. Staff pages are not
limited. (The public forms' and the API's own limits: tests/referrals/test_public_rate_limits.py
and tests/api/test_rate_limits.py.)"""

import subprocess  # nosec B404 - runs this project's own interpreter
import sys
import textwrap

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.security.test_deploy_settings import REPO, production_env

DOCUMENT = "/api/v1/openapi.json"  # any API request counts against its address


@pytest.fixture
def two_a_day(db, settings):
    settings.RATE_LIMIT_API_PER_ADDRESS = "2/d"
    settings.RATE_LIMIT_PUBLIC_FORMS = "2/d"
    return settings


def status(address: str, **headers) -> int:
    return Client(REMOTE_ADDR=address, **headers).get(DOCUMENT).status_code


def test_ipv6_clients_are_counted_by_their_64_network(two_a_day):
    assert [status("2001:db8:1:2::1"), status("2001:db8:1:2::2")] == [200, 200]
    assert status("2001:db8:1:2:ffff::9") == 429
    assert status("2001:db8:1:3::1") == 200


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_counts(two_a_day):
    two_a_day.TRUSTED_PROXIES = 1
    proxy = "10.0.0.5"
    assert [status(proxy, HTTP_X_FORWARDED_FOR="198.51.100.1") for _ in range(3)] == [200, 200, 429]
    # Another client through the same proxy is not refused, even if it writes the first
    # client's address into the header itself (the proxy appends the real one).
    assert status(proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.2") == 200
    assert status(proxy) == 200  # a request the proxy did not mark counts as the proxy's own


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(two_a_day):
    fakes = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    assert [status("203.0.113.9", HTTP_X_FORWARDED_FOR=fake) for fake in fakes] == [200, 200, 429]


def test_staff_pages_are_not_limited(two_a_day, login, staff):
    officer = login(staff["officer"])
    for _ in range(4):
        assert officer.get(reverse("home")).status_code == 200
        assert officer.post(reverse("referral_new"), {}).status_code == 200  # the form again, with its errors


def test_the_counters_are_kept_in_the_database(two_a_day):
    status("203.0.113.30")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM carepath_rate_limits")
        assert cursor.fetchone()[0] == 1


# A worker process of a deployment asks for the API document twice from one address.
WORKER = textwrap.dedent("""
    import django
    django.setup()
    from django.test import Client
    client = Client(REMOTE_ADDR="192.0.2.99")
    print(*(client.get("/api/v1/openapi.json").status_code for _ in range(2)))
""")


@pytest.mark.no_database
def test_the_limits_hold_across_worker_processes(tmp_path):
    env = production_env(
        tmp_path,
        CAREPATH_SSL_REDIRECT="0",
        CAREPATH_ALLOWED_HOSTS="testserver",
        CAREPATH_RATE_LIMIT_API_PER_ADDRESS="3/d",
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)  # nosec B603

    migrated = run("-m", "django", "migrate", "security", "--no-input")  # the counters' table is all it reads
    assert migrated.returncode == 0, migrated.stderr
    first, second = run("-c", WORKER), run("-c", WORKER)
    assert first.stdout.split() == ["200", "200"], first.stderr
    assert second.stdout.split() == ["200", "429"], second.stderr  # the first process's two requests counted

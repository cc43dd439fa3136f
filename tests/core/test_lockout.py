"""Password guessing is locked out per username at an address and, at a higher limit, per
address across usernames (django-axes, through the real login page)."""

from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"


def sign_in(username: str, password: str, address: str, **headers):
    return Client(REMOTE_ADDR=address, **headers).post(reverse("login"), {"username": username, "password": password})


def spray(settings, address: str, **headers) -> None:
    """Fewer wrong passwords on each username than locks a username, adding up to the
    address's limit (the failure that reaches it is answered with the lockout page)."""
    per_username = settings.AXES_FAILURE_LIMIT - 1
    usernames = -(-settings.LOGIN_ADDRESS_FAILURE_LIMIT // per_username)
    for failure in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        response = sign_in(f"guess-{failure % usernames}", "Winter2026!", address, **headers)
        assert response.status_code == (429 if failure == settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1 else 200)


def test_one_address_guessing_across_usernames_is_locked_out(staff, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    spray(settings, ATTACKER)

    locked = sign_in("officer", PASSWORD, ATTACKER)  # a username never tried, the right password

    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert sign_in("officer", PASSWORD, COLLEAGUE).status_code == 302  # elsewhere, signing in works


def test_below_the_address_limit_other_usernames_still_sign_in(staff, settings):
    for failure in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(f"guess-{failure % 4}", "Winter2026!", ATTACKER)
    assert sign_in("officer", PASSWORD, ATTACKER).status_code == 302


def test_the_per_username_limit_still_applies_below_the_address_limit(staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("officer", "Winter2026!", ATTACKER)
    assert sign_in("officer", PASSWORD, ATTACKER).status_code == 429
    assert sign_in("idva", PASSWORD, ATTACKER).status_code == 302


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_client_address_is_counted_on_its_own(staff, settings):
    """With CAREPATH_TRUSTED_PROXIES=1 the address is the one the proxy added, not the
    proxy's own (which every request shares), nor one the client wrote in the header."""
    proxy = "10.0.0.2"
    spray(settings, proxy, HTTP_X_FORWARDED_FOR=f"{COLLEAGUE}, {ATTACKER}")

    assert sign_in("officer", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert sign_in("officer", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=COLLEAGUE).status_code == 302

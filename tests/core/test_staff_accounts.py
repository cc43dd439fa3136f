"""Administrators create staff accounts from the command line; demo accounts exist only in demo mode."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from carepath.core.models import Role, User


def test_create_staff_from_the_command_line(county, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase 42\n"))
    out = io.StringIO()
    call_command(
        "create-staff",
        "jsmith",
        "--agency",
        "Testshire Police",
        "--role",
        "idva",
        "--supervisor",
        "--password-stdin",
        stdout=out,
    )
    user = User.objects.get(username="jsmith")
    assert (user.agency.name, user.role, user.is_supervisor) == ("Testshire Police", Role.IDVA, True)
    assert user.check_password("a long enough passphrase 42")
    assert not user.is_demo_account
    assert "authenticator" in out.getvalue()


def test_create_staff_names_an_unknown_agency(county, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase 42\n"))
    with pytest.raises(CommandError, match="No agency called 'Nowhere Police'.*Testshire Police"):
        call_command("create-staff", "x", "--agency", "Nowhere Police", "--role", "idva", "--password-stdin")


def test_create_staff_refuses_a_weak_password(county, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="password"):
        call_command("create-staff", "x", "--agency", "Testshire Police", "--role", "idva", "--password-stdin")
    assert not User.objects.filter(username="x").exists()


@override_settings(DEMO_MODE=False)
def test_demo_accounts_refused_outside_demo_mode(county):
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo-accounts")
    assert not User.objects.filter(is_demo_account=True).exists()


def test_administrator_manages_accounts_in_the_admin_but_is_no_superuser(login, staff):
    admin = staff["admin"]
    assert not admin.is_superuser
    client = login(admin)
    assert client.get("/admin/core/user/").status_code == 200
    assert client.get("/admin/core/agency/").status_code == 200


def test_other_staff_cannot_use_the_admin(login, staff):
    response = login(staff["police_supervisor"]).get("/admin/core/user/")
    assert response.status_code in (302, 403)
    assert b"officer" not in response.content

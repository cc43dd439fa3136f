"""Administrators see staff's authenticator apps in the admin and delete a lost one, but
never see a secret, and cannot add one or move one to another account."""

import pytest
from django.urls import reverse

from carepath.core.models import TOTPDevice


@pytest.fixture
def officers_app(staff):
    return TOTPDevice.objects.create(user=staff["officer"], name="Authenticator app", confirmed=True)


def test_the_admin_never_shows_an_authenticator_secret(login, staff, officers_app):
    admin = login(staff["admin"])
    listing = admin.get(reverse("admin:core_totpdevice_changelist"))
    detail = admin.get(reverse("admin:core_totpdevice_change", args=[officers_app.pk]))
    assert listing.status_code == detail.status_code == 200
    assert "officer" in detail.content.decode()
    for page in (listing, detail):
        html = page.content.decode()
        assert officers_app.key not in html
        assert "/config/" not in html and "/qrcode/" not in html


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_the_secret_pages_answer_not_found_for_any_device(login, staff, officers_app, page):
    admin = login(staff["admin"])
    # django-otp's own pages are gone with its admin; Carepath's admin has no such page.
    missing = admin.get(f"/admin/otp_totp/totpdevice/{officers_app.pk + 1000}/{page}/")
    existing = admin.get(f"/admin/otp_totp/totpdevice/{officers_app.pk}/{page}/")
    assert missing.status_code == existing.status_code == 404
    ours = admin.get(f"/admin/core/totpdevice/{officers_app.pk}/{page}/", follow=True)
    assert ours.status_code in (200, 404)
    assert officers_app.key not in existing.content.decode() + ours.content.decode()


def test_administrators_cannot_add_or_move_an_authenticator(login, staff, officers_app):
    admin = login(staff["admin"])
    assert admin.get(reverse("admin:core_totpdevice_add")).status_code == 403
    moved = admin.post(
        reverse("admin:core_totpdevice_change", args=[officers_app.pk]),
        {
            "user": staff["admin"].pk,
            "name": "mine now",
            "confirmed": "on",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert moved.status_code == 403
    officers_app.refresh_from_db()
    assert officers_app.user == staff["officer"]
    assert admin.post(reverse("admin:core_totpdevice_add"), {"user": staff["admin"].pk}).status_code == 403
    assert TOTPDevice.objects.filter(user=staff["admin"]).count() == 1  # the one they signed in with


def test_an_administrator_deletes_a_lost_authenticator(login, staff, officers_app):
    admin = login(staff["admin"])
    response = admin.post(reverse("admin:core_totpdevice_delete", args=[officers_app.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=officers_app.pk).exists()

"""TOTP second factor with django-otp: enrol once, then verify at every login."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login

from carepath.core.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed device, created on first use so the QR code stays the same
    while they set up their app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def manual_key(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def verify_token(request, device: TOTPDevice, token: str) -> str | None:
    """Check a token and mark the session verified; returns an error message or None.

    django-otp throttles guessing: each failure doubles the wait before the next try.
    """
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "Too many wrong codes. Wait a few seconds, then enter the newest code from your app."
    if not device.verify_token(token.strip()):
        return "That code is not right or has expired. Enter the newest code from your app."
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return None

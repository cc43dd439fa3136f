"""TOTP second factor with django-otp: enrol once with a one-time enrolment code, then
verify at every login.

The password alone does not enrol an authenticator app: whoever learnt a new member of
staff's password could otherwise enrol their own phone first. An administrator issues an
enrolment code (shown to them once), gives it to the person, and the enrolment page asks
for it before it shows the QR code. Codes are 12 characters from 32 (60 random bits),
stored only as a SHA-256 hash (there is nothing to guess, so a fast hash is enough, as for
API tokens); each expires, works once, and is refused after a few wrong tries.
"""

import hashlib
import hmac
import logging
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login

from carepath.core.history import changed_by
from carepath.core.models import EnrolmentCode, EnrolmentCodeStatus, TOTPDevice

log = logging.getLogger(__name__)

# No 0/O or 1/I: the code is read out or copied by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
DEVICE_NAME = "Authenticator app"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def enrolment_code_hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("utf-8")).hexdigest()


@transaction.atomic
def enrolment_code_issue(*, user, issued_by=None) -> tuple[EnrolmentCode, str]:
    """Issue a new enrolment code for ``user``, replacing any earlier one, and remove their
    authenticator apps (a lost or replaced phone): they enrol again with the code. Returns
    the record and the code, which the caller shows once and does not keep."""
    for earlier in EnrolmentCode.objects.select_for_update().filter(user=user, status=EnrolmentCodeStatus.ISSUED):
        earlier.status = EnrolmentCodeStatus.REPLACED
        changed_by(earlier, issued_by)
        earlier.save(update_fields=["status"])
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    record = EnrolmentCode(
        user=user,
        code_hash=enrolment_code_hash(code),
        issued_by=issued_by,
        removed_devices=removed,
        expires_at=timezone.now() + timedelta(hours=settings.ENROLMENT_CODE_HOURS),
    )
    changed_by(record, issued_by)
    record.save()
    log.info(
        "Enrolment code %s issued for user %s by user %s; %s authenticator app(s) removed",
        record.pk,
        user.pk,
        issued_by.pk if issued_by else "(command line)",
        removed,
    )
    return record, "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class Redemption:
    accepted: bool
    message: str = ""


@transaction.atomic
def enrolment_code_redeem(*, user, code: str) -> Redemption:
    """Check a code typed by ``user``. The right one is used up; a wrong one counts against
    their code, which is refused after ``ENROLMENT_CODE_TRIES`` wrong tries."""
    record = (
        EnrolmentCode.objects.select_for_update()
        .filter(user=user, status=EnrolmentCodeStatus.ISSUED, expires_at__gt=timezone.now())
        .first()
    )
    if record is None:
        return Redemption(
            False,
            "There is no enrolment code for your account that can still be used. "
            "Ask your Carepath administrator for a new one",
        )
    if hmac.compare_digest(record.code_hash, enrolment_code_hash(code)):
        record.status, record.used_at = EnrolmentCodeStatus.USED, timezone.now()
        changed_by(record, user)
        record.save(update_fields=["status", "used_at"])
        return Redemption(True)
    record.wrong_tries += 1
    if record.wrong_tries >= settings.ENROLMENT_CODE_TRIES:
        record.status = EnrolmentCodeStatus.REFUSED
    changed_by(record, user)
    record.save(update_fields=["wrong_tries", "status"])
    if record.status == EnrolmentCodeStatus.REFUSED:
        log.warning("Enrolment code %s of user %s refused after %s wrong tries", record.pk, user.pk, record.wrong_tries)
        return Redemption(
            False,
            "That enrolment code is not right, and it has now been refused after too many "
            "wrong tries. Ask your Carepath administrator for a new one",
        )
    return Redemption(False, "That enrolment code is not right. Check it and enter it again")


def enrolment_device_start(user) -> TOTPDevice:
    """A new, unconfirmed device for a user who has just given their enrolment code. Any
    earlier unconfirmed one goes: its QR code may have been seen by someone else."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrolment_device(user, device_id) -> TOTPDevice | None:
    """The unconfirmed device this session started with an enrolment code, if any."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()


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

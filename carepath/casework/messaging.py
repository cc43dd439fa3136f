"""Texts and emails to her through GOV.UK Notify (issue 14, item 4): the services that send
one and that record what Notify says became of it.

A message goes only by a channel she said is safe and within the times she said are safe
(``rules.contact_refusal``, domain.md "Safe contact"), in words that do not give her away
(``messages``). With no Notify key it is recorded "to send by hand", never lost. Each send
is recorded before Notify is asked, under a reference Notify keeps (``notify.reference``),
so a send whose answer never came is looked up by that reference and never sent twice.

Logs carry record ids, channels, kinds and statuses: never her name, number or address.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from notifications_python_client.errors import APIError, InvalidResponse

from carepath.casework import messages, notify, rules
from carepath.casework.models import Case, Message, MessageStatus
from carepath.casework.services import contact_refusal_for, works_on
from carepath.people.models import SafeContact
from carepath.people.safe_contact import EMAIL, TEXT

log = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
#: The channels a message goes by (the codes of ``people.safe_contact``).
CHANNELS = {TEXT: "Text message", EMAIL: "Email"}

#: Notify's statuses of a text or email (docs.notifications.service.gov.uk, "Status - text
#: and email"), as Carepath records them: delivered, not delivered (with why), or still on
#: its way (absent here).
NOTIFY_DELIVERED = {
    "delivered": "GOV.UK Notify: delivered.",
    "sent": "GOV.UK Notify: sent to a number abroad, whose network gives no delivery receipt.",
}
NOTIFY_FAILED = {
    "permanent-failure": "GOV.UK Notify: not delivered, the number or address does not exist or cannot receive it.",
    "temporary-failure": "GOV.UK Notify: not delivered, her phone was off or her inbox full for too long.",
    "technical-failure": "GOV.UK Notify: not sent, because of a technical problem at Notify or its provider.",
    "validation-failed": "GOV.UK Notify: not sent, the message was refused as not valid.",
}


def _refusal(*, case: Case, channel: str, contact: SafeContact | None, at: datetime) -> str | None:
    if channel not in CHANNELS:
        return "Messages go by text or email only."
    if case.status not in rules.OPEN:
        return "The case is not open: no message goes to her."
    if contact is None:
        return "She has no safe-contact record: ask her how and when she can be contacted first."
    return contact_refusal_for(safe=contact, channel=channel, at=timezone.localtime(at, UK))


def message_send(
    *,
    case: Case,
    channel: str,
    kind: str,
    user,
    now: datetime | None = None,
    details: dict[str, str] | None = None,
    named: bool = False,
) -> Message:
    """Send her a message of ``kind`` (``messages.KINDS``) by ``channel`` ("text" or
    "email"), from ``user``, at ``now``.

    ``details`` fill the message in (``messages.REQUIRED``); ``named`` is True only when she
    agreed to messages naming the service (the worker asks her; the message records which
    wording went, in ``template``: ``kind/named`` or ``kind/neutral``).

    Only the case's worker or a manager of its service sends one (``PermissionDenied``).
    Refused, with the reason in words (``ValidationError``), when the channel is not one
    she said is safe, ``now`` is outside her safe times, the case is not open, the words would
    give her away, or an earlier message's fate is still unknown. Otherwise recorded with
    who and when, then:

    - no Notify key, or no template for the channel: status "to send by hand", with the words;
    - sent: Notify's id and status "sending" (``messages_status_update`` follows it);
    - Notify refused it (an HTTP error): "failed", with Notify's reason;
    - Notify did not answer (a timeout): looked up by its reference, found or "failed"; if
      even the look-up fails it stays "sending" without an id until the next status check.

    Each database write is atomic; Notify is asked between them, after the message is
    committed, so that nothing Notify sent can be missing from the case.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("service").get(pk=case.pk)
        if not works_on(user, case):
            raise PermissionDenied("Only the case's worker or a manager of its service messages her.")
        contact = SafeContact.objects.filter(person_id=case.victim_id).first()
        refusal = _refusal(case=case, channel=channel, contact=contact, at=now)
        if refusal:
            log.info("message refused case=%s channel=%s kind=%s", case.pk, channel, kind)
            raise ValidationError(refusal)
        try:
            wording = messages.compose(
                kind,
                named=named,
                sender=getattr(user, "first_name", "") or "",
                service=case.service.name,
                details=details or {},
            )
        except messages.MessageError as exc:
            raise ValidationError(str(exc)) from exc
        if case.messages.filter(status=MessageStatus.SENDING, notify_id="").exists():
            raise ValidationError(
                "GOV.UK Notify has not yet said whether her last message was sent: "
                "wait for the next status check before sending another, so she is not sent it twice."
            )
        template_id = notify.template_id(channel=channel, kind=kind)
        by_hand = _by_hand_reason(channel=channel, template_id=template_id)
        message = Message.objects.create(
            case=case,
            channel=channel,
            template=f"{kind}/{'named' if named else 'neutral'}",
            status=MessageStatus.TO_SEND_BY_HAND if by_hand else MessageStatus.SENDING,
            status_reason=by_hand or "Being sent through GOV.UK Notify.",
            body=wording.body if channel == TEXT else f"{wording.subject}\n\n{wording.body}",
            created_at=now,
            created_by=user,
            status_at=now,
        )
    log.info(
        "message recorded message=%s case=%s channel=%s kind=%s status=%s",
        message.pk,
        case.pk,
        channel,
        kind,
        message.status,
    )
    if by_hand:
        return message

    destination = contact.safe_phone if channel == TEXT else contact.safe_email  # type: ignore[union-attr]
    client = notify.client()
    reference = notify.reference(message.pk)
    personalisation = {"body": wording.body} if channel == TEXT else {"subject": wording.subject, "body": wording.body}
    try:
        if channel == TEXT:
            answer = client.send_sms_notification(
                phone_number=destination, template_id=template_id, personalisation=personalisation, reference=reference
            )
        else:
            answer = client.send_email_notification(
                email_address=destination, template_id=template_id, personalisation=personalisation, reference=reference
            )
    except APIError as error:
        if _was_answered(error) and error.status_code < 500:
            return _record_refused(message, error, scrub=(destination,))
        # A server error, no answer, or an answer that cannot be read: Notify may have it.
        return _record_unanswered(message, client=client, reference=reference, words=_words(error, (destination,)))
    notify_id = str((answer or {}).get("id") or "")
    if not notify_id:
        return _record_unanswered(
            message, client=client, reference=reference, words="GOV.UK Notify's answer had no notification id"
        )
    return _record(message, status=MessageStatus.SENDING, notify_id=notify_id, reason="Sent to GOV.UK Notify.")


def _by_hand_reason(*, channel: str, template_id: str) -> str:
    if not notify.is_configured():
        return "No GOV.UK Notify key is set up: send it by hand."
    if not notify.key_is_valid():
        log.error("CAREPATH_NOTIFY_API_KEY does not have the shape of a GOV.UK Notify key")
        return "The GOV.UK Notify key set up is not valid: send it by hand, and tell the administrator."
    if not template_id:
        return f"No GOV.UK Notify template is set up for {CHANNELS[channel].lower()}s: send it by hand."
    return ""


def _was_answered(error: APIError) -> bool:
    """Notify answered with an HTTP error it sent. No answer at all (a timeout, no
    connection) leaves no response; an answer that could not be read is not an answer."""
    return getattr(error, "response", None) is not None and not isinstance(error, InvalidResponse)


def _detail(error: APIError, scrub: tuple[str, ...]) -> str:
    detail = error.message
    if isinstance(detail, list):
        detail = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in detail)
    return _scrubbed(str(detail or ""), scrub)[:120]


def _words(error: APIError, scrub: tuple[str, ...]) -> str:
    cause = error.__cause__
    if isinstance(cause, requests.Timeout):
        return f"GOV.UK Notify did not answer within {notify.timeout_seconds():g} seconds"
    if isinstance(cause, requests.ConnectionError):
        return "GOV.UK Notify could not be reached"
    if _was_answered(error):
        return f"GOV.UK Notify answered with error {error.status_code} ({_detail(error, scrub)})"
    return "GOV.UK Notify's answer could not be read"


def _scrubbed(text: str, scrub: tuple[str, ...]) -> str:
    for secret in scrub:
        if secret:
            text = text.replace(secret, "[her details]")
    return text


def _record(message: Message, *, status: str, reason: str, notify_id: str = "", at: datetime | None = None) -> Message:
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        message.status = status
        message.status_reason = reason[:300]
        if notify_id:
            message.notify_id = notify_id
        message.status_at = at or timezone.now()
        message.save(update_fields=["status", "status_reason", "notify_id", "status_at"])
    log.info("message status message=%s case=%s status=%s", message.pk, message.case_id, status)
    return message


def _record_refused(message: Message, error: APIError, *, scrub: tuple[str, ...]) -> Message:
    """Notify refused the message (a 4xx: a bad number, a wrong template, a bad key): not sent."""
    log.warning(
        "message refused by notify message=%s case=%s notify_status=%s", message.pk, message.case_id, error.status_code
    )
    reason = f"GOV.UK Notify did not take it (error {error.status_code}: {_detail(error, scrub)}). It was not sent."
    return _record(message, status=MessageStatus.FAILED, reason=reason)


def _record_unanswered(message: Message, *, client, reference: str, words: str) -> Message:
    """Notify may or may not have the message: ask it by the reference, and never send again."""
    log.warning("message unanswered message=%s case=%s", message.pk, message.case_id)
    try:
        found = client.get_all_notifications(reference=reference).get("notifications") or []
    except APIError:
        return _record(
            message,
            status=MessageStatus.SENDING,
            reason=f"{words}, and whether it was sent is not known yet: the next status check looks it up. "
            "It will not be sent twice.",
        )
    if found:
        return _record(
            message, status=MessageStatus.SENDING, notify_id=str(found[0]["id"]), reason=f"{words}, but it has it."
        )
    return _record(
        message,
        status=MessageStatus.FAILED,
        reason=f"{words}, and has no record of it: it was not sent, and is not retried.",
    )


@dataclass
class StatusCheck:
    """What one status check found: messages now delivered, failed, still on their way,
    and those Notify could not be asked about."""

    delivered: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    sending: list[int] = field(default_factory=list)
    unanswered: list[int] = field(default_factory=list)


def messages_status_update(*, now: datetime | None = None) -> StatusCheck:
    """Ask Notify what became of every message still "sending" (``get_notification_by_id``;
    one with no id yet is looked up by its reference) and record delivered or failed, with
    Notify's time for it. Nothing is ever sent from here. A message still without an id
    after a grace period and unknown to Notify was not sent: it is recorded as failed."""
    now = now or timezone.now()
    check = StatusCheck()
    if not (notify.is_configured() and notify.key_is_valid()):
        return check
    client = notify.client()
    grace = timedelta(seconds=max(60.0, 6 * notify.timeout_seconds()))
    for message in Message.objects.filter(status=MessageStatus.SENDING).order_by("pk"):
        try:
            if message.notify_id:
                notification = client.get_notification_by_id(message.notify_id)
            else:
                found = client.get_all_notifications(reference=notify.reference(message.pk)).get("notifications") or []
                if not found:
                    if message.created_at <= now - grace:
                        _record(
                            message,
                            status=MessageStatus.FAILED,
                            reason="GOV.UK Notify never answered and has no record of it: it was not sent.",
                            at=now,
                        )
                        check.failed.append(message.pk)
                    else:
                        check.sending.append(message.pk)
                    continue
                notification = found[0]
        except APIError as error:
            log.warning("status check unanswered message=%s notify_status=%s", message.pk, error.status_code)
            check.unanswered.append(message.pk)
            continue
        _record_notification(message, notification, now=now, check=check)
    return check


def _record_notification(message: Message, notification: dict, *, now: datetime, check: StatusCheck) -> None:
    status = str(notification.get("status", ""))
    at = parse_datetime(str(notification.get("completed_at") or "")) or now
    notify_id = "" if message.notify_id else str(notification.get("id") or "")
    if status in NOTIFY_DELIVERED:
        _record(message, status=MessageStatus.DELIVERED, reason=NOTIFY_DELIVERED[status], notify_id=notify_id, at=at)
        check.delivered.append(message.pk)
    elif status in NOTIFY_FAILED:
        _record(message, status=MessageStatus.FAILED, reason=NOTIFY_FAILED[status], notify_id=notify_id, at=at)
        check.failed.append(message.pk)
    else:
        if notify_id:
            _record(message, status=MessageStatus.SENDING, reason="GOV.UK Notify has it.", notify_id=notify_id, at=now)
        check.sending.append(message.pk)

"""Messages to victims through GOV.UK Notify (issue 14, item 4), with the real client
(notifications-python-client) against a stand-in of the Notify API on loopback.

The stand-in checks what Notify checks: a bearer JWT signed (HS256) with the secret half
of the key, issued by the service id half, within 30 seconds. It answers as the Notify API
documents (docs.notifications.service.gov.uk/rest-api.html): POST /v2/notifications/sms and
/email, GET /v2/notifications/<id> and GET /v2/notifications?reference=...
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from carepath.casework import messages, notify
from carepath.casework.messaging import message_send, messages_status_update
from carepath.casework.models import Case, Message, MessageStatus, Service, ServiceKind, Worker
from carepath.people.models import Person, SafeContact

PHONE = "07700 900123"
EMAIL = "imogen.q@example.org"
# Monday to Friday, 09:00-17:00 UK time.
WEEKDAYS_NINE_TO_FIVE = [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}]
# Tuesday 4 November 2025, 10:00 in the UK (GMT, so 10:00 UTC).
TUESDAY_TEN = datetime(2025, 11, 4, 10, 0, tzinfo=UTC)
# Tuesday 4 November 2025, 19:30 UK: outside her times.
TUESDAY_EVENING = datetime(2025, 11, 4, 19, 30, tzinfo=UTC)


class StandIn:
    """A stand-in of the GOV.UK Notify API: records what it is sent, answers as Notify does."""

    def __init__(self):
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.key = f"carepath_test-{self.service_id}-{self.secret}"
        self.received: list[dict] = []  # every send request, as sent
        self.notifications: dict[str, dict] = {}  # id -> what Notify would hold
        self.refused_tokens = 0
        self.send_mode = "ok"  # ok | error500 | timeout_lost | timeout_kept
        self.status = "sending"
        self.delay = 1.5
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the test reads caplog, not stderr
                pass

            def _answer(self, code: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                token = header.removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, key=stand_in.secret, algorithms=["HS256"])
                except jwt.PyJWTError:
                    claims = {}
                if claims.get("iss") != stand_in.service_id or abs(time.time() - int(claims.get("iat", 0))) > 30:
                    with stand_in.lock:
                        stand_in.refused_tokens += 1
                    self._answer(
                        403,
                        {
                            "errors": [
                                {"error": "AuthError", "message": "Invalid token: signature, api token not found"}
                            ],
                            "status_code": 403,
                        },
                    )
                    return False
                return True

            def do_POST(self):
                if not self._authorised():
                    return
                kind = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}.get(self.path)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if kind is None:
                    self._answer(404, {"errors": [{"error": "NotFound", "message": "Not found"}], "status_code": 404})
                    return
                with stand_in.lock:
                    stand_in.received.append({"type": kind, **body})
                mode = stand_in.send_mode
                if mode == "error500":
                    self._answer(
                        500,
                        {"errors": [{"error": "Exception", "message": "Internal server error"}], "status_code": 500},
                    )
                    return
                if mode == "timeout_lost":
                    time.sleep(stand_in.delay)  # the client gave up; Notify never took it
                    return
                notification_id = str(uuid.uuid4())
                personalisation = body.get("personalisation", {})
                with stand_in.lock:
                    stand_in.notifications[notification_id] = {
                        "id": notification_id,
                        "reference": body.get("reference"),
                        "type": kind,
                        "phone_number": body.get("phone_number"),
                        "email_address": body.get("email_address"),
                        "template": {"id": body["template_id"], "version": 1, "uri": "https://example.invalid"},
                        "body": personalisation.get("body", ""),
                        "subject": personalisation.get("subject"),
                        "created_at": "2025-11-04T10:00:01.000000Z",
                        "created_by_name": None,
                        "sent_at": None,
                        "completed_at": None,
                    }
                if mode == "timeout_kept":
                    time.sleep(stand_in.delay)  # Notify took it, but the answer came too late
                    return
                content = {"body": personalisation.get("body", "")}
                content.update(
                    {"from_number": "GOVUK"}
                    if kind == "sms"
                    else {"from_email": "x@notifications.service.gov.uk", "subject": personalisation.get("subject", "")}
                )
                self._answer(
                    201,
                    {
                        "id": notification_id,
                        "reference": body.get("reference"),
                        "content": content,
                        "uri": f"https://api.notifications.service.gov.uk/v2/notifications/{notification_id}",
                        "template": {"id": body["template_id"], "version": 1, "uri": "https://example.invalid"},
                        "scheduled_for": None,
                    },
                )

            def do_GET(self):
                if not self._authorised():
                    return
                url = urlparse(self.path)
                if url.path == "/v2/notifications":
                    reference = parse_qs(url.query).get("reference", [None])[0]
                    with stand_in.lock:
                        found = [
                            dict(n, status=stand_in.status)
                            for n in stand_in.notifications.values()
                            if n["reference"] == reference
                        ]
                    self._answer(200, {"notifications": found, "links": {"current": self.path, "next": None}})
                    return
                notification_id = url.path.removeprefix("/v2/notifications/")
                with stand_in.lock:
                    notification = stand_in.notifications.get(notification_id)
                if notification is None:
                    self._answer(
                        404,
                        {"errors": [{"error": "NoResultFound", "message": "No result found"}], "status_code": 404},
                    )
                    return
                completed = (
                    "2025-11-04T10:02:30.000000Z" if stand_in.status in {"delivered", "permanent-failure"} else None
                )
                self._answer(200, dict(notification, status=stand_in.status, completed_at=completed))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def sends(self) -> int:
        with self.lock:
            return len(self.received)


TEXT_TEMPLATE = str(uuid.uuid4())
EMAIL_TEMPLATE = str(uuid.uuid4())


@pytest.fixture
def stand_in(settings):
    notify_api = StandIn()
    notify_api.thread.start()
    settings.NOTIFY_API_KEY = notify_api.key
    settings.NOTIFY_BASE_URL = notify_api.base_url
    settings.NOTIFY_TEMPLATES = {"text": TEXT_TEMPLATE, "email": EMAIL_TEMPLATE}
    settings.NOTIFY_TIMEOUT_SECONDS = 0.5
    yield notify_api
    notify_api.server.shutdown()
    notify_api.server.server_close()


@pytest.fixture
def case(county, staff):
    idva_user = staff["idva"]
    idva_user.first_name = "Sam"
    idva_user.save(update_fields=["first_name"])
    service = Service.objects.create(
        agency=county["agencies"]["idva"], name="Testshire IDVA Service", kind=ServiceKind.IDVA
    )
    worker = Worker.objects.create(user=idva_user, service=service)
    victim = Person.objects.create(
        recorded_by=county["agencies"]["police"],
        given_name="Imogen",
        family_name="Quatermass",
        date_of_birth=date(1988, 3, 14),
        sex="female",
    )
    SafeContact.objects.create(
        person=victim,
        safe_phone=PHONE,
        text_safe="yes",
        voicemail_safe="no",
        email_safe="yes",
        safe_email=EMAIL,
        safe_windows=WEEKDAYS_NINE_TO_FIVE,
    )
    return Case.objects.create(
        service=service, victim=victim, source="front_door", status="contacting", worker=worker, referred_at=TUESDAY_TEN
    )


def send(case, *, channel="text", kind=messages.CALL_AT_TIME, now=TUESDAY_TEN, **kw):
    details = kw.pop(
        "details", {"when": "Wednesday at 2pm"} if kind != messages.CALL_BACK else {"number": "01632 960000"}
    )
    return message_send(case=case, channel=channel, kind=kind, user=case.worker.user, now=now, details=details, **kw)


def assert_no_personal_data(caplog):
    logged = caplog.text
    for secret in (PHONE, PHONE.replace(" ", ""), "+447700900123", EMAIL, "Imogen", "Quatermass"):
        assert secret not in logged, secret


def test_a_text_on_a_safe_channel_in_her_safe_time_goes_through_notify(case, stand_in, caplog):
    caplog.set_level(logging.DEBUG)
    message = send(case)
    assert stand_in.sends() == 1
    sent = stand_in.received[0]
    assert sent["type"] == "sms"
    assert sent["phone_number"] == PHONE
    assert sent["template_id"] == TEXT_TEMPLATE
    assert sent["reference"] == notify.reference(message.pk)
    assert sent["personalisation"] == {
        "body": "Hello, this is Sam. I will call you on Wednesday at 2pm, at the time you chose."
    }
    assert stand_in.refused_tokens == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.notify_id in stand_in.notifications
    assert (message.channel, message.template) == ("text", "call_at_time/neutral")
    assert (message.created_by, message.created_at, message.status_at is not None) == (
        case.worker.user,
        TUESDAY_TEN,
        True,
    )
    assert_no_personal_data(caplog)


def test_an_email_sends_subject_and_body_and_names_the_service_only_when_she_agreed(case, stand_in, caplog):
    caplog.set_level(logging.DEBUG)
    send(case, channel="email", kind=messages.CALL_BACK)
    send(case, channel="email", kind=messages.CALL_BACK, named=True)
    neutral, named = stand_in.received
    assert neutral["email_address"] == EMAIL and neutral["template_id"] == EMAIL_TEMPLATE
    assert neutral["personalisation"]["subject"] == "Please call me back"
    assert "Testshire IDVA Service" not in json.dumps(neutral) and "01632 960000" in neutral["personalisation"]["body"]
    assert messages.forbidden_words_in(json.dumps(neutral["personalisation"])) == []
    assert "from Testshire IDVA Service" in named["personalisation"]["body"]
    assert list(case.messages.values_list("template", flat=True)) == ["call_back/neutral", "call_back/named"]
    assert_no_personal_data(caplog)


def test_a_template_for_one_kind_overrides_the_channels(case, stand_in, settings):
    reminder = str(uuid.uuid4())
    settings.NOTIFY_TEMPLATES = {**settings.NOTIFY_TEMPLATES, "text:appointment_reminder": reminder}
    send(case, kind=messages.APPOINTMENT_REMINDER, details={"when": "Friday at 11am"})
    assert stand_in.received[0]["template_id"] == reminder


def test_an_unsafe_channel_is_refused_and_nothing_reaches_notify(case, stand_in):
    contact = case.victim.safe_contact
    contact.email_safe = "no"
    contact.save()
    with pytest.raises(ValidationError, match="has not said this way of contacting her is safe"):
        send(case, channel="email")
    contact.email_safe = "yes"
    contact.do_not_contact_via = ["text"]
    contact.save()
    with pytest.raises(ValidationError, match="has not said this way"):
        send(case, channel="text")
    with pytest.raises(ValidationError, match="text or email only"):
        send(case, channel="phone_call")
    assert stand_in.sends() == 0
    assert not Message.objects.exists()


def test_a_time_outside_her_safe_times_is_refused(case, stand_in):
    with pytest.raises(ValidationError, match="outside the times she said"):
        send(case, now=TUESDAY_EVENING)
    with pytest.raises(ValidationError, match="outside the times she said"):
        send(case, now=datetime(2025, 11, 8, 10, 0, tzinfo=UTC))  # a Saturday
    assert stand_in.sends() == 0 and not Message.objects.exists()


def test_her_safe_times_are_uk_local_time(case, stand_in):
    # 08:30 UTC on a June Tuesday is 09:30 British Summer Time: inside 09:00-17:00.
    send(case, now=datetime(2025, 6, 3, 8, 30, tzinfo=UTC))
    # 16:30 UTC the same day is 17:30 in the UK: outside.
    with pytest.raises(ValidationError, match="outside the times"):
        send(case, now=datetime(2025, 6, 3, 16, 30, tzinfo=UTC))
    assert stand_in.sends() == 1


def test_a_neutral_message_that_would_give_her_away_is_refused(case, stand_in):
    with pytest.raises(ValidationError, match="refuge"):
        send(case, kind=messages.APPOINTMENT_REMINDER, details={"when": "Friday", "where": "the refuge office"})
    assert stand_in.sends() == 0


def test_a_closed_case_sends_nothing(case, stand_in):
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationError, match="not open"):
        send(case)
    assert stand_in.sends() == 0


def test_only_the_cases_worker_or_a_manager_sends(case, stand_in, staff):
    with pytest.raises(PermissionDenied):
        message_send(
            case=case,
            channel="text",
            kind=messages.CALL_AT_TIME,
            user=staff["outsider"],
            now=TUESDAY_TEN,
            details={"when": "Wednesday at 2pm"},
        )
    assert stand_in.sends() == 0 and not Message.objects.exists()


def test_with_no_key_the_message_is_kept_to_send_by_hand(case, stand_in, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.NOTIFY_API_KEY = ""
    message = send(case)
    assert stand_in.sends() == 0
    assert message.status == MessageStatus.TO_SEND_BY_HAND
    assert "send it by hand" in message.status_reason
    assert message.body == "Hello, this is Sam. I will call you on Wednesday at 2pm, at the time you chose."
    assert (message.created_by, message.created_at) == (case.worker.user, TUESDAY_TEN)
    assert_no_personal_data(caplog)


def test_with_no_template_for_the_channel_the_message_is_kept_to_send_by_hand(case, stand_in, settings):
    settings.NOTIFY_TEMPLATES = {"text": TEXT_TEMPLATE}
    message = send(case, channel="email")
    assert message.status == MessageStatus.TO_SEND_BY_HAND and "template" in message.status_reason
    assert stand_in.sends() == 0


def test_a_notify_server_error_is_recorded_as_failed_and_never_sent_again(case, stand_in, caplog):
    caplog.set_level(logging.DEBUG)
    stand_in.send_mode = "error500"
    message = send(case)
    assert message.status == MessageStatus.FAILED
    assert "error 500" in message.status_reason and "not sent" in message.status_reason
    assert message.notify_id == ""
    call_command("notify-status")
    messages_status_update()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert stand_in.sends() == 1  # one attempt only: no retry, no duplicate
    assert_no_personal_data(caplog)


def test_a_notify_refusal_is_recorded_as_failed_with_its_reason(case, stand_in, settings):
    settings.NOTIFY_API_KEY = f"carepath_test-{stand_in.service_id}-{uuid.uuid4()}"  # a revoked key: wrong secret
    message = send(case)
    assert message.status == MessageStatus.FAILED
    assert "error 403" in message.status_reason and "Invalid token" in message.status_reason
    assert stand_in.refused_tokens == 1 and stand_in.sends() == 0


def test_a_timeout_is_failed_when_notify_has_no_record_and_is_never_sent_twice(case, stand_in, caplog):
    caplog.set_level(logging.DEBUG)
    stand_in.send_mode = "timeout_lost"
    message = send(case)
    assert message.status == MessageStatus.FAILED
    assert "did not answer within 0.5 seconds" in message.status_reason and "no record" in message.status_reason
    stand_in.send_mode = "ok"
    call_command("notify-status")
    assert stand_in.sends() == 1
    assert_no_personal_data(caplog)


def test_a_timeout_after_notify_took_it_is_found_by_its_reference_not_sent_again(case, stand_in):
    stand_in.send_mode = "timeout_kept"
    message = send(case)
    assert message.status == MessageStatus.SENDING
    assert message.notify_id in stand_in.notifications
    stand_in.status = "delivered"
    call_command("notify-status")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert stand_in.sends() == 1


def test_a_second_message_waits_while_the_fate_of_the_last_is_unknown(case, stand_in):
    first = send(case)
    Message.objects.filter(pk=first.pk).update(notify_id="")  # as if the answer never came and the look-up failed
    with pytest.raises(ValidationError, match="not yet said whether her last message was sent"):
        send(case)
    assert stand_in.sends() == 1


def test_the_status_command_records_delivery(case, stand_in, capsys):
    message = send(case)
    stand_in.status = "sending"
    call_command("notify-status")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    stand_in.status = "delivered"
    call_command("notify-status")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.status_at == datetime(2025, 11, 4, 10, 2, 30, tzinfo=UTC)
    assert "Delivered 1" in capsys.readouterr().out
    assert stand_in.sends() == 1


def test_the_status_check_records_a_failure_with_notifys_reason(case, stand_in):
    message = send(case, channel="email")
    stand_in.status = "permanent-failure"
    check = messages_status_update()
    message.refresh_from_db()
    assert check.failed == [message.pk]
    assert message.status == MessageStatus.FAILED and "does not exist" in message.status_reason
    assert message.status_at == datetime(2025, 11, 4, 10, 2, 30, tzinfo=UTC)


def test_the_status_command_with_no_key_checks_nothing(case, stand_in, settings, capsys):
    message = send(case)
    settings.NOTIFY_API_KEY = ""
    call_command("notify-status")
    assert "nothing to check" in capsys.readouterr().out
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING

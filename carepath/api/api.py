"""The REST API for agency systems, mounted at ``/api/v1/``.

``POST /api/v1/referrals`` takes one referral from an agency system (token auth), records
it through ``referral_create`` like every other channel, and answers with the routing
decision. The OpenAPI document is at ``/api/v1/openapi.json``. There is no interactive
docs page: ninja's loads Swagger UI from a CDN, and Carepath's pages load nothing from
other hosts.

Request bodies hold personal data: nothing here logs them, and error responses name the
field, never the value sent.
"""

import re
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, NinjaAPI, Status
from ninja.errors import AuthenticationError, ValidationError

from carepath.api.auth import ApiTokenAuth
from carepath.api.models import ApiClient
from carepath.api.schemas import API_SCHEMAS, ErrorOut, ReferralIn, ReferralOut, ValidationErrorOut
from carepath.api.services import IdempotencyKeyReused, api_referral_create, body_digest, idempotent_referral_get
from carepath.core.models import District
from carepath.people.safe_contact import ALL_CHANNELS
from carepath.referrals.intake import ChildDetails, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import Channel, Referral
from carepath.risk.dash import ANSWERS, DashError, Judgement
from carepath.triage.casejson import decision_for_referrer

DESCRIPTION = """\
Carepath's API for agency systems (police, health, children's services) to send domestic
abuse referrals to the One Front Door.

**Authentication.** Every call carries `Authorization: Bearer <token>`. A Carepath
administrator issues one token per agency system (`carepath api-client-create NAME
--agency "Agency name"`); it is shown once. Referrals are recorded as from the token's
agency. A missing, unknown or deactivated token gets `401`.

**Idempotency.** `external_reference` is your system's own reference. Sending it again
returns the first referral with `200` and `"created": false`, and records nothing new.
A new referral gets `201`. You may also send an `Idempotency-Key` header (up to 255
printable characters, unique per request, e.g. a UUID): a retry with the same key gets
the first referral back the same way (`200`, `"created": false`), whatever its reference.
The same key with a different body gets `422`, and nothing is recorded.

**Errors.** An invalid body gets `422` with `{"detail": [{"field", "loc", "msg", "type"}]}`;
`field` is the dotted path in the body (e.g. `dash.answers.7.answer`). Values you sent are
never echoed back: where a message would quote it, it says "the value sent". A body that
is not JSON gets `400`; a body sent without `Content-Type: application/json` gets `415`.

**Rate limits.** Each token, and each client address, may make a limited number of calls
(by default 120 a minute per token and 300 a minute per address). Over a limit the answer
is `429` with a `Retry-After` header giving the seconds to wait.

**The decision.** The response acknowledges the referral (`referral_id`, `received_at`) and
holds the decision as your agency sees it on the referral page: what follows from what you
sent, and the actions your agency owns. It never says what other agencies hold (earlier
events, MARAC referrals or other victims of the same perpetrator): the One Front Door
researches those and routes the case.

- `risk_level`: `high`, `medium` or `standard`: the DASH score's level (defaults: high 14+,
  medium 8-13), raised, never lowered, by professional judgement;
- `dash_score`: the number of "yes" answers;
- `marac_criteria`: the SafeLives criteria your referral meets by itself (`visible_high_risk`,
  `professional_judgement`), or `medium_risk_marac` where a medium-risk MARAC serving the
  district hears a medium score in its band; any one sends the case to MARAC;
- `actions`: what your agency is asked to do, each with its `type`, the `rule` that produced
  it, a `reason` in words, the type of agency that owns it, its `subject`, a `due` deadline in
  working or school days from arrival, the `contact_channels` the victim said are safe, the
  `lawful_basis` when information is shared without consent, and the `share`: the people and
  parts of the referral your agency is given for it, and why;
- `flags` (e.g. `young_victim`) and `messages`.

Without a `dash` block the front door completes the checklist at first contact: the
decision's first message says so, and the tasks that depend on the risk level wait for it.

The response never contains names or other personal data.
"""


class CarepathApi(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        """ninja's, keeping what was sent in each error (ninja drops it), so that ``invalid``
        can make sure no message repeats it. It never leaves this process."""
        error = super().validation_error_from_error_contexts(error_contexts)
        sent = [
            e.get("input")
            for context in error_contexts
            for e in context.pydantic_validation_error.errors(include_url=False)
        ]
        for detail, value in zip(error.errors, sent, strict=True):
            detail["input"] = value
        return error


api = CarepathApi(
    title="Carepath API",
    version="1",
    description=DESCRIPTION,
    docs_url=None,
    urls_namespace="api",
    auth=ApiTokenAuth(),
)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = (
        "The API token is unknown or has been deactivated."
        if request.headers.get("Authorization")
        else "Send an API token: Authorization: Bearer <token>."
    )
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="carepath"'
    return response


#: A key of the body that may be named back: a field name or a question number. Any other
#: key (a misplaced name, say) is not repeated in the answer.
_NAMEABLE_KEY = re.compile(r"[A-Za-z0-9_]{1,40}")
UNNAMED_KEY = "<unrecognised field>"
#: Words the messages use that a client may also have sent (choices, field names).
_VOCABULARY = frozenset(
    {
        *ALL_CHANNELS,
        *ANSWERS,
        "high",
        "medium",
        "standard",
        "given",
        "refused",
        "not_sought",
        "not_known",
        "female",
        "male",
        "partner",
        "ex_partner",
        "family",
        "other",
        "yes",
        "no",
    }
    | {name for schema in API_SCHEMAS for name in schema.model_fields}
)
SENT = "the value sent"


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for k, v in value.items() for s in (*_strings(k), *_strings(v))}
    if isinstance(value, (list, tuple)):
        return {s for v in value for s in _strings(v)}
    return set()


def _without_input(msg: str, sent: Any) -> str:
    """The message with anything that was sent replaced by words: pydantic's messages and
    the routing rules' sometimes quote the value."""
    for text in sorted(_strings(sent), key=len, reverse=True):
        if not text or text in _VOCABULARY:
            continue
        for quoted in (repr(text), f'"{text}"', f"'{text}'"):
            msg = msg.replace(quoted, SENT)
        if len(text) >= 4:  # shorter text, unquoted, is more likely a word of the message than an echo
            msg = re.sub(rf"(?<!\w){re.escape(text)}(?!\w)", SENT, msg)
    return msg


def _field_error(loc: list, msg: str, type_: str, sent: Any = None) -> dict:
    loc = [part if isinstance(part, int) or _NAMEABLE_KEY.fullmatch(str(part)) else UNNAMED_KEY for part in loc]
    field = ".".join(str(part) for part in loc[1:]) or str(loc[0])
    msg = _without_input(msg.removeprefix("Value error, "), sent)
    if not msg.startswith(f"{field}:"):
        msg = f"{field}: {msg}"
    return {"field": field, "loc": loc, "msg": msg, "type": type_}


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each field, and never repeating what was sent. ninja's locations start
    ("body", "<parameter>", ...): drop the parameter's name so the path is the body's own."""
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if len(loc) >= 2 and loc[0] == "body" and loc[1] == "payload":
            del loc[1]
        errors.append(
            _field_error(loc, str(error.get("msg", "")), str(error.get("type", "value_error")), error.get("input"))
        )
    return api.create_response(request, {"detail": errors}, status=422)


def _invalid(field: str, msg: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", *field.split(".")), "msg": msg, "type": "value_error"}])


def _district_id(name: str | None) -> int | None:
    if not name:
        return None
    district = District.objects.filter(name=name).first() or District.objects.filter(name__iexact=name).first()
    if district is None:
        known = ", ".join(District.objects.values_list("name", flat=True)[:50]) or "none yet"
        raise _invalid("district", f"is not a district in Carepath. Districts: {known}.")
    return district.pk


def _referral_input(payload: ReferralIn, client: ApiClient) -> ReferralInput:
    person = lambda p: PersonDetails(**p.model_dump())  # noqa: E731
    return ReferralInput(
        channel=Channel.API,
        received_at=timezone.now(),
        referring_agency_id=client.agency_id,
        api_client_id=client.pk,
        external_reference=payload.external_reference,
        occurred_at=payload.occurred_at,
        district_id=_district_id(payload.district),
        victim=person(payload.victim),
        perpetrator=person(payload.perpetrator) if payload.perpetrator else None,
        relationship=payload.relationship or "",
        children=tuple(ChildDetails(**c.model_dump()) for c in payload.children),
        dash_answers=payload.dash.answer_map() if payload.dash else None,
        dash_score=payload.dash.score if payload.dash else None,
        judgement=Judgement(level=payload.judgement.level, reason=payload.judgement.reason)
        if payload.judgement
        else None,
        consent=payload.consent,
        consent_reason=payload.consent_reason,
        crime_recorded=payload.crime_recorded,
        safe_contact=(
            SafeContactDetails(
                **{
                    **payload.safe_contact.model_dump(),
                    "do_not_contact_via": tuple(payload.safe_contact.do_not_contact_via),
                }
            )
            if payload.safe_contact
            else None
        ),
        details=payload.details,
        referrer_name=payload.referrer_name,
        referrer_contact=payload.referrer_contact,
    )


def _out(referral: Referral, created: bool, client: ApiClient) -> dict:
    """Ids and the decision as the referring agency may see it (``decision_for_referrer``),
    as on the referral page: never what other agencies hold, and never the names, dates of
    birth or addresses that came in."""
    decision = decision_for_referrer(referral.decision, owner_agency_type=client.agency.agency_type)
    return {"referral_id": referral.pk, "created": created, "received_at": referral.received_at, "decision": decision}


IDEMPOTENCY_KEY = "Idempotency-Key"
#: Printable ASCII without spaces at either end (a UUID, a hash, the system's own request id).
_IDEMPOTENCY_KEY = re.compile(r"[!-~](?:[ -~]{0,253}[!-~])?")


REUSED = (
    "this key was already used for a referral with a different body. Send a new key for a new "
    "referral; a retry must repeat the first request exactly. Nothing was recorded."
)


def _key_refused(request: HttpRequest, msg: str) -> HttpResponse:
    error = {"field": IDEMPOTENCY_KEY, "loc": ["header", IDEMPOTENCY_KEY], "msg": f"{IDEMPOTENCY_KEY}: {msg}"}
    return api.create_response(request, {"detail": [{**error, "type": "idempotency_key"}]}, status=422)


@api.post(
    "/referrals",
    response={200: ReferralOut, 201: ReferralOut, 401: ErrorOut, 415: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="Send a referral to the One Front Door",
    description="Records the referral (people, event, DASH assessment, routing decision, tasks and "
    "information shares) and returns the decision. 201 when new; 200 with created false "
    "when this external_reference was already received from your agency, or this "
    "Idempotency-Key was already used with the same body.",
    tags=["referrals"],
    operation_id="referral_create",
)
def referrals_post(
    request: HttpRequest,
    payload: ReferralIn,
    idempotency_key: str | None = Header(
        None,
        alias=IDEMPOTENCY_KEY,
        description="Optional: your own unique value for this request (e.g. a UUID), up to 255 printable "
        "characters. A retry with the same key returns the first referral; the same key with a "
        "different body gets 422.",
    ),
):
    client: ApiClient = request.auth
    key = idempotency_key or ""
    if idempotency_key is not None and not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        return _key_refused(
            request, "must be 1 to 255 printable characters (letters, digits, punctuation), such as a UUID."
        )
    digest = body_digest(payload.model_dump(mode="json")) if key else ""
    data = _referral_input(payload, client)
    try:
        result = api_referral_create(client=client, data=data, key=key, digest=digest)
    except IdempotencyKeyReused:
        return _key_refused(request, REUSED)
    except DashError as exc:
        field = "judgement" if "judgement" in str(exc).lower() else "dash"
        raise _invalid(field, str(exc)) from None
    except IntegrityError:
        # The same key or reference sent twice at once: the other request recorded it first.
        try:
            first = idempotent_referral_get(client=client, key=key, digest=digest) if key else None
        except IdempotencyKeyReused:
            return _key_refused(request, REUSED)
        existing = (
            first.referral
            if first is not None
            else Referral.objects.filter(
                referring_agency_id=client.agency_id, channel=Channel.API, external_reference=data.external_reference
            ).first()
        )
        if existing is None:
            raise
        return Status(200, _out(existing, False, client))
    return Status(201 if result.created else 200, _out(result.referral, result.created, client))

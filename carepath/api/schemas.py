"""Request and response bodies of the REST API (pydantic, through django-ninja).

The referral body follows ``carepath route``'s case format (``carepath.triage.casejson``)
and ``carepath.referrals.intake.ReferralInput``. Unknown fields are refused, so a
misspelt field (``"judgment"``) is an error rather than silently ignored. The response
never echoes names or other personal data: only the referral id and the routing decision.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Schema
from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from carepath.core.ages import age_on
from carepath.people.safe_contact import ALL_CHANNELS
from carepath.referrals.intake import CHILD_MAX_AGE, DashAnswer
from carepath.risk.dash import ANSWERS, dash_score
from carepath.risk.selectors import checklist_in_force
from carepath.triage.casejson import dash_answers_from_json


def Text(max_length: int, *, min_length: int = 0):  # noqa: N802 - reads as a type in the schemas below
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length)]


Sex = Literal["female", "male", "not_known"]
GenderIdentity = Literal["woman", "man", "non_binary", "other", "not_known"]
YesNoUnknown = Literal["yes", "no", "not_known"]
Channel = Literal[ALL_CHANNELS]  # type: ignore[valid-type]
Level = Literal["high", "medium", "standard"]


#: The oldest age a person can be given (as ``age`` allows), so the earliest date of birth.
MAX_AGE = 120
#: Incidents before this year are refused: older dates are typing mistakes (year 0001),
#: and a date before 1847 cannot even be given a UK time zone.
EARLIEST_INCIDENT_YEAR = 1900


def _has_nul(value: Any) -> bool:
    """A NUL in this text, in a list's texts or in an object's keys. An object's values are
    checked by its own schema, so that the error names the innermost field."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) for key in value)
    if isinstance(value, list):
        return any(isinstance(item, str) and _has_nul(item) for item in value)
    return False


class _In(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # No database text column can hold a NUL character (PostgreSQL refuses it outright).
        if _has_nul(value):
            raise ValueError("must not contain a NUL character (\\u0000)")
        return value


class PersonIn(_In):
    """A victim or perpetrator. Give a date of birth where known; otherwise an age."""

    given_name: Text(100) = ""
    family_name: Text(100) = ""
    date_of_birth: date | None = None
    age: StrictInt | None = Field(None, ge=0, le=MAX_AGE, description="Only used when date_of_birth is not given.")
    sex: Sex = Field("not_known", description="Asked, never assumed: not_known unless the person said.")
    gender_identity: GenderIdentity = Field("not_known", description="Asked, never assumed, like sex.")
    address: Text(200) = ""
    postcode: Text(10) = ""
    phone: Text(30) = Field("", description="The phone on the agency's record. It may not be safe: see safe_contact.")
    pnc_id: Text(20) = Field("", description="Police National Computer id.")
    nhs_number: Text(12) = Field("", description="10 digits; spaces are ignored.")
    first_language: Text(60) = ""
    interpreter_needed: StrictBool = False

    @field_validator("date_of_birth")
    @classmethod
    def _born_in_the_past(cls, value: date | None) -> date | None:
        if value is not None and value > timezone.localdate():
            raise ValueError("is in the future")
        if value is not None and age_on(value, timezone.localdate()) > MAX_AGE:
            raise ValueError(f"is more than {MAX_AGE} years ago: check the year")
        return value

    @field_validator("nhs_number")
    @classmethod
    def _ten_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if value and not (len(value) == 10 and value.isascii() and value.isdigit()):
            raise ValueError("an NHS number has 10 digits")
        return value


class ChildIn(_In):
    """A child in the victim's household (under 18). Give an age or a date of birth where known:
    the health visitor (under 5) and school (school age) notifications depend on it."""

    given_name: Text(100) = ""
    family_name: Text(100) = ""
    age: StrictInt | None = Field(None, ge=0, le=CHILD_MAX_AGE)
    date_of_birth: date | None = None
    present: StrictBool = Field(True, description="Present at, or witnessed, the abuse.")
    harmed: StrictBool = Field(False, description="Directly harmed.")

    @field_validator("date_of_birth")
    @classmethod
    def _a_child(cls, value: date | None) -> date | None:
        if value is not None:
            if value > timezone.localdate():
                raise ValueError("is in the future")
            if age_on(value, timezone.localdate()) > CHILD_MAX_AGE:
                raise ValueError(f"a child is under {CHILD_MAX_AGE + 1}: this date of birth is an adult's")
        return value


class DashAnswerIn(_In):
    answer: Literal[ANSWERS]  # type: ignore[valid-type]
    source: Text(100) = Field("", description="Who gave the answer, e.g. victim, officer, records.")
    comment: Text(500) = ""


_ANSWERS_JSON_SCHEMA = {
    "type": "object",
    "description": (
        "Every question of the partnership's DASH checklist in force, keyed by its number "
        '(the SafeLives DASH RIC 2009: 24 questions, "1" to "24"). Each answer is "yes", "no" '
        'or "dont_know", or an object {"answer": ..., "source": ..., "comment": ...}.'
    ),
    "propertyNames": {"pattern": "^[1-9][0-9]{0,2}$"},
    "minProperties": 1,
    "additionalProperties": {
        "oneOf": [
            {"type": "string", "enum": list(ANSWERS)},
            {
                "type": "object",
                "properties": {
                    "answer": {"type": "string", "enum": list(ANSWERS)},
                    "source": {"type": "string", "maxLength": 100},
                    "comment": {"type": "string", "maxLength": 500},
                },
                "required": ["answer"],
                "additionalProperties": False,
            },
        ]
    },
}


class DashIn(_In):
    """The DASH risk identification checklist in force: either every question's answer
    (preferred: reports and the MARAC referral reuse them) or, where an agency system holds
    only the total, the score."""

    score: StrictInt | None = Field(
        None,
        ge=0,
        description='Number of "yes" answers: 0 to 24 on the SafeLives DASH RIC 2009, '
        "up to the highest score of the checklist in force.",
    )
    answers: Annotated[dict[str, DashAnswerIn], WithJsonSchema(_ANSWERS_JSON_SCHEMA)] | None = None

    @field_validator("answers", mode="before")
    @classmethod
    def _bare_answers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: {"answer": a} if isinstance(a, str) else a for key, a in value.items()}
        return value

    @field_validator("score")
    @classmethod
    def _within_checklist(cls, value: int | None) -> int | None:
        checklist = checklist_in_force()
        if value is not None and value > checklist.max_score:
            raise ValueError(f"a score on {checklist.label} is 0 to {checklist.max_score}, not {value}")
        return value

    @field_validator("answers")
    @classmethod
    def _every_question(cls, value: dict[str, DashAnswerIn] | None) -> dict[str, DashAnswerIn] | None:
        if value is None:
            return value
        # The same rules as ``carepath route``: question numbers, then every question answered.
        checklist = checklist_in_force()
        parsed = dash_answers_from_json({key: a.answer for key, a in value.items()}, checklist, where="dash.answers")
        if len(parsed) != len(value):
            raise ValueError('a question is given twice (e.g. "7" and "07")')
        dash_score(parsed, checklist)  # a DashError is a ValueError: pydantic reports it on dash.answers
        return value

    @model_validator(mode="after")
    def _score_or_answers(self) -> "DashIn":
        if (self.score is None) == (self.answers is None):
            raise ValueError('give either {"score": N} or {"answers": {"1": "yes", ...}}: exactly one of the two')
        return self

    def answer_map(self) -> dict[int, DashAnswer] | None:
        if self.answers is None:
            return None
        return {
            int(key): DashAnswer(answer=a.answer, source=a.source, comment=a.comment) for key, a in self.answers.items()
        }


class JudgementIn(_In):
    """A practitioner's professional judgement. It can raise the level, never lower it."""

    level: Level
    reason: Text(2000) = Field(
        "", validate_default=True, description="Required, e.g. strangulation, threats to kill, stalking."
    )

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if not value:
            raise ValueError(
                "professional judgement needs a reason (for example: strangulation, threats to kill, stalking)"
            )
        return value


class SafeContactIn(_In):
    """How the victim can safely be contacted. "not_known" counts as not safe."""

    safe_phone: Text(30) = ""
    safe_times: Text(200) = ""
    voicemail_safe: YesNoUnknown = "not_known"
    text_safe: YesNoUnknown = "not_known"
    letter_safe: YesNoUnknown = "not_known"
    email_safe: YesNoUnknown = "not_known"
    safe_email: Text(254) = ""
    do_not_contact_via: list[Channel] = Field(default_factory=list, max_length=len(ALL_CHANNELS))

    @field_validator("safe_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("is not an email address") from None
        return value


class ReferralIn(_In):
    """A referral from an agency system. Only ``external_reference``, ``victim`` and ``consent``
    are required; without ``dash`` the front door completes the checklist at first contact."""

    external_reference: Text(60, min_length=1) = Field(
        description="Your system's own reference. Re-sending it returns the first referral (200, created false)."
    )
    occurred_at: datetime | None = Field(
        None, description="When the incident happened. A time without an offset is UK local time."
    )
    district: Text(100) | None = Field(None, description="The district's name exactly as in Carepath.")
    victim: PersonIn
    perpetrator: PersonIn | None = None
    relationship: Literal["partner", "ex_partner", "family", "other"] | None = Field(
        None, description="The perpetrator's relationship to the victim."
    )
    children: list[ChildIn] = Field(default_factory=list, max_length=20)
    dash: DashIn | None = None
    judgement: JudgementIn | None = None
    consent: Literal["given", "refused", "not_sought"] = Field(description="Did the victim agree to this referral?")
    consent_reason: Text(2000) = Field(
        "", validate_default=True, description="Required when consent was refused or not sought: why."
    )
    crime_recorded: StrictBool | None = None
    safe_contact: SafeContactIn | None = None
    details: Text(10_000) = Field("", description="What happened, in the referrer's words.")
    referrer_name: Text(200) = Field("", description="The practitioner making the referral.")
    referrer_contact: Text(200) = Field("", description="How the front door can reach that practitioner.")

    @field_validator("occurred_at")
    @classmethod
    def _aware_and_past(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return value
        if value.year < EARLIEST_INCIDENT_YEAR:
            raise ValueError(f"is before {EARLIEST_INCIDENT_YEAR}: check the year")
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if value > timezone.now() + timedelta(minutes=5):
            raise ValueError("is in the future")
        return value

    @field_validator("consent_reason")
    @classmethod
    def _reason_without_consent(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("consent") in ("refused", "not_sought") and not value:
            raise ValueError("say why consent was refused or not sought")
        return value


#: Every schema a request body is read with.
API_SCHEMAS = (PersonIn, ChildIn, DashAnswerIn, DashIn, JudgementIn, SafeContactIn, ReferralIn)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str = Field(description="The field, as a dotted path in the body, e.g. dash.answers.7.answer.")
    loc: list[str | int]
    msg: str = Field(description="What is wrong, starting with the field's name.")
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class DueOut(Schema):
    working_days: int | None = None
    school_days: int | None = None
    hours: int | None = None
    school_day_start: str | None = None


class ShareOut(Schema):
    people: list[str] = Field(description='Who the share names: victim, perpetrator, children, or "child N".')
    parts: list[str] = Field(
        description="The parts of the referral given: summary, risk, dash_answers, details, "
        "decision, children, safe_contact."
    )
    why: str


class ActionOut(Schema):
    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="e.g. marac_referral, idva_referral, caseworker_referral, seek_consent, "
        "signpost_universal, victim_support_offer, children_services_notification, "
        "health_visitor_notification, school_notification, child_protection_referral, "
        "perpetrator_risk_plan, child_safeguarding_only."
    )
    reason: str = Field(description="Why, in words a triage worker reads.")
    rule: str = Field(description="The rule that produced the action, e.g. routing.high_risk.")
    owner_agency: str = Field(description="The type of agency that owns the task, e.g. idva_service.")
    subject: str = Field(description='victim, perpetrator, children, or one child ("child 1 (aged 3)").')
    due: dict[str, int | str] | None = Field(
        description='Deadline from arrival, in UK local time: {"working_days": N}, {"hours": N} (round the clock), '
        'or {"school_days": N, "school_day_start": "08:45"} (before the start of the Nth school day).'
    )
    contact_channels: list[str] = Field(
        description="For actions that contact the victim: the channels they said are safe."
    )
    lawful_basis: str | None = Field(description="Set when information is shared without consent.")
    share: ShareOut | None = Field(
        description="What the owning agency is given for this action; null when it needs nothing beyond what it holds."
    )


class DecisionOut(Schema):
    """The decision as the referring agency sees it on the referral page: what follows from
    what it sent, and the actions it owns; never what other agencies hold."""

    model_config = ConfigDict(extra="allow")

    risk_level: str | None = Field(
        description="high, medium or standard (after professional judgement); null until a DASH checklist is done."
    )
    dash_score: int | None = Field(description="Null until a DASH checklist is done.")
    marac_criteria: list[str] = Field(
        description="Which SafeLives criteria the referral meets by itself: visible_high_risk, "
        "professional_judgement; or medium_risk_marac where a medium-risk MARAC serving the district hears "
        "a medium score in its band. Non-empty means the case goes to MARAC."
    )
    actions: list[ActionOut]
    flags: list[str] = Field(description="e.g. young_victim, child_victim, perpetrator_under_16.")
    messages: list[str] = Field(description="Notes on the decision.")


class ReferralOut(Schema):
    referral_id: int
    created: bool = Field(
        description="false when this external_reference was already received from your agency, or this "
        "Idempotency-Key was already used."
    )
    received_at: datetime = Field(description="When the One Front Door received the referral.")
    decision: DecisionOut

"""What a referral carries, whatever channel it came through (form, police extract,
public pages, API). Plain dataclasses so every channel builds the same thing."""

from dataclasses import dataclass, field
from datetime import date, datetime

from carepath.people.safe_contact import SafeContactAnswers
from carepath.risk.dash import Judgement

#: The oldest age of a child: a child is anyone under 18 (Children Act 1989, s.105).
CHILD_MAX_AGE = 17


@dataclass(frozen=True)
class PersonDetails:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    #: A date of birth that is no real date, as the source wrote it (a police extract's
    #: 1950-58-06): kept for matching records, never used as a date (the age is then the
    #: ``age`` given, or unknown). Forms and the API ask for a real date instead.
    date_of_birth_as_written: str = ""
    age: int | None = None
    sex: str = "not_known"
    gender_identity: str = "not_known"
    address: str = ""
    postcode: str = ""
    phone: str = ""
    pnc_id: str = ""
    nhs_number: str = ""
    first_language: str = ""
    interpreter_needed: bool = False


@dataclass(frozen=True)
class ChildDetails:
    given_name: str = ""
    family_name: str = ""
    age: int | None = None
    date_of_birth: date | None = None
    present: bool = True
    harmed: bool = False
    risk_level: str = ""
    risk_notes: str = ""


@dataclass(frozen=True)
class SafeContactDetails(SafeContactAnswers):
    """The safe-contact answers (which decide the usable channels) and what goes with them."""

    safe_times: str = ""
    notes: str = ""  # anything else the victim said must never be done


@dataclass(frozen=True)
class DashAnswer:
    answer: str
    source: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ReferralInput:
    channel: str
    received_at: datetime
    victim: PersonDetails
    consent: str
    referring_agency_id: int | None = None
    created_by_id: int | None = None
    perpetrator: PersonDetails | None = None
    relationship: str = ""
    children: tuple[ChildDetails, ...] = ()
    dash_answers: dict[int, DashAnswer] | None = None
    dash_score: int | None = None
    judgement: Judgement | None = None
    consent_reason: str = ""
    crime_recorded: bool | None = None
    occurred_at: datetime | None = None
    district_id: int | None = None
    safe_contact: SafeContactDetails | None = None
    external_reference: str = ""
    api_client_id: int | None = None  # the agency system that sent it through the API
    police_reference: str = ""  # the force's incident or crime reference, given by another agency
    referrer_name: str = ""
    referrer_contact: str = ""
    referrer_relationship: str = ""
    referrer_safe_contact: str = ""  # how and when the referrer can safely be reached
    details: str = ""
    officer_grade: str = ""
    extra_flags: tuple[str, ...] = field(default_factory=tuple)

"""What a text or email to her says (issue 14, item 4). Pure Python, no Django.

A message may be read by the person harming her, on her phone or in her inbox. So its
words never say what it is about: no domestic abuse, no service, IDVA, refuge, MARAC,
police, safety or support (domain.md "Safe contact": no contact may give her away; seed
002 Appendix 1: contact only as she said is safe). Only when she agreed to messages that
name the service does a message say who it is from, and then by the service's name alone.

Every composed message is checked against ``FORBIDDEN_WORDS`` (and, when not named,
against the service's own name) after the details are filled in, so a detail the worker
typed ("at the refuge office") cannot slip the service's nature into a neutral message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

CALL_AT_TIME = "call_at_time"
CALL_BACK = "call_back"
APPOINTMENT_REMINDER = "appointment_reminder"

#: Message kinds, in words for the worker choosing one.
KINDS = {
    CALL_AT_TIME: "I will call you at the time you chose",
    CALL_BACK: "Please call me back on a number",
    APPOINTMENT_REMINDER: "A reminder of an appointment",
}

#: The details each kind needs (required) and may have (optional), filled in by the worker.
REQUIRED = {CALL_AT_TIME: ("when",), CALL_BACK: ("number",), APPOINTMENT_REMINDER: ("when",)}
OPTIONAL = {CALL_AT_TIME: (), CALL_BACK: (), APPOINTMENT_REMINDER: ("where",)}
DETAIL_WORDS = {"when": "the day and time", "number": "the number to call", "where": "the place"}

#: Words a message that does not name the service must never contain, whole words and
#: case-insensitive (a plural "s" too). Wider than the service's words on purpose: what
#: matters is what the person reading her phone would infer.
FORBIDDEN_WORDS = (
    "domestic",
    "abuse",
    "abused",
    "abuser",
    "abusive",
    "violence",
    "violent",
    "idva",
    "isva",
    "advocate",
    "advocacy",
    "advisor",
    "adviser",
    "refuge",
    "shelter",
    "hostel",
    "marac",
    "mash",
    "police",
    "victim",
    "survivor",
    "safe",
    "safely",
    "safety",
    "unsafe",
    "risk",
    "harm",
    "assault",
    "perpetrator",
    "partner",
    "support",
    "help",
    "helpline",
    "crisis",
    "caseworker",
    "worker",
    "case",
    "service",
    "women's aid",
    "court",
    "injunction",
    "protection",
    "safeguarding",
    "social services",
    "counselling",
    "referral",
    "referred",
)
_FORBIDDEN = re.compile(r"\b(" + "|".join(re.escape(w) for w in FORBIDDEN_WORDS) + r")s?\b", re.IGNORECASE)


class MessageError(ValueError):
    """A message that may not be sent as asked, with the reason in words."""


@dataclass(frozen=True)
class Wording:
    """A composed message: the subject is used for an email only."""

    subject: str
    body: str


def forbidden_words_in(text: str) -> list[str]:
    """The forbidden words ``text`` contains, lower-cased, in order of appearance."""
    return [m.group(0).lower() for m in _FORBIDDEN.finditer(text)]


def compose(kind: str, *, named: bool, sender: str, service: str, details: Mapping[str, str]) -> Wording:
    """The words of a message of ``kind`` from ``sender`` (the worker's first name, or
    empty), naming ``service`` only when ``named`` (she agreed to messages that name it).

    Raises ``MessageError`` for an unknown kind, a missing detail, or a neutral message
    that would contain a forbidden word or the service's name."""
    if kind not in KINDS:
        raise MessageError("That is not a kind of message Carepath sends.")
    values = {k: " ".join(str(v).split()) for k, v in details.items() if v is not None and str(v).strip()}
    missing = [DETAIL_WORDS[k] for k in REQUIRED[kind] if k not in values]
    if missing:
        raise MessageError(f"Give {' and '.join(missing)} for this message.")
    unknown = set(values) - set(REQUIRED[kind]) - set(OPTIONAL[kind])
    if unknown:
        raise MessageError(f"This message has no place for: {', '.join(sorted(unknown))}.")
    sender = " ".join(sender.split())
    service = " ".join(service.split())
    if named and service:
        hello = f"Hello, this is {sender} from {service}." if sender else f"Hello, this is {service}."
    else:
        hello = f"Hello, this is {sender}." if sender else "Hello."
    if kind == CALL_AT_TIME:
        subject = f"Our call on {values['when']}"
        body = f"{hello} I will call you on {values['when']}, at the time you chose."
    elif kind == CALL_BACK:
        subject = "Please call me back"
        body = f"{hello} Please call me back on {values['number']} when it suits you."
    else:
        where = f" at {values['where']}" if "where" in values else ""
        subject = f"Your appointment on {values['when']}"
        body = f"{hello} A reminder of your appointment on {values['when']}{where}."
    if not named:
        text = f"{subject}\n{body}"
        found = forbidden_words_in(text)
        if found:
            raise MessageError(
                f"A message that does not name the service cannot say “{found[0]}”: "
                "change the details, or send it by hand."
            )
        if service and service.lower() in text.lower():
            raise MessageError("A message that does not name the service cannot contain its name.")
    return Wording(subject=subject, body=body)

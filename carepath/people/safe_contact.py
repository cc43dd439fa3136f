"""Which channels may be used to contact a victim (domain.md "Safe contact").

Pure Python: no Django imports, so routing and tasks can call it with plain values.
The rule is conservative: a channel is usable only when the victim said it is safe,
and never when it is on their "do not contact via" list.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

PHONE_CALL = "phone_call"
VOICEMAIL = "voicemail"
TEXT = "text"
LETTER = "letter"
EMAIL = "email"
HOME_VISIT = "home_visit"
WORKPLACE = "workplace"
ALL_CHANNELS = (PHONE_CALL, VOICEMAIL, TEXT, LETTER, EMAIL, HOME_VISIT, WORKPLACE)


@dataclass(frozen=True)
class SafeContactAnswers:
    safe_phone: str = ""
    voicemail_safe: str = "not_known"
    text_safe: str = "not_known"
    letter_safe: str = "not_known"
    email_safe: str = "not_known"
    safe_email: str = ""
    do_not_contact_via: Collection[str] = field(default_factory=frozenset)


def usable_channels(answers: SafeContactAnswers) -> set[str]:
    """Channels a worker may use. Unknown means not asked yet, which means not safe."""
    usable: set[str] = set()
    if answers.safe_phone:
        usable.add(PHONE_CALL)
        if answers.voicemail_safe == "yes":
            usable.add(VOICEMAIL)
        if answers.text_safe == "yes":
            usable.add(TEXT)
    if answers.letter_safe == "yes":
        usable.add(LETTER)
    if answers.email_safe == "yes" and answers.safe_email:
        usable.add(EMAIL)
    return usable - set(answers.do_not_contact_via)


def channel_is_safe(answers: SafeContactAnswers, channel: str) -> bool:
    return channel in usable_channels(answers)


def unsafe_channels(answers: SafeContactAnswers) -> list[str]:
    """Every channel not usable, in a fixed order, for the "Do not contact by" warning."""
    usable = usable_channels(answers)
    return [c for c in ALL_CHANNELS if c not in usable]

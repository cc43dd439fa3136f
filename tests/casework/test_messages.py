"""The words of a message to her never give her away unless she agreed (messages.py)."""

import pytest

from carepath.casework import messages
from carepath.casework.messages import FORBIDDEN_WORDS, MessageError, compose, forbidden_words_in

pytestmark = pytest.mark.no_database

SERVICE = "Testshire IDVA Service"
DETAILS = {
    messages.CALL_AT_TIME: {"when": "Tuesday 4 November at 2pm"},
    messages.CALL_BACK: {"number": "01632 960000"},
    messages.APPOINTMENT_REMINDER: {"when": "Friday 7 November at 11am", "where": "14 High Street, Northtown"},
}
#: The words the brief names, checked whatever FORBIDDEN_WORDS becomes.
MUST_NEVER_APPEAR = ("domestic", "abuse", "idva", "refuge", "marac", "violence", "police", "safe", "service", "support")


@pytest.mark.parametrize("kind", sorted(messages.KINDS))
@pytest.mark.parametrize("sender", ["Sam", ""])
def test_neutral_messages_contain_no_forbidden_word_nor_the_service(kind, sender):
    wording = compose(kind, named=False, sender=sender, service=SERVICE, details=DETAILS[kind])
    text = f"{wording.subject}\n{wording.body}".lower()
    assert forbidden_words_in(text) == []
    for word in (*FORBIDDEN_WORDS, *MUST_NEVER_APPEAR):
        assert word not in text.split() and f"{word}s" not in text.split(), word
    assert SERVICE.lower() not in text and "testshire" not in text


def test_the_forbidden_list_covers_the_words_that_give_her_away():
    assert set(MUST_NEVER_APPEAR) <= set(FORBIDDEN_WORDS)
    assert forbidden_words_in("Your Domestic ABUSE advocate from the IDVAs; MARAC; refuges") == [
        "domestic",
        "abuse",
        "advocate",
        "idvas",
        "marac",
        "refuges",
    ]
    # Whole words only: a name or a place that merely contains one is not refused.
    assert forbidden_words_in("Hello, this is Harmony at Courtenay House, Helperby") == []


@pytest.mark.parametrize("kind", sorted(messages.KINDS))
def test_named_messages_name_the_service_only_when_she_agreed(kind):
    named = compose(kind, named=True, sender="Sam", service=SERVICE, details=DETAILS[kind])
    neutral = compose(kind, named=False, sender="Sam", service=SERVICE, details=DETAILS[kind])
    assert SERVICE in named.body
    assert SERVICE not in neutral.body


def test_a_detail_that_would_give_her_away_is_refused_in_a_neutral_message():
    with pytest.raises(MessageError, match="refuge"):
        compose(
            messages.APPOINTMENT_REMINDER,
            named=False,
            sender="Sam",
            service=SERVICE,
            details={"when": "Friday", "where": "the refuge office"},
        )
    with pytest.raises(MessageError, match="its name"):
        compose(messages.CALL_BACK, named=False, sender="", service="Beacon", details={"number": "Beacon 0123"})


def test_missing_or_unknown_details_and_kinds_are_refused_in_words():
    with pytest.raises(MessageError, match="the day and time"):
        compose(messages.CALL_AT_TIME, named=False, sender="Sam", service=SERVICE, details={})
    with pytest.raises(MessageError, match="no place for: number"):
        compose(
            messages.CALL_AT_TIME, named=False, sender="Sam", service=SERVICE, details={"when": "now", "number": "1"}
        )
    with pytest.raises(MessageError, match="not a kind"):
        compose("marac_invite", named=False, sender="Sam", service=SERVICE, details={})

"""A victim is never contacted by a channel marked unsafe (domain.md "Safe contact")."""

from carepath.people.safe_contact import EMAIL, LETTER, PHONE_CALL, TEXT, VOICEMAIL, SafeContactAnswers, usable_channels


def test_nothing_is_safe_until_asked():
    assert usable_channels(SafeContactAnswers()) == set()


def test_phone_needs_a_safe_number_and_voicemail_and_text_need_a_yes():
    answers = SafeContactAnswers(safe_phone="07700 900123", voicemail_safe="no", text_safe="yes")
    assert usable_channels(answers) == {PHONE_CALL, TEXT}


def test_do_not_contact_list_overrides_a_yes():
    answers = SafeContactAnswers(
        safe_phone="07700 900123", text_safe="yes", letter_safe="yes", do_not_contact_via=frozenset({TEXT, LETTER})
    )
    assert usable_channels(answers) == {PHONE_CALL}


def test_email_needs_an_address_as_well_as_a_yes():
    assert EMAIL not in usable_channels(SafeContactAnswers(email_safe="yes"))
    assert EMAIL in usable_channels(SafeContactAnswers(email_safe="yes", safe_email="a@example.org"))
    assert VOICEMAIL not in usable_channels(SafeContactAnswers(voicemail_safe="yes"))

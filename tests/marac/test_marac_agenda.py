"""The meeting's agenda (issue 13, 3): on screen for the coordinator, and as a PDF that is
marked confidential, names the agency the copy is for, and never carries a safe-contact
detail or a confidential address."""

import pypdfium2
import pytest
from django.urls import reverse

from carepath.core.models import AccessLog
from carepath.marac.services import marac_referral_accept, marac_research_request
from carepath.people.models import Address, SafeContact
from tests.marac.factories import NOW, marac_referral


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


@pytest.fixture
def meeting(county, marac, coordinator):
    first = marac_referral(county, coordinator)
    case = marac_referral_accept(referral=first, user=coordinator, now=NOW)
    marac_referral_accept(referral=marac_referral(county, coordinator, yes=17), user=coordinator, now=NOW)
    marac_research_request(case=case, agencies=[county["agencies"]["police"]], user=coordinator, now=NOW)
    victim = first.victim
    SafeContact.objects.create(person=victim, safe_phone="07700 900777", voicemail_safe="no", text_safe="yes")
    Address.objects.create(
        person=victim, line_1="Refuge House, 3 Hidden Lane", town="Northtown", postcode="NT9 9ZZ", is_confidential=True
    )
    return case.meeting


def test_the_agenda_lists_each_case_with_what_the_chair_needs(county, meeting, coordinator, login):
    page = login(coordinator).get(reverse("marac_meeting_detail", args=[meeting.pk])).content.decode()
    assert "2 of 20 places taken" in page
    assert "0 of 1 returned" in page and "0 of 0 returned" in page
    assert "DASH score of 14 or more" in page


def test_the_agenda_pdf_is_confidential_names_its_recipient_and_holds_no_contact_detail(
    county,
    meeting,
    coordinator,
    login,
):
    police = county["agencies"]["police"]
    response = login(coordinator).get(reverse("marac_agenda_pdf", args=[meeting.pk]), {"for": police.pk})
    assert response["Content-Type"] == "application/pdf"
    assert "Quatermass" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "CONFIDENTIAL" in text and f"copy for {police.name}" in text.replace("\r", "").replace("\n", " ")
    assert "Imogen Quatermass" in text and "Repeat" not in text.split("Case")[0]
    for secret in ("07700 900777", "07700900777", "Hidden Lane", "NT9 9ZZ", "Refuge House"):
        assert secret not in text
    assert AccessLog.objects.filter(user=coordinator, action="printed").count() >= 2


def test_only_the_coordination_opens_a_meeting(county, meeting, staff, login):
    assert login(staff["outsider"]).get(reverse("marac_meeting_detail", args=[meeting.pk])).status_code == 403
    assert login(staff["officer"]).get(reverse("marac_agenda_pdf", args=[meeting.pk])).status_code == 403

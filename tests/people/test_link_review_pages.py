"""Reviewing identity resolution (issue 4) in the browser: the queue of possible matches,
the pair page that explains a score, decisions with reasons, splits and undo; and the
person page, where linking never widens what a non-reviewer sees."""

import re
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from carepath.core.models import AccessLog, Agency, AgencyType, Role
from carepath.core.services import staff_create
from carepath.people.models import IdentityChange, LinkStatus, Person, RecordLink
from carepath.people.services import record_link_confirm
from tests.conftest import PASSWORD, without_csrf_tokens

SCORED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def mash(county):
    return Agency.objects.create(
        partnership=county["partnership"], name="Testshire MASH", agency_type=AgencyType.FRONT_DOOR
    )


@pytest.fixture
def reviewers(county, mash):
    return {
        "dpo": staff_create(
            username="dpo",
            agency=county["agencies"]["partnership"],
            role=Role.DATA_PROTECTION_OFFICER,
            password=PASSWORD,
        ),
        "mash_supervisor": staff_create(
            username="mash-supervisor", agency=mash, role=Role.TRIAGE, password=PASSWORD, is_supervisor=True
        ),
    }


@pytest.fixture
def pair(county, mash):
    """The same woman as the police and the MASH recorded her, awaiting review."""
    police = Person.objects.create(
        recorded_by=county["agencies"]["police"],
        given_name="Elizabeth",
        family_name="Quatermass",
        date_of_birth=date(1990, 5, 17),
        sex="female",
    )
    front_door = Person.objects.create(
        recorded_by=mash, given_name="Liz", family_name="Quatermass", date_of_birth=date(1990, 5, 17), sex="female"
    )
    link = RecordLink.objects.create(
        person_a=police,
        person_b=front_door,
        match_probability=0.91,
        match_weight=3.3,
        status=LinkStatus.REVIEW,
        scored_at=SCORED,
    )
    return link


def detail_url(link):
    return reverse("record_link_detail", args=[link.pk])


def identity(pk):
    return Person.objects.get(pk=pk).identity


def test_reviewers_see_the_queue_likeliest_first(login, county, reviewers, pair):
    police = county["agencies"]["police"]
    others = [Person.objects.create(recorded_by=police, given_name=f"P{i}") for i in range(4)]
    weaker = RecordLink.objects.create(
        person_a=others[0],
        person_b=others[1],
        match_probability=0.62,
        match_weight=0.7,
        status=LinkStatus.REVIEW,
        scored_at=SCORED,
    )
    decided = RecordLink.objects.create(
        person_a=others[2],
        person_b=others[3],
        match_probability=0.99,
        match_weight=9,
        status=LinkStatus.CONFIRMED,
        scored_at=SCORED,
    )

    for reviewer in reviewers.values():
        response = login(reviewer).get(reverse("record_link_queue"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "91.0%" in html and "62.0%" in html
        assert html.index(detail_url(pair)) < html.index(detail_url(weaker))  # likeliest first
        assert "Testshire MASH" in html and "Testshire Police" in html
        assert "1 pair already decided" in html
        assert detail_url(decided) not in html
        assert f'href="{reverse("record_link_queue")}"' in html  # in the navigation


def test_the_queue_is_paginated_by_50(login, county, reviewers):
    police = county["agencies"]["police"]
    people = [Person.objects.create(recorded_by=police) for _ in range(104)]
    for i in range(52):
        RecordLink.objects.create(
            person_a=people[2 * i],
            person_b=people[2 * i + 1],
            match_probability=0.5 + i / 200,
            match_weight=1,
            status=LinkStatus.REVIEW,
            scored_at=SCORED,
        )
    client = login(reviewers["dpo"])
    first = client.get(reverse("record_link_queue")).content.decode()
    second = client.get(reverse("record_link_queue") + "?page=2").content.decode()
    pairs = re.compile(r'href="/people/links/\d+/"')
    assert len(pairs.findall(first)) == 50 and len(pairs.findall(second)) == 2
    assert "Page 2 of 2" in second and "50.0%" in second and "50.0%" not in first


@pytest.mark.parametrize("who", ["officer", "police_supervisor", "idva", "admin", "outsider_supervisor"])
def test_others_are_refused_every_review_page(login, staff, pair, who):
    client = login(staff[who])
    change = IdentityChange.objects.create(
        kind="merge", before={str(pair.person_a_id): None}, after={str(pair.person_a_id): pair.person_a_id}
    )
    assert client.get(reverse("record_link_queue")).status_code == 403
    assert client.get(detail_url(pair)).status_code == 403
    refused = client.post(detail_url(pair), {"decision": "confirm", "reason": "Same NHS number"})
    assert refused.status_code == 403
    assert client.post(reverse("identity_change_undo", args=[change.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("person_identity_split", args=[pair.person_a_id]), {"reason": "x"}).status_code == 403
    pair.refresh_from_db()
    assert pair.status == LinkStatus.REVIEW and not AccessLog.objects.exists()
    assert 'href="/people/links/"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("status", [LinkStatus.LINKED, LinkStatus.NOT_LINKED])
def test_reviewers_cannot_open_pairs_the_model_decided_alone(login, reviewers, pair, status):
    """A pair the model linked, or left apart, on its own is not under review: opening it
    by id would show any two people's details. It answers like a pair that does not exist."""
    RecordLink.objects.filter(pk=pair.pk).update(status=status)
    client = login(reviewers["dpo"])
    missing = client.get(reverse("record_link_detail", args=[pair.pk + 1000]))

    response = client.get(detail_url(pair))

    assert response.status_code == missing.status_code == 404
    assert without_csrf_tokens(response) == without_csrf_tokens(missing)
    assert b"Quatermass" not in response.content
    assert client.post(detail_url(pair), {"decision": "confirm", "reason": "x"}).status_code == 404
    assert RecordLink.objects.get(pk=pair.pk).status == status
    assert set(AccessLog.objects.values_list("action", flat=True)) == {"refused"}


@pytest.mark.parametrize("status", [LinkStatus.REVIEW, LinkStatus.CONFIRMED, LinkStatus.REJECTED])
def test_reviewers_open_pairs_under_review_or_decided_by_a_reviewer(login, reviewers, pair, status):
    RecordLink.objects.filter(pk=pair.pk).update(status=status)
    response = login(reviewers["dpo"]).get(detail_url(pair))
    assert response.status_code == 200 and b"Quatermass" in response.content


def test_the_person_page_links_only_to_pairs_a_reviewer_may_open(login, reviewers, pair):
    record_link_confirm(link=pair, user=reviewers["dpo"], reason="Same date of birth, nickname")
    client = login(reviewers["mash_supervisor"])
    person_page = reverse("person_detail", args=[pair.person_b_id])
    assert detail_url(pair) in client.get(person_page).content.decode()

    RecordLink.objects.filter(pk=pair.pk).update(status=LinkStatus.LINKED)
    html = client.get(person_page).content.decode()
    assert detail_url(pair) not in html and "Linked automatically" in html


def test_a_front_door_worker_who_is_not_a_supervisor_is_refused(login, mash, pair):
    worker = staff_create(username="mash-worker", agency=mash, role=Role.TRIAGE, password=PASSWORD)
    assert login(worker).get(reverse("record_link_queue")).status_code == 403


def test_an_uninvolved_agency_cannot_see_either_person_page(login, staff, reviewers, pair):
    record_link_confirm(link=pair, user=reviewers["dpo"], reason="Same date of birth, nickname")
    client = login(staff["outsider"])
    for pk in (pair.person_a_id, pair.person_b_id):
        response = client.get(reverse("person_detail", args=[pk]))
        assert response.status_code == 404
        assert b"Quatermass" not in response.content
    assert set(AccessLog.objects.values_list("action", flat=True)) == {"refused"}


def test_the_pair_page_says_so_when_no_model_has_been_trained(login, reviewers, pair):
    response = login(reviewers["dpo"]).get(detail_url(pair))
    assert response.status_code == 200
    html = response.content.decode()
    assert "carepath relink" in html
    assert "Elizabeth" in html and "Liz" in html and "17 May 1990" in html
    assert "91.0%" in html


def test_the_pair_page_shows_a_date_of_birth_kept_as_written_in_plain_words(login, reviewers, pair):
    Person.objects.filter(pk=pair.person_b_id).update(date_of_birth=None, date_of_birth_as_written="1990-15-17")
    response = login(reviewers["dpo"]).get(detail_url(pair))
    assert response.status_code == 200
    html = response.content.decode()
    assert "17 May 1990" in html and "1990-15-17 (as written: not a real date)" in html
    assert "1990-15-17" not in html.split("</title>", 1)[0]


@pytest.fixture
def linked_county(db):
    """A small synthetic county, relinked: the model is trained and people are grouped."""
    call_command("synth", "--seed", "3", "--scale", "0.04", verbosity=0)
    call_command("relink", verbosity=0)


def test_the_pair_page_explains_the_score_and_logs_both_views(login, linked_county):
    # The likeliest pair the model linked, as if it had been left for a reviewer.
    link = RecordLink.objects.order_by("-match_probability").filter(status=LinkStatus.LINKED).first()
    RecordLink.objects.filter(pk=link.pk).update(status=LinkStatus.REVIEW)
    agency = Agency.objects.filter(agency_type=AgencyType.PARTNERSHIP).first() or link.person_a.recorded_by
    dpo = staff_create(username="dpo", agency=agency, role=Role.DATA_PROTECTION_OFFICER, password=PASSWORD)

    response = login(dpo).get(detail_url(link))

    assert response.status_code == 200
    html = response.content.decode()
    why = response.context["why"]
    assert "carepath relink" not in html
    assert len(why["rows"]) == 7
    for label in ("First name", "Surname", "Date of birth", "Address and postcode", "NHS number"):
        assert f'<th scope="row" class="govuk-table__header">{label}</th>' in html
    for row in why["rows"]:
        assert row["c"].level in html
    explanation = why["explanation"]
    total = explanation.prior_match_weight + sum(c.match_weight for c in explanation.comparisons)
    assert f"<strong>{total:.2f}</strong>" in html  # the rows add up to the total shown
    assert f"{100 * explanation.match_probability:.1f}%" in html
    assert "log<sub>2</sub> of the Bayes factor" in html
    logged = AccessLog.objects.filter(user=dpo)
    assert sorted(logged.values_list("object_id", flat=True)) == [link.person_a_id, link.person_b_id]


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(login, reviewers, pair):
    response = login(reviewers["dpo"]).post(detail_url(pair), {"decision": "confirm", "reason": "   "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Say why" in html
    pair.refresh_from_db()
    assert pair.status == LinkStatus.REVIEW and pair.decided_by is None
    assert identity(pair.person_a_id) != identity(pair.person_b_id)
    assert not IdentityChange.objects.exists()


def test_confirming_links_the_records_and_rejecting_splits_them(login, reviewers, pair):
    client = login(reviewers["mash_supervisor"])

    response = client.post(
        detail_url(pair), {"decision": "confirm", "reason": "Same NHS number on the GP record"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("record_link_queue")
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html and "recorded as the same person" in html
    assert detail_url(pair) not in html  # no longer waiting
    assert identity(pair.person_a_id) == identity(pair.person_b_id)
    pair.refresh_from_db()
    assert pair.status == LinkStatus.CONFIRMED and pair.decided_by == reviewers["mash_supervisor"]

    history = client.get(detail_url(pair)).content.decode()
    assert "Same NHS number on the GP record" in history and "mash-supervisor" in history

    response = client.post(detail_url(pair), {"decision": "reject", "reason": "Twins: checked with the IDVA"})
    assert response.status_code == 302
    assert identity(pair.person_a_id) != identity(pair.person_b_id)
    pair.refresh_from_db()
    assert pair.status == LinkStatus.REJECTED


def test_undo_puts_the_records_back_and_reopens_the_pair(login, reviewers, pair):
    merge = record_link_confirm(link=pair, user=reviewers["dpo"], reason="Same date of birth, nickname")
    client = login(reviewers["mash_supervisor"])
    person_page = reverse("person_detail", args=[pair.person_b_id])  # the MASH's own record
    html = client.get(person_page).content.decode()
    assert reverse("identity_change_undo", args=[merge.pk]) in html

    refused = client.post(reverse("identity_change_undo", args=[merge.pk]), {"reason": "", "next": person_page})
    assert refused.status_code == 200 and b"govuk-error-summary" in refused.content
    assert identity(pair.person_a_id) == identity(pair.person_b_id)

    response = client.post(
        reverse("identity_change_undo", args=[merge.pk]), {"reason": "Reviewed the wrong pair", "next": person_page}
    )

    assert response.status_code == 302 and response.url == person_page
    assert identity(pair.person_a_id) != identity(pair.person_b_id)
    pair.refresh_from_db()
    assert pair.status == LinkStatus.REVIEW
    again = client.post(reverse("identity_change_undo", args=[merge.pk]), {"reason": "Again"})
    assert again.status_code == 200 and b"already been undone" in again.content


def test_a_reviewer_splits_a_record_out_from_the_person_page(login, reviewers, pair):
    record_link_confirm(link=pair, user=reviewers["dpo"], reason="Same date of birth, nickname")
    client = login(reviewers["mash_supervisor"])
    person_page = reverse("person_detail", args=[pair.person_b_id])
    html = client.get(person_page).content.decode()
    assert "Split this record out" in html and "Testshire Police" in html  # the other record's agency

    response = client.post(
        reverse("person_identity_split", args=[pair.person_b_id]), {"reason": "Mistaken identity", "next": person_page}
    )

    assert response.status_code == 302 and response.url == person_page
    assert Person.objects.get(pk=pair.person_b_id).identity_key is None
    assert RecordLink.objects.get(pk=pair.pk).status == LinkStatus.REJECTED
    refused = client.post(reverse("person_identity_split", args=[pair.person_b_id]), {"reason": "Again"})
    assert refused.status_code == 200 and b"not linked to any other" in refused.content


def test_a_non_reviewer_outside_the_front_door_learns_nothing_of_linked_records(login, staff, reviewers, pair):
    record_link_confirm(link=pair, user=reviewers["dpo"], reason="Same date of birth, nickname")

    response = login(staff["officer"]).get(reverse("person_detail", args=[pair.person_a_id]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "records held by" not in html and "Known to the partnership" not in html
    assert "Testshire MASH" not in html and "Liz" not in html
    assert "Split this record out" not in html and "/people/links/" not in html
    assert "/identity-changes/" not in html

"""Identity resolution in the running system (issue 4): batch relink, linking at the front
door so routing counts people, and reviewers' decisions that stand and can be undone."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from carepath.core.models import Agency, Role
from carepath.core.services import staff_create
from carepath.people.models import IdentityChange, LinkageRun, LinkStatus, Person, RecordLink
from carepath.people.services import (
    identity_change_undo,
    latest_linkage_model,
    person_identity_split,
    record_link_confirm,
    record_link_reject,
)
from carepath.referrals.intake import PersonDetails, ReferralInput
from carepath.referrals.services import referral_create
from carepath.synth.hertfordshire import POLICE
from carepath.synth.models import SyntheticIdentity

FIRST_INCIDENT = datetime(2026, 9, 1, 21, 0, tzinfo=UTC)


@pytest.fixture
def linked_county(db):
    """A small synthetic county, relinked: the model is trained and people are grouped."""
    call_command("synth", "--seed", "3", "--scale", "0.04", verbosity=0)
    call_command("relink", verbosity=0)
    return Agency.objects.get(name=POLICE)


def incident(
    police,
    *,
    reference,
    when,
    given="Elizabeth",
    family="Quatermass",
    postcode="AL1 3XY",
    address="4 Fleetville Road",
    born_as_written="",
) -> ReferralInput:
    return ReferralInput(
        channel="police_import",
        received_at=when,
        occurred_at=when,
        referring_agency_id=police.pk,
        victim=PersonDetails(
            given_name=given,
            family_name=family,
            date_of_birth=None if born_as_written else date(1990, 5, 17),
            date_of_birth_as_written=born_as_written,
            sex="female",
            postcode=postcode,
            address=address,
        ),
        perpetrator=PersonDetails(given_name="Darius", family_name="Vantablack", date_of_birth=date(1987, 2, 2)),
        relationship="partner",
        dash_score=9,
        consent="given",
        external_reference=reference,
    )


def test_relink_groups_records_into_people_as_the_synthetic_truth_says(linked_county):
    run = LinkageRun.objects.get()
    assert run.records == Person.objects.count()
    truth = dict(SyntheticIdentity.objects.values_list("person_id", "true_person_key"))
    identity = {p.pk: p.identity for p in Person.objects.filter(pk__in=truth)}
    same_truth = {(a, b) for a in truth for b in truth if a < b and truth[a] == truth[b]}
    same_identity = {(a, b) for a in identity for b in identity if a < b and identity[a] == identity[b]}
    assert run.identities < run.records  # repeat victims are counted once
    assert len(same_truth & same_identity) / len(same_identity) >= 0.98  # precision
    assert len(same_truth & same_identity) / len(same_truth) >= 0.9  # recall


def relink() -> str:
    printed = io.StringIO()
    call_command("relink", stdout=printed)
    return printed.getvalue()


def test_a_date_of_birth_kept_as_written_is_matched_at_the_front_door_and_counted_by_relink(linked_county):
    first = referral_create(data=incident(linked_county, reference="W-1", when=FIRST_INCIDENT)).referral
    # Her date of birth on the force's next record: day and month swapped, so month 17.
    second = referral_create(
        data=incident(
            linked_county, reference="W-2", when=FIRST_INCIDENT + timedelta(days=30), born_as_written="1990-17-05"
        )
    ).referral
    victim = second.victim
    assert (victim.date_of_birth, victim.date_of_birth_as_written) == (None, "1990-17-05")
    assert victim.identity == first.victim.identity  # linked when recorded
    assert second.decision["actions"]  # routed, her age unknown

    printed = relink()
    assert "1 date of birth was not a real date and compared as written." in printed
    assert "1990-17-05" not in printed  # counts only
    assert LinkageRun.objects.latest().dates_kept_as_written == 1
    assert Person.objects.get(pk=victim.pk).identity == Person.objects.get(pk=first.victim_id).identity


def test_a_date_of_birth_kept_as_written_one_digit_from_the_real_date_is_linked_by_relink(linked_county):
    levels = {
        level.get("label_for_charts")
        for comparison in latest_linkage_model().settings["comparisons"]
        for level in comparison["comparison_levels"]
    }
    if "Dates of birth one digit apart" not in levels:
        pytest.skip("the linkage model does not yet compare dates of birth digit by digit")
    first = referral_create(data=incident(linked_county, reference="D-1", when=FIRST_INCIDENT)).referral
    # The same woman on another force's record: month 15 for 05, one digit wrong.
    second = referral_create(
        data=incident(
            linked_county, reference="D-2", when=FIRST_INCIDENT + timedelta(days=30), born_as_written="1990-15-17"
        )
    ).referral
    assert "1 date of birth was not a real date and compared as written." in relink()
    assert Person.objects.get(pk=second.victim_id).identity == Person.objects.get(pk=first.victim_id).identity


def test_a_third_incident_in_12_months_is_escalation_even_with_a_nickname(linked_county):
    first = referral_create(data=incident(linked_county, reference="Q-1", when=FIRST_INCIDENT)).referral
    second = referral_create(
        data=incident(linked_county, reference="Q-2", when=FIRST_INCIDENT + timedelta(days=30), given="Liz")
    ).referral
    assert second.victim.identity == first.victim.identity  # linked through the nickname
    assert "potential_escalation" not in second.decision["marac_criteria"]
    third = referral_create(
        data=incident(linked_county, reference="Q-3", when=FIRST_INCIDENT + timedelta(days=60))
    ).referral
    assert third.decision["marac_criteria"] == ["potential_escalation"]
    change = IdentityChange.objects.filter(kind="merge").first()
    assert change.made_by is None and change.reason == "Linked when recorded"


def test_a_twin_is_not_linked_to_her_sister(linked_county):
    first = referral_create(data=incident(linked_county, reference="T-1", when=FIRST_INCIDENT)).referral
    twin = referral_create(
        data=incident(linked_county, reference="T-2", when=FIRST_INCIDENT + timedelta(days=3), given="Philippa")
    ).referral
    assert twin.victim.identity != first.victim.identity


def test_rejecting_a_link_splits_the_person_stands_in_relink_and_can_be_undone(linked_county, django_user_model):
    reviewer = django_user_model.objects.create_user(username="dpo", password="x" * 16)
    first = referral_create(data=incident(linked_county, reference="R-1", when=FIRST_INCIDENT)).referral
    second = referral_create(
        data=incident(linked_county, reference="R-2", when=FIRST_INCIDENT + timedelta(days=9))
    ).referral
    link = RecordLink.objects.get(person_a=first.victim_id, person_b=second.victim_id)
    assert link.status == LinkStatus.LINKED

    with pytest.raises(ValidationError):
        record_link_reject(link=link, user=reviewer, reason="  ")
    split = record_link_reject(link=link, user=reviewer, reason="Different people: checked with the GP")
    a, b = Person.objects.get(pk=first.victim_id), Person.objects.get(pk=second.victim_id)
    assert a.identity != b.identity
    assert a.history.first().history_user == reviewer  # the person's own history records who
    call_command("relink", verbosity=0)
    assert Person.objects.get(pk=a.pk).identity != Person.objects.get(pk=b.pk).identity  # the decision stands

    # The relink did not touch these two records, so the split can still be undone.
    identity_change_undo(change=split, user=reviewer, reason="Wrong pair reviewed")
    assert Person.objects.get(pk=a.pk).identity == Person.objects.get(pk=b.pk).identity
    link.refresh_from_db()
    assert link.status == LinkStatus.REVIEW
    with pytest.raises(ValidationError):
        identity_change_undo(change=split, user=reviewer, reason="again")


def test_confirming_links_and_splitting_a_record_out(linked_county, django_user_model):
    reviewer = django_user_model.objects.create_user(username="dpo", password="x" * 16)
    first = referral_create(data=incident(linked_county, reference="C-1", when=FIRST_INCIDENT)).referral
    # Married since: a new surname and a new address, the same date of birth and first name.
    second = referral_create(
        data=incident(
            linked_county,
            reference="C-2",
            when=FIRST_INCIDENT + timedelta(days=40),
            family="Okonkwo",
            postcode="SG1 1AA",
            address="9 Hill Lane",
        )
    ).referral
    link, _ = RecordLink.objects.get_or_create(
        person_a_id=first.victim_id,
        person_b_id=second.victim_id,
        defaults={
            "match_probability": 0.5,
            "match_weight": 0,
            "status": LinkStatus.REVIEW,
            "scored_at": FIRST_INCIDENT,
        },
    )
    if link.status != LinkStatus.LINKED:
        record_link_confirm(link=link, user=reviewer, reason="Same NHS number on the GP record")
    assert Person.objects.get(pk=first.victim_id).identity == Person.objects.get(pk=second.victim_id).identity

    person_identity_split(person=Person.objects.get(pk=second.victim_id), user=reviewer, reason="Mistaken identity")
    assert Person.objects.get(pk=second.victim_id).identity_key is None
    assert RecordLink.objects.get(pk=link.pk).status == LinkStatus.REJECTED


def test_a_perpetrator_linked_across_incidents_is_flagged_repeat_then_serial(linked_county):
    first = referral_create(data=incident(linked_county, reference="P-1", when=FIRST_INCIDENT)).referral
    assert "repeat_perpetrator" not in first.decision["flags"]
    again = referral_create(
        data=incident(linked_county, reference="P-2", when=FIRST_INCIDENT + timedelta(days=20))
    ).referral
    assert "repeat_perpetrator" in again.decision["flags"]  # two events against one victim in 12 months
    assert "serial_perpetrator" not in again.decision["flags"]
    other_victim = referral_create(
        data=incident(
            linked_county,
            reference="P-3",
            when=FIRST_INCIDENT + timedelta(days=50),
            given="Rosalind",
            family="Featherstonehaugh",
            postcode="WD1 7HH",
            address="2 Mill Row",
        )
    ).referral
    assert other_victim.perpetrator.identity == first.perpetrator.identity
    assert "serial_perpetrator" in other_victim.decision["flags"]
    assert "perpetrator panel" in " ".join(other_victim.decision["messages"])


def test_referral_page_counts_the_victims_linked_records(linked_county, login):

    referral_create(data=incident(linked_county, reference="K-1", when=FIRST_INCIDENT))
    second = referral_create(
        data=incident(linked_county, reference="K-2", when=FIRST_INCIDENT + timedelta(days=5))
    ).referral
    from carepath.core.models import AgencyType

    front_door = staff_create(
        username="mash",
        agency=Agency.objects.get(agency_type=AgencyType.FRONT_DOOR),
        role=Role.TRIAGE,
        password="x" * 16,
    )
    page = login(front_door).get(reverse("referral_detail", args=[second.pk])).content.decode()
    assert "One person across 2 records held by 1 agency" in page
    # The police who referred learn nothing of other records (no oracle).
    officer = staff_create(username="pc", agency=linked_county, role=Role.TRIAGE, password="x" * 16)
    page = login(officer).get(reverse("referral_detail", args=[second.pk])).content.decode()
    assert "Received by the One Front Door" in page and "records held by" not in page


def test_one_batch_links_its_own_repeats_and_routes_the_third_as_escalation(linked_county):
    from carepath.referrals.services import referrals_create

    batch = [
        incident(linked_county, reference=f"B-{n}", when=FIRST_INCIDENT + timedelta(days=10 * n)) for n in (2, 0, 1)
    ]  # a force's extract need not be in date order
    results = referrals_create(batch)
    referrals = {r.referral.external_reference: r.referral for r in results}
    assert len({r.victim.identity for r in referrals.values()}) == 1
    assert referrals["B-2"].decision["marac_criteria"] == ["potential_escalation"]
    assert "potential_escalation" not in referrals["B-1"].decision["marac_criteria"]


def test_a_new_incident_for_someone_referred_to_marac_under_another_record_is_a_repeat(linked_county):
    from carepath.core.models import AgencyType
    from carepath.referrals.services import marac_referral_create

    coordinator = staff_create(
        username="marac",
        agency=Agency.objects.get(agency_type=AgencyType.MARAC),
        role=Role.MARAC_COORDINATOR,
        password="x" * 16,
    )
    high = incident(linked_county, reference="M-1", when=FIRST_INCIDENT)
    first = referral_create(data=ReferralInput(**{**high.__dict__, "dash_score": 16})).referral
    marac_referral_create(referral=first, user=coordinator)
    # Months later another force's record, spelt differently, of the same woman.
    later = referral_create(
        data=incident(linked_county, reference="M-2", when=FIRST_INCIDENT + timedelta(days=120), given="Liz")
    ).referral
    assert later.victim_id != first.victim_id and later.victim.identity == first.victim.identity
    assert "repeat" in later.decision["marac_criteria"]


def test_a_recorded_previous_surname_counts_for_the_match(linked_county):
    from carepath.people.linkage import PersonRecord, explain
    from carepath.people.services import latest_linkage_model

    model = latest_linkage_model()
    maiden = PersonRecord(
        record_id="1",
        first_name="Elizabeth",
        last_name="Quatermass",
        date_of_birth=date(1990, 5, 17),
        address="4 Fleetville Road",
        postcode="AL1 3XY",
    )
    married = dict(
        record_id="2",
        first_name="Elizabeth",
        last_name="Okonkwo",
        date_of_birth=date(1990, 5, 17),
        address="9 Hill Lane",
        postcode="SG1 1AA",
    )
    with_previous_name = explain(model, maiden, PersonRecord(**married, other_names=(("Elizabeth", "Quatermass"),)))
    without = explain(model, maiden, PersonRecord(**married))
    surname = {c.comparison: c for c in with_previous_name.comparisons}["last_name"]
    assert surname.level == "Surname matches a previous name or alias"
    assert surname.match_weight > 0
    assert with_previous_name.match_probability > without.match_probability


def test_candidates_for_a_whole_extract_are_found_in_one_query(county):
    from carepath.people.selectors import linkage_candidates, linkage_records

    police = county["agencies"]["police"]

    def people(count, offset=0):
        return Person.objects.bulk_create(
            [
                Person(
                    recorded_by=police,
                    given_name=f"Ann{n}",
                    family_name=f"Smith{n}",
                    date_of_birth=date(1950, 1, 1) + timedelta(days=n),
                )
                for n in range(offset, offset + count)
            ]
        )

    # A force's batch of 3,000 new records, half of them people already known.
    known = people(3000)
    arriving = people(3000, offset=1500)
    candidates = linkage_candidates(linkage_records([p.pk for p in arriving]))
    assert {int(r.record_id) for r in candidates} == {p.pk for p in known[1500:]}


def test_candidates_are_found_by_a_date_of_birth_kept_as_written_in_another_spelling(county):
    from carepath.people.selectors import linkage_candidates, linkage_records

    police = county["agencies"]["police"]
    known = Person.objects.create(
        recorded_by=police, given_name="Ann", family_name="Smith", date_of_birth_as_written="31/02/1980"
    )
    Person.objects.create(recorded_by=police, given_name="Ann", family_name="Jones", date_of_birth=date(1980, 2, 28))
    # Married since: only the date of birth as written and the first name are the same.
    arriving = Person.objects.create(
        recorded_by=police, given_name="Ann", family_name="Okafor", date_of_birth_as_written="1980-02-31"
    )
    [record] = linkage_records([arriving.pk])
    assert record.date_of_birth == "1980-02-31"
    assert [int(r.record_id) for r in linkage_candidates([record])] == [known.pk]


def test_a_record_with_first_name_and_surname_swapped_is_a_candidate_at_the_front_door(county):
    from carepath.people.selectors import linkage_candidates, linkage_records

    police = county["agencies"]["police"]
    known = Person.objects.create(
        recorded_by=police, given_name="Grace", family_name="Futcher", date_of_birth=date(1986, 11, 27)
    )
    Person.objects.create(recorded_by=police, given_name="Grace", family_name="Okafor", date_of_birth=date(1990, 1, 2))
    # Another agency wrote her names the other way round, and her date of birth a day out.
    arriving = Person.objects.create(
        recorded_by=police, given_name="Futcher", family_name="Grace", date_of_birth=date(1986, 11, 28)
    )
    [record] = linkage_records([arriving.pk])
    assert [int(r.record_id) for r in linkage_candidates([record])] == [known.pk]

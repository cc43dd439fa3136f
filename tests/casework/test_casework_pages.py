"""The casework pages as a manager and an IDVA use them (issue 14, 2-3)."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse

from carepath.casework import rules
from carepath.casework.models import Case, CaseSource, ContactAttempt


def test_the_manager_allocates_from_the_queue_and_sees_who_is_over_safe(county, routed, workers, login):
    manager = login(workers["manager"].user)
    # Lee (half time) already carries 41 open cases: over the safe 40 for her hours.
    Case.objects.bulk_create(
        [
            Case(
                service=workers["lee"].service,
                victim_id=routed.subject.victim_id,
                source=CaseSource.AGENCY,
                risk_level="medium",
                worker=workers["lee"],
                referred_at=datetime.now(UTC) - timedelta(days=30),
                status=rules.ENGAGED,
            )
            for _ in range(41)
        ]
    )
    # Her home page flags Lee to her.
    home = manager.get(reverse("home")).content.decode()
    assert "Workers over the safe caseload" in home and "idva-lee: over the safe caseload" in home
    assert "idva-kim: over" not in home
    page = manager.get(reverse("casework_allocate")).content.decode()
    assert "Over safe caseload" in page and f"Referral {routed.object_id}" in page
    # Lee already works with her, but is over safe: Kim, under safe, is suggested first.
    assert "Lead worker already: idva-lee" in page
    assert page.index("idva-kim") < page.index("idva-lee (knows her), over safe caseload")
    manager.post(reverse("casework_allocate_one", args=[routed.pk]), {"worker": workers["kim"].pk})
    case = Case.objects.get(task=routed)
    assert case.worker == workers["kim"]
    assert "Nothing waiting." in manager.get(reverse("casework_allocate")).content.decode()
    # Workers do not allocate: the queue is not theirs.
    assert login(workers["kim"].user).get(reverse("casework_allocate")).status_code == 403


def test_the_idva_sees_her_case_and_can_only_choose_a_safe_channel(county, routed, workers, staff, login):
    from carepath.casework.services import case_allocate

    case = case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user)
    kim = login(workers["kim"].user)
    assert f"Case {case.pk}" in kim.get(reverse("casework_my_cases")).content.decode()
    page = kim.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert 'value="phone_call"' in page and 'value="text"' not in page  # texts are not safe for her
    refused = kim.post(reverse("casework_contact_attempt", args=[case.pk]), {"channel": "text", "reached": "no"})
    assert refused.status_code == 400 and not ContactAttempt.objects.exists()
    kim.post(reverse("casework_contact_attempt", args=[case.pk]), {"channel": "phone_call", "reached": "yes"})
    case.refresh_from_db()
    assert case.status == rules.CONTACTING and case.first_contact_at is not None
    # The uninvolved agency gets the same answer as for a case that does not exist.
    assert login(staff["outsider"]).get(reverse("casework_case_detail", args=[case.pk])).status_code == 404

"""Tasks reach someone: the owning agency's queue on the home page, its task list, a named
owner, and only the owning agency (or the person named) records the outcome."""

from django.urls import reverse

from carepath.core.codes import Role
from carepath.core.services import staff_create
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


def test_the_idva_service_sees_its_new_work_on_the_home_page_and_task_list(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county, children=())).referral
    idva = login(staff["idva"])
    home = idva.get(reverse("home")).content.decode()
    assert f'href="{reverse("task_list")}"' in home and "<strong>1</strong> waiting" in home
    # The task itself is on the home page, as a link to its referral, with no one's name.
    link = f'<a class="govuk-link" href="{reverse("referral_detail", args=[referral.pk])}">IDVA referral: referral {referral.pk}</a>'
    assert link in home and "Quatermass" not in home
    tasks = idva.get(reverse("task_list")).content.decode()
    assert "IDVA referral" in tasks and f'href="{reverse("referral_detail", args=[referral.pk])}"' in tasks
    assert "Refer to MARAC" not in tasks  # another agency's task
    # The outsider's list is empty.
    assert "Nothing waiting" in login(staff["outsider"]).get(reverse("task_list")).content.decode()


def test_taking_a_task_names_its_owner_and_only_they_or_their_agency_record_it(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county, children=())).referral
    task = referral.tasks.get(action_type="idva_referral")
    colleague = staff_create(username="idva-2", agency=county["agencies"]["idva"], role=Role.IDVA, password=PASSWORD)

    assert login(staff["idva"]).post(reverse("task_take", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.owner == staff["idva"]
    mine = login(staff["idva"]).get(reverse("task_list"), {"mine": 1}).content.decode()
    assert "IDVA referral" in mine
    assert "IDVA referral" not in login(colleague).get(reverse("task_list"), {"mine": 1}).content.decode()

    # Another agency can neither take nor record it: the same 404 as a missing task.
    assert login(staff["officer"]).post(reverse("task_take", args=[task.pk])).status_code == 404
    assert (
        login(staff["officer"])
        .post(reverse("task_record", args=[task.pk]), {"status": "done", "note": "x"})
        .status_code
        == 404
    )

    response = login(colleague).post(reverse("task_record", args=[task.pk]), {"status": "not_done", "note": ""})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "open"  # not done needs a reason
    login(colleague).post(reverse("task_record", args=[task.pk]), {"status": "not_done", "note": "No safe number yet"})
    task.refresh_from_db()
    assert task.status == "not_done" and task.note == "No safe number yet" and task.done_by == colleague


def test_the_triage_worker_sees_the_first_referrals_of_the_queue_on_the_home_page(county, front_door, login):
    triage = staff_create(username="mash", agency=front_door, role=Role.TRIAGE, password=PASSWORD)
    referral = referral_create(data=police_referral(county, children=())).referral
    home = login(triage).get(reverse("home")).content.decode()
    assert f'href="{reverse("referral_detail", args=[referral.pk])}">Referral {referral.pk}: high risk' in home
    assert "Quatermass" not in home

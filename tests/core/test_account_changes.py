"""In the admin, no administrator alone makes anyone a superuser, gives permissions or
groups, or changes an agency, a role or admin access: one requests, a different one
approves, and only approval makes the change (with history). Creating an account with an
agency and a role, and issuing its enrolment code, stay one administrator's job."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from carepath.core.models import EnrolmentCode, Role, StaffChangeRequest, StaffChangeStatus, User
from carepath.core.services import administrator_permissions, staff_create
from carepath.core.staff_changes import staff_change_request_create
from tests.conftest import PASSWORD

CHANGE_LIST = reverse("admin:core_staffchangerequest_changelist")


@pytest.fixture
def admins(staff, county):
    second = staff_create(
        username="second-administrator",
        agency=county["agencies"]["partnership"],
        role=Role.ADMINISTRATOR,
        password=PASSWORD,
    )
    return staff["admin"], second


@pytest.fixture
def group(db):
    return Group.objects.create(name="Everything")


def guarded(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.agency_id,
        user.role,
        user.is_staff,
        user.is_superuser,
        set(user.user_permissions.all()),
        set(user.groups.all()),
    )


def request_change(client, user, **values):
    data = {"agency": user.agency_id, "role": user.role, "reason": "Moved to the IDVA service on 1 December"}
    data |= {"is_staff": "on"} if user.is_staff else {}
    data |= {"is_superuser": "on"} if user.is_superuser else {}
    data |= {k: v for k, v in values.items() if v is not None}
    return client.post(reverse("admin:core_user_request_change", args=[user.pk]), data)


def decide(client, change_request, decision, note=""):
    return client.post(
        reverse("admin:core_staffchangerequest_change", args=[change_request.pk]), {"decision": decision, "note": note}
    )


def test_the_change_page_cannot_change_agency_role_or_access(login, staff, county, admins, group):
    officer = staff["officer"]
    before = guarded(officer)
    client = login(admins[0])
    page = client.get(reverse("admin:core_user_change", args=[officer.pk])).content.decode()
    for field in ("agency", "role", "is_staff", "is_superuser", "user_permissions", "groups", "is_demo_account"):
        assert f'name="{field}"' not in page, field
    assert reverse("admin:core_user_request_change", args=[officer.pk]) in page

    response = client.post(
        reverse("admin:core_user_change", args=[officer.pk]),
        {
            "username": "officer",
            "first_name": "Olu",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_supervisor": "on",
            "agency": county["agencies"]["housing"].pk,
            "role": Role.ADMINISTRATOR,
            "is_staff": "on",
            "is_superuser": "on",
            "is_demo_account": "on",
            "groups": [group.pk],
            "user_permissions": [p.pk for p in Permission.objects.all()],
        },
    )

    assert response.status_code == 302  # the rest of the form is saved...
    officer.refresh_from_db()
    assert officer.first_name == "Olu" and officer.is_supervisor
    assert guarded(officer) == before  # ...and nothing that needs a second administrator
    assert not officer.is_demo_account


def test_one_administrator_creates_an_account_but_not_with_power(login, county, admins, group):
    client = login(admins[0])
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "new-idva",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agency": county["agencies"]["idva"].pk,
            "role": Role.IDVA,
            "is_supervisor": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "user_permissions": [p.pk for p in Permission.objects.all()],
        },
        follow=True,
    )

    assert response.status_code == 200
    user = User.objects.get(username="new-idva")
    assert (user.agency, user.role, user.is_supervisor) == (county["agencies"]["idva"], Role.IDVA, True)
    assert not user.is_staff and not user.is_superuser
    assert not user.user_permissions.exists() and not user.groups.exists()
    assert "enrolment code" in response.content.decode()


def test_one_administrator_cannot_create_an_administrator(login, county, admins):
    client = login(admins[0])
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "sock-puppet",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agency": county["agencies"]["partnership"].pk,
            "role": Role.ADMINISTRATOR,
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="sock-puppet").exists()


def test_a_second_administrator_approves_and_only_then_the_change_is_made(login, staff, county, admins):
    first, second = admins
    officer = staff["officer"]
    before = guarded(officer)

    requested = request_change(login(first), officer, agency=county["agencies"]["idva"].pk, role=Role.IDVA)

    change_request = StaffChangeRequest.objects.get()
    assert requested.status_code == 302
    assert guarded(officer) == before  # requested, not made
    assert change_request.changes == {
        "agency": {"old": county["agencies"]["police"].pk, "new": county["agencies"]["idva"].pk},
        "role": {"old": Role.TRIAGE, "new": Role.IDVA},
    }
    approver = login(second)
    page = approver.get(reverse("admin:core_staffchangerequest_change", args=[change_request.pk])).content.decode()
    for text in (
        "Testshire Police",
        "Testshire IDVA Service",
        "Front-door triage",
        "IDVA",
        "Moved to the IDVA service on 1 December",
        "administrator",
        "Approve and make the change",
    ):
        assert text in page
    assert CHANGE_LIST in approver.get(reverse("admin:index")).content.decode()

    assert decide(approver, change_request, "approve").status_code == 302

    officer.refresh_from_db()
    assert (officer.agency, officer.role) == (county["agencies"]["idva"], Role.IDVA)
    change_request.refresh_from_db()
    assert (change_request.status, change_request.decided_by) == (StaffChangeStatus.APPROVED, second)
    assert officer.history.first().history_user == second
    assert change_request.history.first().history_user == second
    assert decide(approver, change_request, "approve").status_code == 200  # decided once only


def test_nobody_approves_their_own_request(login, staff, admins):
    first, _ = admins
    officer = staff["officer"]
    client = login(first)
    request_change(client, officer, is_superuser="on")
    change_request = StaffChangeRequest.objects.get()

    page = client.get(reverse("admin:core_staffchangerequest_change", args=[change_request.pk])).content.decode()
    refused = decide(client, change_request, "approve")

    assert "a different administrator must approve" in page and "Approve and make the change" not in page
    assert refused.status_code == 200 and "a different administrator" in refused.content.decode()
    assert not User.objects.get(pk=officer.pk).is_superuser
    assert StaffChangeRequest.objects.get().status == StaffChangeStatus.PENDING


def test_an_administrator_cannot_approve_a_change_to_their_own_account(login, admins):
    first, second = admins
    request_change(login(first), second, is_superuser="on", is_staff="on")
    refused = decide(login(second), StaffChangeRequest.objects.get(), "approve")
    assert "your own account" in refused.content.decode()
    assert not User.objects.get(pk=second.pk).is_superuser


def test_making_a_superuser_and_giving_permissions_and_groups_need_two(login, staff, admins, group):
    first, second = admins
    officer = staff["officer"]
    permission = Permission.objects.get(codename="view_accessattempt")
    request_change(login(first), officer, is_superuser="on", user_permissions=[permission.pk], groups=[group.pk])
    assert guarded(officer)[3:] == (False, set(), set())

    decide(login(second), StaffChangeRequest.objects.get(), "approve")

    assert guarded(officer)[3:] == (True, {permission}, {group})


def test_the_administrator_role_comes_with_admin_access_and_goes_with_it(login, staff, admins):
    first, second = admins
    officer = staff["officer"]
    request_change(login(first), officer, role=Role.ADMINISTRATOR)
    change_request = StaffChangeRequest.objects.get()
    assert set(change_request.changes) == {"role", "is_staff", "user_permissions"}
    decide(login(second), change_request, "approve")
    officer.refresh_from_db()
    assert officer.is_staff and set(officer.user_permissions.all()) == set(administrator_permissions())

    request_change(login(second), officer, role=Role.TRIAGE)
    decide(login(first), StaffChangeRequest.objects.get(status=StaffChangeStatus.PENDING), "approve")
    officer.refresh_from_db()
    assert officer.role == Role.TRIAGE and not officer.is_staff and not officer.user_permissions.exists()


def test_a_rejected_request_changes_nothing_and_needs_a_reason(login, staff, admins):
    first, second = admins
    officer = staff["officer"]
    before = guarded(officer)
    request_change(login(first), officer, is_superuser="on")
    change_request = StaffChangeRequest.objects.get()
    approver = login(second)

    no_reason = decide(approver, change_request, "reject")
    assert no_reason.status_code == 200 and "Say why" in no_reason.content.decode()
    assert decide(approver, change_request, "reject", "Nobody needs to be a superuser").status_code == 302

    change_request.refresh_from_db()
    assert change_request.status == StaffChangeStatus.REJECTED
    assert change_request.decision_note == "Nobody needs to be a superuser"
    assert guarded(officer) == before


def test_a_request_needs_a_reason_and_a_change(login, staff, admins):
    client = login(admins[0])
    officer = staff["officer"]
    no_reason = request_change(client, officer, is_superuser="on", reason="")
    assert no_reason.status_code == 200 and "Say why the change is needed" in no_reason.content.decode()
    nothing = request_change(client, officer)
    assert nothing.status_code == 200 and "Nothing would change" in nothing.content.decode()
    assert not StaffChangeRequest.objects.exists()


def test_a_request_made_against_old_values_is_not_applied(staff, county, admins):
    from carepath.core.staff_changes import staff_change_request_approve

    first, second = admins
    officer = staff["officer"]
    change_request = staff_change_request_create(
        user=officer, requested_by=first, new_values={"role": Role.IDVA}, reason="New job"
    )
    User.objects.filter(pk=officer.pk).update(role=Role.CASEWORKER)  # changed some other way meanwhile
    with pytest.raises(Exception, match="has changed since this request was made"):
        staff_change_request_approve(change_request=change_request, approved_by=second)
    assert User.objects.get(pk=officer.pk).role == Role.CASEWORKER


def test_only_administrators_see_or_decide_requests(login, staff, admins):
    change_request = staff_change_request_create(
        user=staff["idva"], requested_by=admins[0], new_values={"is_superuser": True}, reason="Test"
    )
    for who in ("police_supervisor", "officer"):
        client = login(staff[who])
        assert client.get(CHANGE_LIST).status_code in (302, 403)
        assert decide(client, change_request, "approve").status_code in (302, 403)
    assert not User.objects.get(pk=staff["idva"].pk).is_superuser
    for url in (reverse("admin:core_staffchangerequest_add"),):
        assert login(admins[1]).get(url).status_code == 403


def test_history_revert_cannot_bring_back_an_old_role(login, staff, admins):
    officer = staff["officer"]
    old_version = officer.history.first()
    User.objects.filter(pk=officer.pk).update(role=Role.CASEWORKER)
    client = login(admins[0])
    url = reverse("admin:core_user_simple_history", args=[officer.pk, old_version.history_id])
    assert client.get(url).status_code == 200
    assert "Revert" not in client.get(url).content.decode()

    response = client.post(
        url,
        {"username": "officer", "is_active": "on", "first_name": "", "last_name": "", "email": "", "is_supervisor": ""},
    )

    assert response.status_code == 403
    assert User.objects.get(pk=officer.pk).role == Role.CASEWORKER


def test_an_administrator_issues_an_enrolment_code_shown_once(login, staff, admins):
    officer = staff["officer"]
    client = login(admins[0])
    url = reverse("admin:core_user_enrolment_code", args=[officer.pk])
    assert url in client.get(reverse("admin:core_user_change", args=[officer.pk])).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and not EnrolmentCode.objects.exists()

    issued = client.post(url)

    code = re.search(r'id="enrolment-code">([A-Z2-9-]+)<', issued.content.decode()).group(1)
    record = EnrolmentCode.objects.get(user=officer)
    assert record.issued_by == admins[0] and record.history.first().history_user == admins[0]
    assert code not in client.get(reverse("admin:core_user_change", args=[officer.pk])).content.decode()
    user_client = Client()
    user_client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert user_client.post(reverse("two_factor"), {"enrolment_code": code}).status_code == 302


def test_an_administrator_cannot_reset_another_administrators_second_factor(login, admins):
    first, second = admins
    response = login(first).post(reverse("admin:core_user_enrolment_code", args=[second.pk]))
    assert response.status_code == 200 and "carepath enrolment-code" in response.content.decode()
    assert not EnrolmentCode.objects.exists()

"""A perpetrator's profile, his orders and breaches, and what his victim's lead worker sees.

The county: the police reported two events by Darius Vantablack, one against Imogen
Quatermass (victim A, with an IDVA case) and one against Bettina Okonkwo (victim B); a
second record of Imogen's, held by the police and linked to her, has a third event. Each
victim has an order protecting her; A's has a breach.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.casework.models import Case, CaseSource, Service, ServiceKind, Worker
from carepath.core.models import AccessLog, Agency, AgencyType, Role
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.perpetrators import order_services
from carepath.perpetrators.models import Breach, CriminalHistoryEntry, CustodyRelease, Order, OrderKind
from tests.conftest import PASSWORD, without_csrf_tokens

HISTORY = "Convicted of assault occasioning actual bodily harm on a former partner"
LICENCE = "Must not contact Bettina"


@pytest.fixture
def his_county(county, staff, reported_event):
    police = county["agencies"]["police"]
    darius, imogen = reported_event.perpetrator, reported_event.victim
    bettina = Person.objects.create(recorded_by=police, given_name="Bettina", family_name="Okonkwo", sex="female")
    imogen_again = Person.objects.create(
        recorded_by=police, given_name="Imogen", family_name="Quatermass", identity_key=imogen.pk
    )
    Person.objects.filter(pk=imogen.pk).update(identity_key=imogen.pk)
    for n, victim in enumerate((bettina, imogen_again), start=2):
        Event.objects.create(
            agency=police,
            reference=f"INC-000{n}",
            occurred_at=datetime(2026, 11, n, 21, tzinfo=UTC),
            reported_at=datetime(2026, 11, n, 22, tzinfo=UTC),
            district=county["district"],
            victim=victim,
            perpetrator=darius,
            is_crime=True,
        )
    now = timezone.now()
    today = timezone.localdate()
    officer = staff["officer"]
    dvpo = order_services.order_record(
        perpetrator=darius,
        protected_person=imogen,
        kind=OrderKind.DVPO,
        made_on=today - timedelta(days=3),
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=25),
        made_by="Northtown Magistrates' Court",
        conditions="Must not enter Juniper Crescent",
        user=officer,
        now=now,
    )
    order_services.breach_record(
        order=dvpo,
        occurred_at=now - timedelta(days=1),
        what_happened="Seen outside her door at night",
        action="arrested",
        user=officer,
        now=now,
    )
    order_services.order_record(
        perpetrator=darius,
        protected_person=bettina,
        kind=OrderKind.RESTRAINING,
        made_on=today - timedelta(days=100),
        starts_on=today - timedelta(days=100),
        ends_on=None,
        made_by="Crown Court",
        conditions="No contact with Bettina Okonkwo",
        user=officer,
        now=now,
    )
    order_services.custody_release_record(
        perpetrator=darius, released_on=today - timedelta(days=10), licence_conditions=LICENCE, user=officer, now=now
    )
    order_services.criminal_history_record(
        perpetrator=darius, kind="conviction", on=date(2019, 5, 2), summary=HISTORY, user=officer, now=now
    )
    service = Service.objects.create(agency=county["agencies"]["idva"], name="Testshire IDVAs", kind=ServiceKind.IDVA)
    worker = Worker.objects.create(user=staff["idva"], service=service)
    case = Case.objects.create(
        service=service, victim=imogen, source=CaseSource.FRONT_DOOR, risk_level="high", worker=worker, referred_at=now
    )
    return {"darius": darius, "imogen": imogen, "bettina": bettina, "dvpo": dvpo, "case": case}


def test_the_profile_counts_his_victims_as_people_and_shows_his_orders_and_history_to_the_police(
    his_county, staff, login
):
    """Three events, against three records of two women (Imogen's two linked records are
    one person): 2 victims, 3 events."""
    darius = his_county["darius"]
    response = login(staff["officer"]).get(reverse("perpetrator_profile", args=[darius.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Victims (2)" in page and "Events (3)" in page
    assert "Domestic Violence Protection Order (DVPO)" in page and "Restraining order" in page
    assert "Seen outside her door at night (arrested)" in page
    assert HISTORY in page and LICENCE in page
    assert "Vantablack" not in page.split("<title>")[1].split("</title>")[0]
    logged = set(
        AccessLog.objects.filter(user=staff["officer"], content_type__model="person").values_list(
            "object_id", flat=True
        )
    )
    assert {darius.pk, his_county["imogen"].pk, his_county["bettina"].pk} <= logged


def test_probation_sees_criminal_history(county, his_county, login):
    probation = Agency.objects.create(
        partnership=county["partnership"], name="Testshire Probation", agency_type=AgencyType.PROBATION
    )
    officer = staff_create(username="probation", agency=probation, role=Role.CASEWORKER, password=PASSWORD)
    assert officer.has_perm("perpetrators.view_criminal_history")
    # Probation reported nothing about him: his record answers as missing, like any other.
    response = login(officer).get(reverse("perpetrator_profile", args=[his_county["darius"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["idva", "outsider", "admin"])
def test_no_one_but_police_and_probation_opens_his_profile_or_his_order_pages(who, his_county, staff, login):
    client = login(staff[who])
    darius, dvpo = his_county["darius"], his_county["dvpo"]
    urls = [
        reverse("perpetrator_profile", args=[darius.pk]),
        reverse("perpetrator_order_new", args=[darius.pk]),
        reverse("perpetrator_release_new", args=[darius.pk]),
        reverse("perpetrator_history_new", args=[darius.pk]),
        reverse("perpetrator_order_detail", args=[dvpo.pk]),
        reverse("perpetrator_order_update", args=[dvpo.pk]),
        reverse("perpetrator_breach_new", args=[dvpo.pk]),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 403, (url, method)
            assert HISTORY.encode() not in response.content


def test_another_police_force_gets_the_same_404_as_for_a_missing_perpetrator(county, his_county, login):
    other = Agency.objects.create(
        partnership=county["partnership"], name="Otherside Police", agency_type=AgencyType.POLICE
    )
    officer = staff_create(username="otherside", agency=other, role=Role.TRIAGE, password=PASSWORD)
    client = login(officer)
    for name, pk in (
        ("perpetrator_profile", his_county["darius"].pk),
        ("perpetrator_order_detail", his_county["dvpo"].pk),
    ):
        existing, missing = client.get(reverse(name, args=[pk])), client.get(reverse(name, args=[987654]))
        assert existing.status_code == missing.status_code == 404
        assert without_csrf_tokens(existing) == without_csrf_tokens(missing)


def test_the_police_record_an_order_for_one_of_his_victims(his_county, staff, login):
    darius, bettina = his_county["darius"], his_county["bettina"]
    client = login(staff["officer"])
    page = client.get(reverse("perpetrator_order_new", args=[darius.pk]))
    # Two victims to choose from: Imogen once, not once per record.
    assert page.content.decode().count("Quatermass</option>") == 1
    response = client.post(
        reverse("perpetrator_order_new", args=[darius.pk]),
        {
            "kind": "non_molestation",
            "protected_person": bettina.pk,
            "made_on": "01/11/2026",
            "starts_on": "01/11/2026",
            "ends_on": "",
            "made_by": "Family Court",
            "conditions": "Not to come within 100 metres of her home",
        },
    )
    order = Order.objects.get(protected_person=bettina, kind="non_molestation")
    assert response.status_code == 302 and response.url == reverse("perpetrator_order_detail", args=[order.pk])
    assert order.recorded_by == staff["officer"].agency and order.ends_on is None
    detail = client.get(response.url).content.decode()
    assert "Non-molestation order" in detail and "until further order" in detail


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"ends_on": "01/10/2026"}, "Ends: the end date must be on or after the start date"),
        ({"starts_on": "31/10/2026"}, "Starts: an order cannot start before the day it was made"),
        ({"made_on": "31/02/2026"}, "Made on: enter a real date"),
        ({"kind": ""}, "Kind of order: choose one from the list"),
        ({"kind": "dvpo_forever"}, "Kind of order: choose one from the list"),
        ({"protected_person": ""}, "Protects: choose one from the list"),
        ({"protected_person": "987654"}, "Protects: choose one from the list"),
        ({"made_on": ""}, "Made on: enter a date"),
    ],
)
def test_bad_order_input_gives_a_clear_error_and_records_nothing(change, error, his_county, staff, login):
    data = {
        "kind": "dvpo",
        "protected_person": his_county["bettina"].pk,
        "made_on": "01/11/2026",
        "starts_on": "01/11/2026",
        "ends_on": "",
        "made_by": "",
        "conditions": "",
    } | change
    before = Order.objects.count()
    response = login(staff["officer"]).post(reverse("perpetrator_order_new", args=[his_county["darius"].pk]), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Order.objects.count() == before


def test_an_order_cannot_protect_someone_who_is_not_his_victim(his_county, staff, county, login):
    """Someone the police know, but not from an event of his: not on the list, refused."""
    stranger = Person.objects.create(recorded_by=county["agencies"]["police"], given_name="Hana", family_name="Ito")
    response = login(staff["officer"]).post(
        reverse("perpetrator_order_new", args=[his_county["darius"].pk]),
        {"kind": "dvpo", "protected_person": stranger.pk, "made_on": "01/11/2026", "starts_on": "01/11/2026"},
    )
    assert response.status_code == 400 and "Protects: choose one from the list" in response.content.decode()
    with pytest.raises(Exception, match="one of his victims"):
        order_services.order_record(
            perpetrator=his_county["darius"],
            protected_person=stranger,
            kind="dvpo",
            made_on=date(2026, 11, 1),
            starts_on=date(2026, 11, 1),
            ends_on=None,
            made_by="",
            conditions="",
            user=staff["officer"],
            now=timezone.now(),
        )


def test_a_breach_is_recorded_and_bad_breaches_are_refused_with_their_reason(his_county, staff, login):
    dvpo = his_county["dvpo"]
    client = login(staff["officer"])
    url = reverse("perpetrator_breach_new", args=[dvpo.pk])
    today = timezone.localdate()
    good = {"occurred_at": today.strftime("%d/%m/%Y"), "occurred_time": "", "what_happened": "Phoned her 14 times"}
    for bad, error in [
        (good, "Action taken: choose one from the list"),
        (good | {"action": "warned", "what_happened": ""}, "What happened: enter it"),
        (good | {"action": "warned", "occurred_time": "25:99"}, "Time: enter a time like 21:30"),
        (
            good | {"action": "warned", "occurred_at": (today - timedelta(days=30)).strftime("%d/%m/%Y")},
            "When: the order started on",
        ),
        (good | {"action": "warned", "occurred_at": (today + timedelta(days=2)).strftime("%d/%m/%Y")}, "future"),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 400, bad
        assert error in response.content.decode(), bad
    assert Breach.objects.filter(order=dvpo).count() == 1
    response = client.post(url, good | {"action": "warned", "occurred_time": "00:05"})
    assert response.status_code == 302
    assert Breach.objects.filter(order=dvpo).count() == 2


def test_the_order_is_ended_and_an_end_before_its_start_is_refused(his_county, staff, login):
    dvpo = his_county["dvpo"]
    client = login(staff["officer"])
    url = reverse("perpetrator_order_update", args=[dvpo.pk])
    before_start = (dvpo.starts_on - timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(url, {"ends_on": before_start, "conditions": "x"})
    assert response.status_code == 400
    assert "Ends: the end date must be on or after the start date" in response.content.decode()
    today = timezone.localdate()
    response = client.post(url, {"ends_on": today.strftime("%d/%m/%Y"), "conditions": "Varied", "reason": "Court"})
    assert response.status_code == 302
    dvpo.refresh_from_db()
    assert dvpo.ends_on == today and dvpo.conditions == "Varied"


def test_releases_and_criminal_history_are_recorded_with_clear_errors(his_county, staff, login):
    darius = his_county["darius"]
    client = login(staff["officer"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(reverse("perpetrator_release_new", args=[darius.pk]), {"released_on": tomorrow})
    assert (
        response.status_code == 400 and "Released on: the release cannot be in the future" in response.content.decode()
    )
    response = client.post(reverse("perpetrator_release_new", args=[darius.pk]), {"released_on": "01/11/2026"})
    assert response.status_code == 302 and CustodyRelease.objects.filter(perpetrator=darius).count() == 2
    url = reverse("perpetrator_history_new", args=[darius.pk])
    response = client.post(url, {"kind": "caution", "on": "01/11/2026", "summary": ""})
    assert response.status_code == 400 and "Summary: enter it" in response.content.decode()
    response = client.post(url, {"kind": "caution", "on": "01/11/2026", "summary": "Cautioned for criminal damage"})
    assert response.status_code == 302 and CriminalHistoryEntry.objects.filter(perpetrator=darius).count() == 2


def test_her_idva_sees_the_order_its_breach_and_his_release_and_nothing_else_about_him(his_county, staff, login):
    """Imogen's IDVA: the DVPO protecting her and its breach; the date he left custody, not
    his licence conditions (about Bettina); not Bettina, her order, nor his history."""
    response = login(staff["idva"]).get(reverse("casework_case_detail", args=[his_county["case"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Domestic Violence Protection Order (DVPO)" in page
    assert "Must not enter Juniper Crescent" in page
    assert "Seen outside her door at night" in page and "Arrested" in page
    released = timezone.localdate() - timedelta(days=10)
    assert f"{released:%-d %B %Y}" in page
    assert "Bettina" not in page and "Okonkwo" not in page
    assert "Restraining order" not in page and "Crown Court" not in page
    assert HISTORY not in page and LICENCE not in page and "Vantablack" not in page


def test_an_order_that_has_ended_leaves_her_case_but_its_breach_stays(his_county, staff, login):
    dvpo = his_county["dvpo"]
    Order.objects.filter(pk=dvpo.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    page = login(staff["idva"]).get(reverse("casework_case_detail", args=[his_county["case"].pk])).content.decode()
    assert "No order protecting her is in force" in page
    assert "Seen outside her door at night" in page

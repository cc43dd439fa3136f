"""The safety net: tests generated from the URL configuration, so a view added later is
covered without anyone writing its test.

- Every URL pattern is classified: a declared public page, a staff view (``staff_view``),
  an account page, the Django admin or the token API. An unclassified one fails.
- Every pattern requested anonymously is refused, except the declared public pages.
- Every URL that takes a record id answers a user of an uninvolved agency exactly as it
  answers for a record that does not exist.
- Every POST without a CSRF token is refused (except the token API, which takes no cookies).
- Every page of a registered record type, and every staff list, logs each person it shows.
"""

import copy
import io
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

import openpyxl
import pypdfium2
import pytest
from django.db import transaction
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from carepath.accommodation.models import AccommodationKind, SafeAccommodation, Unit
from carepath.accommodation.services import Household, hold_place, placement_refer
from carepath.casework.models import (
    Case,
    CaseSource,
    RecoveryCourse,
    RecoveryPlace,
    RecoveryProgramme,
    Service,
    ServiceKind,
    Worker,
)
from carepath.core import access
from carepath.core.codes import Role
from carepath.core.models import AccessLog, Agency, AgencyType
from carepath.core.services import access_alert_raise, staff_create
from carepath.directory.models import Area, Entry, Kind
from carepath.marac.models import CaseStatus, Marac, MaracAction, MaracCase, MaracDiscussion
from carepath.marac.services import marac_referral_accept
from carepath.people.models import IdentityChange, LinkStatus, Person, RecordLink
from carepath.perpetrators.models import (
    Breach,
    BreachAction,
    DisclosureApplication,
    DisclosureRoute,
    Order,
    OrderKind,
    PanelMeeting,
    PerpetratorPlan,
    PlanOption,
    Programme,
    ProgrammeKind,
    ProgrammeReferral,
)
from carepath.referrals.intake import ChildDetails
from carepath.referrals.models import PoliceImport
from carepath.referrals.services import marac_referral_create, referral_create
from tests.conftest import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    county_create,
    verify_second_factor,
    without_csrf_tokens,
)
from tests.referrals.test_referral_create import police_referral

#: Pages anyone may open without signing in (the API's description holds no personal data).
PUBLIC = {
    "login",
    "public_start",
    "public_self_referral",
    "public_worried",
    "public_sent",
    "public_services",
    "public_service",
    "api:openapi-json",
}
#: Signing out (Django's own view).
ACCOUNT = {"logout"}
MISSING_ID = 987_654


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    namespace: str
    callback: object

    @property
    def kind(self) -> str:
        if str(self) in PUBLIC:
            return "public"
        if self.name in ACCOUNT:
            return "account"
        if self.namespace in ("admin", "api"):
            return self.namespace
        return getattr(self.callback, "carepath_access", "unclassified")

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.pattern)

    def url(self, ids: dict[str, object]) -> str | None:
        """A concrete address, or None for a pattern that is a regular expression."""
        if "^" in self.pattern or "(?P" in self.pattern:
            return None
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), MISSING_ID)), self.pattern)

    def __str__(self) -> str:
        return f"{self.namespace + ':' if self.namespace else ''}{self.name or self.pattern}"


def routes() -> list[Route]:
    found = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                found.append(Route(prefix + str(entry.pattern), entry.name or "", namespace, entry.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


ROUTES = routes()
#: Ids of what every member of staff reads, not records about people: a directory entry (a
#: service and its phone) opens for any agency; who may change one is tested in tests/directory.
OPEN_TO_ALL_STAFF = {"entry_id"}
RECORD_ROUTES = [
    r for r in ROUTES if r.kind in ("staff", "admin") and set(r.params) - {"record_type", "url"} - OPEN_TO_ALL_STAFF
]


@pytest.mark.no_database
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_url_pattern_is_classified(route):
    assert route.kind in ("public", "account", "staff", "admin", "api"), (
        f"{route.pattern} is not classified: decorate its view with staff_view (or public_view and add it "
        "to PUBLIC here, if it really must open without signing in)"
    )


@pytest.fixture(scope="module")
def net_county_built(django_db_setup, django_db_blocker):
    """The net's county, built once for the module rather than for each of its ~1,000 tests,
    inside a transaction rolled back when the module ends. Each test still runs in its own
    transaction within it (``db``, by way of ``net_county``), rolled back after the test, so
    every test starts from exactly these records, whatever the one before it wrote."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                built = net_county_build(county_create())
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def net_county(net_county_built, db):
    """The net's county for one test: its own copy of the objects (a test that changes one in
    memory, or caches on it, leaves the next test's alone); what it writes to the database is
    rolled back by ``db``."""
    return copy.deepcopy(net_county_built)


def net_county_build(county):
    """A county with a record of every registered type, and staff at each agency."""
    agencies = county["agencies"]
    for key, name, kind in (
        ("front_door", "Testshire MASH", AgencyType.FRONT_DOOR),
        ("marac", "Testshire MARAC", AgencyType.MARAC),
        ("childrens", "Testshire Children's Services", AgencyType.CHILDRENS_SERVICES),
        ("refuge", "Testshire Refuges", AgencyType.REFUGE_PROVIDER),
    ):
        agencies[key] = Agency.objects.create(partnership=county["partnership"], name=name, agency_type=kind)
    users = {
        "police": staff_create(
            username="officer", agency=agencies["police"], role=Role.TRIAGE, password=PASSWORD, is_supervisor=True
        ),
        "front_door": staff_create(
            username="mash", agency=agencies["front_door"], role=Role.TRIAGE, password=PASSWORD, is_supervisor=True
        ),
        "idva": staff_create(username="idva", agency=agencies["idva"], role=Role.IDVA, password=PASSWORD),
        "childrens": staff_create(
            username="childrens", agency=agencies["childrens"], role=Role.SAFEGUARDING_LEAD, password=PASSWORD
        ),
        "outsider": staff_create(
            username="outsider", agency=agencies["housing"], role=Role.CASEWORKER, password=PASSWORD, is_supervisor=True
        ),
        "admin": staff_create(
            username="administrator", agency=agencies["partnership"], role=Role.ADMINISTRATOR, password=PASSWORD
        ),
        "dpo": staff_create(
            username="dpo", agency=agencies["partnership"], role=Role.DATA_PROTECTION_OFFICER, password=PASSWORD
        ),
        "marac": staff_create(
            username="coordinator", agency=agencies["marac"], role=Role.MARAC_COORDINATOR, password=PASSWORD
        ),
        "commissioner": staff_create(
            username="commissioner", agency=agencies["partnership"], role=Role.COMMISSIONER, password=PASSWORD
        ),
        "refuge": staff_create(
            username="refuge", agency=agencies["refuge"], role=Role.REFUGE_WORKER, password=PASSWORD
        ),
    }
    referral = referral_create(
        data=police_referral(county, children=(ChildDetails(given_name="Kit", family_name="Quatermass", age=7),))
    ).referral
    other = Person.objects.create(recorded_by=agencies["front_door"], given_name="Liz", family_name="Quatermass")
    link = RecordLink.objects.create(
        person_a=referral.victim,
        person_b=other,
        match_probability=0.9,
        match_weight=3,
        status=LinkStatus.REVIEW,
        scored_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    change = IdentityChange.objects.create(
        kind="merge",
        made_by=users["dpo"],
        link=link,
        before={str(other.pk): other.pk},
        after={str(other.pk): referral.victim.pk},
    )
    alert = access_alert_raise(user=users["outsider"], refusals=9, window_minutes=10)
    police_import = PoliceImport.objects.create(
        agency=agencies["police"],
        source="upload",
        imported_at=datetime(2026, 11, 2, tzinfo=UTC),
        file_name="today.csv",
        file_sha256="0" * 64,
        rows=1,
        imported=0,
        already_imported=0,
        rejected=1,
        rejected_rows="line,reason,victim_family_name\r\n2,occurred_at: not a real date,Quatermass\r\n",
    )
    marac = Marac.objects.create(
        agency=agencies["marac"], name="Testshire MARAC", first_meeting=datetime(2026, 1, 13, 10, tzinfo=UTC)
    )
    marac.districts.set([county["district"]])
    marac_case = marac_referral_accept(
        referral=marac_referral_create(referral=referral, user=users["marac"]), user=users["marac"]
    )
    # Heard at its meeting, with an action for the police: the meeting's forms and the
    # action's own address are in the net too.
    now = datetime.now(UTC)
    MaracDiscussion.objects.create(
        case=marac_case, meeting=marac_case.meeting, summary="S", risks="R", recorded_by=users["marac"], recorded_at=now
    )
    MaracCase.objects.filter(pk=marac_case.pk).update(status=CaseStatus.DISCUSSED)
    action = MaracAction.objects.create(
        case=marac_case,
        meeting=marac_case.meeting,
        action_for="victim",
        action="Safety plan",
        agency=agencies["police"],
        owner="DS Khan",
        due_on=now.date(),
        created_by=users["marac"],
        created_at=now,
    )
    # The IDVA service, its user a manager with a case of her own.
    service = Service.objects.create(agency=agencies["idva"], name="Testshire IDVA Service", kind=ServiceKind.IDVA)
    service.districts.set([county["district"]])
    worker = Worker.objects.create(user=users["idva"], service=service, is_manager=True)
    casework_case = Case.objects.create(
        service=service,
        victim=referral.victim,
        referral=referral,
        source=CaseSource.FRONT_DOOR,
        risk_level="high",
        worker=worker,
        referred_at=now,
    )
    # A recovery programme her case waits for, run by the IDVA service's agency.
    programme = RecoveryProgramme.objects.create(agency=agencies["idva"], name="Freedom Programme", kind="freedom")
    RecoveryCourse.objects.create(programme=programme, starts_on=now.date())
    place = RecoveryPlace.objects.create(
        case=casework_case, programme=programme, added_at=now, added_by=users["idva"], status_at=now
    )
    # A refuge with a unit its provider keeps the vacancy of.
    refuge = SafeAccommodation.objects.create(
        provider=agencies["refuge"],
        name="Testshire Refuge",
        kind=AccommodationKind.REFUGE,
        district=county["district"],
        units=1,
        confidential_address="1 Hidden Row",
    )
    unit = Unit.objects.create(accommodation=refuge, name="Flat 1", children_spaces=2, vacancy="available")
    hold = hold_place(unit=unit, user=users["idva"], now=now, hold_hours=4)
    placement = placement_refer(
        hold=hold,
        user=users["idva"],
        victim=referral.victim,
        household=Household(home_district=county["district"], suitability="needs_refuge", adult="woman"),
        agreed=True,
        now=now,
    )
    # A refuge in the directory: its front-gate phone, and no address anywhere.
    entry = Entry.objects.create(
        name="Testshire Refuge",
        kind=Kind.REFUGE,
        description="Safe housing with support.",
        area=Area.DISTRICTS,
        phone="01632 960123",
        for_women=True,
        owner=users["refuge"],
        last_checked_on=now.date(),
    )
    entry.districts.set([county["district"]])
    # His order protecting her, breached; his plan at the serial perpetrator panel; his
    # place on a programme; her Clare's Law application about him.
    perpetrator = referral.event.perpetrator
    order = Order.objects.create(
        perpetrator=perpetrator,
        protected_person=referral.victim,
        kind=OrderKind.DVPO,
        made_on=now.date(),
        starts_on=now.date(),
        recorded_by=agencies["police"],
        recorded_by_user=users["police"],
        recorded_at=now,
    )
    breach = Breach.objects.create(
        order=order,
        occurred_at=now,
        action=BreachAction.ARRESTED,
        recorded_by=agencies["police"],
        recorded_by_user=users["police"],
        recorded_at=now,
    )
    panel_meeting = PanelMeeting.objects.create(agency=agencies["police"], starts_at=now)
    plan = PerpetratorPlan.objects.create(
        perpetrator=perpetrator,
        meeting=panel_meeting,
        owner=users["police"],
        options=[PlanOption.DISRUPTION],
        review_on=now.date(),
        created_by=users["police"],
        created_at=now,
        updated_at=now,
    )
    perpetrator_programme = Programme.objects.create(
        name="Testshire Drive", kind=ProgrammeKind.DRIVE, provider=agencies["idva"], places=10, cost=2400
    )
    programme_referral = ProgrammeReferral.objects.create(
        programme=perpetrator_programme,
        perpetrator=perpetrator,
        partner=referral.victim,
        referred_by=agencies["police"],
        referred_on=now.date(),
    )
    application = DisclosureApplication.objects.create(
        route=DisclosureRoute.RIGHT_TO_ASK,
        agency=agencies["police"],
        person_at_risk=referral.victim,
        subject=perpetrator,
        received_at=now,
        owner=users["police"],
    )
    records = {
        "person": referral.victim,
        "event": referral.event,
        "referral": referral,
        "access-alert": alert,
        "police-import": police_import,
        "marac-case": marac_case,
        "casework-case": casework_case,
        "accommodation-placement": placement,
        "disclosure-application": application,
        "perpetrator-order": order,
        "programme-referral": programme_referral,
        "perpetrator-plan": plan,
    }
    missing = set(access.registry.record_types) - set(records)
    assert not missing, f"Add a record of each new type to the net's county: {sorted(missing)}"
    device = verify_second_factor(Client(), users["admin"])
    ids = {
        "person_id": referral.victim.pk,
        "event_id": referral.event_id,
        "referral_id": referral.pk,
        "task_id": referral.tasks.get(action_type="idva_referral").pk,
        "child_id": referral.children.get().pk,
        "link_id": link.pk,
        "change_id": change.pk,
        "alert_id": alert.pk,
        "import_id": police_import.pk,
        "case_id": marac_case.pk,
        "meeting_id": marac_case.meeting_id,
        "action_id": action.pk,
        "programme_id": programme.pk,
        "place_id": place.pk,
        "unit_id": unit.pk,
        "hold_id": hold.pk,
        "placement_id": placement.pk,
        "entry_id": entry.pk,
        "perpetrator_id": perpetrator.pk,
        "order_id": order.pk,
        "breach_id": breach.pk,
        "panel_meeting_id": panel_meeting.pk,
        "plan_id": plan.pk,
        "perpetrator_programme_id": perpetrator_programme.pk,
        "programme_referral_id": programme_referral.pk,
        "application_id": application.pk,
        "user_id": users["police"].pk,
        "record_id": referral.victim.pk,
        "record_type": "person",
        "object_id": users["police"].pk,
        "pk": device.pk,
        "id": users["police"].pk,
    }
    return {"users": users, "records": records, "ids": ids, "referral": referral}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_visitors_are_refused_everywhere_but_the_public_pages(route, net_county):
    url = route.url(net_county["ids"])
    if url is None:
        pytest.skip("a regular-expression pattern: covered by the admin's own catch-all")
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if route.kind == "public":
            assert response.status_code in ((200,) if method == "get" else (200, 302, 403, 405, 415)), (method, url)
        else:
            assert response.status_code in (301, 302, 400, 401, 403, 404, 405, 415, 422), (method, url)
            if response.status_code in (301, 302):  # to sign in (the admin's pages by way of its index)
                location = response["Location"]
                assert "/login/" in location or location == "/admin/", (method, url, location)


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=str)
def test_an_uninvolved_agency_gets_the_same_answer_as_for_a_missing_record(route, net_county, login):
    ids = net_county["ids"]
    client = login(net_county["users"]["outsider"])
    for method in ("get", "post"):
        existing = getattr(client, method)(route.url(ids))
        missing = getattr(client, method)(
            route.url({k: MISSING_ID if k.endswith("id") or k == "pk" else v for k, v in ids.items()})
        )
        assert existing.status_code == missing.status_code, (method, route.pattern)
        assert existing.status_code in (302, 403, 404, 405), (method, route.pattern, existing.status_code)
        assert without_csrf_tokens(existing) == without_csrf_tokens(missing), (method, route.pattern)
        assert b"Quatermass" not in existing.content


def csrf_refused(request, reason=""):
    """Stands in for the CSRF failure page, so the test knows which check refused."""
    return HttpResponseForbidden(b"refused by the CSRF check")


@pytest.mark.parametrize("route", [r for r in ROUTES if r.namespace != "api"], ids=str)
@override_settings(CSRF_FAILURE_VIEW="tests.core.test_url_net.csrf_refused")
def test_a_post_without_a_csrf_token_is_refused(route, net_county):
    url = route.url(net_county["ids"])
    if url is None:
        pytest.skip("a regular-expression pattern")
    signed_in = Client(enforce_csrf_checks=True)
    verify_second_factor(signed_in, net_county["users"]["admin"])
    for client in (Client(enforce_csrf_checks=True), signed_in):
        response = client.post(url, {"status": "done", "note": "x", "reason": "x"})
        if getattr(route.callback, "csrf_exempt", False):
            # The public forms set no CSRF cookie; a POST not sent from this site is refused instead.
            assert response.status_code == 403 and b"Sorry, your message was not sent" in response.content, url
        else:
            assert (response.status_code, response.content) == (403, b"refused by the CSRF check"), url


def _names_shown(html: str) -> set[int]:
    text = re.sub(r"<[^>]+>", " ", html)
    return {pk for pk, name in ((p.pk, p.display_name) for p in Person.objects.all()) if name in text}


def _logged(user) -> set[int]:
    return set(
        AccessLog.objects.filter(user=user, content_type__model="person")
        .exclude(action="refused")
        .values_list("object_id", flat=True)
    )


WHO = ["police", "front_door", "idva", "childrens", "dpo", "admin", "marac", "commissioner", "refuge"]


def _pages(user, net_county, login):
    """Every record page of every registered type, and every staff page without an id, as
    the user sees it: (address, response) for each one that opens as a page."""
    client = login(user)
    pages = [r.url({}) for r in ROUTES if r.kind == "staff" and not r.params]
    pages += [
        reverse(access.record_type_for(name).detail_url, args=[record.pk])
        for name, record in net_county["records"].items()
    ]
    for url in pages:
        AccessLog.objects.filter(user=user).delete()
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield url, response


@pytest.mark.parametrize("who", WHO)
def test_every_page_logs_every_person_it_shows(who, net_county, login):
    """As each kind of user: each person whose name the page shows has an access-log row."""
    user = net_county["users"][who]
    opened = 0
    for url, response in _pages(user, net_county, login):
        opened += 1
        shown = _names_shown(response.content.decode())
        assert shown <= _logged(user), (url, shown - _logged(user))
    assert opened >= 3


#: Staff pages that open a record named in the address's query rather than its path: (URL
#: name, query parameter, the record's key in the net's ids). The MARAC and casework
#: referral forms take the victim chosen from the agency's own people as ``?victim=``.
QUERY_RECORDS = [
    ("marac_referral_new", "victim", "person_id"),
    ("casework_referral_new", "victim", "person_id"),
    ("programme_referral_create", "perpetrator", "perpetrator_id"),
    ("disclosure_application_new", "at_risk", "person_id"),
    ("disclosure_application_new", "subject", "perpetrator_id"),
]
#: Staff pages that list people found by a name in the query: (URL name, query parameter).
QUERY_SEARCHES = [
    ("marac_referral_new", "name"),
    ("casework_referral_new", "name"),
    ("programme_referral_create", "name"),
    ("disclosure_application_new", "name"),
]


@pytest.mark.parametrize(("name", "param", "key"), QUERY_RECORDS)
def test_a_record_chosen_in_the_query_answers_an_uninvolved_agency_as_a_missing_one(
    name, param, key, net_county, login
):
    client = login(net_county["users"]["outsider"])
    for method in ("get", "post"):
        existing = getattr(client, method)(f"{reverse(name)}?{param}={net_county['ids'][key]}")
        missing = getattr(client, method)(f"{reverse(name)}?{param}={MISSING_ID}")
        assert existing.status_code == missing.status_code, (method, name)
        assert without_csrf_tokens(existing) == without_csrf_tokens(missing), (method, name)
        assert b"Quatermass" not in existing.content


@pytest.mark.parametrize("who", WHO)
def test_a_page_opened_on_a_record_or_a_search_in_the_query_logs_every_person_it_shows(who, net_county, login):
    user = net_county["users"][who]
    client = login(user)
    queries = [(name, {param: net_county["ids"][key]}) for name, param, key in QUERY_RECORDS]
    queries += [(name, {param: "Quatermass"}) for name, param in QUERY_SEARCHES]
    for name, query in queries:
        AccessLog.objects.filter(user=user).delete()
        response = client.get(reverse(name), query)
        permission = resolve(reverse(name)).func.carepath_permission
        if permission and not user.has_perm(permission):
            assert response.status_code == 403, (name, query)
            continue
        assert response.status_code == 200, (name, query)
        shown = _names_shown(response.content.decode())
        assert shown <= _logged(user), (name, query, shown - _logged(user))


def _codes() -> set[str]:
    """Every stored code a page might print instead of its words: those that are not
    plain English words (``phone_call``, ``idva_referral``, ``not_sought``)."""
    from django.db.models import TextChoices

    from carepath.core.codes import Code
    from carepath.people.safe_contact import ALL_CHANNELS

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    enums = [c for c in [*every(Code), *every(TextChoices)] if c.__module__.startswith("carepath")]
    return {str(m.value) for enum in enums for m in enum if "_" in str(m.value)} | {c for c in ALL_CHANNELS if "_" in c}


#: Words of the project, not of the people who use it.
PROJECT_WORDS = re.compile(r"\bissue \d+|domain\.md|\bseed 00\d|\bL\d{3,4}\b|architecture\.md", re.IGNORECASE)


def _words_read(html: str) -> str:
    """What a reader sees: no markup, scripts or attribute values; and not the "Which rule"
    disclosures, which name rules on purpose."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(
        r"<details\b[^>]*>\s*<summary[^>]*>\s*<span[^>]*>Which rule</span>.*?</details>", " ", html, flags=re.S
    )
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("who", WHO)
def test_every_page_speaks_words_not_codes_and_keeps_names_out_of_its_title(who, net_county, login):
    """As each kind of user: no stored code, rule id or project word is printed, and the
    browser tab's title (kept in the browser's history) holds nobody's name."""
    user = net_county["users"][who]
    codes = _codes()
    names = [p.display_name for p in Person.objects.all()] + [p.family_name for p in Person.objects.all()]
    opened = 0
    for url, response in _pages(user, net_county, login):
        opened += 1
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1)
        assert not [n for n in names if n and n in title], (url, title)
        text = _words_read(html)
        printed = {c for c in codes if re.search(rf"(?<![\w/.-]){re.escape(c)}(?![\w/-])", text)}
        assert not printed, (url, printed)
        assert not re.search(r"\brouting\.\w+|\bmarac\.\w+", text), url
        assert not PROJECT_WORDS.search(text), (url, PROJECT_WORDS.search(text).group(0))
    assert opened >= 3


@pytest.mark.parametrize("who", WHO)
def test_a_refuge_address_is_on_no_page_but_its_providers_own(who, net_county, login):
    """The refuge's confidential address, on every page each kind of user opens: only the
    provider's own staff see it, on the page of their units (the check can fail: it finds
    the address there)."""
    seen = [
        url
        for url, response in _pages(net_county["users"][who], net_county, login)
        if b"1 Hidden Row" in response.content
    ]
    assert seen == ([reverse("accommodation_provider_units")] if who == "refuge" else []), seen


def _download_text(response) -> str:
    """The words of a PDF, workbook, CSV or JSON download."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        document = pypdfium2.PdfDocument(response.content)
        return " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    return response.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_a_refuge_address_is_in_no_download(who, net_county, login):
    """Every PDF, workbook, CSV and JSON file a staff page gives, with the records of the
    net's county (a MARAC copy for the police): the refuge's address is in none. The files
    are really read: the MARAC papers name the victim."""
    client = login(net_county["users"][who])
    police = net_county["users"]["police"].agency_id
    read = {}
    for route in ROUTES:
        url = route.url(net_county["ids"]) if route.kind == "staff" else None
        if url is None or MISSING_ID in [net_county["ids"].get(p, MISSING_ID) for p in route.params]:
            continue
        response = client.get(url, {"for": police})
        if response.status_code == 200 and "text/html" not in response.get("Content-Type", "text/html"):
            read[url] = _download_text(response)
    assert not [url for url, text in read.items() if "1 Hidden Row" in text]
    if who == "marac":
        assert [url for url, text in read.items() if url.endswith(".pdf") and "Quatermass" in text]


def test_the_net_really_catches_an_unlogged_page(net_county, login):
    """Without the log, the check above fails: the names are found on the page."""
    user = net_county["users"]["front_door"]
    response = login(user).get(reverse("referral_detail", args=[net_county["referral"].pk]))
    AccessLog.objects.all().delete()
    assert _names_shown(response.content.decode()) and not _logged(user)


@pytest.mark.parametrize("route", [r for r in RECORD_ROUTES if r.kind == "staff"], ids=str)
def test_a_refused_record_page_is_logged_as_refused(route, net_county, login):
    """A refusal looks like a missing record but is written down."""
    user = net_county["users"]["outsider"]
    response = login(user).get(route.url(net_county["ids"]))
    if response.status_code == 404:
        assert AccessLog.objects.filter(user=user, action="refused").exists(), route.pattern


PERMISSION_PAGES = [r for r in ROUTES if r.kind == "staff" and not r.params and r.callback.carepath_permission]


@pytest.mark.parametrize("route", PERMISSION_PAGES, ids=str)
def test_a_page_behind_a_permission_opens_for_who_holds_it_and_refuses_everyone_else(route, net_county, login):
    """Each kind of user: a page that needs a permission (the MARAC queue and quarterly
    return for a MARAC's coordinator, the settings for an administrator) is 403 to
    everyone without it, never a page."""
    opened = 0
    for who in [*WHO, "outsider"]:
        user = net_county["users"][who]
        response = login(user).get(route.url({}))
        if user.has_perm(route.callback.carepath_permission):
            opened += 1
            assert response.status_code in (200, 302, 405), (who, route.pattern, response.status_code)  # 405: POST only
        else:
            assert response.status_code == 403, (who, route.pattern, response.status_code)
    assert opened, f"nobody in the net's county holds {route.callback.carepath_permission}: add a user who does"

"""Shared fixtures: a small partnership with three agencies and their staff.

After healthchecks' base test case: every access test has an owner (the police, who
reported the event), a colleague, and an agency that should have no access (housing).
"""

import re
from datetime import UTC, date, datetime

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from carepath.core.models import Agency, AgencyType, District, MaracArea, Partnership, Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.events.models import Event, RiskLevel
from carepath.people.models import Address, Person, SafeContact

PASSWORD = "correct horse battery staple"
#: Production hashing is deliberately slow; tests create many accounts.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _static_settings(settings) -> tuple:
    """Every setting WhiteNoise's list of static files is made from."""
    names = ["DEBUG", "FORCE_SCRIPT_NAME", "INSTALLED_APPS", "STATIC_ROOT", "STATIC_URL", "STATICFILES_DIRS"]
    names += ["STATICFILES_FINDERS", "STORAGES", *(name for name in dir(settings) if name.startswith("WHITENOISE"))]
    return tuple((name, repr(getattr(settings, name, None))) for name in names)


@pytest.fixture(autouse=True, scope="session")
def static_files_listed_once():
    """WhiteNoise lists and reads the headers of every static file (~2,000, from
    govuk-frontend) each time its middleware starts, and every test client starts it anew:
    a tenth of a second of CPU each, thousands of times a run. The files do not change
    during a run, so the list is made once for each set of static-file settings and each
    later middleware starts with its own copy of it, exactly as it would have found it."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    made = {}
    original = WhiteNoiseMiddleware.__init__

    def start(self, get_response=None, settings=django_settings):
        key = _static_settings(settings)
        if key not in made:
            original(self, get_response, settings)
            made[key] = dict(self.__dict__)
            return
        self.__dict__.update(made[key])
        self.files = dict(self.files)
        self.get_response = get_response

    WhiteNoiseMiddleware.__init__ = start
    try:
        yield
    finally:
        WhiteNoiseMiddleware.__init__ = original


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is deliberately slow; tests create many accounts."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def county_create() -> dict:
    """The county's partnership, MARAC area, district and agencies (for a fixture of wider
    scope than a test's, which cannot ask for ``county``)."""
    partnership = Partnership.objects.create(name="Testshire", population=100_000, women_16_plus=40_000)
    area = MaracArea.objects.create(partnership=partnership, name="North", population=100_000, women_16_plus=40_000)
    district = District.objects.create(marac_area=area, name="Northtown", population=100_000, women_16_plus=40_000)
    agencies = {
        "police": Agency.objects.create(
            partnership=partnership, name="Testshire Police", agency_type=AgencyType.POLICE
        ),
        "idva": Agency.objects.create(
            partnership=partnership, name="Testshire IDVA Service", agency_type=AgencyType.IDVA_SERVICE
        ),
        "housing": Agency.objects.create(
            partnership=partnership, name="Northtown Housing", agency_type=AgencyType.HOUSING, district=district
        ),
        "partnership": Agency.objects.create(
            partnership=partnership, name="Testshire Partnership Office", agency_type=AgencyType.PARTNERSHIP
        ),
    }
    return {"partnership": partnership, "area": area, "district": district, "agencies": agencies}


@pytest.fixture
def county(db):
    return county_create()


@pytest.fixture
def front_door(county):
    """The One Front Door, MARAC coordination and children's services, added to the county."""
    partnership = county["partnership"]
    agencies = county["agencies"]
    agencies["front_door"] = Agency.objects.create(
        partnership=partnership, name="Testshire MASH", agency_type=AgencyType.FRONT_DOOR
    )
    agencies["marac"] = Agency.objects.create(
        partnership=partnership, name="Testshire MARAC", agency_type=AgencyType.MARAC
    )
    agencies["childrens"] = Agency.objects.create(
        partnership=partnership, name="Testshire Children's Services", agency_type=AgencyType.CHILDRENS_SERVICES
    )
    return agencies["front_door"]


@pytest.fixture
def staff(county):
    a = county["agencies"]
    make = lambda username, agency, role, **kw: staff_create(  # noqa: E731
        username=username, agency=agency, role=role, password=PASSWORD, **kw
    )
    return {
        "officer": make("officer", a["police"], Role.TRIAGE),
        "police_supervisor": make("police-supervisor", a["police"], Role.TRIAGE, is_supervisor=True),
        "idva": make("idva", a["idva"], Role.IDVA),
        "outsider": make("outsider", a["housing"], Role.CASEWORKER),
        "outsider_supervisor": make("housing-supervisor", a["housing"], Role.CASEWORKER, is_supervisor=True),
        "admin": make("administrator", a["partnership"], Role.ADMINISTRATOR),
    }


@pytest.fixture
def reported_event(county):
    """A police-reported event about a victim with a confidential refuge address."""
    police = county["agencies"]["police"]
    victim = Person.objects.create(
        recorded_by=police, given_name="Imogen", family_name="Quatermass", date_of_birth=date(1988, 3, 14), sex="female"
    )
    perpetrator = Person.objects.create(recorded_by=police, given_name="Darius", family_name="Vantablack", sex="male")
    Address.objects.create(person=victim, line_1="17 Juniper Crescent", town="Northtown", postcode="NT1 4QZ")
    SafeContact.objects.create(person=victim, safe_phone="07700 900123", voicemail_safe="no", text_safe="yes")
    event = Event.objects.create(
        agency=police,
        reference="INC-0001",
        occurred_at=datetime(2026, 11, 1, 22, 15, tzinfo=UTC),
        reported_at=datetime(2026, 11, 1, 22, 40, tzinfo=UTC),
        district=county["district"],
        victim=victim,
        perpetrator=perpetrator,
        is_crime=True,
        risk_level=RiskLevel.HIGH,
        dash_score=15,
    )
    return event


def verify_second_factor(client, user) -> TOTPDevice:
    """Log the user in with a verified TOTP device, as if they had typed a valid code."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def login(db):
    """A fresh browser per user, signed in with both factors."""

    def _login(user):
        client = Client()
        verify_second_factor(client, user)
        return client

    return _login


def without_csrf_tokens(response) -> bytes:
    """A page's bytes without its CSRF tokens, which differ on every response."""
    return re.sub(rb'(value|nonce)="[^"]*"', b"", response.content)

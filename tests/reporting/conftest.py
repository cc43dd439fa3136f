"""The board's fixture: two areas, people on linked records, referrals and routing tasks."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from carepath.casework.measures import period_from_code
from carepath.core.codes import ActionType, AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Task
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.referrals.models import Referral

Q3 = period_from_code("2026Q3")
IN_Q3 = datetime(2026, 8, 10, 12, tzinfo=UTC)
IN_Q2 = datetime(2026, 5, 10, 12, tzinfo=UTC)


def _person(county, name, **kw):
    return Person.objects.create(recorded_by=county["agencies"]["police"], given_name=name, family_name="Board", **kw)


def _event(county, n, *, victim, risk, at=IN_Q3, district=None, perpetrator=None, crime=True):
    return Event.objects.create(
        agency=county["agencies"]["police"],
        reference=f"BRD-{n}",
        occurred_at=at,
        reported_at=at,
        district=district or county["district"],
        victim=victim,
        perpetrator=perpetrator,
        is_crime=crime,
        risk_level=risk,
    )


@pytest.fixture
def board(county, staff):
    """Two areas: North (Northtown) and South (Southtown). Victim Ada is on two records linked as
    one person; her two high-risk incidents are one victim. In Q3: North has Ada twice (high),
    Bea (medium) and Cat (standard); South has Dot (high). Q2 has one more incident (Ada)."""
    south = MaracArea.objects.create(
        partnership=county["partnership"], name="South", population=50_000, women_16_plus=20_000
    )
    southtown = District.objects.create(marac_area=south, name="Southtown", population=50_000, women_16_plus=20_000)
    ada = _person(county, "Ada", ethnicity="black_african")
    ada_again = _person(county, "Ada", identity_key=ada.pk)
    ada.identity_key = ada.pk
    ada.save(update_fields=["identity_key"])
    bea, cat, dot = _person(county, "Bea"), _person(county, "Cat"), _person(county, "Dot")
    him = _person(county, "Hal", sex="male")
    _event(county, 1, victim=ada, risk="high", perpetrator=him)
    _event(county, 2, victim=ada_again, risk="high", perpetrator=him)
    _event(county, 3, victim=bea, risk="medium", perpetrator=him, crime=False)
    _event(county, 4, victim=cat, risk="standard")
    _event(county, 5, victim=dot, risk="high", district=southtown)
    _event(county, 6, victim=ada, risk="medium", at=IN_Q2)
    gp = Agency.objects.create(partnership=county["partnership"], name="Northtown Surgery", agency_type=AgencyType.GP)
    referral_type = ContentType.objects.get_for_model(Referral)
    for n, (victim, agency, destination, rule) in enumerate(
        [
            (ada, county["agencies"]["police"], "triage", "marac.visible_high_risk"),
            (ada_again, county["agencies"]["police"], "triage", "marac.repeat"),
            (bea, gp, "marac", ""),
        ]
    ):
        referral = Referral.objects.create(
            channel="professional",
            destination=destination,
            referring_agency=agency,
            victim=victim,
            district=county["district"],
            received_at=IN_Q3 + timedelta(hours=n),
            risk_level="high",
        )
        if rule:
            Task.objects.create(
                content_type=referral_type,
                object_id=referral.pk,
                action_type=ActionType.MARAC_REFERRAL,
                reason="MARAC criteria met.",
                rule=rule,
                owner_agency_type=AgencyType.MARAC,
            )
    commissioner = staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=None
    )
    return {"south": south, "southtown": southtown, "commissioner": commissioner}

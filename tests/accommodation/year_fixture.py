"""The hand-built year the return and report tests count by hand, and the checks that no
address and no name is in what they show (imported by both test modules)."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from carepath.accommodation import matching
from carepath.accommodation.models import (
    AccommodationKind,
    DeclineReason,
    Departure,
    Hold,
    HoldStatus,
    MoveOn,
    Placement,
    PlacementStatus,
    QualityStandard,
    SafeAccommodation,
    Unit,
    UnmetDemand,
)
from carepath.people.models import Ethnicity, Person, SexualOrientation, YesNoUnknown
from tests.accommodation.conftest import ADDRESS

NAME = "Zelda Quibblewick"


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.fixture
def year(refuges, county, staff):
    """A hand-built 2026 (the figures each test expects are counted from it by hand).

    Services: Juniper House (refuge, Northtown, 3 commissioned, units Flat 1 and Flat 2),
    Rowan Court (dispersed, Southtown, 1 commissioned, unit Flat A), Safe at Home
    (sanctuary, Northtown, 10 commissioned, unit Scheme 1).
    People: P1 Black African, disabled, born 1990; P2 White British, bisexual, born 1 March
    2009 (16 on 1 February 2026); P3 trans, born 1960; P4 nothing stated; P5 born 1 June
    2003 (23 on 1 September 2026).
    Stays: A P1 Flat 1 22 Dec 2025 - 1 Mar 2026 (69 nights), 2 children, no recourse;
    B P1 Flat A from 1 Mar 2026, 2 adults, 3 children, mental health; C P2 Flat 2 1-11 Feb
    (10 nights), from outside the area, substance use; D P3 (trans) Flat 1 2 Apr 2026 - 10
    Jan 2027, wheelchair; E P4 (a man) sanctuary 1 May - 1 Jun, 1 child; I P5 Flat 2 1-4 Sep
    (3 nights). F P5 referred out of the area (no unit); G P5 declined; H P3 in 2025 only.
    """
    idva, user = county["agencies"]["idva"], staff["idva"]
    units = refuges["units"]
    juniper, rowan = refuges["haven"], units["any_boy_stale"].accommodation
    northtown, southtown = county["district"], refuges["southtown"]
    SafeAccommodation.objects.filter(pk=juniper.pk).update(
        specialist_for=["black_minoritised", "no_recourse"],
        support_types=["advocacy", "children"],
        quality_standard=QualityStandard.WOMENS_AID,
        annual_funding=Decimal("250000"),
        funded_by="Testshire County Council",
    )
    SafeAccommodation.objects.filter(pk=rowan.pk).update(specialist_for=["lgbt"], support_types=["advocacy"])
    sanctuary = SafeAccommodation.objects.create(
        provider=juniper.provider,
        name="Safe at Home",
        kind=AccommodationKind.SANCTUARY,
        district=northtown,
        units=10,
        support_types=["safety_planning"],
        quality_standard=QualityStandard.LEADING_LIGHTS,
        annual_funding=Decimal("50000"),
        funded_by="Testshire County Council",
        confidential_address=ADDRESS,
    )
    scheme = Unit.objects.create(accommodation=sanctuary, name="Scheme 1")
    flat1, flat2, flat_a = units["boys_to_12"], units["closed"], units["any_boy_stale"]

    def person(**kw):
        return Person.objects.create(recorded_by=idva, given_name="Zelda", family_name="Quibblewick", **kw)

    p1 = person(ethnicity=Ethnicity.BLACK_AFRICAN, disability=YesNoUnknown.YES, date_of_birth=date(1990, 5, 1),
                sexual_orientation=SexualOrientation.HETEROSEXUAL, trans=YesNoUnknown.NO)  # fmt: skip
    p2 = person(ethnicity=Ethnicity.WHITE_BRITISH, sexual_orientation=SexualOrientation.BISEXUAL,
                date_of_birth=date(2009, 3, 1))  # fmt: skip
    p3 = person(ethnicity=Ethnicity.WHITE_BRITISH, trans=YesNoUnknown.YES, date_of_birth=date(1960, 1, 1),
                sexual_orientation=SexualOrientation.HETEROSEXUAL)  # fmt: skip
    p4 = person()
    p5 = person(ethnicity=Ethnicity.WHITE_BRITISH, date_of_birth=date(2003, 6, 1),
                sexual_orientation=SexualOrientation.HETEROSEXUAL)  # fmt: skip

    def place(who, unit, referred, *, home=northtown, adult=matching.WOMAN, status=PlacementStatus.LEFT, **kw):
        return Placement.objects.create(
            person=who, unit=unit, referred_by=user, referring_agency=idva, referred_at=noon(referred),
            home_district=home, adult=adult, status=status, **kw,
        )  # fmt: skip

    place(
        p1,
        flat1,
        date(2025, 12, 20),
        arrived_on=date(2025, 12, 22),
        left_on=date(2026, 3, 1),
        children=2,
        needs=["no_recourse_to_public_funds"],
        departure=Departure.PLANNED,
        move_on=MoveOn.SOCIAL_TENANCY,
    )  # A
    place(
        p1,
        flat_a,
        date(2026, 3, 1),
        arrived_on=date(2026, 3, 1),
        adults=2,
        children=3,
        needs=["mental_health"],
        status=PlacementStatus.STAYING,
    )  # B
    place(
        p2,
        flat2,
        date(2026, 1, 30),
        home=None,
        arrived_on=date(2026, 2, 1),
        left_on=date(2026, 2, 11),
        needs=["substance_use"],
        departure=Departure.LEFT_UNPLANNED,
    )  # C
    place(
        p3,
        flat1,
        date(2026, 4, 1),
        home=southtown,
        adult=matching.TRANS_WOMAN,
        arrived_on=date(2026, 4, 2),
        left_on=date(2027, 1, 10),
        needs=["wheelchair"],
        departure=Departure.PLANNED,
    )  # D
    place(
        p4,
        scheme,
        date(2026, 5, 1),
        adult=matching.MAN,
        arrived_on=date(2026, 5, 1),
        left_on=date(2026, 6, 1),
        children=1,
        departure=Departure.PLANNED,
        move_on=MoveOn.OWN_HOME,
    )  # E
    place(
        p5,
        flat2,
        date(2026, 9, 1),
        arrived_on=date(2026, 9, 1),
        left_on=date(2026, 9, 4),
        departure=Departure.ASKED_TO_LEAVE,
        move_on=MoveOn.FAMILY_FRIENDS,
    )  # I
    place(
        p5,
        None,
        date(2026, 7, 1),
        service_elsewhere="A refuge in Kent",
        arrived_on=date(2026, 7, 1),
        status=PlacementStatus.STAYING,
    )  # F
    place(p5, flat_a, date(2026, 8, 1), home=southtown, status=PlacementStatus.DECLINED)  # G
    place(
        p3,
        flat1,
        date(2025, 6, 1),
        arrived_on=date(2025, 6, 1),
        left_on=date(2025, 12, 31),
        departure=Departure.PLANNED,
    )  # H

    def hold(ended: datetime, status=HoldStatus.DECLINED, reason="", need=""):
        Hold.objects.create(
            unit=flat_a, agency=idva, placed_by=user, placed_at=ended, expires_at=ended, status=status,
            ended_at=ended, decline_reason=reason, unmet_need=need,
        )  # fmt: skip

    hold(noon(date(2026, 2, 10)), reason=DeclineReason.NO_SPACE)
    hold(noon(date(2026, 3, 10)), reason=DeclineReason.NO_SPACE)
    hold(noon(date(2026, 4, 10)), reason=DeclineReason.NEEDS_NOT_MET, need="wheelchair")
    hold(noon(date(2026, 5, 10)), reason=DeclineReason.NEEDS_NOT_MET, need="oldest_boy")
    hold(noon(date(2026, 6, 10)), reason=DeclineReason.NO_RECOURSE)
    hold(datetime(2025, 12, 31, 23, tzinfo=UTC), reason=DeclineReason.NO_SPACE)  # 2025 in London
    hold(noon(date(2026, 7, 10)), status=HoldStatus.ACCEPTED)

    def search(day, needs, children, available):
        UnmetDemand.objects.create(
            searched_at=noon(day), agency=idva, district=northtown, adult=matching.WOMAN, children=children,
            needs=needs, available_units=available,
        )  # fmt: skip

    search(date(2026, 1, 5), ["wheelchair", "pets"], 2, 3)
    search(date(2026, 6, 5), ["wheelchair"], 0, 0)
    search(date(2026, 11, 5), [], 1, 0)
    search(date(2025, 11, 5), ["wheelchair"], 0, 0)
    return {"northtown": northtown, "southtown": southtown}


def no_address_or_name(text: str) -> None:
    assert ADDRESS not in text and "Hidden Mews" not in text and "Secret Row" not in text
    assert NAME not in text and "Quibblewick" not in text and "Zelda" not in text


def workbook_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None
    )

"""A directory with a few entries in the test county."""

from datetime import date, time, timedelta

import pytest

from carepath.core.models import District
from carepath.directory.models import AccessRoute, Area, Entry, Kind, OpeningHours, who_for_field


def make_entry(
    *,
    owner,
    name="Northtown Helpline",
    kind=Kind.HELPLINE,
    who_for=("women", "medium_risk"),
    districts=(),
    area=Area.DISTRICTS,
    hours=((0, 9, 17), (1, 9, 17), (2, 9, 17), (3, 9, 17), (4, 9, 17)),
    checked=None,
    **values,
) -> Entry:
    entry = Entry.objects.create(
        name=name,
        kind=kind,
        description=values.pop("description", "Support for anyone living with abuse."),
        area=area,
        access_route=values.pop("access_route", AccessRoute.BOTH),
        phone=values.pop("phone", "01632 960001"),
        owner=owner,
        last_checked_on=checked or date.today() - timedelta(days=10),
        **{who_for_field(code): True for code in who_for},
        **values,
    )
    entry.districts.set(districts)
    for weekday, opens, closes in hours:
        OpeningHours.objects.create(
            entry=entry,
            weekday=weekday,
            opens=opens if isinstance(opens, time) else time(opens),
            closes=closes if isinstance(closes, time) else time(closes),
        )
    return entry


@pytest.fixture
def directory(county, staff):
    """Two districts; a helpline for Northtown, a refuge kept by the IDVA user, a service in
    Southtown for men, and one not checked for a year."""
    southtown = District.objects.create(marac_area=county["area"], name="Southtown", population=1, women_16_plus=1)
    north = county["district"]
    return {
        "north": north,
        "south": southtown,
        "helpline": make_entry(owner=staff["admin"], districts=[north]),
        "refuge": make_entry(
            owner=staff["idva"],
            name="Northtown Refuge",
            kind=Kind.REFUGE,
            who_for=("women", "high_risk", "children"),
            districts=[north],
            phone="01632 960999",
        ),
        "men": make_entry(
            owner=staff["admin"], name="Southtown Men's Line", who_for=("men", "medium_risk"), districts=[southtown]
        ),
        "county": make_entry(
            owner=staff["admin"],
            name="County Line",
            who_for=("women", "men"),
            area=Area.COUNTY,
            hours=(),
            open_24_hours=True,
        ),
        "stale": make_entry(
            owner=staff["idva"], name="Forgotten Line", districts=[north], checked=date.today() - timedelta(days=365)
        ),
    }

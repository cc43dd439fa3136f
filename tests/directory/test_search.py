"""Searching the directory: every filter narrows, stale entries stay hidden unless staff ask,
and "open now" in the database agrees with the opening-hours rules."""

from datetime import date, datetime, time, timedelta

from carepath.configuration.services import partnership_settings_update
from carepath.directory import hours, selectors
from carepath.directory.models import AccessRoute, Kind
from carepath.directory.selectors import Search, search
from carepath.triage.deadlines import LONDON
from tests.directory.conftest import make_entry

WEDNESDAY_10AM = datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)


def names(entries) -> set[str]:
    return {e.name for e in entries}


def test_a_district_finds_its_own_services_and_the_countys(directory):
    found = names(search(Search(district_id=directory["north"].pk)))
    assert found == {"Northtown Helpline", "Northtown Refuge", "County Line"}
    assert names(search(Search(district_id=directory["south"].pk))) == {"Southtown Men's Line", "County Line"}


def test_every_group_chosen_must_be_served(directory):
    assert names(search(Search(who_for=("men",)))) == {"Southtown Men's Line", "County Line"}
    assert names(search(Search(who_for=("men", "medium_risk")))) == {"Southtown Men's Line"}
    assert names(search(Search(who_for=("women", "children")))) == {"Northtown Refuge"}


def test_kind_access_route_language_and_words(directory, staff):
    make_entry(
        owner=staff["admin"],
        name="Polish Advice",
        kind=Kind.ADVICE,
        access_route=AccessRoute.PROFESSIONAL,
        languages="English, Polish",
        description="Housing and legal advice.",
    )
    assert names(search(Search(kinds=(Kind.REFUGE,)))) == {"Northtown Refuge"}
    assert "Polish Advice" not in names(search(Search(access_route=AccessRoute.SELF)))
    assert "Polish Advice" in names(search(Search(access_route=AccessRoute.PROFESSIONAL)))
    assert names(search(Search(language="polish"))) == {"Polish Advice"}
    assert names(search(Search(text="legal housing"))) == {"Polish Advice"}


def test_a_stale_entry_is_hidden_from_the_public_but_staff_can_include_it(directory):
    assert "Forgotten Line" not in names(search(Search()))
    assert "Forgotten Line" not in names(selectors.entries_public(Search(include_stale=True)))
    assert "Forgotten Line" in names(search(Search(include_stale=True)))


def test_the_partnership_sets_when_an_entry_goes_stale(directory, staff):
    """Checked 200 days ago: hidden at the default 180 days, shown at 365."""
    make_entry(owner=staff["admin"], name="Half-year Line", checked=date.today() - timedelta(days=200))
    assert "Half-year Line" not in names(search(Search()))
    partnership_settings_update(user=staff["admin"], values={"directory_stale_days": "365"}, reason="Yearly checks")
    assert "Half-year Line" in names(search(Search()))


def test_open_now_filters_by_the_hours(directory, staff):
    make_entry(owner=staff["admin"], name="Evening Line", hours=((2, time(19), time(2)),), districts=[])
    open_at_10 = names(search(Search(open_now=True, now=WEDNESDAY_10AM)))
    assert open_at_10 == {"Northtown Helpline", "Northtown Refuge", "Southtown Men's Line", "County Line"}
    thursday_1am = datetime(2026, 12, 3, 1, 0, tzinfo=LONDON)
    assert names(search(Search(open_now=True, now=thursday_1am))) == {"County Line", "Evening Line"}


def test_open_now_in_the_database_agrees_with_the_hours_rules(directory, staff):
    """Hour by hour around Christmas 2026's bank holidays."""
    make_entry(owner=staff["admin"], name="Late Line", hours=tuple((d, time(18), time(1)) for d in range(7)))
    make_entry(
        owner=staff["admin"],
        name="Holiday Line",
        hours=tuple((d, time(8), time(20)) for d in range(7)),
        open_bank_holidays=True,
    )
    entries = list(search(Search()))
    for day in range(24, 30):
        for hour in (0, 1, 8, 9, 16, 17, 18, 19, 23):
            moment = datetime(2026, 12, day, hour, 0, tzinfo=LONDON)
            in_database = names(search(Search(open_now=True, now=moment)))
            by_rules = {e.name for e in entries if hours.is_open(selectors.week_of(e), moment)}
            assert in_database == by_rules, moment


def test_signpost_entries_match_the_district_and_needs(directory):
    found = selectors.entries_matching(district_id=directory["south"].pk, who_for=("men",), today=date.today())
    assert names(found) == {"Southtown Men's Line", "County Line"}

"""The SafeLives quarterly MARAC return, counted from the cases themselves. Pure Python,
no Django.

Sources: domain.md "MARAC quarterly data return (SafeLives national dataset)" (per MARAC
per quarter: meetings held, cases discussed, repeat cases, children in the households,
referrals by agency, and victims who are Black/Asian/minoritised, LGBT+, disabled, male,
aged 16-17; perpetrators aged under 18), references.md "SafeLives MARAC national dataset"
(cases per 10,000 adult women, repeat cases as a percentage, referrals from partner
agencies as a percentage), domain.md "MARAC referral criteria" (expected volume: 40
cases a year per 10,000 women aged 16+, a configured setting) and seed 002 Table 3 and
Appendix 6-7 (the diverse groups, the MARAC areas' women aged 16+, referrals by agency).
SafeLives collects these as hand-counted figures; here each is counted from case rows,
and every definition below says how.

Decisions a MARAC coordinator may ask about:

- **Cases discussed** are the distinct cases heard (a ``MaracDiscussion``) at a meeting
  *held* in the quarter. A case heard twice in the quarter counts once; one heard in the
  quarter and again in the next counts in both quarters, as SafeLives counts it. A
  cancelled or still-planned meeting hears nothing, and a returned referral was never a
  case (it has no case number), so neither counts even if a row says otherwise.
- Every figure about victims, perpetrators, children and referrers is **of the cases
  discussed**, and its percentage is of the cases discussed (SafeLives' denominator).
- **Black, Asian or racially minoritised** (SafeLives' "BAME"): every ONS 2021 ethnic
  group except "White: English, Welsh, Scottish, Northern Irish or British" and "Not
  stated". So White Irish, Gypsy or Irish Traveller, Roma and any other White background
  *are* counted, as SafeLives counts all groups other than White British (Gypsy, Roma and
  Traveller women are among the most minoritised). Not stated is counted in neither
  group: the return also gives how many victims' ethnicity is not recorded.
- **LGBT+**: a sexual orientation other than straight or not stated (gay or lesbian,
  bisexual, another), or trans (or with a trans history). A non-binary gender identity
  alone is not counted here: SafeLives asks for sexual orientation and trans status.
- **Male**: the victim identifies as a man, or (gender identity not known) is recorded
  as male.
- **Ages** are at the date of the MARAC referral; a person whose date of birth is not
  known is counted in neither age group.
- **Expected volume**: 40 cases a year (the configured rate) per 10,000 women aged 16+
  living in the districts the MARAC serves, a quarter of that for a quarter. It is not
  given for a medium-risk MARAC (one with a DASH score band): the benchmark is for
  high-risk MARACs, and its districts' women are already counted by the area's MARAC.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from carepath.core.ages import age_on
from carepath.core.codes import AgencyType

# The codes of ``carepath.people.models`` this module reads (tests check they still exist).
WHITE_BRITISH, ETHNICITY_NOT_STATED = "white_british", "not_stated"
NOT_LGB = frozenset({"heterosexual", "not_stated"})
YES = "yes"
MAN, GENDER_NOT_KNOWN, MALE = "man", "not_known", "male"
HELD = "held"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class QuarterError(ValueError):
    """A quarter that is not one: the message says what to type instead."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: Q1 January to March ... Q3 July to September."""

    year: int
    number: int

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = self.next()
        return following.first_day - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def months(self) -> str:
        """ "July to September 2026"."""
        return f"{MONTHS[3 * self.number - 3]} to {MONTHS[3 * self.number - 1]} {self.year}"

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


_QUARTER = re.compile(r"(\d{4})\s*[-/ ]?\s*Q(\d+)", re.IGNORECASE)


def quarter_parse(text: str) -> Quarter:
    """ "2026Q3" (also "2026-Q3", "2026 q3") as the quarter July to September 2026; a
    ``QuarterError`` saying what is wrong for anything else."""
    text = (text or "").strip()
    found = _QUARTER.fullmatch(text)
    if not found:
        raise QuarterError(
            f"{text!r} is not a quarter: give the year and the quarter, like 2026Q3 (July to September 2026)."
        )
    year, number = int(found.group(1)), int(found.group(2))
    if not 1 <= number <= 4:
        raise QuarterError(
            f"{text!r}: a year has quarters 1 to 4 (Q1 is January to March, Q4 October to December), not {number}."
        )
    if not 2000 <= year <= 2100:
        raise QuarterError(f"{text!r}: {year} is not a year a MARAC return can be for.")
    return Quarter(year, number)


# What each figure is, in the words of a MARAC coordinator and SafeLives.
COUNT, PERCENT, DECIMAL = "count", "percent", "decimal"


@dataclass(frozen=True)
class Field:
    """One figure of the return: ``key`` names it in code only; ``label`` is what the
    coordinator and SafeLives read; ``counted`` says how it is counted. ``share`` adds
    its percentage of the cases discussed."""

    key: str
    label: str
    counted: str
    kind: str = COUNT
    share: bool = False


FIELDS: tuple[Field, ...] = (
    Field(
        "meetings_held",
        "MARAC meetings held",
        "Meetings in the quarter recorded as held; cancelled and planned meetings are not counted.",
    ),
    Field(
        "cases_discussed",
        "Cases discussed",
        "Distinct cases heard at the meetings held in the quarter; a case heard at two of them counts once. "
        "Returned referrals are never counted.",
    ),
    Field(
        "repeat_cases",
        "Repeat cases",
        "Cases discussed that were referred within the repeat window of the victim's last MARAC referral "
        "(across her linked records). Their percentage is the repeat rate.",
        share=True,
    ),
    Field(
        "children",
        "Children in the households",
        "Children recorded in the households of the cases discussed (the children on each MARAC referral).",
    ),
    Field(
        "police_referrals",
        "Cases referred by the police",
        "Cases discussed whose MARAC referral was made by a police force.",
        share=True,
    ),
    Field(
        "partner_referrals",
        "Cases referred by partner agencies",
        "Cases discussed referred by any agency other than the police (the IDVA service, health, children's "
        "services, housing, probation and the others below).",
        share=True,
    ),
    Field(
        "minoritised",
        "Victims who are Black, Asian or racially minoritised",
        "Every ethnic group except White British and not stated: White Irish, Gypsy or Irish Traveller, Roma and "
        "any other White background are counted, as SafeLives counts all groups other than White British.",
        share=True,
    ),
    Field(
        "ethnicity_not_stated",
        "Victims whose ethnicity is not recorded",
        "Cases discussed whose victim's ethnicity is recorded as not stated: counted in neither group above.",
        share=True,
    ),
    Field(
        "lgbt",
        "Victims who are lesbian, gay, bisexual or trans (LGBT+)",
        "Sexual orientation gay or lesbian, bisexual or another (not straight and not 'not stated'), "
        "or trans or with a trans history.",
        share=True,
    ),
    Field("disabled", "Victims with a disability", "Victims recorded as disabled.", share=True),
    Field(
        "male",
        "Male victims",
        "Victims who identify as a man, or, when their gender identity is not known, are recorded as male.",
        share=True,
    ),
    Field(
        "aged_16_17",
        "Victims aged 16 or 17",
        "Age at the date of the MARAC referral; victims without a date of birth are not counted.",
        share=True,
    ),
    Field(
        "perpetrators_under_18",
        "People causing harm aged under 18",
        "The person causing harm on each case discussed, aged 17 or under at the date of the MARAC referral; "
        "those without a date of birth are not counted.",
        share=True,
    ),
    Field(
        "women_16_plus",
        "Women aged 16 and over in the MARAC's districts",
        "The female population aged 16 and over of the districts the MARAC serves.",
    ),
    Field(
        "expected_cases",
        "Cases expected in the quarter",
        "The configured rate (SafeLives: 40 cases a year per 10,000 women aged 16 and over) for the women in the "
        "MARAC's districts, a quarter of a year's. Not given for a medium-risk MARAC.",
        kind=DECIMAL,
    ),
    Field(
        "percent_of_expected",
        "Cases discussed as a percentage of those expected",
        "Cases discussed divided by the cases expected in the quarter.",
        kind=PERCENT,
    ),
    Field(
        "cases_per_10k_women",
        "Cases a year per 10,000 women aged 16 and over",
        "Cases discussed in the quarter, times four, per 10,000 women aged 16 and over in the MARAC's districts "
        "(SafeLives' benchmark: 40).",
        kind=DECIMAL,
    ),
)
FIELD = {f.key: f for f in FIELDS}
BY_AGENCY_TITLE = "Cases discussed by referring agency"
NO_AGENCY = "No referring agency recorded"


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: int
    day: date  # the meeting's local date
    status: str


@dataclass(frozen=True)
class CaseRow:
    """What the return needs of one MARAC case: no names, only codes and dates."""

    case_id: int
    number: int | None  # None for a returned referral
    referred_on: date
    is_repeat: bool
    referring_agency_type: str | None
    victim_sex: str
    victim_gender_identity: str
    victim_trans: str
    victim_ethnicity: str
    victim_disability: str
    victim_sexual_orientation: str
    victim_born: date | None
    perpetrator_born: date | None
    children: int


@dataclass(frozen=True)
class Figure:
    field: Field
    value: int | Decimal | None  # None: not given (the note says why)
    share: Decimal | None = None  # % of the cases discussed


@dataclass(frozen=True)
class AgencyCount:
    agency: str  # the agency type in words
    cases: int
    share: Decimal | None


@dataclass(frozen=True)
class MaracReturn:
    """One MARAC's return for one quarter."""

    marac: str
    quarter: Quarter
    figures: tuple[Figure, ...]
    by_agency: tuple[AgencyCount, ...]
    notes: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> int | Decimal | None:
        return next(f.value for f in self.figures if f.field.key == key)

    def share(self, key: str) -> Decimal | None:
        return next(f.share for f in self.figures if f.field.key == key)


def percent(part, whole) -> Decimal | None:
    """A percentage to one decimal place, halves up; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_minoritised(ethnicity: str) -> bool:
    return ethnicity not in (WHITE_BRITISH, ETHNICITY_NOT_STATED)


def is_lgbt(sexual_orientation: str, trans: str) -> bool:
    return sexual_orientation not in NOT_LGB or trans == YES


def is_male(sex: str, gender_identity: str) -> bool:
    return gender_identity == MAN or (gender_identity == GENDER_NOT_KNOWN and sex == MALE)


def agency_words(agency_type: str | None) -> str:
    if not agency_type:
        return NO_AGENCY
    try:
        return AgencyType(agency_type).label
    except ValueError:
        return "Another agency"


def marac_return(
    *,
    marac: str,
    quarter: Quarter,
    meetings: Iterable[MeetingRow],
    discussions: Iterable[tuple[int, int]],
    cases: Mapping[int, CaseRow],
    women_16_plus: int | None,
    expected_per_10k_women: int,
    banded: bool = False,
) -> MaracReturn:
    """The return of one MARAC for one quarter, from its meetings, the (case id, meeting
    id) pairs of the cases heard at them, and the rows of those cases. Meetings and
    discussions outside the quarter may be passed: they are left out here."""
    held = {m.meeting_id for m in meetings if m.status == HELD and m.day in quarter}
    heard = {case_id for case_id, meeting_id in discussions if meeting_id in held}
    discussed: Sequence[CaseRow] = [cases[c] for c in sorted(heard) if c in cases and cases[c].number is not None]
    n = len(discussed)

    def count(test) -> int:
        return sum(1 for c in discussed if test(c))

    counts: dict[str, int | Decimal | None] = {
        "meetings_held": len(held),
        "cases_discussed": n,
        "repeat_cases": count(lambda c: c.is_repeat),
        "children": sum(c.children for c in discussed),
        "police_referrals": count(lambda c: c.referring_agency_type == AgencyType.POLICE),
        "partner_referrals": count(lambda c: c.referring_agency_type not in (None, "", AgencyType.POLICE)),
        "minoritised": count(lambda c: is_minoritised(c.victim_ethnicity)),
        "ethnicity_not_stated": count(lambda c: c.victim_ethnicity == ETHNICITY_NOT_STATED),
        "lgbt": count(lambda c: is_lgbt(c.victim_sexual_orientation, c.victim_trans)),
        "disabled": count(lambda c: c.victim_disability == YES),
        "male": count(lambda c: is_male(c.victim_sex, c.victim_gender_identity)),
        "aged_16_17": count(lambda c: age_on(c.victim_born, c.referred_on) in (16, 17)),
        "perpetrators_under_18": count(
            lambda c: (age := age_on(c.perpetrator_born, c.referred_on)) is not None and age < 18
        ),
    }
    notes = []
    counts["women_16_plus"] = women_16_plus or None
    if banded:
        counts["expected_cases"] = counts["percent_of_expected"] = None
        notes.append(
            "No expected volume for a medium-risk MARAC: the benchmark is for high-risk MARACs, "
            "and its districts' women are counted by the area's MARAC."
        )
    elif not women_16_plus:
        counts["expected_cases"] = counts["percent_of_expected"] = None
        notes.append(
            "No expected volume: the number of women aged 16 and over is not recorded for this MARAC's districts."
        )
    else:
        expected = Decimal(expected_per_10k_women) * women_16_plus / 10_000 / 4
        counts["expected_cases"] = _one_place(expected)
        counts["percent_of_expected"] = percent(n, expected)
    counts["cases_per_10k_women"] = _one_place(Decimal(n) * 4 * 10_000 / women_16_plus) if women_16_plus else None
    figures = tuple(Figure(f, counts[f.key], percent(counts[f.key], n) if f.share else None) for f in FIELDS)
    referred = Counter(agency_words(c.referring_agency_type) for c in discussed)
    order = [t.label for t in AgencyType if t not in (AgencyType.PARTNERSHIP,)]
    by_agency = tuple(AgencyCount(a, referred.get(a, 0), percent(referred.get(a, 0), n)) for a in order) + tuple(
        AgencyCount(a, k, percent(k, n)) for a, k in sorted(referred.items()) if a not in order
    )
    return MaracReturn(marac=marac, quarter=quarter, figures=figures, by_agency=by_agency, notes=tuple(notes))


def in_words(value, kind: str = COUNT) -> str:
    """A figure as a page shows it: 1,234; 12.5%; 3.3; "Not given" when there is none."""
    if value is None:
        return "Not given"
    if kind == PERCENT:
        return f"{value}%"
    return f"{value:,}"


def recent_quarters(today: date, count: int = 8) -> list[Quarter]:
    """The quarter ``today`` is in and the ``count - 1`` before it, newest first."""
    found = [Quarter.of(today)]
    while len(found) < count:
        found.append(found[-1].previous())
    return found

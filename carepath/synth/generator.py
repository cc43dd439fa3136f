"""A deterministic synthetic county: imaginary victims, perpetrators and children as the
agencies of a county would record them. Never real people.

Pure Python (no Django imports); calibrated on ``carepath.synth.hertfordshire``.

How it works
------------
There are *true people* (the imaginary humans: ground truth) and *person records* (what
one agency wrote down about one of them). Every record carries ``true_person_key``, so
identity resolution can be scored against the truth.

Police incidents are generated per MARAC area and per year (a "year" is a 365-day period
from ``start``), in the numbers of seed 002 Appendix 6, times ``scale``.

**Repeat (definition used throughout):** a police incident is a *repeat* if the same true
victim had an earlier police incident within the previous 365 days (gap from that victim's
immediately preceding police incident <= 365 days). For each area-year the generator makes
exactly ``round(N * repeat_rate)`` repeats: the other incidents each start a "chain" for a
victim with no police incident in the previous 365 days (a new victim, or from the third
year a returning victim whose last incident was more than 365 days before the year began),
and each repeat is placed after the start of a chain of the same year, or (from the second
year) within 365 days of the last incident of a victim of the previous year. So repeats
span years, and the distinct victims of a year are about ``N * (1 - repeat_rate)``
(~8,000 for Hertfordshire's 13,658).

Risk levels are assigned to hit Appendix 6's high/medium counts exactly per area-year
(3% / 25% / 72% county-wide): incidents are ranked by the victim's latent severity plus
noise, so a victim's risk is persistent. DASH scores are drawn inside the level's band
(high >= 14, medium 8-13, standard 0-7) — generation targets only; the thresholds
Carepath applies are configuration. Children are present in 31% of police incidents
(chosen among incidents whose victim has a child under 18 living with them).

Referrals to the IDVA service and to MARAC follow Appendix 7 by source agency (totals
1,163 and 694 a year, times ``scale``). Agencies other than the police keep their own
records of the same true people, with realistic noise: nicknames, typos, day/month swaps,
missing fields, married and maiden surnames, stale addresses after moves, and occasional
duplicate records within one agency.

People: victims are 80% female, 2.5% aged 16-17, the rest 18-85 (peak 25-34); each has
a perpetrator (partner 35%, ex-partner 50%, family member 15%), about 4% an existing
perpetrator of the same area (serial perpetrators). About 55% of incidents have a child
under 18 at home (domain.md: ~60% of victims have children, ~1.8 per family); children are
linked to the victim (and the father, when he is the perpetrator) by "parent"
relationships and households. Ethnicity follows Hertfordshire's 2011 Census shares
(~81% White British), disability 20% of victims, 2.7% gay/lesbian/bisexual, 0.5% trans;
first languages other than English by ethnic group, 30% of those needing an interpreter
(all in ``hertfordshire.py``, with sources). Names are drawn from the faker package's
name lists (en_GB, and en_IE, pl_PL, ro_RO, pt_PT, en_IN, en_PK, zh_CN, yo_NG, tr_TR by
ethnic group); streets are faker surnames with British suffixes; postcodes use the real
outward codes of each town with random inward codes. Victims move (18% a year, within
their MARAC area), about 241 a year stay in one of Table 11's refuges (a confidential
address known only to the provider, and sometimes the IDVA service) and move on after
~18 weeks.

Determinism: everything comes from ``random.Random`` instances seeded from ``seed``; no
global random state, no clock, no iteration over sets.

Scale: ``scale`` is split into shards of at most one county each (``iter_shards``), each
with its own seed and disjoint keys; ``generate_county`` joins them. At national scale
(~110 counties) stream the shards instead of joining them.

Safety of generated identifiers: phone numbers come only from Ofcom's ranges reserved for
drama (so they can never reach a real person, and repeat between people at large scale);
NHS numbers start with 999 (reserved for testing) with a valid check digit; e-mail
addresses use example.org (RFC 2606).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple
from zoneinfo import ZoneInfo

from carepath.risk.checklist import DASH_RIC_2009
from carepath.synth import hertfordshire as herts

LONDON = ZoneInfo("Europe/London")
MINUTES_PER_DAY = 1440
DAYS_PER_YEAR = 365
YEAR = DAYS_PER_YEAR * MINUTES_PER_DAY  # minutes
REPEAT_WINDOW = 365 * MINUTES_PER_DAY  # the repeat definition's window, minutes
DEFAULT_START = date(2013, 8, 1)

# --------------------------------------------------------------------------------------
# Output schema. Record types are NamedTuples (lean, immutable); values of choice fields
# are the string values of the Django TextChoices in carepath.*.models.
# --------------------------------------------------------------------------------------


class TruePerson(NamedTuple):
    """Ground truth: one imaginary human."""

    key: str  # "T000000001"; PersonRecord.true_person_key points here
    role: str  # "victim" | "perpetrator" | "child"
    sex: str
    date_of_birth: date
    given_name: str
    family_name: str  # at the end of the period
    area: str
    district: str  # home district at the end of the period


class PersonRecord(NamedTuple):
    """One agency's record of one true person (a ``people.Person`` row)."""

    key: int
    agency: str  # agency name (names are unique)
    true_person_key: str
    role: str  # the true role, for convenience; not loaded
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    gender_identity: str
    trans: str
    ethnicity: str
    disability: str
    sexual_orientation: str
    first_language: str
    interpreter_needed: bool
    phone: str
    nhs_number: str
    pnc_id: str


class OtherName(NamedTuple):
    record: int
    kind: str  # "previous" | "nickname" | "alias" | "birth"
    given_name: str
    family_name: str


class AddressRecord(NamedTuple):
    record: int
    line_1: str
    line_2: str
    town: str
    postcode: str
    district: str | None
    valid_from: date | None
    valid_to: date | None  # None: the record's current address
    is_confidential: bool


class RelationshipRecord(NamedTuple):
    from_record: int
    to_record: int
    kind: str  # "partner" | "ex_partner" | "parent" (from is parent of to) | "other_family"


class HouseholdRecord(NamedTuple):
    key: int
    agency: str
    district: str | None
    members: tuple[tuple[int, bool], ...]  # (record key, is_child)


class EventRecord(NamedTuple):
    key: int
    agency: str
    reference: str
    occurred_at: datetime
    reported_at: datetime
    district: str
    area: str
    victim_record: int
    perpetrator_record: int | None
    is_crime: bool
    risk_level: str  # "high" | "medium" | "standard" | "" (not assessed)
    dash_score: int | None
    children_present: bool
    children: tuple[tuple[int, str], ...]  # (child record key, "present"|"witness"|"harmed")


class ReferralRecord(NamedTuple):
    key: int
    destination: str  # "idva" | "marac"
    channel: str  # "police_import" | "professional" | "api" | "self"
    source: str  # Appendix 7 source category (hertfordshire.SOURCE_LABELS)
    agency: str | None  # referring agency name; None for self-referrals
    victim_record: int  # the referring agency's record (the IDVA service's for self-referrals)
    event: int | None
    district: str
    area: str
    received_at: datetime
    is_repeat: bool  # truth: same true victim referred to the same destination in the previous 365 days


class SafeContactRecord(NamedTuple):
    record: int
    safe_phone: str
    safe_times: str
    voicemail_safe: str
    text_safe: str
    letter_safe: str
    email_safe: str
    safe_email: str
    do_not_contact_via: tuple[str, ...]
    notes: str


class Refuge(NamedTuple):
    name: str
    provider: str
    district: str
    units: int
    support_worker_fte: float
    confidential_address: str


@dataclass(frozen=True)
class SyntheticCounty:
    """A generated county (or one shard of it). Records link by integer keys: a
    ``PersonRecord.key`` is referenced by addresses, names, relationships, households,
    events, referrals and safe contacts; ``EventRecord.key`` by referrals; agencies,
    districts and areas by name."""

    seed: int
    years: int
    scale: float
    start: date
    end: date  # exclusive: start + 365 * years days
    partnership: herts.PartnershipSpec
    areas: tuple[herts.AreaSpec, ...]
    districts: tuple[herts.DistrictSpec, ...]
    agencies: tuple[herts.AgencySpec, ...]
    refuges: tuple[Refuge, ...]
    people: list[TruePerson]
    records: list[PersonRecord]
    other_names: list[OtherName]
    addresses: list[AddressRecord]
    relationships: list[RelationshipRecord]
    households: list[HouseholdRecord]
    events: list[EventRecord]
    referrals: list[ReferralRecord]
    safe_contacts: list[SafeContactRecord]

    def counts(self) -> dict[str, int]:
        return {
            "people (true)": len(self.people),
            "person records": len(self.records),
            "other names": len(self.other_names),
            "addresses": len(self.addresses),
            "relationships": len(self.relationships),
            "households": len(self.households),
            "household members": sum(len(h.members) for h in self.households),
            "events": len(self.events),
            "event children": sum(len(e.children) for e in self.events),
            "referrals": len(self.referrals),
            "safe contacts": len(self.safe_contacts),
        }


# --------------------------------------------------------------------------------------
# Generation parameters that are not calibration targets (assumptions; see docstring).
# --------------------------------------------------------------------------------------

P_RETURNING_VICTIM = 0.12  # share of a year's chain starts given to a lapsed earlier victim
CARRY_SHARE = 0.20  # share of a year's repeats given to victims of the previous year
P_NEW_PERPETRATOR_ON_RETURN = 0.30
P_DUPLICATE_RECORD = 0.02  # an agency fails to find its own record after 180+ days
P_VICTIM_MOVE_PER_YEAR = 0.18
P_PERP_MOVE_PER_YEAR = 0.12
P_MOVE_SAME_DISTRICT = 0.75
P_SURNAME_REVERT = 0.20  # a married victim reverts to her previous surname during the period
P_CHILDRENS_SERVICES_EVENT = 0.15  # police incidents with children that children's services also record
HEALTH_EVENTS_PER_VICTIM = 0.08
P_OWN_EVENT_WITH_REFERRAL = 0.60
HOUR_WEIGHTS = (4, 3, 2, 1.5, 1, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 4, 4, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7, 6.5, 5.5)
_HOUR_CUM = list(accumulate(HOUR_WEIGHTS))
# Victim age bands (years, weight): assumption shaped on police-recorded victims.
AGE_BANDS = ((18, 24, 22), (25, 34, 30), (35, 44, 22), (45, 54, 14), (55, 64, 7), (65, 85, 3.5))
_AGE_CUM = list(accumulate(b[2] for b in AGE_BANDS))


# Probability that a victim of a given age has children under 18 (tuned so ~55-60% of
# incidents have a child in the household: domain.md, ~60% of victims have children).
def _p_children(age: int) -> float:
    if age < 18:
        return 0.05
    if age < 20:
        return 0.25
    if age < 25:
        return 0.55
    if age < 45:
        return 0.75
    if age < 55:
        return 0.45
    return 0.05


# Children per family, mean ~1.8 (domain.md).
CHILD_COUNT_CUM = list(accumulate((42, 36, 15, 7)))
RELATIONSHIP_CUM = list(accumulate((35, 50, 15)))  # partner, ex_partner, other_family
INVOLVEMENT_CUM = list(accumulate((54, 40, 6)))  # present, witness, harmed
# Scores on the SafeLives DASH RIC 2009, the checklist the Hertfordshire figures used.
DASH_MEDIUM = (8, 9, 10, 11, 12, 13)
DASH_MEDIUM_CUM = list(accumulate((25, 20, 17, 15, 12, 11)))
DASH_STANDARD = tuple(range(8))
DASH_STANDARD_CUM = list(accumulate((8, 9, 12, 14, 15, 15, 14, 13)))
P_CRIME = {"high": 0.85, "medium": 0.65, "standard": 0.40}

# Per agency type recording habits: (p DOB missing, p phone missing, p postcode missing,
# p nickname used as the name, p ethnicity recorded, p NHS number held, p name updated
# after a change, p keeps address history)
_HABITS = {
    "police": (0.03, 0.15, 0.04, 0.05, 0.85, 0.0, 0.8, 0.9),
    "childrens_services": (0.05, 0.25, 0.05, 0.08, 0.80, 0.5, 0.7, 0.6),
    "adult_social_care": (0.05, 0.20, 0.05, 0.05, 0.80, 0.6, 0.7, 0.6),
    "gp": (0.01, 0.10, 0.02, 0.04, 0.90, 0.95, 0.8, 0.5),
    "health_visiting": (0.02, 0.10, 0.03, 0.04, 0.90, 0.95, 0.8, 0.5),
    "acute_hospital": (0.02, 0.15, 0.04, 0.06, 0.85, 0.9, 0.8, 0.3),
    "mental_health": (0.02, 0.15, 0.04, 0.05, 0.85, 0.9, 0.8, 0.4),
    "housing": (0.08, 0.10, 0.02, 0.05, 0.60, 0.0, 0.6, 0.7),
    "education": (0.04, 0.20, 0.04, 0.10, 0.70, 0.0, 0.6, 0.3),
    "probation": (0.04, 0.25, 0.06, 0.08, 0.80, 0.1, 0.7, 0.6),
    "substance_misuse": (0.06, 0.25, 0.08, 0.10, 0.75, 0.3, 0.6, 0.4),
}
_HABITS_DEFAULT = (0.15, 0.10, 0.10, 0.15, 0.70, 0.0, 0.6, 0.4)  # specialist and voluntary services

SAFE_TIMES = (
    "Weekdays 9am to 12pm",
    "Weekday afternoons while the children are at school",
    "Mornings only",
    "Not evenings or weekends",
    "Any time",
    "Lunchtimes at work",
    "Tuesdays and Thursdays, daytime",
)
SAFE_NOTES = (
    "",
    "",
    "",
    "Perpetrator checks her phone.",
    "Use a withheld number and do not say where you are calling from.",
    "Ask for her by first name only.",
    "Letters go to a friend's address.",
    "Hang up if someone else answers.",
)
_UK_STREET_SUFFIXES = frozenset(
    {
        "Road",
        "Street",
        "Lane",
        "Avenue",
        "Crescent",
        "Drive",
        "Gardens",
        "Grove",
        "Mews",
        "Way",
        "Place",
        "Court",
        "Green",
        "Hill",
        "Walk",
        "Terrace",
        "Row",
        "Square",
        "Park",
        "View",
        "Meadows",
        "Close",
        "Rise",
        "Fields",
    }
)
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Ofcom's numbers reserved for drama: (prefix, first, count, digits of the suffix).
_DRAMA_MOBILE = ("07700 9", 0, 1000, 5)  # 07700 900000 - 900999
_DRAMA_LANDLINES = (
    ("01632 96", 0, 1000, 4),
    ("020 7946 ", 0, 1000, 4),
    ("0113 496 ", 0, 1000, 4),
    ("0114 496 ", 0, 1000, 4),
    ("0115 496 ", 0, 1000, 4),
    ("0116 496 ", 0, 1000, 4),
    ("0117 496 ", 0, 1000, 4),
    ("0118 496 ", 0, 1000, 4),
    ("0121 496 ", 0, 1000, 4),
    ("0131 496 ", 0, 1000, 4),
    ("0141 496 ", 0, 1000, 4),
    ("0151 496 ", 0, 1000, 4),
    ("0161 496 ", 0, 1000, 4),
    ("0191 498 ", 0, 1000, 4),
    ("029 2018 ", 0, 1000, 4),
)
_KEYBOARD_NEIGHBOURS = {
    "a": "qsz",
    "b": "vgn",
    "c": "xdv",
    "d": "sfe",
    "e": "wrd",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "i": "uok",
    "j": "hku",
    "k": "jli",
    "l": "kop",
    "m": "nj",
    "n": "bmh",
    "o": "ipl",
    "p": "ol",
    "q": "wa",
    "r": "etf",
    "s": "adw",
    "t": "ryg",
    "u": "yij",
    "v": "cbf",
    "w": "qes",
    "x": "zcs",
    "y": "tuh",
    "z": "xa",
}
_SOUTH_ASIAN = ("asian_indian", "asian_other")


# --------------------------------------------------------------------------------------
# Name and street data: the faker package's lists used as plain data, sampled with our
# own seeded Random.
# --------------------------------------------------------------------------------------


class _NamePool(NamedTuple):
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    last_cum: list[float] | None  # cumulative weights, or None for uniform


def _as_pool(values) -> tuple[tuple[str, ...], list[float] | None]:
    if isinstance(values, dict):
        return tuple(values), list(accumulate(values.values()))
    return tuple(values), None


@lru_cache(maxsize=1)
def _name_pools() -> dict[str, _NamePool]:
    from faker.providers.person import en_GB, en_IE, en_IN, en_PK, pl_PL, pt_PT, ro_RO, tr_TR, yo_NG, zh_CN

    def pool(female, male, last) -> _NamePool:
        f, _ = _as_pool(female)
        m, _ = _as_pool(male)
        ln, cum = _as_pool(last)
        return _NamePool(f, m, ln, cum)

    gb = en_GB.Provider
    return {
        "gb": pool(gb.first_names_female, gb.first_names_male, gb.last_names),
        "ie": pool(en_IE.Provider.first_names_female, en_IE.Provider.first_names_male, en_IE.Provider.last_names),
        "pl": pool(
            pl_PL.Provider.first_names_female, pl_PL.Provider.first_names_male, pl_PL.Provider.unisex_last_names
        ),
        "ro": pool(ro_RO.Provider.first_names_female, ro_RO.Provider.first_names_male, ro_RO.Provider.last_names),
        "pt": pool(pt_PT.Provider.first_names_female, pt_PT.Provider.first_names_male, pt_PT.Provider.last_names),
        "in": pool(en_IN.Provider.first_names_female, en_IN.Provider.first_names_male, en_IN.Provider.last_names),
        "pk": pool(en_IN.Provider.first_names_female, en_IN.Provider.first_names_male, en_PK.Provider.last_names),
        "cn": pool(gb.first_names_female, gb.first_names_male, zh_CN.Provider.last_romanized_names),
        "ng": pool(yo_NG.Provider.first_names_female, yo_NG.Provider.first_names_male, yo_NG.Provider.last_names),
        "tr": pool(tr_TR.Provider.first_names_female, tr_TR.Provider.first_names_male, tr_TR.Provider.last_names),
    }


def _pool_key(ethnicity: str, u: float) -> str:
    if ethnicity == "white_irish":
        return "ie" if u < 0.6 else "gb"
    if ethnicity == "white_other":
        return "pl" if u < 0.45 else "ro" if u < 0.7 else "pt" if u < 0.85 else "gb"
    if ethnicity == "white_roma":
        return "ro"
    if ethnicity in _SOUTH_ASIAN:
        return "in" if u < 0.9 else "gb"
    if ethnicity in ("asian_pakistani", "asian_bangladeshi", "arab"):
        return "pk"
    if ethnicity == "asian_chinese":
        return "cn"
    if ethnicity == "black_african":
        return "ng" if u < 0.7 else "gb"
    if ethnicity == "other":
        return "tr" if u < 0.5 else "gb"
    return "gb"


@lru_cache(maxsize=1)
def _street_suffixes() -> tuple[str, ...]:
    from faker.providers.address import en_GB as address_en_GB

    # faker's en_GB suffix list mixes in American ones (Canyon, Turnpike): keep the British.
    out = tuple(s for s in dict.fromkeys(address_en_GB.Provider.street_suffixes) if s in _UK_STREET_SUFFIXES)
    return out + tuple(sorted(_UK_STREET_SUFFIXES - set(out)))


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def _nicknames(given: str) -> tuple[str, ...]:
    names = _nicknamer().nicknames_of(given.lower())
    return tuple(sorted(n.capitalize() for n in names if len(n) >= 2 and n != given.lower()))


def _typo(rng: random.Random, s: str) -> str:
    """One keyboard slip: transposition, deletion or substitution (never the first letter)."""
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    u = rng.random()
    if u < 0.35:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if u < 0.65:
        return s[:i] + s[i + 1 :]
    c = s[i].lower()
    sub = rng.choice(_KEYBOARD_NEIGHBOURS.get(c, "aeiou"))
    return s[:i] + sub + s[i + 1 :]


def _nhs_number(rng: random.Random) -> str:
    """A ten-digit NHS number in the 999 range (reserved for testing) with a valid
    modulus-11 check digit."""
    while True:
        body = f"999{rng.randrange(10**6):06d}"
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1)))
        check = (11 - total % 11) % 11
        if check != 10:
            return body + str(check)


def _drama_phone(rng: random.Random, mobile: bool) -> str:
    prefix, first, count, width = _DRAMA_MOBILE if mobile else rng.choice(_DRAMA_LANDLINES)
    n = first + rng.randrange(count)
    if mobile:
        return f"{prefix}{n:05d}"
    return f"{prefix}{n:0{width}d}"


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


class _P:
    """A true person while generating (mutable; becomes a TruePerson at the end)."""

    __slots__ = (
        "pid",
        "role",
        "sex",
        "dob",
        "given",
        "fam",
        "fam_changes",
        "prev_fam",
        "eth",
        "disab",
        "orient",
        "gender",
        "trans",
        "lang",
        "interp",
        "phones",
        "nhs",
        "pnc",
        "hist",
        "area",
        "children",
        "perps",
        "sev",
        "prop",
        "last_t",
        "lives_with",
        "father",
        "adult_t",
        "born_t",
        "refuge_stays",
    )

    def __init__(self, pid: int, role: str, area: int):
        self.pid = pid
        self.role = role
        self.area = area
        self.fam_changes: list[tuple[int, str]] | None = None
        self.prev_fam: str | None = None
        self.children: list[int] = []
        self.perps: list[tuple[int, int, str, bool]] = []  # (from t, perp pid, kind, cohabiting)
        self.hist: list[list] | None = None  # [[t_from, addr], ...]; addr = (line1, town, postcode, d, confidential)
        self.last_t: int | None = None
        self.lives_with: int | None = None
        self.father: int | None = None
        self.refuge_stays: list[tuple[int, int]] | None = None
        self.sev = 0.0
        self.prop = 1.0
        self.pnc = ""
        self.lang = "English"
        self.interp = False


class _Shard:
    def __init__(
        self, *, seed: int, years: int, scale: float, start: date, bases: dict[str, int], refuges: tuple[Refuge, ...]
    ):
        # Bandit's B311 (random is not for security): made-up people, the same for the same seed.
        self.rng = random.Random(seed)  # nosec B311
        self.seed = seed
        self.years = years
        self.scale = scale
        self.start = start
        self.end_t = years * YEAR
        self.bases = bases
        self.refuges = refuges
        self.names = _name_pools()
        self.suffixes = _street_suffixes()
        self.people: list[_P] = []
        self.area_victims: list[list[int]] = [[] for _ in herts.AREAS]
        self.area_perps: list[list[int]] = [[] for _ in herts.AREAS]
        self.recs: list[list] = []  # [agency idx, pid, first t, last t]
        self.rec_index: dict[tuple[int, int], int] = {}
        self.relationships: dict[tuple[int, int, str], None] = {}
        self.households: list[list] = []  # [agency idx, victim pid, t, {rec: is_child}]
        self.household_index: dict[tuple[int, int], int] = {}
        self.events: list[list] = []
        self.referrals: list[list] = []
        self.safe_contact_recs: dict[int, None] = {}
        self.incidents: dict[
            tuple[int, int], list[tuple[int, int, str, int]]
        ] = {}  # (year, area) -> (t, pid, level, event idx)
        self.nhs_used: set[str] = set()
        self.streets: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        self._dates: dict[int, date] = {}
        self.incident_times: dict[int, list[int]] = {}  # victim pid -> police incident times, in order
        # geography and agencies
        self.area_names = [a.name for a in herts.AREAS]
        self.districts = herts.DISTRICTS
        self.district_names = [d.name for d in self.districts]
        self.area_districts = [[i for i, d in enumerate(self.districts) if d.area == a.name] for a in herts.AREAS]
        self.area_district_cum_women = [
            list(accumulate(self.districts[i].women_16_plus for i in ds)) for ds in self.area_districts
        ]
        self.area_district_cum_pop = [
            list(accumulate(self.districts[i].population for i in ds)) for ds in self.area_districts
        ]
        self.agencies = herts.AGENCIES
        self.agency_idx = {a.name: i for i, a in enumerate(self.agencies)}
        self.agency_type = [a.agency_type for a in self.agencies]
        self.ethnicity_values = [e for e, _ in herts.ETHNICITY_SHARES]
        self.ethnicity_cum = list(accumulate(w for _, w in herts.ETHNICITY_SHARES))
        self.orientation_values = [o for o, _ in herts.ORIENTATION_SHARES]
        self.orientation_cum = list(accumulate(w for _, w in herts.ORIENTATION_SHARES))
        self.refuge_cum = list(accumulate(r.units for r in refuges))
        self.hospital_for = {}
        for name, _district, served in herts.ACUTE_HOSPITALS:
            for d in served:
                self.hospital_for[d] = name
        self.local_voluntary = {
            "Central": "St Albans Women's Centre",
            "East": "Stevenage Women's Centre",
            "West": "Dacorum Women's Centre",
        }
        self.voluntary_county = ["Hertfordshire Domestic Abuse Helpline", "Herts Survivors' Outreach"]
        self.refuge_providers = list(dict.fromkeys(r.provider for r in refuges))
        self.A_POLICE = self.agency_idx[herts.POLICE]
        self.A_CS = self.agency_idx[herts.CHILDRENS_SERVICES]
        self.A_IDVA = self.agency_idx[herts.IDVA_SERVICE]
        self.A_MARAC = self.agency_idx[herts.MARAC_COORDINATION]

    # ---------------------------------------------------------------- small helpers
    def _date(self, t: int) -> date:
        day = t // MINUTES_PER_DAY
        d = self._dates.get(day)
        if d is None:
            d = self._dates[day] = self.start + timedelta(days=day)
        return d

    def _t_of_date(self, d: date) -> int:
        return (d - self.start).days * MINUTES_PER_DAY

    def _time_in(self, lo: int, hi: int) -> int:
        """A time in [lo, hi) with the incident hour-of-day profile."""
        rng = self.rng
        if hi - lo < 2 * MINUTES_PER_DAY:
            return lo + rng.randrange(max(1, hi - lo))
        for _ in range(4):
            day0 = lo // MINUTES_PER_DAY
            day = day0 + rng.randrange((hi - 1) // MINUTES_PER_DAY - day0 + 1)
            hour = bisect_right(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])
            t = day * MINUTES_PER_DAY + hour * 60 + rng.randrange(60)
            if lo <= t < hi:
                return t
        return lo + rng.randrange(hi - lo)

    def _choose_cum(self, values, cum):
        return values[bisect_right(cum, self.rng.random() * cum[-1])]

    def _pick_district(self, area: int, women: bool = True) -> int:
        ds = self.area_districts[area]
        cum = self.area_district_cum_women[area] if women else self.area_district_cum_pop[area]
        return ds[bisect_right(cum, self.rng.random() * cum[-1])]

    def _streets_of(self, town: str, outwards: tuple[str, ...]):
        streets = self.streets.get(town)
        if streets is None:
            rng = self.rng
            gb = self.names["gb"]
            seen: dict[str, None] = {}
            while len(seen) < 150:
                base = gb.last[rng.randrange(len(gb.last))] if rng.random() < 0.8 else rng.choice(gb.female + gb.male)
                seen[f"{base} {rng.choice(self.suffixes)}"] = None
            streets = []
            for name in seen:
                outward = rng.choice(outwards)
                inwards = tuple(
                    f"{rng.randrange(10)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
                    for _ in range(1 + (rng.random() < 0.4))
                )
                streets.append((name, outward, inwards))
            self.streets[town] = streets
        return streets

    def _new_address(self, d: int, confidential: bool = False) -> tuple:
        rng = self.rng
        district = self.districts[d]
        town, outwards = district.towns[0] if rng.random() < 0.55 else rng.choice(district.towns)
        name, outward, inwards = rng.choice(self._streets_of(town, outwards))
        number = 1 + int(rng.expovariate(1 / 40))
        line1 = f"Flat {1 + rng.randrange(12)}, {number} {name}" if rng.random() < 0.15 else f"{number} {name}"
        return (line1, town, f"{outward} {rng.choice(inwards)}", d, confidential)

    def _name_for(self, sex: str, eth: str, family: str | None = None) -> tuple[str, str]:
        rng = self.rng
        pool = self.names[_pool_key(eth, rng.random())]
        firsts = pool.female if sex == "female" else pool.male
        given = firsts[rng.randrange(len(firsts))]
        if family is None:
            family = self._family_name(pool)
        return given, family

    def _family_name(self, pool: _NamePool) -> str:
        if pool.last_cum is None:
            return pool.last[self.rng.randrange(len(pool.last))]
        return pool.last[bisect_right(pool.last_cum, self.rng.random() * pool.last_cum[-1])]

    def _unique_nhs(self) -> str:
        while True:
            n = _nhs_number(self.rng)
            if n not in self.nhs_used:
                self.nhs_used.add(n)
                return n

    def _dob_for_age(self, age: int, t: int) -> date:
        days = age * 365 + int(age / 4) + self.rng.randrange(365)
        return self._date(t) - timedelta(days=days)

    def _age_at(self, p: _P, t: int) -> int:
        d = self._date(t)
        return d.year - p.dob.year - ((d.month, d.day) < (p.dob.month, p.dob.day))

    def _characteristics(self, p: _P, victim: bool, eth: str | None = None):
        rng = self.rng
        p.eth = eth or self._choose_cum(self.ethnicity_values, self.ethnicity_cum)
        p.disab = (
            "yes"
            if rng.random() < (herts.DISABILITY_SHARE_VICTIM if victim else herts.DISABILITY_SHARE_OTHER)
            else "no"
        )
        p.orient = self._choose_cum(self.orientation_values, self.orientation_cum)
        p.trans = "yes" if rng.random() < herts.TRANS_SHARE else "no"
        if p.trans == "yes" and rng.random() < 0.3:
            p.gender = "non_binary"
        else:
            p.gender = "woman" if p.sex == "female" else "man"
        langs = herts.LANGUAGES_BY_ETHNICITY.get(p.eth)
        if langs:
            u = rng.random()
            acc = 0.0
            for lang, share in langs:
                acc += share
                if u < acc:
                    p.lang = lang
                    p.interp = rng.random() < herts.INTERPRETER_SHARE_NON_ENGLISH
                    break

    def _new_person(self, role: str, area: int) -> _P:
        p = _P(len(self.people), role, area)
        self.people.append(p)
        return p

    def _plan_moves(self, p: _P, t0: int, p_move: float):
        """Moves within the area, one chance a year from t0 to the end."""
        rng = self.rng
        y = t0 // YEAR
        while y < self.years:
            if rng.random() < p_move:
                lo = max(t0 + MINUTES_PER_DAY, y * YEAR)
                hi = (y + 1) * YEAR
                if lo < hi:
                    t = lo + rng.randrange(hi - lo)
                    d = p.hist[-1][1][3]
                    if rng.random() >= P_MOVE_SAME_DISTRICT:
                        d = self._pick_district(p.area, women=False)
                    p.hist.append([t, self._new_address(d)])
            y += 1

    def _phones(self, p: _P, t0: int):
        rng = self.rng
        p.phones = [(-(10**9), _drama_phone(rng, rng.random() < 0.85))]
        if rng.random() < 0.1 * self.years:
            p.phones.append((t0 + rng.randrange(max(1, self.end_t - t0)), _drama_phone(rng, True)))
            p.phones.sort()

    # ---------------------------------------------------------------- people
    def _new_victim(self, area: int, t: int) -> int:
        rng = self.rng
        v = self._new_person("victim", area)
        v.sex = "female" if rng.random() < herts.VICTIM_FEMALE_SHARE else "male"
        if rng.random() < herts.VICTIM_16_17_SHARE:
            age = 16 + rng.randrange(2)
        else:
            lo, hi, _ = AGE_BANDS[bisect_right(_AGE_CUM, rng.random() * _AGE_CUM[-1])]
            age = lo + rng.randrange(hi - lo + 1)
        v.dob = self._dob_for_age(age, t)
        self._characteristics(v, victim=True)
        v.given, v.fam = self._name_for(v.sex, v.eth)
        v.sev = rng.gauss(0.0, 1.0)
        v.prop = math.exp(0.6 * v.sev + rng.gauss(0.0, 0.8))
        v.nhs = self._unique_nhs()
        v.pnc = self._pnc() if rng.random() < 0.10 else ""
        self._phones(v, t)
        d = self._pick_district(area, women=v.sex == "female")
        v.hist = [[-(30 + rng.randrange(3650)) * MINUTES_PER_DAY, self._new_address(d)]]
        self.area_victims[area].append(v.pid)
        self._attach_perpetrator(v, t, age)
        if age >= 17 and rng.random() < _p_children(age):
            n = 1 + bisect_right(CHILD_COUNT_CUM, rng.random() * CHILD_COUNT_CUM[-1])
            perp = self.people[v.perps[-1][1]]
            kind = v.perps[-1][2]
            for _ in range(n):
                self._new_child(v, t, max_age=min(17, age - 16), perp=perp if kind != "other_family" else None)
        self._plan_moves(v, t, P_VICTIM_MOVE_PER_YEAR)
        return v.pid

    def _pnc(self) -> str:
        rng = self.rng
        return f"{rng.randrange(90, 114) % 100:02d}/{rng.randrange(10**6):06d}{rng.choice(_POSTCODE_LETTERS)}"

    def _attach_perpetrator(self, v: _P, t: int, victim_age: int):
        rng = self.rng
        kind = ("partner", "ex_partner", "other_family")[
            bisect_right(RELATIONSHIP_CUM, rng.random() * RELATIONSHIP_CUM[-1])
        ]
        same_sex = v.orient in ("gay_lesbian",) or (v.orient == "bisexual" and rng.random() < 0.4)
        if kind == "other_family":
            perp_sex = "male" if rng.random() < 0.75 else "female"
        elif same_sex:
            perp_sex = v.sex
        else:
            perp_sex = "male" if v.sex == "female" else "female"
        pool = self.area_perps[v.area]
        if kind != "other_family" and pool and rng.random() < herts.SERIAL_PERPETRATOR_SHARE:
            cand = self.people[pool[rng.randrange(len(pool))]]
            if cand.sex == perp_sex and cand.pid != v.pid:
                cohabit = kind == "partner" and rng.random() < 0.3
                v.perps.append((t, cand.pid, kind, cohabit))
                return
        p = self._new_person("perpetrator", v.area)
        p.sex = perp_sex
        if kind == "other_family":
            if victim_age >= 40 and rng.random() < 0.6:  # adult son or daughter
                age = max(16, victim_age - 20 - rng.randrange(15))
            else:  # parent or sibling
                age = max(16, victim_age + rng.choice((-5, -2, 2, 5, 25, 28, 30)) + rng.randrange(5))
        else:
            age = max(16, int(victim_age + rng.gauss(2.0, 5.0)))
        p.dob = self._dob_for_age(age, t)
        self._characteristics(p, victim=False, eth=v.eth if rng.random() < 0.85 else None)
        married = kind != "other_family" and v.sex == "female" and p.sex == "male" and rng.random() < 0.45
        returning = len(v.perps) > 0
        if kind == "other_family":
            p.given, p.fam = self._name_for(p.sex, p.eth, family=self._fam_at(v, t))
        else:
            p.given, p.fam = self._name_for(p.sex, p.eth)
        if married and returning:
            # Married since her last incident: the new surname applies from the wedding on.
            v.prev_fam = self._fam_at(v, t)
            wedding = t - rng.randrange(max(1, t - (v.last_t or t)))
            v.fam_changes = sorted((v.fam_changes or []) + [(wedding, p.fam)])
        elif married:
            v.prev_fam = v.fam  # maiden name
            v.fam = p.fam
            if rng.random() < P_SURNAME_REVERT:
                v.fam_changes = [(t + rng.randrange(max(1, self.end_t - t)), v.prev_fam)]
        elif v.sex == "female" and not returning and rng.random() < 0.12:
            v.prev_fam = self._family_name(self.names["gb"])  # an earlier married or birth name
        p.nhs = self._unique_nhs()
        p.pnc = self._pnc() if rng.random() < 0.6 else ""
        p.sev = v.sev
        self._phones(p, t)
        cohabit = (kind == "partner" and rng.random() < 0.6) or (kind == "other_family" and rng.random() < 0.7)
        if cohabit:
            p.hist = [[v.hist[-1][0], v.hist[-1][1]]]
        else:
            p.hist = [
                [-(30 + rng.randrange(3650)) * MINUTES_PER_DAY, self._new_address(self._pick_district(v.area, False))]
            ]
        self._plan_moves(p, t, P_PERP_MOVE_PER_YEAR)
        self.area_perps[v.area].append(p.pid)
        v.perps.append((t, p.pid, kind, cohabit))

    def _new_child(self, mother: _P, t: int, max_age: int, perp: _P | None, newborn_after: int | None = None):
        rng = self.rng
        c = self._new_person("child", mother.area)
        c.sex = "female" if rng.random() < 0.49 else "male"
        if newborn_after is not None:
            born = newborn_after + rng.randrange(max(1, t - newborn_after))
            c.dob = self._date(born)
        else:
            c.dob = self._dob_for_age(rng.randrange(max_age + 1), t)
        c.born_t = self._t_of_date(c.dob)
        c.adult_t = self._t_of_date(
            date(c.dob.year + 18, c.dob.month, 28 if (c.dob.month, c.dob.day) == (2, 29) else c.dob.day)
        )
        c.eth = mother.eth
        c.disab = "yes" if rng.random() < 0.07 else "no"
        c.orient = "not_stated"
        c.trans = "not_known"
        c.gender = "not_known"
        c.lang = mother.lang
        father = perp if (perp is not None and perp.sex == "male" and rng.random() < 0.6) else None
        family = father.fam if (father is not None and rng.random() < 0.6) else mother.fam
        c.given, c.fam = self._name_for(c.sex, c.eth, family=family)
        c.nhs = self._unique_nhs()
        c.phones = [(-(10**9), "")]
        c.lives_with = mother.pid
        c.father = father.pid if father is not None else None
        mother.children.append(c.pid)

    def _returning(self, pid: int, t: int):
        """A victim of an earlier year starts a new chain: sometimes with a new perpetrator
        and a new baby."""
        rng = self.rng
        v = self.people[pid]
        if rng.random() < P_NEW_PERPETRATOR_ON_RETURN:
            age = self._age_at(v, t)
            self._attach_perpetrator(v, t, age)
            if 18 <= age <= 44 and rng.random() < 0.3:
                self._new_child(v, t, 0, self.people[v.perps[-1][1]], newborn_after=v.last_t)

    # ---------------------------------------------------------------- lookups
    def _hist_of(self, p: _P) -> list[list]:
        return p.hist if p.hist is not None else self.people[p.lives_with].hist

    def _addr_at(self, p: _P, t: int, confidential_ok: bool = True) -> tuple:
        hist = self._hist_of(p)
        found = hist[0][1]
        for t_from, addr in hist:
            if t_from > t:
                break
            if confidential_ok or not addr[4]:
                found = addr
        return found

    def _district_at(self, p: _P, t: int) -> int:
        return self._addr_at(p, t, confidential_ok=False)[3]

    def _perp_at(self, v: _P, t: int) -> tuple[int, int, str, bool]:
        found = v.perps[0]
        for entry in v.perps:
            if entry[0] > t:
                break
            found = entry
        return found

    def _fam_at(self, p: _P, t: int) -> str:
        fam = p.fam
        if p.fam_changes:
            for t_change, new in p.fam_changes:
                if t_change <= t:
                    fam = new
        return fam

    def _children_at(self, v: _P, t: int) -> list[int]:
        return [c for c in v.children if self.people[c].born_t <= t < self.people[c].adult_t]

    # ---------------------------------------------------------------- records
    def _rec(self, ag: int, pid: int, t: int) -> int:
        key = (ag, pid)
        ri = self.rec_index.get(key)
        if ri is not None:
            r = self.recs[ri]
            if t - r[3] > 180 * MINUTES_PER_DAY and self.rng.random() < P_DUPLICATE_RECORD:
                ri = None
            else:
                if t < r[2]:
                    r[2] = t
                if t > r[3]:
                    r[3] = t
                return ri
        ri = len(self.recs)
        self.recs.append([ag, pid, t, t])
        self.rec_index[key] = ri
        return ri

    def _relate(self, a: int, b: int, kind: str):
        if a != b:
            self.relationships.setdefault((a, b, kind), None)

    def _household(self, ag: int, v: _P, vrec: int, t: int, members: list[tuple[int, bool]]):
        key = (ag, vrec)
        hi = self.household_index.get(key)
        if hi is None:
            hi = len(self.households)
            self.households.append([ag, v.pid, t, {vrec: False}])
            self.household_index[key] = hi
        hh = self.households[hi][3]
        for rec, is_child in members:
            hh.setdefault(rec, is_child)

    def _record_family(self, ag: int, v: _P, t: int, kids: list[int], perp_entry, with_perp: bool):
        """The agency's records of the victim, (optionally) the perpetrator and the
        children, with their relationships and household. Returns (vrec, prec, child recs)."""
        vrec = self._rec(ag, v.pid, t)
        prec = None
        _, perp_pid, kind, cohabit = perp_entry
        if with_perp:
            prec = self._rec(ag, perp_pid, t)
            self._relate(vrec, prec, kind)
        crecs = []
        for c in kids:
            crec = self._rec(ag, c, t)
            crecs.append(crec)
            self._relate(vrec, crec, "parent")
            if prec is not None and self.people[c].father == perp_pid:
                self._relate(prec, crec, "parent")
        if kids:
            members = [(crec, True) for crec in crecs]
            if prec is not None and cohabit:
                members.append((prec, False))
            self._household(ag, v, vrec, t, members)
        return vrec, prec, crecs

    def _dash(self, level: str) -> int:
        rng = self.rng
        if level == "high":
            return min(DASH_RIC_2009.max_score, herts.DASH_HIGH_MIN + int(rng.expovariate(0.45)))
        if level == "medium":
            return self._choose_cum(DASH_MEDIUM, DASH_MEDIUM_CUM)
        return self._choose_cum(DASH_STANDARD, DASH_STANDARD_CUM)

    def _involvement(self) -> str:
        return ("present", "witness", "harmed")[bisect_right(INVOLVEMENT_CUM, self.rng.random() * INVOLVEMENT_CUM[-1])]

    def _add_event(
        self,
        ag: int,
        t: int,
        v: _P,
        vrec: int,
        prec: int | None,
        is_crime: bool,
        level: str,
        dash: int | None,
        children: tuple[tuple[int, str], ...],
        children_present: bool,
    ) -> int:
        rng = self.rng
        delay = rng.randrange(180) if rng.random() < 0.8 else 180 + rng.randrange(72 * 60)
        ei = len(self.events)
        self.events.append(
            [ag, t, t + delay, v.pid, vrec, prec, is_crime, level, dash, children_present, children, v.area]
        )
        return ei

    # ---------------------------------------------------------------- police incidents
    def _police_area_year(self, y: int, a: int):
        rng = self.rng
        spec = herts.AREAS[a]
        n = round(spec.police_incidents * self.scale)
        if n <= 0:
            return
        repeats = round(n * spec.repeat_rate)
        fresh = n - repeats
        if fresh <= 0:
            fresh, repeats = 1, n - 1
        y0, y1 = y * YEAR, (y + 1) * YEAR
        people = self.people
        carried = [
            pid
            for pid in self.area_victims[a]
            if people[pid].last_t is not None and people[pid].last_t >= y0 - REPEAT_WINDOW
        ]
        lapsed = [
            pid
            for pid in self.area_victims[a]
            if people[pid].last_t is not None and people[pid].last_t < y0 - REPEAT_WINDOW
        ]
        incidents: list[tuple[int, int]] = []
        chains: list[tuple[int, int]] = []
        for _ in range(fresh):
            t = self._time_in(y0, y1 - 1)
            if lapsed and rng.random() < P_RETURNING_VICTIM:
                i = rng.randrange(len(lapsed))
                pid = lapsed[i]
                lapsed[i] = lapsed[-1]
                lapsed.pop()
                self._returning(pid, t)
            else:
                pid = self._new_victim(a, t)
            chains.append((pid, t))
            incidents.append((t, pid))
        carry = round(repeats * CARRY_SHARE) if carried else 0
        new_repeats = repeats - carry
        if new_repeats:
            cum = list(accumulate(people[pid].prop * max(0, y1 - 1 - s) for pid, s in chains))
            if cum[-1] <= 0:
                cum = list(accumulate(1.0 for _ in chains))
            for i in rng.choices(range(len(chains)), cum_weights=cum, k=new_repeats):
                pid, s = chains[i]
                incidents.append((self._time_in(s + 1, max(s + 2, y1)), pid))
        if carry:
            bounds = [min(y1, people[pid].last_t + REPEAT_WINDOW) for pid in carried]
            cum = list(accumulate(people[pid].prop * max(1, b - y0) for pid, b in zip(carried, bounds)))
            for i in rng.choices(range(len(carried)), cum_weights=cum, k=carry):
                incidents.append((self._time_in(y0, max(y0 + 1, bounds[i])), carried[i]))
        incidents.sort()

        # Risk: rank by latent severity + noise; exact Appendix 6 counts per area-year.
        n_high = round(n * spec.high_risk_incidents / spec.police_incidents)
        n_medium = round(n * spec.medium_risk_incidents / spec.police_incidents)
        scores = [people[pid].sev + rng.gauss(0.0, 0.9) for _, pid in incidents]
        order = sorted(range(n), key=lambda i: (-scores[i], i))
        levels = ["standard"] * n
        for rank, i in enumerate(order[: n_high + n_medium]):
            levels[i] = "high" if rank < n_high else "medium"

        # Children present: exactly 31% of incidents, among those with children at home.
        kids_at = [self._children_at(people[pid], t) for t, pid in incidents]
        eligible = [i for i in range(n) if kids_at[i]]
        target = round(n * herts.CHILDREN_PRESENT_SHARE)
        present = [False] * n
        for i in rng.sample(eligible, min(target, len(eligible))):
            present[i] = True

        out = self.incidents.setdefault((y, a), [])
        for i, (t, pid) in enumerate(incidents):
            v = people[pid]
            level = levels[i]
            kids = kids_at[i] if present[i] else []
            perp_entry = self._perp_at(v, t)
            vrec, prec, crecs = self._record_family(self.A_POLICE, v, t, kids, perp_entry, rng.random() < 0.97)
            children = tuple((crec, self._involvement()) for crec in crecs)
            ei = self._add_event(
                self.A_POLICE,
                t,
                v,
                vrec,
                prec,
                rng.random() < P_CRIME[level],
                level,
                self._dash(level),
                children,
                bool(kids),
            )
            out.append((t, pid, level, ei))
            if kids and rng.random() < P_CHILDRENS_SERVICES_EVENT:
                self._childrens_services_event(v, t, kids, perp_entry, children)
        for t, pid in incidents:
            v = people[pid]
            if v.last_t is None or t > v.last_t:
                v.last_t = t
            self.incident_times.setdefault(pid, []).append(t)

    def _childrens_services_event(self, v: _P, t: int, kids: list[int], perp_entry, police_children):
        rng = self.rng
        t_cs = min(self.end_t - 1, t + (1 + rng.randrange(10)) * MINUTES_PER_DAY)
        father_present = any(self.people[c].father == perp_entry[1] for c in kids)
        vrec, prec, crecs = self._record_family(
            self.A_CS, v, t_cs, kids, perp_entry, father_present and rng.random() < 0.7
        )
        children = tuple((crec, inv) for crec, (_, inv) in zip(crecs, police_children))
        self._add_event(self.A_CS, t_cs, v, vrec, prec, False, "", None, children, True)

    # ---------------------------------------------------------------- referrals
    def _agency_for_source(self, source: str, v: _P, t: int) -> int | None:
        rng = self.rng
        d = self.district_names[self._district_at(v, t)]
        u = rng.random()
        if source == "police":
            name = herts.POLICE
        elif source == "childrens_services":
            name = herts.CHILDRENS_SERVICES
        elif source == "adult_social_care":
            name = herts.ADULT_SOCIAL_CARE
        elif source == "health":
            if u < 0.55:
                name = herts.health_visiting_agency(d)
            elif u < 0.75:
                name = herts.gp_agency(d, 1 + rng.randrange(herts.GP_PRACTICES_PER_DISTRICT))
            elif u < 0.9:
                name = self.hospital_for[d]
            else:
                name = herts.MENTAL_HEALTH
        elif source == "substance_misuse":
            name = herts.SUBSTANCE_MISUSE
        elif source == "probation":
            name = herts.PROBATION
        elif source == "housing":
            name = herts.housing_agency(d)
        elif source == "voluntary_sector":
            if u < 0.6:
                name = self.voluntary_county[0 if u < 0.35 else 1]
            elif u < 0.8:
                name = self.local_voluntary[self.area_names[v.area]]
            else:
                name = rng.choice(self.refuge_providers)
        elif source == "others":
            name = herts.education_agency(d) if u < 0.5 else herts.VICTIM_SUPPORT
        elif source == "marac":
            name = herts.MARAC_COORDINATION
        elif source == "idva":
            name = herts.IDVA_SERVICE
        elif source == "self":
            return None
        else:  # pragma: no cover - guarded by the calibration tables
            raise ValueError(source)
        return self.agency_idx[name]

    def _quotas(self, by_source: dict[str, int], total: int, area_weights: list[int]) -> list[list[str]]:
        """Per area, the list of referral sources for one year: county totals per source are
        Appendix 7 x scale (largest remainder), shared between areas by ``area_weights``."""
        sources = list(by_source)
        county = herts.largest_remainder(round(total * self.scale), [by_source[s] for s in sources])
        per_area: list[list[str]] = [[] for _ in herts.AREAS]
        for s, count in zip(sources, county):
            for a, k in enumerate(herts.largest_remainder(count, area_weights)):
                per_area[a].extend([s] * k)
        for lst in per_area:
            self.rng.shuffle(lst)
        return per_area

    def _referral(
        self, destination: str, source: str, v: _P, t_incident: int, t: int, police_event: int | None, level: str
    ) -> int:
        rng = self.rng
        t = min(t, self.end_t - 1)
        ag = self._agency_for_source(source, v, t)
        rec_agency = self.A_IDVA if ag is None else ag
        event = None
        if source == "police":
            event = police_event
            channel = "police_import"
        elif source == "self":
            channel = "self"
        else:
            channel = (
                "api"
                if (self.agency_type[ag] in ("childrens_services", "gp", "acute_hospital") and rng.random() < 0.15)
                else "professional"
            )
            p_own = 0.0 if source == "marac" else 0.8 if source == "idva" else P_OWN_EVENT_WITH_REFERRAL
            if rng.random() < p_own:
                # The referring agency's own record of the concern. A MARAC referral is
                # usually made on the agency's own DASH finding high risk (or, from the IDVA
                # service, on a re-assessment that upgrades a police grading).
                t_ev = t_incident + rng.randrange(max(1, t - t_incident))
                kids = (
                    self._children_at(v, t_ev)
                    if self.agency_type[ag] in ("childrens_services", "health_visiting")
                    else []
                )
                perp_entry = self._perp_at(v, t_ev)
                vrec, prec, crecs = self._record_family(ag, v, t_ev, kids, perp_entry, rng.random() < 0.4)
                if destination == "marac":
                    assessed, own_level = True, "high" if rng.random() < 0.75 else level
                else:
                    assessed, own_level = rng.random() < 0.6, level
                event = self._add_event(
                    ag,
                    t_ev,
                    v,
                    vrec,
                    prec,
                    False,
                    own_level if assessed else "",
                    self._dash(own_level) if assessed else None,
                    tuple((c, self._involvement()) for c in crecs),
                    bool(crecs),
                )
                t = min(self.end_t - 1, max(t, self.events[event][2]))
        vrec = self._rec(rec_agency, v.pid, t)
        self.safe_contact_recs.setdefault(vrec, None)
        self.referrals.append([destination, channel, source, ag, vrec, v.pid, event, t])
        return len(self.referrals) - 1

    def _pools(self, y: int, a: int) -> dict[str, list[tuple[int, int, str, int]]]:
        """This area-year's police incidents by risk level, plus "escalation": incidents that
        make 3 or more for their victim within 12 months (domain.md MARAC criterion 3)."""
        incidents = self.incidents.get((y, a), [])
        pools = {"high": [], "escalation": [], "medium": [], "standard": []}
        for inc in incidents:
            pools[inc[2]].append(inc)
            times = self.incident_times[inc[1]]
            i = bisect_right(times, inc[0])
            if inc[2] != "high" and i >= 3 and inc[0] - times[i - 3] <= REPEAT_WINDOW:
                pools["escalation"].append(inc)
        for lst in pools.values():
            self.rng.shuffle(lst)
        return pools

    def _take(self, pools, order: tuple[tuple[str, float], ...], ok) -> tuple[int, int, str, int] | None:
        """Draw an incident from the risk pools (preferring ``order``'s first level with its
        probability), whose victim passes ``ok``; pools are consumed."""
        u = self.rng.random()
        acc = 0.0
        first = order[-1][0]
        for level, p in order:
            acc += p
            if u < acc:
                first = level
                break
        for level in (first, "high", "escalation", "medium", "standard"):
            pool = pools[level]
            while pool:
                inc = pool.pop()
                if ok(inc):
                    return inc
        return None

    def _marac_year(self, y: int, a: int, slots: list[str], marac_times: dict[int, list[int]]):
        rng = self.rng
        spec = herts.AREAS[a]
        pools = self._pools(y, a)
        incidents = self.incidents.get((y, a), [])
        people = self.people
        made: list[int] = []

        def recently_referred(pid: int, t: int) -> bool:
            # Either side: referrals are not made in time order, and a first referral must
            # not turn another into a repeat.
            return any(abs(t - r) <= REPEAT_WINDOW + 60 * MINUTES_PER_DAY for r in marac_times.get(pid, ()))

        plan = [(s, rng.random() < spec.marac_repeat_rate) for s in slots]
        first_pass = [s for s, rep in plan if not rep]
        repeat_slots = [s for s, rep in plan if rep]
        prefs = {
            "police": (("high", 0.8), ("escalation", 0.2)),
            "idva": (("medium", 0.6), ("high", 0.3), ("escalation", 0.1)),
        }
        other_pref = (("high", 0.5), ("escalation", 0.15), ("medium", 0.3), ("standard", 0.05))
        delays = {"police": (0, 3), "idva": (3, 21)}
        for s in first_pass:
            inc = self._take(pools, prefs.get(s, other_pref), lambda i: not recently_referred(i[1], i[0]))
            if inc is None:
                continue
            t_inc, pid = inc[0], inc[1]
            lo, hi = delays.get(s, (1, 45))
            t = t_inc + (lo + rng.randrange(hi - lo + 1)) * MINUTES_PER_DAY + rng.randrange(MINUTES_PER_DAY)
            made.append(self._referral("marac", s, people[pid], t_inc, t, inc[3], inc[2]))
            marac_times.setdefault(pid, []).append(min(t, self.end_t - 1))
        if repeat_slots:
            # A repeat: a later police incident of a victim already referred to MARAC, within
            # 12 months of the last referral (domain.md MARAC criterion 4).
            candidates = []
            for inc in incidents:
                times = marac_times.get(inc[1])
                if not times:
                    continue
                last = max((r for r in times if r <= inc[0] - 14 * MINUTES_PER_DAY), default=None)
                if last is not None and inc[0] - last <= REPEAT_WINDOW - 7 * MINUTES_PER_DAY:
                    candidates.append(inc)
            rng.shuffle(candidates)
            used: set[int] = set()
            for s in repeat_slots:
                inc = None
                while candidates:
                    c = candidates.pop()
                    if c[1] not in used:
                        inc = c
                        break
                if inc is None:
                    inc = self._take(pools, prefs.get(s, other_pref), lambda i: not recently_referred(i[1], i[0]))
                    if inc is None:
                        continue
                used.add(inc[1])
                t_inc, pid = inc[0], inc[1]
                t = t_inc + (1 + rng.randrange(5)) * MINUTES_PER_DAY
                made.append(self._referral("marac", s, people[pid], t_inc, t, inc[3], inc[2]))
                marac_times.setdefault(pid, []).append(min(t, self.end_t - 1))
        return made

    def _idva_year(self, y: int, a: int, slots: list[str], marac_made: list[int]):
        rng = self.rng
        pools = self._pools(y, a)
        people = self.people
        referred: set[int] = set()
        marac_refs = list(marac_made)
        rng.shuffle(marac_refs)
        prefs = {
            "police": (("high", 0.4), ("medium", 0.6)),
            "self": (("standard", 0.5), ("medium", 0.4), ("high", 0.1)),
        }
        other_pref = (("high", 0.15), ("medium", 0.45), ("standard", 0.4))
        for s in slots:
            if s == "marac":
                ref = None
                while marac_refs:
                    r = self.referrals[marac_refs.pop()]
                    if r[5] not in referred:
                        ref = r
                        break
                if ref is not None:
                    pid = ref[5]
                    t = ref[7] + (7 + rng.randrange(22)) * MINUTES_PER_DAY
                    referred.add(pid)
                    self._referral("idva", "marac", people[pid], ref[7], t, None, "high")
                    continue
            inc = self._take(pools, prefs.get(s, other_pref), lambda i: i[1] not in referred)
            if inc is None:
                continue
            t_inc, pid = inc[0], inc[1]
            lo, hi = (0, 3) if s == "police" else (1, 60)
            t = t_inc + (lo + rng.randrange(hi - lo + 1)) * MINUTES_PER_DAY + rng.randrange(MINUTES_PER_DAY)
            referred.add(pid)
            self._referral("idva", s, people[pid], t_inc, t, inc[3], inc[2])

    # ---------------------------------------------------------------- other events
    def _health_events(self, y: int, a: int):
        rng = self.rng
        incidents = self.incidents.get((y, a), [])
        if not incidents:
            return
        victims = list(dict.fromkeys(inc[1] for inc in incidents))
        by_victim: dict[int, tuple[int, int, str, int]] = {}
        for inc in incidents:
            by_victim.setdefault(inc[1], inc)
        k = round(HEALTH_EVENTS_PER_VICTIM * len(victims))
        for pid in rng.sample(victims, min(k, len(victims))):
            v = self.people[pid]
            t_inc, _, level, _ = by_victim[pid]
            t = min(self.end_t - 1, t_inc + rng.randrange(30 * MINUTES_PER_DAY))
            d = self.district_names[self._district_at(v, t)]
            kids = self._children_at(v, t)
            u = rng.random()
            if u < 0.15 and any(self._age_at(self.people[c], t) < 5 for c in kids):
                name = herts.health_visiting_agency(d)
            elif u < 0.55:
                name = self.hospital_for[d]
            elif u < 0.85:
                name = herts.gp_agency(d, 1 + rng.randrange(herts.GP_PRACTICES_PER_DISTRICT))
            else:
                name = herts.MENTAL_HEALTH
            ag = self.agency_idx[name]
            vrec, prec, _ = self._record_family(ag, v, t, [], self._perp_at(v, t), rng.random() < 0.2)
            assessed = rng.random() < 0.5
            self._add_event(
                ag,
                t,
                v,
                vrec,
                prec,
                False,
                level if assessed else "",
                self._dash(level) if assessed else None,
                (),
                False,
            )

    def _refuge_year(self, y: int, a: int, quota: int):
        rng = self.rng
        pools = self._pools(y, a)
        cands = pools["high"] + pools["medium"]
        rng.shuffle(cands)
        placed = 0
        seen: set[int] = set()
        for t_inc, pid, _, _ in cands:
            if placed >= quota:
                break
            v = self.people[pid]
            if pid in seen or v.sex != "female":
                continue
            seen.add(pid)
            entry = t_inc + rng.randrange(3 * MINUTES_PER_DAY)
            if v.refuge_stays and any(e <= entry <= x for e, x in v.refuge_stays):
                continue
            stay = int(max(14, min(365, rng.gauss(herts.REFUGE_AVERAGE_STAY_DAYS, 40)))) * MINUTES_PER_DAY
            exit_t = entry + stay
            refuge_i = bisect_right(self.refuge_cum, rng.random() * self.refuge_cum[-1])
            refuge = self.refuges[refuge_i]
            r_addr = _parse_refuge_address(refuge, self.district_names.index(refuge.district))
            before = [e for e in v.hist if e[0] < entry]
            after = [e for e in v.hist if e[0] > exit_t]
            new_hist = before + [[entry, r_addr]]
            if exit_t < self.end_t:
                d = self._pick_district(v.area, women=True)
                new_hist.append([exit_t, self._new_address(d)])
            v.hist = new_hist + after
            v.refuge_stays = (v.refuge_stays or []) + [(entry, exit_t)]
            ag = self.agency_idx[refuge.provider]
            kids = self._children_at(v, entry)
            self._record_family(ag, v, entry, kids, self._perp_at(v, entry), False)
            vrec = self._rec(ag, v.pid, min(exit_t, self.end_t - 1))
            self.safe_contact_recs.setdefault(vrec, None)
            placed += 1

    # ---------------------------------------------------------------- run
    def run(self) -> SyntheticCounty:
        area_incident_w = [a.police_incidents for a in herts.AREAS]
        area_marac_w = [a.marac_cases for a in herts.AREAS]
        for y in range(self.years):
            for a in range(len(herts.AREAS)):
                self._police_area_year(y, a)
        marac_times: dict[int, list[int]] = {}
        refuge_quota = herts.largest_remainder(round(herts.REFUGE_TOTAL_ACCOMMODATED * self.scale), area_incident_w)
        for y in range(self.years):
            marac_slots = self._quotas(herts.MARAC_REFERRALS_BY_SOURCE, herts.MARAC_REFERRALS_TOTAL, area_marac_w)
            idva_slots = self._quotas(herts.IDVA_REFERRALS_BY_SOURCE, herts.IDVA_REFERRALS_TOTAL, area_incident_w)
            for a in range(len(herts.AREAS)):
                made = self._marac_year(y, a, marac_slots[a], marac_times)
                self._idva_year(y, a, idva_slots[a], made)
                self._health_events(y, a)
                self._refuge_year(y, a, refuge_quota[a])
        return self._finish()

    # ---------------------------------------------------------------- output
    def _finish(self) -> SyntheticCounty:
        rng = self.rng
        b_person, b_record, b_event = self.bases["person"], self.bases["record"], self.bases["event"]
        b_household, b_referral = self.bases["household"], self.bases["referral"]
        people = self.people
        dn = self.district_names
        an = self.area_names
        agencies = self.agencies
        base_dt = datetime.combine(self.start, time(0), tzinfo=LONDON)

        def dt(t: int) -> datetime:
            return base_dt + timedelta(minutes=t)

        def tkey(pid: int) -> str:
            return f"T{b_person + pid + 1:09d}"

        true_people = [
            TruePerson(
                tkey(p.pid),
                p.role,
                p.sex,
                p.dob,
                p.given,
                self._fam_at(p, self.end_t),
                an[p.area],
                dn[self._district_at(p, self.end_t - 1)],
            )
            for p in people
        ]

        records: list[PersonRecord] = []
        names: list[OtherName] = []
        addresses: list[AddressRecord] = []
        for ri, (ag, pid, first, last) in enumerate(self.recs):
            key = b_record + ri + 1
            p = people[pid]
            atype = self.agency_type[ag]
            habits = _HABITS.get(atype, _HABITS_DEFAULT)
            p_dob_missing, p_phone_missing, p_pc_missing, p_nick, p_eth, p_nhs, p_update, p_history = habits
            is_child = p.role == "child"
            # names
            given = p.given
            nicks = _nicknames(given)
            if nicks and rng.random() < p_nick:
                given = rng.choice(nicks)
            elif nicks and rng.random() < 0.05:
                names.append(OtherName(key, "nickname", rng.choice(nicks), ""))
            if rng.random() < 0.025:
                given = _typo(rng, given)
            fam_first, fam_last = self._fam_at(p, first), self._fam_at(p, last)
            family = fam_last if rng.random() < p_update else fam_first
            if p.prev_fam and not p.fam_changes and rng.random() < 0.06:
                family = p.prev_fam  # an old record from before the marriage
            for other in dict.fromkeys((p.prev_fam, fam_first, fam_last)):
                if other and other != family and rng.random() < 0.4:
                    names.append(OtherName(key, "previous", "", other))
            if rng.random() < 0.025:
                family = _typo(rng, family)
            # date of birth
            dob = p.dob
            u = rng.random()
            if u < (p_dob_missing if not is_child else p_dob_missing / 2):
                dob = None
            elif u < p_dob_missing + 0.02 and dob.day <= 12 and dob.day != dob.month:
                dob = date(dob.year, dob.day, dob.month)
            elif u < p_dob_missing + 0.035:
                dob = (
                    dob + timedelta(days=rng.choice((-1, 1)))
                    if rng.random() < 0.5
                    else _shift_year(dob, rng.choice((-1, 1)))
                )
            sex = p.sex if rng.random() >= 0.02 else "not_known"
            eth = p.eth if rng.random() < p_eth else "not_stated"
            if eth == "white_british" and rng.random() < 0.02:
                eth = "white_other"
            recorded_more = rng.random() < 0.6
            phone = ""
            if not is_child and rng.random() >= p_phone_missing:
                phone = p.phones[0][1]
                for t_from, number in p.phones:
                    if t_from <= last:
                        phone = number
                if rng.random() < 0.3:
                    phone = phone.replace(" ", "")
            records.append(
                PersonRecord(
                    key=key,
                    agency=agencies[ag].name,
                    true_person_key=tkey(pid),
                    role=p.role,
                    given_name=given,
                    family_name=family,
                    date_of_birth=dob,
                    sex=sex,
                    gender_identity=p.gender if recorded_more else "not_known",
                    trans=p.trans if recorded_more else "not_known",
                    ethnicity=eth,
                    disability=p.disab if recorded_more else "not_known",
                    sexual_orientation=p.orient if (recorded_more and rng.random() < 0.6) else "not_stated",
                    first_language=p.lang if rng.random() < 0.8 else "",
                    interpreter_needed=p.interp,
                    phone=phone,
                    nhs_number=p.nhs if rng.random() < p_nhs else "",
                    pnc_id=p.pnc if atype == "police" else "",
                )
            )
            # addresses seen by this agency between its first and last contact
            hist = self._hist_of(p)
            confidential_ok = atype == "refuge_provider" or (atype == "idva_service" and rng.random() < 0.5)
            spans = []
            for i, (t_from, addr) in enumerate(hist):
                t_to = hist[i + 1][0] if i + 1 < len(hist) else None
                if addr[4] and not confidential_ok:
                    continue
                if t_from <= last and (t_to is None or t_to > first):
                    spans.append((t_from, addr))
            if not spans:  # only confidential addresses in the window: the agency has the last known home
                spans = [(t_from, addr) for t_from, addr in hist if not addr[4] and t_from <= last][-1:] or [
                    (hist[0][0], hist[0][1])
                ]
            if len(spans) > 1 and rng.random() < 0.05:
                spans.pop()  # did not hear about the latest move
            if len(spans) > 1 and rng.random() >= p_history:
                spans = spans[-1:]
            for i, (t_from, addr) in enumerate(spans):
                line1, town, postcode, d, confidential = addr
                if rng.random() < 0.02:
                    line1 = _typo(rng, line1)
                u = rng.random()
                if u < p_pc_missing:
                    postcode = ""
                elif u < p_pc_missing + 0.08:
                    postcode = postcode.replace(" ", "")
                elif u < p_pc_missing + 0.09:
                    postcode = postcode[:-2] + postcode[-1] + postcode[-2]
                valid_from = self._date(t_from) if rng.random() < 0.7 else None
                valid_to = self._date(spans[i + 1][0]) if i + 1 < len(spans) else None
                addresses.append(
                    AddressRecord(key, line1, "", town, postcode, dn[d], valid_from, valid_to, confidential)
                )

        def rkey(ri: int | None) -> int | None:
            return None if ri is None else b_record + ri + 1

        events = []
        for ei, (ag, t, t_rep, pid, vrec, prec, is_crime, level, dash, cpresent, children, area) in enumerate(
            self.events
        ):
            agency = agencies[ag]
            prefix = (
                "HC"
                if agency.agency_type == "police"
                else "".join(w[0] for w in agency.name.split() if w[0].isalpha())[:4].upper()
            )
            key = b_event + ei + 1
            events.append(
                EventRecord(
                    key=key,
                    agency=agency.name,
                    reference=f"{prefix}/{self._date(t).year % 100:02d}/{key:07d}",
                    occurred_at=dt(t),
                    reported_at=dt(t_rep),
                    district=dn[self._district_at(people[pid], t)],
                    area=an[area],
                    victim_record=rkey(vrec),
                    perpetrator_record=rkey(prec),
                    is_crime=is_crime,
                    risk_level=level,
                    dash_score=dash,
                    children_present=cpresent,
                    children=tuple((rkey(c), inv) for c, inv in children),
                )
            )

        referrals = []
        last_ref: dict[tuple[str, int], int] = {}
        order = sorted(range(len(self.referrals)), key=lambda i: (self.referrals[i][7], i))
        repeat_flags = [False] * len(self.referrals)
        for i in order:
            dest, _, _, _, _, pid, _, t = self.referrals[i]
            prev = last_ref.get((dest, pid))
            repeat_flags[i] = prev is not None and t - prev <= REPEAT_WINDOW
            last_ref[(dest, pid)] = t
        for i, (dest, channel, source, ag, vrec, pid, event, t) in enumerate(self.referrals):
            v = people[pid]
            referrals.append(
                ReferralRecord(
                    key=b_referral + i + 1,
                    destination=dest,
                    channel=channel,
                    source=source,
                    agency=None if ag is None else agencies[ag].name,
                    victim_record=rkey(vrec),
                    event=None if event is None else b_event + event + 1,
                    district=dn[self._district_at(v, t)],
                    area=an[v.area],
                    received_at=dt(t),
                    is_repeat=repeat_flags[i],
                )
            )

        households = [
            HouseholdRecord(
                b_household + hi + 1,
                agencies[ag].name,
                dn[self._district_at(people[pid], t)],
                tuple((rkey(r), c) for r, c in members.items()),
            )
            for hi, (ag, pid, t, members) in enumerate(self.households)
        ]
        relationships = [RelationshipRecord(rkey(a), rkey(b), kind) for a, b, kind in self.relationships]

        safe_contacts = []
        for ri in self.safe_contact_recs:
            ag, pid, first, last = self.recs[ri]
            v = people[pid]
            cohabit = self._perp_at(v, last)[3] if v.perps else False
            risky = 0.55 if cohabit else 0.2

            def answer(p_no: float) -> str:
                u = rng.random()
                return "no" if u < p_no else "not_known" if u < p_no + 0.15 else "yes"

            voicemail, text, letter, email = answer(risky), answer(risky * 0.8), answer(risky), answer(risky * 0.5)
            avoid = [
                c
                for c, a in (("voicemail", voicemail), ("text", text), ("letter", letter), ("email", email))
                if a == "no"
            ]
            if cohabit and rng.random() < 0.7:
                avoid.append("home_visit")
            if rng.random() < 0.08:
                avoid.append("workplace")
            u = rng.random()
            safe_phone = v.phones[-1][1] if u < 0.75 else _drama_phone(rng, True) if u < 0.85 else ""
            safe_contacts.append(
                SafeContactRecord(
                    record=rkey(ri),
                    safe_phone=safe_phone,
                    safe_times=rng.choice(SAFE_TIMES),
                    voicemail_safe=voicemail,
                    text_safe=text,
                    letter_safe=letter,
                    email_safe=email,
                    safe_email=f"contact{rkey(ri)}@example.org" if email == "yes" else "",
                    do_not_contact_via=tuple(avoid),
                    notes=rng.choice(SAFE_NOTES),
                )
            )

        return SyntheticCounty(
            seed=self.seed,
            years=self.years,
            scale=self.scale,
            start=self.start,
            end=self.start + timedelta(days=self.years * DAYS_PER_YEAR),
            partnership=herts.PARTNERSHIP,
            areas=herts.AREAS,
            districts=herts.DISTRICTS,
            agencies=herts.AGENCIES,
            refuges=self.refuges,
            people=true_people,
            records=records,
            other_names=names,
            addresses=addresses,
            relationships=relationships,
            households=households,
            events=events,
            referrals=referrals,
            safe_contacts=safe_contacts,
        )


def _shift_year(d: date, delta: int) -> date:
    try:
        return d.replace(year=d.year + delta)
    except ValueError:  # 29 February
        return d.replace(year=d.year + delta, day=28)


def _parse_refuge_address(refuge: Refuge, d: int) -> tuple:
    line1, town, postcode = refuge.confidential_address.split(", ")
    return (line1, town, postcode, d, True)


def _refuges(rng: random.Random) -> tuple[Refuge, ...]:
    """Table 11's refuges, each with an invented confidential address in its district."""
    gb = _name_pools()["gb"]
    districts = {d.name: d for d in herts.DISTRICTS}
    out = []
    for spec in herts.REFUGES:
        town, outwards = districts[spec.district].towns[0]
        street = f"{gb.last[rng.randrange(len(gb.last))]} {rng.choice(_street_suffixes())}"
        postcode = (
            f"{rng.choice(outwards)} {rng.randrange(10)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
        )
        out.append(
            Refuge(
                spec.name,
                spec.provider,
                spec.district,
                spec.units,
                spec.support_worker_fte,
                f"{1 + rng.randrange(200)} {street}, {town}, {postcode}",
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def _check(seed: int, years: int, scale: float, start: date):
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError("seed must be a whole number")
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ValueError(f"years must be a whole number of at least 1, got {years!r}")
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a number greater than 0, got {scale!r}")
    if not isinstance(start, date):
        raise ValueError("start must be a date")


def shard_scales(scale: float) -> list[float]:
    """How ``scale`` is split: ceil(scale) equal shards of at most one county each."""
    n = max(1, math.ceil(scale - 1e-9))
    return [scale / n] * n


def iter_shards(
    *, seed: int, years: int = 1, scale: float = 1.0, start: date = DEFAULT_START
) -> Iterator[SyntheticCounty]:
    """Generate the county shard by shard (each at most one county's volume, with its own
    people), so that national volumes can be streamed in bounded memory. Keys are
    consecutive across shards; the static parts (areas, agencies, refuges) repeat."""
    _check(seed, years, scale, start)
    # Bandit's B311 (random is not for security): a repeatable synthetic county.
    master = random.Random(seed)  # nosec B311
    refuges = _refuges(random.Random(master.getrandbits(64)))  # nosec B311
    scales = shard_scales(scale)
    shard_seeds = [master.getrandbits(64) for _ in scales]
    bases = {"person": 0, "record": 0, "event": 0, "household": 0, "referral": 0}
    for shard_seed, shard_scale in zip(shard_seeds, scales):
        shard = _Shard(
            seed=shard_seed, years=years, scale=shard_scale, start=start, bases=dict(bases), refuges=refuges
        ).run()
        bases["person"] += len(shard.people)
        bases["record"] += len(shard.records)
        bases["event"] += len(shard.events)
        bases["household"] += len(shard.households)
        bases["referral"] += len(shard.referrals)
        yield _with_meta(shard, seed=seed, scale=scale)


def _with_meta(shard: SyntheticCounty, *, seed: int, scale: float) -> SyntheticCounty:
    return SyntheticCounty(**{**shard.__dict__, "seed": seed, "scale": scale})


def join_shards(shards: Iterable[SyntheticCounty]) -> SyntheticCounty:
    shards = list(shards)
    first = shards[0]
    lists = {}
    for name in (
        "people",
        "records",
        "other_names",
        "addresses",
        "relationships",
        "households",
        "events",
        "referrals",
        "safe_contacts",
    ):
        joined = []
        for s in shards:
            joined.extend(getattr(s, name))
        lists[name] = joined
    return SyntheticCounty(**{**first.__dict__, **lists})


def generate_county(*, seed: int, years: int = 1, scale: float = 1.0, start: date = DEFAULT_START) -> SyntheticCounty:
    """The whole synthetic county in memory. Same arguments, same output."""
    return join_shards(iter_shards(seed=seed, years=years, scale=scale, start=start))


# --------------------------------------------------------------------------------------
# Marginals (for the command's summary, the tests and the benchmark)
# --------------------------------------------------------------------------------------


def police_repeat_flags(county: SyntheticCounty) -> dict[int, bool]:
    """Event key -> repeat, by the module's definition, computed from the records' ground
    truth (not from the generator's internals)."""
    truth = {r.key: r.true_person_key for r in county.records}
    by_victim: dict[str, list[tuple[datetime, int]]] = {}
    for e in county.events:
        if e.agency == herts.POLICE:
            by_victim.setdefault(truth[e.victim_record], []).append((e.occurred_at, e.key))
    flags: dict[int, bool] = {}
    window = timedelta(days=365)
    for incidents in by_victim.values():
        incidents.sort()
        prev = None
        for when, key in incidents:
            flags[key] = prev is not None and when - prev <= window
            prev = when
    return flags


def marginals(county: SyntheticCounty) -> dict[str, object]:
    """Headline shares of the generated data (no personal data)."""
    police = [e for e in county.events if e.agency == herts.POLICE]
    n = len(police) or 1
    flags = police_repeat_flags(county)
    truth = {r.key: r.true_person_key for r in county.records}
    out: dict[str, object] = {
        "police incidents": len(police),
        "distinct victims (police)": len({truth[e.victim_record] for e in police}),
        "repeat rate": round(sum(flags.values()) / n, 4),
        "high": round(sum(e.risk_level == "high" for e in police) / n, 4),
        "medium": round(sum(e.risk_level == "medium" for e in police) / n, 4),
        "standard": round(sum(e.risk_level == "standard" for e in police) / n, 4),
        "children present": round(sum(e.children_present for e in police) / n, 4),
    }
    for area in county.areas:
        out[f"police incidents {area.name}"] = sum(e.area == area.name for e in police)
    for dest in ("idva", "marac"):
        refs = [r for r in county.referrals if r.destination == dest]
        out[f"{dest} referrals"] = len(refs)
    out["marac repeat rate"] = round(
        sum(r.is_repeat for r in county.referrals if r.destination == "marac")
        / max(1, sum(r.destination == "marac" for r in county.referrals)),
        4,
    )
    return out

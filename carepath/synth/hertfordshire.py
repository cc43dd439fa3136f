"""Calibration data for the synthetic county: Hertfordshire, 2013-14.

Every number comes from a published table, cited beside it. "Seed 002" is the
Hertfordshire domestic abuse review in ``shared/seeds/002_*.txt`` (Appendix 6: data by
MARAC area; Appendix 7: referrals by source agency; Table 11: refuges). These are the
*targets the generator aims at*, not rules: the thresholds Carepath applies live in the
partnership's configuration (``carepath.configuration``).

Pure Python, no Django imports: the generator imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------------------
# Partnership and MARAC areas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnershipSpec:
    name: str
    population: int
    women_16_plus: int


@dataclass(frozen=True, slots=True)
class AreaSpec:
    """One MARAC area with its yearly volumes (seed 002 Appendix 6, Table 1)."""

    name: str
    population: int
    women_16_plus: int
    police_incidents: int  # all risks, year to July 2013
    repeat_rate: float  # all risks
    high_risk_incidents: int
    medium_risk_incidents: int
    marac_cases: int  # 12 months to July 2014
    marac_repeat_rate: float  # "% repeat cases at MARAC"
    marac_children: int  # children associated with MARAC cases


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    name: str
    area: str
    population: int
    women_16_plus: int
    # Towns with the postcode outward codes that serve them (Royal Mail postcode areas AL,
    # SG, WD, EN, HP and CM21/CM23; the outward code is real, the inward code is random).
    towns: tuple[tuple[str, tuple[str, ...]], ...]


# Seed 002 Appendix 6, Table 1, column "Hertfordshire Police Force": total population
# 1,116,062; female population aged 16+ 459,661.
PARTNERSHIP = PartnershipSpec(name="Hertfordshire", population=1_116_062, women_16_plus=459_661)

# Seed 002 Appendix 6, Table 1, columns Central / East / West, rows in order: total
# population; female population aged 16+; police incidents (all risks) year to July 2013;
# repeat rate (all risks); police incidents high risk; medium risk; MARAC cases (12 months
# to July 2014); % repeat cases at MARAC; number of children associated with MARAC cases.
AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("Central", 351_230, 144_954, 4_235, 0.41, 104, 1_045, 227, 0.18, 306),
    AreaSpec("East", 442_367, 182_519, 5_416, 0.39, 145, 1_410, 274, 0.19, 380),
    AreaSpec("West", 322_465, 132_188, 4_007, 0.43, 115, 984, 193, 0.17, 251),
)

# District populations: ONS 2011 Census (usual residents, table KS101EW) for the ten
# Hertfordshire districts. Their sums per MARAC area equal Appendix 6's area populations,
# except that Dacorum is set to 144,870 (Census: 144,847, +23) so that West sums exactly
# to Appendix 6's 322,465. Central: St Albans, Welwyn Hatfield, Hertsmere; East:
# Broxbourne, East Hertfordshire, North Hertfordshire, Stevenage; West: Dacorum, Three
# Rivers, Watford (seed 002 Appendix 5 and §3).
_DISTRICT_POPULATIONS: tuple[tuple[str, str, int, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "St Albans",
        "Central",
        140_664,
        (
            ("St Albans", ("AL1", "AL3", "AL4")),
            ("Harpenden", ("AL5",)),
            ("London Colney", ("AL2",)),
        ),
    ),
    (
        "Welwyn Hatfield",
        "Central",
        110_535,
        (
            ("Welwyn Garden City", ("AL7", "AL8")),
            ("Hatfield", ("AL9", "AL10")),
            ("Welwyn", ("AL6",)),
        ),
    ),
    (
        "Hertsmere",
        "Central",
        100_031,
        (
            ("Borehamwood", ("WD6",)),
            ("Potters Bar", ("EN6",)),
            ("Bushey", ("WD23",)),
            ("Radlett", ("WD7",)),
        ),
    ),
    (
        "Broxbourne",
        "East",
        93_609,
        (
            ("Cheshunt", ("EN7", "EN8")),
            ("Hoddesdon", ("EN11",)),
            ("Waltham Cross", ("EN8",)),
            ("Broxbourne", ("EN10",)),
        ),
    ),
    (
        "East Hertfordshire",
        "East",
        137_687,
        (
            ("Bishop's Stortford", ("CM23",)),
            ("Hertford", ("SG13", "SG14")),
            ("Ware", ("SG12",)),
            ("Sawbridgeworth", ("CM21",)),
            ("Buntingford", ("SG9",)),
        ),
    ),
    (
        "North Hertfordshire",
        "East",
        127_114,
        (
            ("Hitchin", ("SG4", "SG5")),
            ("Letchworth Garden City", ("SG6",)),
            ("Baldock", ("SG7",)),
            ("Royston", ("SG8",)),
        ),
    ),
    ("Stevenage", "East", 83_957, (("Stevenage", ("SG1", "SG2")),)),
    (
        "Dacorum",
        "West",
        144_870,
        (
            ("Hemel Hempstead", ("HP1", "HP2", "HP3")),
            ("Berkhamsted", ("HP4",)),
            ("Tring", ("HP23",)),
        ),
    ),
    (
        "Three Rivers",
        "West",
        87_294,
        (
            ("Rickmansworth", ("WD3",)),
            ("Abbots Langley", ("WD5",)),
            ("South Oxhey", ("WD19",)),
            ("Kings Langley", ("WD4",)),
        ),
    ),
    ("Watford", "West", 90_301, (("Watford", ("WD17", "WD18", "WD24", "WD25")),)),
)


def largest_remainder(total: int, weights: list[int] | tuple[int, ...]) -> list[int]:
    """Share ``total`` in proportion to ``weights`` as whole numbers that sum to ``total``
    exactly (Hamilton's largest-remainder method; ties go to the earlier weight)."""
    weight_sum = sum(weights)
    if weight_sum <= 0 or total <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    short = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:short]:
        shares[i] += 1
    return shares


def _districts() -> tuple[DistrictSpec, ...]:
    out: list[DistrictSpec] = []
    for area in AREAS:
        rows = [r for r in _DISTRICT_POPULATIONS if r[1] == area.name]
        # Women 16+ per district: the area's Appendix 6 figure shared pro rata to district
        # population, largest remainder, so the districts sum exactly to the area.
        women = largest_remainder(area.women_16_plus, [r[2] for r in rows])
        out.extend(DistrictSpec(r[0], r[1], r[2], w, r[3]) for r, w in zip(rows, women))
    return tuple(out)


DISTRICTS: tuple[DistrictSpec, ...] = _districts()

# --------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencySpec:
    """An agency; ``agency_type`` is a ``carepath.core.models.AgencyType`` value and
    ``district`` a district name, or None for a county-wide agency. Names are unique and
    serve as the agency's key."""

    name: str
    agency_type: str
    district: str | None = None


POLICE = "Hertfordshire Constabulary"
CHILDRENS_SERVICES = "Hertfordshire County Council Children's Services"
ADULT_SOCIAL_CARE = "Hertfordshire County Council Adult Social Care"
IDVA_SERVICE = "Hertfordshire IDVA Service"
VICTIM_SUPPORT = "Victim Support Hertfordshire"
PROBATION = "Probation Service Hertfordshire"
MENTAL_HEALTH = "Hertfordshire Mental Health Trust"
SUBSTANCE_MISUSE = "Hertfordshire Substance Misuse Service"
MARAC_COORDINATION = "Hertfordshire MARAC Coordination"
PARTNERSHIP_OFFICE = "Hertfordshire Domestic Abuse Partnership Office"
FRONT_DOOR = "Hertfordshire MASH (One Front Door)"

# County-wide agencies: one of each county-wide type named in seed 002 (Appendix 7, §2).
_COUNTY_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(POLICE, "police"),
    AgencySpec(CHILDRENS_SERVICES, "childrens_services"),
    AgencySpec(ADULT_SOCIAL_CARE, "adult_social_care"),
    AgencySpec(IDVA_SERVICE, "idva_service"),
    AgencySpec(VICTIM_SUPPORT, "victim_support"),
    AgencySpec(PROBATION, "probation"),
    AgencySpec(MENTAL_HEALTH, "mental_health"),
    AgencySpec(SUBSTANCE_MISUSE, "substance_misuse"),
    AgencySpec(MARAC_COORDINATION, "marac"),
    AgencySpec(PARTNERSHIP_OFFICE, "partnership"),
    # The multi-agency front door the review recommends (seed 002 Appendix 2).
    AgencySpec(FRONT_DOOR, "front_door"),
    # Voluntary-sector services (Appendix 7 "Other voluntary sector / domestic abuse
    # services"); invented names.
    AgencySpec("Hertfordshire Domestic Abuse Helpline", "voluntary_sector"),
    AgencySpec("Herts Survivors' Outreach", "voluntary_sector"),
)

# Two acute hospitals (the county's two acute trusts' main sites), each serving the
# districts listed.
ACUTE_HOSPITALS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Lister Hospital",
        "Stevenage",
        (
            "Stevenage",
            "North Hertfordshire",
            "East Hertfordshire",
            "Welwyn Hatfield",
            "Broxbourne",
        ),
    ),
    ("Watford General Hospital", "Watford", ("Watford", "Three Rivers", "Dacorum", "St Albans", "Hertsmere")),
)

# One voluntary-sector women's centre in each MARAC area's largest town (invented).
_LOCAL_VOLUNTARY: tuple[tuple[str, str], ...] = (
    ("St Albans Women's Centre", "St Albans"),
    ("Stevenage Women's Centre", "Stevenage"),
    ("Dacorum Women's Centre", "Dacorum"),
)


def housing_agency(district: str) -> str:
    return f"{district} Council Housing"


def gp_agency(district: str, n: int) -> str:
    return f"{district} GP Practice {n}"


GP_PRACTICES_PER_DISTRICT = 2


def health_visiting_agency(district: str) -> str:
    return f"{district} Health Visiting Team"


def education_agency(district: str) -> str:
    return f"{district} Schools (safeguarding leads)"


# --------------------------------------------------------------------------------------
# Refuges: seed 002 Table 11 ("Accommodated victims and associated costs for refuges in
# Hertfordshire"). District = the district of the refuge's town.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefugeSpec:
    name: str
    provider: str
    district: str
    units: int  # "Beds (units) of refuge"
    support_worker_fte: float  # "FTE support workers in refuge" (* = the review's estimate)
    accommodated_victims: int  # "Accommodated victims" in the year to 30 March 2014


REFUGES: tuple[RefugeSpec, ...] = (
    RefugeSpec("Welwyn Hatfield Women's Refuge", "Welwyn Hatfield Women's Refuge", "Welwyn Hatfield", 10, 2.0, 31),
    RefugeSpec(
        "St Albans and Hertsmere Women's Refuge", "St Albans and Hertsmere Women's Refuge", "St Albans", 22, 5.5, 60
    ),
    RefugeSpec("Watford Women's Refuge", "Watford Women's Refuge", "Watford", 8, 1.0, 24),
    RefugeSpec("Safer Places Refuge A (Broxbourne)", "Safer Places", "Broxbourne", 19, 4.0, 62),
    RefugeSpec("Safer Places Refuge B (Broxbourne)", "Safer Places", "Broxbourne", 10, 2.0, 14),
    RefugeSpec("Stevenage Women's Refuge", "Stevenage Women's Refuge", "Stevenage", 9, 2.0, 26),
    RefugeSpec("Dacorum Women's Aid Refuge", "Dacorum Women's Aid", "Dacorum", 6, 1.5, 24),
)
# Table 11 totals: 241 accommodated victims, 84 units, 18.0 FTE.
REFUGE_TOTAL_UNITS = 84
REFUGE_TOTAL_FTE = 18.0
REFUGE_TOTAL_ACCOMMODATED = 241
# Seed 002 §5.1: "The average stay in refuge is an estimated 18 weeks".
REFUGE_AVERAGE_STAY_DAYS = 18 * 7


def _agencies() -> tuple[AgencySpec, ...]:
    out = list(_COUNTY_AGENCIES)
    out.extend(AgencySpec(name, "acute_hospital", district) for name, district, _ in ACUTE_HOSPITALS)
    out.extend(AgencySpec(name, "voluntary_sector", district) for name, district in _LOCAL_VOLUNTARY)
    for d in DISTRICTS:
        out.append(AgencySpec(housing_agency(d.name), "housing", d.name))
        out.extend(AgencySpec(gp_agency(d.name, n), "gp", d.name) for n in range(1, GP_PRACTICES_PER_DISTRICT + 1))
        out.append(AgencySpec(health_visiting_agency(d.name), "health_visiting", d.name))
        out.append(AgencySpec(education_agency(d.name), "education", d.name))
    providers: dict[str, str] = {}
    for r in REFUGES:
        providers.setdefault(r.provider, r.district)
    out.extend(AgencySpec(name, "refuge_provider", district) for name, district in providers.items())
    return tuple(out)


AGENCIES: tuple[AgencySpec, ...] = _agencies()

# --------------------------------------------------------------------------------------
# Referrals by source agency: seed 002 Appendix 7, Table 2 ("Referral numbers to MARAC and
# IDVA in Hertfordshire by agency"), one year. Keys are source categories; labels are the
# table's row names.
# --------------------------------------------------------------------------------------

SOURCE_LABELS: dict[str, str] = {
    "idva": "IDVA",
    "marac": "MARAC",
    "police": "Police",
    "childrens_services": "Council services for children",
    "adult_social_care": "Adult social care",
    "health": "Health (mainly health visitors)",
    "substance_misuse": "Substance misuse",
    "probation": "Probation",
    "housing": "Housing",
    "voluntary_sector": "Other voluntary sector / domestic abuse services",
    "others": "Others",
    "self": "Self-referral",
}

# The Appendix 7 category of a referral follows from the referring agency's type (None: a
# self-referral), so reports can count referrals by source from the agency alone.
SOURCE_BY_AGENCY_TYPE: dict[str | None, str] = {
    "idva_service": "idva",
    "marac": "marac",
    "police": "police",
    "childrens_services": "childrens_services",
    "adult_social_care": "adult_social_care",
    "gp": "health",
    "health_visiting": "health",
    "acute_hospital": "health",
    "mental_health": "health",
    "substance_misuse": "substance_misuse",
    "probation": "probation",
    "housing": "housing",
    "voluntary_sector": "voluntary_sector",
    "refuge_provider": "voluntary_sector",
    "education": "others",
    "victim_support": "others",
    "partnership": "others",
    None: "self",
}

# Appendix 7, column "IDVA" (total 1,163).
IDVA_REFERRALS_BY_SOURCE: dict[str, int] = {
    "marac": 347,
    "police": 148,
    "childrens_services": 134,
    "adult_social_care": 4,
    "health": 101,
    "substance_misuse": 6,
    "probation": 10,
    "housing": 48,
    "voluntary_sector": 161,
    "others": 53,
    "self": 151,
}
IDVA_REFERRALS_TOTAL = 1_163

# Appendix 7, column "MARAC" (total 694, equal to Appendix 6's MARAC cases).
MARAC_REFERRALS_BY_SOURCE: dict[str, int] = {
    "idva": 170,
    "police": 301,
    "childrens_services": 15,
    "health": 1,
    "substance_misuse": 5,
    "probation": 19,
    "housing": 64,
    "voluntary_sector": 46,
    "others": 73,
}
MARAC_REFERRALS_TOTAL = 694

# --------------------------------------------------------------------------------------
# Shares used by the generator that are not in seed 002. Each says where it comes from;
# "assumption" means a plausible value chosen for the synthetic data, nothing more.
# --------------------------------------------------------------------------------------

# Police incidents by risk level: Appendix 6 (3% high, 25% medium, 72% standard county-wide;
# the per-area counts above are used). DASH scores generated inside each level's band
# (high >= 14, medium 8-13, standard 0-7: seed 002 Table 1 / Appendix 10; domain.md).
DASH_HIGH_MIN = 14
DASH_MEDIUM_MIN = 8

# Children present or witnessing in 31% of police incidents (the brief's calibration
# target; domain.md "Children": ~60% of victims have dependent children, ~1.8 per family).
CHILDREN_PRESENT_SHARE = 0.31
VICTIMS_WITH_CHILDREN_TARGET = 0.60
CHILDREN_PER_FAMILY = 1.8

# Ethnic group shares for Hertfordshire: ONS 2011 Census table KS201EW, rounded
# (approximate: White British ~80.8%, other White ~6.9%, Mixed ~2.8%, Asian ~6.6%,
# Black ~2.8%, Arab/other ~0.8%). Values are carepath.people.models.Ethnicity values.
ETHNICITY_SHARES: tuple[tuple[str, float], ...] = (
    ("white_british", 80.8),
    ("white_irish", 1.4),
    ("white_gypsy_traveller", 0.1),
    ("white_roma", 0.1),
    ("white_other", 5.3),
    ("mixed_white_black_caribbean", 0.8),
    ("mixed_white_black_african", 0.3),
    ("mixed_white_asian", 0.9),
    ("mixed_other", 0.7),
    ("asian_indian", 2.6),
    ("asian_pakistani", 1.0),
    ("asian_bangladeshi", 0.6),
    ("asian_chinese", 0.7),
    ("asian_other", 1.5),
    ("black_african", 1.7),
    ("black_caribbean", 0.8),
    ("black_other", 0.3),
    ("arab", 0.2),
    ("other", 0.5),
)

# Disability: 2011 Census, Hertfordshire, day-to-day activities limited ~14%; victims of
# domestic abuse report disability more often (ONS Crime Survey), so victims use 20%.
DISABILITY_SHARE_VICTIM = 0.20
DISABILITY_SHARE_OTHER = 0.14

# Sexual orientation: ONS Integrated Household Survey 2013 put adults identifying as gay,
# lesbian or bisexual at about 1.6% (UK); later surveys and younger cohorts are higher, so we
# use 1.5% gay/lesbian, 1.2% bisexual, 0.3% other (assumption, rounded up).
ORIENTATION_SHARES: tuple[tuple[str, float], ...] = (
    ("heterosexual", 97.0),
    ("gay_lesbian", 1.5),
    ("bisexual", 1.2),
    ("other", 0.3),
)
# Trans or with a trans history: assumption 0.5% (Government Equalities Office estimate
# 0.35-1%).
TRANS_SHARE = 0.005

# Victim sex: victims of police-recorded domestic abuse are mostly female (roughly three in
# four in ONS "Domestic abuse in England and Wales" releases); assumption: 80% female.
VICTIM_FEMALE_SHARE = 0.80
# Victims aged 16-17: SafeLives Insights put young people at ~2-3% of victims.
VICTIM_16_17_SHARE = 0.025
# Perpetrators with two or more victims (serial perpetrators): assumption ~4% of victims
# are given an existing perpetrator of the same area.
SERIAL_PERPETRATOR_SHARE = 0.04

# First languages other than English by ethnic group (Census 2011 QS204EW top languages in
# Hertfordshire: Polish, Urdu, Bengali, Gujarati, Punjabi, Portuguese, Tamil, Turkish, ...).
# Interpreter needed: ~30% of those whose first language is not English (assumption).
LANGUAGES_BY_ETHNICITY: dict[str, tuple[tuple[str, float], ...]] = {
    "white_other": (("Polish", 0.35), ("Romanian", 0.12), ("Portuguese", 0.1), ("Lithuanian", 0.06), ("Italian", 0.05)),
    "white_roma": (("Romanian", 0.6), ("Slovak", 0.2)),
    "asian_indian": (("Gujarati", 0.18), ("Punjabi", 0.14), ("Tamil", 0.08), ("Hindi", 0.05)),
    "asian_pakistani": (("Urdu", 0.25), ("Punjabi", 0.12)),
    "asian_bangladeshi": (("Bengali", 0.45),),
    "asian_chinese": (("Cantonese", 0.25), ("Mandarin", 0.2)),
    "asian_other": (("Tamil", 0.15), ("Nepali", 0.1), ("Tagalog", 0.08)),
    "black_african": (("Somali", 0.1), ("Yoruba", 0.05), ("Twi", 0.05), ("French", 0.05)),
    "arab": (("Arabic", 0.55),),
    "other": (("Turkish", 0.25), ("Farsi", 0.15), ("Kurdish", 0.1)),
}
INTERPRETER_SHARE_NON_ENGLISH = 0.30

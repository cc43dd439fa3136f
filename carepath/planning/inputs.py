"""The planner's inputs: what a commissioner types into the review's spreadsheets.

Pure Python, no Django imports. An input set is a folder of CSV files, or one Excel
workbook with a sheet per file (the sheet named like the file, without ``.csv``). The
formats are documented in ``docs/planner.md``; the Hertfordshire 2014 set the review
used ships in ``carepath/planning/data/hertfordshire-2014/`` with the seed line each
value came from.

| file | one row per | from the review |
|---|---|---|
| ``assumptions.csv`` | assumption (name, value, source) | §3.4, §3.6, Appendix 3 |
| ``areas.csv`` | MARAC area | Appendix 6 Table 1 |
| ``districts.csv`` | district and its MARAC area | Appendix 5 |
| ``funding.csv`` | allocation of a funding stream | Appendix 9 |
| ``refuges.csv`` | refuge | Table 11 |
| ``funded_posts.csv`` | funded post group (IDVAs in post) | §2.2 |
| ``costs.csv`` | line of the service cost model | Appendix 3 |
| ``recommendations.csv`` | recommendation of a scenario | Table 10 |
| ``published.csv`` | figure the review printed, to check against | Tables 5, 6, 8-11, Appendices 3, 6, 8 |

Bad input raises ``PlanInputErrors``: every problem found in every file, each naming
the file, the row (the spreadsheet's own line number, header = 1) and the field.
"""

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

COUNTY_WIDE = "County-wide"

# Seed 002 Table 6 / Appendix 8 rows: what the money is for.
SERVICES: dict[str, str] = {
    "idva": "IDVA (high-risk victims) including new posts",
    "other_community": "Other community provision (outreach, alcohol project)",
    "refuge": "Refuge (support element only)",
    "refuge_children": "Refuge children's support",
    "perpetrators": "Perpetrator programmes",
    "other": "Other (helplines, Domestic Abuse Co-ordinator, DART, hotel costs)",
}
# Table 6's subtotals, in the order the table prints them.
SERVICE_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "community": ("Total community-based provision", "other_community", ("idva", "other_community")),
    "refuge_total": ("Total refuge provision", "refuge_children", ("refuge", "refuge_children")),
}


def _assumption(default, *, label: str, source: str, unit: str = "", minimum=0, maximum=None):
    return field(default=default, metadata={"label": label, "source": source, "unit": unit,
                                            "minimum": minimum, "maximum": maximum})


@dataclass(frozen=True)
class Assumptions:
    """Every assumption of the needs, capacity and cost chain, with the review's value.

    ``assumptions.csv`` overrides any of them by name; the rest keep these defaults.
    Rounding rules are not assumptions: they are the review's, in ``rounding.py``.
    """

    female_victims: int = _assumption(
        17_700, label="Female victims of domestic abuse a year (crime-survey prevalence)",
        source="seed 002 §3.4: CSEW prevalence applied to the female population, adjusted for "
               "Hertfordshire and the over-60s, 'around 17,700 female victims'",
    )
    high_medium_share: Decimal = _assumption(
        Decimal("0.26"), label="Share of female victims at high or medium risk", unit="share", maximum=1,
        source="seed 002 §3.4: CSEW proxies (moderate or severe force or injury, many times a year): 26%",
    )
    high_share: Decimal = _assumption(
        Decimal("0.40"), label="Share of high- and medium-risk victims at high risk", unit="share", maximum=1,
        source="seed 002 §3.4: all three forms of abuse and severe force: 40% high risk",
    )
    visible_high: int = _assumption(
        1_000, label="High-risk victims visible and near help-seeking",
        source="seed 002 §3.4 and Table 9: 'around 1,000 high risk' (CAADA MARAC and Insights datasets)",
    )
    visible_medium: int = _assumption(
        1_000, label="Medium-risk victims visible and near help-seeking",
        source="seed 002 §3.4 and Table 9: 'another 1,000 medium risk'",
    )
    share_with_children: Decimal = _assumption(
        Decimal("0.60"), label="Share of victims with dependent children", unit="share", maximum=1,
        source="seed 002 §3.6 footnote 24: 'around 60% of victims have dependent children'",
    )
    children_per_family: Decimal = _assumption(
        Decimal("1.8"), label="Dependent children per family",
        source="seed 002 §3.6 footnote 24: 'almost 1.8 dependent children per family'",
    )
    idva_caseload_high: int = _assumption(
        65, label="High-risk victims a year per full-time IDVA", minimum=1,
        source="seed 002 §3.4 (IDVA caseload 65); domain.md 'Caseloads and capacity'",
    )
    idva_caseload_medium: int = _assumption(
        85, label="Medium-risk victims a year per full-time IDVA", minimum=1,
        source="seed 002 §3.4 (IDVA caseload 85); domain.md 'Caseloads and capacity'",
    )
    refuge_places_per_10k_population: Decimal = _assumption(
        Decimal("1"), label="Refuge family places per 10,000 population",
        source="seed 002 §5.1: Council of Europe target of 1 refuge bed per 10,000 population",
    )
    marac_cases_per_10k_women: Decimal = _assumption(
        Decimal("40"), label="Expected MARAC cases a year per 10,000 women aged 16+",
        source="domain.md 'MARAC referral criteria' (SafeLives recommended volume; not in seed 002)",
    )
    on_cost_rate: Decimal = _assumption(
        Decimal("0.20"), label="Employer's on-costs (NI and pension) on salaries", unit="share", maximum=1,
        source="seed 002 Appendix 3: 20% 'incl NI and pension'",
    )
    overhead_rate: Decimal = _assumption(
        Decimal("0.30"), label="Overheads on staff and other costs", unit="share", maximum=1,
        source="seed 002 Appendix 3: 30% (of staff and other costs: 0.3 x 1,049,400 = 314,820)",
    )
    funding_as_at: date = _assumption(
        date(2014, 12, 1), label="Date the funding register is read at", minimum=None,
        source="seed 002 title page: the review is dated December 2014",
    )
    ending_within_months: int = _assumption(
        12, label="Warn of funding streams ending within", unit="months", minimum=1,
        source="Issue 5: streams ending within N months (Carepath's default: one commissioning year)",
    )


def assumption_fields():
    """The assumptions' dataclass fields, in order, with label, source, unit and bounds."""
    return fields(Assumptions)


@dataclass(frozen=True)
class Area:
    """One MARAC area's population and 12 months of police and MARAC data (Appendix 6 Table 1)."""

    name: str
    population: int
    female_16_plus: int
    police_incidents: int
    repeat_rate: Decimal
    incidents_high: int
    incidents_medium: int
    marac_cases: int
    marac_children: int
    marac_repeat_rate: Decimal
    source: str = ""


@dataclass(frozen=True)
class District:
    name: str
    area: str


@dataclass(frozen=True)
class FundingAllocation:
    """One row of the funding register: part or all of a funding stream, for one service.

    Rows sharing a ``stream`` are one stream split across services or periods (the
    review's 36 streams are 40 rows: Welwyn Hatfield's £40,000 split between refuge and
    outreach, the PCC's £30,000 split three ways, the Watford hospital IDVA and its top-up).
    ``districts`` is empty for a county-wide allocation.
    """

    row: int
    stream: str
    funder: str
    source_body: str
    amount: Decimal
    service: str
    description: str
    recipient: str
    districts: tuple[str, ...]
    end_date: date | None
    source: str = ""


@dataclass(frozen=True)
class Refuge:
    """A refuge's year (Table 11): victims accommodated, beds (units) and support staff."""

    name: str
    provider: str
    district: str
    victims: int
    beds: int
    support_worker_fte: Decimal
    source: str = ""


@dataclass(frozen=True)
class FundedPost:
    """Posts in post or funded, by area (``COUNTY_WIDE`` for a county-wide service)."""

    area: str
    service: str
    fte: Decimal
    description: str
    source: str = ""


@dataclass(frozen=True)
class CostLine:
    """A line of the service cost model (Appendix 3).

    Staff lines give ``idvas_per_post``: the line's FTE is the IDVAs needed divided by it,
    to the nearest half FTE (1 for the IDVAs themselves, 9 for administrators: 3.0 for 27).
    Other lines give a fixed ``quantity``. ``on_costs`` adds the employer's on-costs.
    """

    item: str
    unit_cost: Decimal
    quantity: Decimal | None
    idvas_per_post: Decimal | None
    on_costs: bool
    source: str = ""


@dataclass(frozen=True)
class Recommendation:
    """A recommendation in a scenario (Table 10). A cost of 0 carries its ``cost_basis``
    ("Minimal", "Mainstream cost", "To be funded by innovation grant")."""

    scenario: str
    tier: str
    recommendation: str
    marginal_cost: Decimal
    cost_basis: str
    source: str = ""


@dataclass(frozen=True)
class PublishedFigure:
    """A figure the review printed, keyed by its path in the plan (``needs.county.idvas_total``)."""

    key: str
    value: Decimal
    source: str
    note: str = ""


@dataclass(frozen=True)
class PlanInputs:
    name: str
    assumptions: Assumptions
    areas: tuple[Area, ...]
    districts: tuple[District, ...]
    funding: tuple[FundingAllocation, ...]
    refuges: tuple[Refuge, ...]
    funded_posts: tuple[FundedPost, ...]
    costs: tuple[CostLine, ...]
    recommendations: tuple[Recommendation, ...]
    published: tuple[PublishedFigure, ...] = ()

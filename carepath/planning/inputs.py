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

``inputs_load`` reads a folder or workbook (the Hertfordshire set by default),
``inputs_load_workbook`` an upload, ``inputs_write_workbook`` writes a set back for
editing in Excel, and ``assumptions_replace`` changes assumptions typed into a form.
"""

import calendar
import csv
import io
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from carepath.configuration.definitions import PartnershipSettings

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


# Assumptions the partnership also sets in its configuration, by assumption -> setting
# name: their defaults are the configuration's (domain.md's), and the planner page starts
# from the values configured.
CONFIGURED_ASSUMPTIONS = {
    "idva_caseload_high": "idva_caseload_high",
    "idva_caseload_medium": "idva_caseload_medium",
    "refuge_places_per_10k_population": "refuge_places_per_10k_population",
    "marac_cases_per_10k_women": "marac_expected_cases_per_10k_women",
}
_SETTING_DEFAULTS = PartnershipSettings()


def _configured(name: str, kind: type):
    return kind(str(getattr(_SETTING_DEFAULTS, CONFIGURED_ASSUMPTIONS[name])))


def _assumption(default, *, label: str, source: str, unit: str = "", minimum=0, maximum=None):
    return field(
        default=default,
        metadata={"label": label, "source": source, "unit": unit, "minimum": minimum, "maximum": maximum},
    )


@dataclass(frozen=True)
class Assumptions:
    """Every assumption of the needs, capacity and cost chain, with the review's value.

    ``assumptions.csv`` overrides any of them by name; the rest keep these defaults.
    Rounding rules are not assumptions: they are the review's, in ``rounding.py``.
    """

    female_victims: int = _assumption(
        17_700,
        label="Female victims of domestic abuse a year (crime-survey prevalence)",
        source="Hertfordshire domestic abuse review (2014) §3.4: CSEW prevalence applied to the female population, adjusted for "
        "Hertfordshire and the over-60s, 'around 17,700 female victims'",
    )
    high_medium_share: Decimal = _assumption(
        Decimal("0.26"),
        label="Share of female victims at high or medium risk",
        unit="share",
        maximum=1,
        source="Hertfordshire domestic abuse review (2014) §3.4: CSEW proxies (moderate or severe force or injury, many times a year): 26%",
    )
    high_share: Decimal = _assumption(
        Decimal("0.40"),
        label="Share of high- and medium-risk victims at high risk",
        unit="share",
        maximum=1,
        source="Hertfordshire domestic abuse review (2014) §3.4: all three forms of abuse and severe force: 40% high risk",
    )
    visible_high: int = _assumption(
        1_000,
        label="High-risk victims visible and near help-seeking",
        source="Hertfordshire domestic abuse review (2014) §3.4 and Table 9: 'around 1,000 high risk' (CAADA MARAC and Insights datasets)",
    )
    visible_medium: int = _assumption(
        1_000,
        label="Medium-risk victims visible and near help-seeking",
        source="Hertfordshire domestic abuse review (2014) §3.4 and Table 9: 'another 1,000 medium risk'",
    )
    share_with_children: Decimal = _assumption(
        Decimal("0.60"),
        label="Share of victims with dependent children",
        unit="share",
        maximum=1,
        source="Hertfordshire domestic abuse review (2014) §3.6 footnote 24: 'around 60% of victims have dependent children'",
    )
    children_per_family: Decimal = _assumption(
        Decimal("1.8"),
        label="Dependent children per family",
        source="Hertfordshire domestic abuse review (2014) §3.6 footnote 24: 'almost 1.8 dependent children per family'",
    )
    idva_caseload_high: int = _assumption(
        _configured("idva_caseload_high", int),
        label="High-risk victims a year per full-time IDVA",
        minimum=1,
        source="Hertfordshire domestic abuse review (2014) §3.4 (IDVA caseload 65); Carepath's partnership rules, “Caseloads and capacity”",
    )
    idva_caseload_medium: int = _assumption(
        _configured("idva_caseload_medium", int),
        label="Medium-risk victims a year per full-time IDVA",
        minimum=1,
        source="Hertfordshire domestic abuse review (2014) §3.4 (IDVA caseload 85); Carepath's partnership rules, “Caseloads and capacity”",
    )
    refuge_places_per_10k_population: Decimal = _assumption(
        _configured("refuge_places_per_10k_population", Decimal),
        label="Refuge family places per 10,000 population",
        source="Hertfordshire domestic abuse review (2014) §5.1: Council of Europe target of 1 refuge bed per 10,000 population",
    )
    marac_cases_per_10k_women: Decimal = _assumption(
        _configured("marac_cases_per_10k_women", Decimal),
        label="Expected MARAC cases a year per 10,000 women aged 16+",
        source="Carepath's partnership rules, “MARAC referral criteria” (SafeLives recommended volume; not in the review)",
    )
    on_cost_rate: Decimal = _assumption(
        Decimal("0.20"),
        label="Employer's on-costs (NI and pension) on salaries",
        unit="share",
        maximum=1,
        source="Hertfordshire domestic abuse review (2014) Appendix 3: 20% 'incl NI and pension'",
    )
    overhead_rate: Decimal = _assumption(
        Decimal("0.30"),
        label="Overheads on staff and other costs",
        unit="share",
        maximum=1,
        source="Hertfordshire domestic abuse review (2014) Appendix 3: 30% (of staff and other costs: 0.3 x 1,049,400 = 314,820)",
    )
    funding_as_at: date = _assumption(
        date(2014, 12, 1),
        label="Date the funding register is read at",
        minimum=None,
        source="Hertfordshire domestic abuse review (2014) title page: the review is dated December 2014",
    )
    ending_within_months: int = _assumption(
        12,
        label="Warn of funding streams ending within",
        unit="months",
        minimum=1,
        source="Funding streams ending within N months (Carepath's default: one commissioning year)",
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
    # Where the input set says an assumption came from, by name; the rest cite the review.
    assumption_sources: dict[str, str] = field(default_factory=dict)

    def assumption_source(self, name: str) -> str:
        return self.assumption_sources.get(name) or next(
            f.metadata["source"] for f in fields(Assumptions) if f.name == name
        )


# --------------------------------------------------------------------------------------
# Loading, checking and writing an input set
# --------------------------------------------------------------------------------------

HERTFORDSHIRE_2014 = Path(__file__).resolve().parent / "data" / "hertfordshire-2014"
HERTFORDSHIRE_2014_NAME = "Hertfordshire 2014 (CAADA review)"

# Each file's columns as docs/planner.md lists them, optional ones in brackets; a
# workbook's sheets are written in this order.
_FORMATS: dict[str, str] = {
    "assumptions": "name, value, (source)",
    "areas": "area, population, female_16_plus, police_incidents, repeat_rate, incidents_high, "
    "incidents_medium, marac_cases, marac_children, marac_repeat_rate, (source)",
    "districts": "district, area, (source)",
    "funding": "stream, funder, (source_body), amount, service, (description), (recipient), district, "
    "(end_date), (source)",
    "refuges": "refuge, (provider), district, victims, beds, support_worker_fte, (source)",
    "funded_posts": "area, service, fte, (description), (source)",
    "costs": "item, unit_cost, (quantity), (idvas_per_post), on_costs, (source)",
    "recommendations": "scenario, (tier), recommendation, marginal_cost, (cost_basis), (source)",
    "published": "key, value, source, (note)",
}
_OPTIONAL_FILES = frozenset({"assumptions", "published"})
# Files without which there is nothing to plan: an empty one is refused.
_NEED_ROWS = frozenset({"areas", "districts", "funding", "costs"})
_MONEY_COLUMNS = frozenset({"amount", "unit_cost", "marginal_cost"})
_SHOWN_MAX = 40  # characters of a cell echoed in a message


def _columns(stem: str) -> list[tuple[str, bool]]:
    """(column, required) pairs of a file, in order."""
    out = []
    for part in _FORMATS[stem].split(","):
        part = part.strip()
        out.append((part.strip("()"), not part.startswith("(")))
    return out


@dataclass(frozen=True)
class PlanInputError:
    """One problem in an input set. ``file`` names it as a person would look for it:
    ``funding.csv``, or ``plan.xlsx: funding sheet`` in a workbook; ``row`` is the
    spreadsheet's line (header = 1)."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            [self.file] + ([f"row {self.row}"] if self.row is not None else []) + ([self.field] if self.field else [])
        )
        return f"{where}: {self.message}"


class PlanInputErrors(ValueError):
    """Every problem found in an input set (nothing is loaded when there is one)."""

    def __init__(self, errors: list[PlanInputError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class _Invalid(Exception):
    """A cell's value cannot be used; the message says why (the cell's value at most)."""


def _shown(raw) -> str:
    """A cell's value as a message may echo it: never more than the cell, and shortened."""
    if isinstance(raw, bool):
        text = "TRUE" if raw else "FALSE"
    elif isinstance(raw, (int, float, Decimal)):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        text = format(number.quantize(1) if number == number.to_integral_value() else number, ",")
    elif isinstance(raw, (datetime, date)):
        text = (raw.date() if isinstance(raw, datetime) else raw).isoformat()
    else:
        text = str(raw).strip()
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 3] + "..."


def _quoted(raw) -> str:
    return f"'{_shown(raw)}'" if isinstance(raw, str) else _shown(raw)


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime, date)):
        return _shown(raw)
    return str(raw).strip()


# A number as people type it: optional sign and £, thousands separated by commas.
_NUMBER = re.compile(r"([-+]?)£?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)")


def _number(raw) -> Decimal:
    if isinstance(raw, bool) or isinstance(raw, (datetime, date)):
        raise _Invalid(f"must be a number (got {_quoted(raw)})")
    if isinstance(raw, (int, float, Decimal)):
        # repr is a float's shortest exact spelling: 0.41, not 0.40999...
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite():
            raise _Invalid(f"must be a number (got {raw})")
        return value
    match = _NUMBER.fullmatch(str(raw).strip())
    if not match:
        raise _Invalid(f"must be a number (got {_quoted(raw)})")
    return Decimal(match[1] + match[2].replace(",", ""))


def _bounded(value, raw, minimum=0, maximum=None, *, share: bool = False):
    """``value`` if within bounds; otherwise say which bound, echoing the cell as typed."""
    if share and not 0 <= value <= 1:
        raise _Invalid(f"must be a share between 0 and 1, or a percentage (got {_shown(raw)})")
    if minimum is not None and value < minimum:
        raise _Invalid(
            f"must not be negative (got {_shown(raw)})"
            if minimum == 0
            else f"must be at least {minimum} (got {_shown(raw)})"
        )
    if maximum is not None and value > maximum:
        raise _Invalid(f"must be at most {maximum} (got {_shown(raw)})")
    return value


def _decimal(raw, minimum=0, maximum=None) -> Decimal:
    return _bounded(_number(raw), raw, minimum, maximum)


def _count(raw, minimum=0, maximum=None) -> int:
    value = _number(raw)
    if value != value.to_integral_value():
        raise _Invalid(f"must be a whole number (got {_quoted(raw)})")
    return _bounded(int(value), raw, minimum, maximum)


def _positive(raw) -> Decimal:
    value = _number(raw)
    if value <= 0:
        raise _Invalid(f"must be more than 0 (got {_shown(raw)})")
    return value


def _share(raw) -> Decimal:
    """A share as ``0.26`` or ``26%``."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value = _number(raw.strip()[:-1]) / 100
    else:
        value = _number(raw)
    return _bounded(value, raw, share=True)


_DAY = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _day(raw) -> date:
    """``YYYY-MM-DD``, or ``YYYY-MM`` for the last day of that month (a spreadsheet date too)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    match = _DAY.fullmatch(_text(raw))
    try:
        if match:
            year, month = int(match[1]), int(match[2])
            day = int(match[3]) if match[3] else calendar.monthrange(year, month)[1]
            return date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        pass
    raise _Invalid(f"must be a date as YYYY-MM-DD or YYYY-MM (got {_quoted(raw)})")


def _end_date(raw) -> date | None:
    if _text(raw).lower() == "ongoing":
        return None
    try:
        return _day(raw)
    except _Invalid:
        raise _Invalid(f"must be a date as YYYY-MM-DD or YYYY-MM, or ongoing (got {_quoted(raw)})") from None


def _yes_no(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    answer = _text(raw).lower()
    if answer not in ("yes", "no"):
        raise _Invalid(f"must be yes or no (got {_quoted(raw)})")
    return answer == "yes"


_SERVICE_NAMES = {**{label.lower(): key for key, label in SERVICES.items()}, **{key: key for key in SERVICES}}


def _service(raw) -> str:
    try:
        return _SERVICE_NAMES[_text(raw).lower()]
    except KeyError:
        raise _Invalid(f"unknown service {_quoted(raw)} (one of {', '.join(SERVICES)}, or its label)") from None


def _assumption_value(spec, raw):
    """An assumption's value parsed as its field's type, within its bounds."""
    low, high = spec.metadata["minimum"], spec.metadata["maximum"]
    if spec.type is date:
        return _day(raw)
    if spec.type is int:
        return _count(raw, low, high)
    if spec.metadata["unit"] == "share":
        return _share(raw)
    return _decimal(raw, low, high)


class _Table:
    """One file or sheet: its header and its non-empty rows, each with its spreadsheet line."""

    def __init__(self, stem: str, label: str, records: list[tuple[int, list]], errors: list[PlanInputError]):
        self.label = label
        self.rows: list[_Row] = []
        header = [_text(cell).lower() for cell in records[0][1]] if records else []
        self.ok = bool(records)
        if not records:
            errors.append(PlanInputError(label, None, None, "is empty (it needs a header row)"))
            return
        for column, required in _columns(stem):
            if required and column not in header:
                errors.append(PlanInputError(label, 1, column, "missing column"))
                self.ok = False
            elif header.count(column) > 1:
                errors.append(PlanInputError(label, 1, column, "column given twice"))
                self.ok = False
        if not self.ok:
            return
        position = {column: header.index(column) for column, _ in _columns(stem) if column in header}
        for number, cells in records[1:]:
            values = {c: (cells[i] if i < len(cells) else None) for c, i in position.items()}
            values = {c: (None if _text(v) == "" else v) for c, v in values.items()}
            if any(v is not None for v in values.values()):
                self.rows.append(_Row(self, number, values, errors))


class _Row:
    def __init__(self, table: _Table, number: int, cells: dict, errors: list[PlanInputError]):
        self.table, self.number, self.cells, self.errors = table, number, cells, errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.errors.append(PlanInputError(self.table.label, self.number, column, message))
        self.ok = False

    def text(self, column: str, *, required: bool = False) -> str:
        value = _text(self.cells.get(column))
        if required and not value:
            self.error(column, "must not be empty")
        return value

    def value(self, column: str, parse, *, required: bool = True, default=None):
        raw = self.cells.get(column)
        if raw is None:
            if required:
                self.error(column, "must not be empty")
            return default
        try:
            return parse(raw)
        except _Invalid as exc:
            self.error(column, str(exc))
            return default

    def unique(self, column: str, name: str, seen: dict[str, int]) -> None:
        """Refuse a name already used on an earlier row (case aside)."""
        key = name.lower()
        if key in seen:
            self.error(column, f"'{_shown(name)}' is already on row {seen[key]}")
        else:
            seen[key] = self.number


class _Loader:
    """Reads every file of an input set, collecting every problem before giving up."""

    def __init__(
        self,
        tables: dict[str, "_Table | None"],
        labels: dict[str, str],
        refs: dict[str, str],
        errors: list[PlanInputError],
    ):
        # labels name a file in an error ("plan.xlsx: areas sheet"); refs mention it in
        # another file's error ("not an area in the areas sheet").
        self.tables, self.labels, self.refs, self.errors = tables, labels, refs, errors
        self.assumption_sources: dict[str, str] = {}

    def rows(self, stem: str) -> list[_Row]:
        table = self.tables.get(stem)
        if table is None or not table.ok:
            return []
        if stem in _NEED_ROWS and not table.rows:
            self.errors.append(PlanInputError(table.label, None, None, "has no rows"))
        return table.rows

    def names(self, stem: str, column: str) -> dict[str, str] | None:
        """A file's names (lower case -> as written), to check references to it; None
        when the file could not be read, so that its absence is reported once, not per row."""
        table = self.tables.get(stem)
        if table is None or not table.ok:
            return None
        return {_text(r.cells.get(column)).lower(): _text(r.cells.get(column)) for r in table.rows}

    def assumptions(self) -> Assumptions:
        specs = {f.name: f for f in fields(Assumptions)}
        values, seen = {}, {}
        for row in self.rows("assumptions"):
            name = row.text("name", required=True).lower()
            if not name:
                continue
            if name not in specs:
                row.error("name", f"unknown assumption {_quoted(row.cells['name'])}")
                continue
            row.unique("name", name, seen)
            value = row.value("value", lambda raw, name=name: _assumption_value(specs[name], raw))
            if row.ok:
                values[name] = value
                self.assumption_sources[name] = row.text("source")
        return Assumptions(**values)

    def areas(self) -> tuple[Area, ...]:
        out, seen = [], {}
        for row in self.rows("areas"):
            name = row.value("area", self._own_name)
            if name:
                row.unique("area", name, seen)
            counts = {
                c: row.value(c, _count)
                for c in (
                    "population",
                    "female_16_plus",
                    "police_incidents",
                    "incidents_high",
                    "incidents_medium",
                    "marac_cases",
                    "marac_children",
                )
            }
            rates = {c: row.value(c, _share) for c in ("repeat_rate", "marac_repeat_rate")}
            if row.ok:
                out.append(Area(name=name, **counts, **rates, source=row.text("source")))
        return tuple(out)

    def districts(self) -> tuple[District, ...]:
        areas = self.names("areas", "area")
        out, seen = [], {}
        for row in self.rows("districts"):
            name = row.value("district", self._own_name)
            if name:
                row.unique("district", name, seen)
            area = row.value("area", lambda raw: self._named(raw, areas, "areas", "an area"))
            if row.ok:
                out.append(District(name, area))
        return tuple(out)

    @staticmethod
    def _own_name(raw) -> str:
        name = _text(raw)
        if name.lower() == COUNTY_WIDE.lower():
            raise _Invalid(f"'{COUNTY_WIDE}' is kept for county-wide rows")
        return name

    def _named(self, raw, names: dict[str, str] | None, stem: str, kind: str, *, or_county: bool = False) -> str:
        """A name from another file (``County-wide`` too if ``or_county``), spelt as that
        file spells it. Unchecked when that file is missing or unreadable: that is
        reported once, not on every row that refers to it."""
        name = _text(raw)
        if or_county and name.lower() == COUNTY_WIDE.lower():
            return COUNTY_WIDE
        if names is None:
            return name
        if name.lower() not in names:
            also = f" (or {COUNTY_WIDE})" if or_county else ""
            raise _Invalid(f"'{_shown(name)}' is not {kind} in {self.refs[stem]}{also}")
        return names[name.lower()]

    def _districts(self, raw, districts: dict[str, str] | None) -> tuple[str, ...]:
        """``County-wide`` (no districts), or districts separated by ``;``."""
        names = [part.strip() for part in _text(raw).split(";") if part.strip()]
        if not names:
            raise _Invalid(f"must name a district, several separated by ';', or {COUNTY_WIDE} (got {_quoted(raw)})")
        if [n.lower() for n in names] == [COUNTY_WIDE.lower()]:
            return ()
        if COUNTY_WIDE.lower() in (n.lower() for n in names):
            raise _Invalid(f"'{COUNTY_WIDE}' cannot be combined with districts (got {_quoted(raw)})")
        return tuple(self._named(n, districts, "districts", "a district", or_county=True) for n in names)

    def funding(self) -> tuple[FundingAllocation, ...]:
        districts = self.names("districts", "district")
        out, funder_of = [], {}
        for row in self.rows("funding"):
            stream = row.text("stream", required=True)
            funder = row.text("funder", required=True)
            if stream and funder:
                # One stream has one funder; a different one is a mistyped stream id.
                first = funder_of.setdefault(stream, (funder, row.number))
                if first[0] != funder:
                    row.error("funder", f"stream '{_shown(stream)}' has funder '{_shown(first[0])}' on row {first[1]}")
            amount = row.value("amount", _decimal)
            service = row.value("service", _service)
            where = row.value("district", lambda raw: self._districts(raw, districts))
            end = row.value("end_date", _end_date, required=False)
            if row.ok:
                out.append(
                    FundingAllocation(
                        row=row.number,
                        stream=stream,
                        funder=funder,
                        source_body=row.text("source_body"),
                        amount=amount,
                        service=service,
                        description=row.text("description"),
                        recipient=row.text("recipient"),
                        districts=where,
                        end_date=end,
                        source=row.text("source"),
                    )
                )
        return tuple(out)

    def refuges(self) -> tuple[Refuge, ...]:
        districts = self.names("districts", "district")
        out, seen = [], {}
        for row in self.rows("refuges"):
            name = row.text("refuge", required=True)
            if name:
                row.unique("refuge", name, seen)
            district = row.value("district", lambda raw: self._named(raw, districts, "districts", "a district"))
            victims, beds = row.value("victims", _count), row.value("beds", _count)
            fte = row.value("support_worker_fte", _decimal)
            if row.ok:
                out.append(Refuge(name, row.text("provider"), district, victims, beds, fte, row.text("source")))
        return tuple(out)

    def funded_posts(self) -> tuple[FundedPost, ...]:
        areas = self.names("areas", "area")
        out = []
        for row in self.rows("funded_posts"):
            area = row.value("area", lambda raw: self._named(raw, areas, "areas", "an area", or_county=True))
            service = row.value("service", _service)
            fte = row.value("fte", _decimal)
            if row.ok:
                out.append(FundedPost(area, service, fte, row.text("description"), row.text("source")))
        return tuple(out)

    def costs(self) -> tuple[CostLine, ...]:
        out, seen = [], {}
        for row in self.rows("costs"):
            item = row.text("item", required=True)
            if item:
                row.unique("item", item, seen)
            unit_cost = row.value("unit_cost", _decimal)
            quantity = row.value("quantity", _decimal, required=False)
            per_post = row.value("idvas_per_post", _positive, required=False)
            given = [c for c in ("quantity", "idvas_per_post") if row.cells.get(c) is not None]
            if not given:
                row.error("quantity", "give a quantity, or idvas_per_post for a staff line")
            elif len(given) == 2:
                row.error("quantity", "give a quantity or idvas_per_post, not both")
            on_costs = row.value("on_costs", _yes_no)
            if row.ok:
                out.append(CostLine(item, unit_cost, quantity, per_post, on_costs, row.text("source")))
        return tuple(out)

    def recommendations(self) -> tuple[Recommendation, ...]:
        out = []
        for row in self.rows("recommendations"):
            scenario = row.text("scenario", required=True)
            recommendation = row.text("recommendation", required=True)
            cost = row.value("marginal_cost", _decimal, required=False, default=Decimal(0))
            basis = row.text("cost_basis")
            if row.cells.get("marginal_cost") is None and not basis:
                row.error(
                    "marginal_cost", "empty: give a cost, or a cost_basis saying why there is none (e.g. Minimal)"
                )
            if row.ok:
                out.append(Recommendation(scenario, row.text("tier"), recommendation, cost, basis, row.text("source")))
        return tuple(out)

    def published(self) -> tuple[PublishedFigure, ...]:
        out, seen = [], {}
        for row in self.rows("published"):
            key = row.text("key", required=True)
            if key:
                row.unique("key", key, seen)
            value = row.value("value", _number)
            source = row.text("source", required=True)
            if row.ok:
                out.append(PublishedFigure(key, value, source, row.text("note")))
        return tuple(out)

    def inputs(self, name: str) -> PlanInputs:
        for stem in _FORMATS:
            if stem not in self.tables and stem not in _OPTIONAL_FILES:
                self.errors.append(
                    PlanInputError(self.labels[stem], None, None, "missing (every set of inputs needs it)")
                )
        inputs = PlanInputs(
            name=name,
            assumptions=self.assumptions(),
            areas=self.areas(),
            districts=self.districts(),
            funding=self.funding(),
            refuges=self.refuges(),
            funded_posts=self.funded_posts(),
            costs=self.costs(),
            recommendations=self.recommendations(),
            published=self.published(),
            assumption_sources={k: v for k, v in self.assumption_sources.items() if v},
        )
        if self.errors:
            raise PlanInputErrors(self.errors)
        return inputs


def _folder_load(folder: Path, name: str) -> PlanInputs:
    errors: list[PlanInputError] = []
    tables: dict[str, _Table | None] = {}
    for stem in _FORMATS:
        path = folder / f"{stem}.csv"
        if not path.is_file():
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
        except UnicodeDecodeError:
            errors.append(PlanInputError(path.name, None, None, "is not UTF-8 text: save it as 'CSV UTF-8'"))
            tables[stem] = None  # there, but unreadable: not also "missing"
            continue
        try:
            # Spreadsheet rows, not text lines: a quoted cell may hold a line break.
            records = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
        except csv.Error as exc:
            errors.append(PlanInputError(path.name, None, None, f"cannot be read as CSV ({exc})"))
            tables[stem] = None
            continue
        tables[stem] = _Table(stem, path.name, records, errors)
    labels = {stem: f"{stem}.csv" for stem in _FORMATS}
    return _Loader(tables, labels, labels, errors).inputs(name)


def _book_name(stream_or_path) -> str:
    """The workbook's file name, as errors name it (an upload's own name, if it has one)."""
    name = stream_or_path if isinstance(stream_or_path, (str, Path)) else getattr(stream_or_path, "name", None)
    return Path(name).name if name else "workbook"


def inputs_load_workbook(stream_or_path, name: str | None = None, *, file_name: str | None = None) -> PlanInputs:
    """An input set from one Excel workbook with a sheet per file (``funding`` for
    ``funding.csv``): a path, or an open file such as an upload. Errors start with
    ``file_name`` (default: the path's or upload's own name); ``name`` defaults to that
    name without ``.xlsx``."""
    book = file_name or _book_name(stream_or_path)
    try:
        workbook = openpyxl.load_workbook(stream_or_path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise PlanInputErrors(
            [PlanInputError(book, None, None, "cannot be read as an Excel workbook (.xlsx)")]
        ) from exc
    errors: list[PlanInputError] = []
    tables = {}
    for stem in _FORMATS:
        if stem in workbook.sheetnames:
            records = list(enumerate(workbook[stem].iter_rows(values_only=True), start=1))
            tables[stem] = _Table(stem, f"{book}: {stem} sheet", records, errors)
    labels = {stem: f"{book}: {stem} sheet" for stem in _FORMATS}
    refs = {stem: f"the {stem} sheet" for stem in _FORMATS}
    return _Loader(tables, labels, refs, errors).inputs(
        name or (Path(book).stem if book != "workbook" else "Uploaded workbook")
    )


def inputs_load(path: Path | str | None = None) -> PlanInputs:
    """An input set: the Hertfordshire 2014 set when ``path`` is None, else a folder of
    CSV files or an ``.xlsx`` workbook. Raises ``PlanInputErrors`` listing every problem."""
    folder = HERTFORDSHIRE_2014 if path is None else Path(path)
    if folder.is_dir():
        name = HERTFORDSHIRE_2014_NAME if folder.resolve() == HERTFORDSHIRE_2014 else folder.resolve().name
        return _folder_load(folder, name)
    if folder.is_file() and folder.suffix.lower() == ".xlsx":
        return inputs_load_workbook(folder)
    problem = "is not a folder of CSV files or an .xlsx workbook" if folder.exists() else "no such folder or workbook"
    raise PlanInputErrors([PlanInputError(str(folder), None, None, problem)])


def _sheet_rows(inputs: PlanInputs) -> dict[str, list[list]]:
    """Each file's rows as cell values, in the columns of ``_FORMATS``."""
    a = inputs.assumptions
    return {
        "assumptions": [[f.name, getattr(a, f.name), inputs.assumption_source(f.name)] for f in fields(Assumptions)],
        "areas": [
            [
                x.name,
                x.population,
                x.female_16_plus,
                x.police_incidents,
                x.repeat_rate,
                x.incidents_high,
                x.incidents_medium,
                x.marac_cases,
                x.marac_children,
                x.marac_repeat_rate,
                x.source,
            ]
            for x in inputs.areas
        ],
        "districts": [[d.name, d.area, None] for d in inputs.districts],
        "funding": [
            [
                f.stream,
                f.funder,
                f.source_body,
                f.amount,
                f.service,
                f.description,
                f.recipient,
                "; ".join(f.districts) or COUNTY_WIDE,
                f.end_date or "ongoing",
                f.source,
            ]
            for f in inputs.funding
        ],
        "refuges": [
            [r.name, r.provider, r.district, r.victims, r.beds, r.support_worker_fte, r.source] for r in inputs.refuges
        ],
        "funded_posts": [[p.area, p.service, p.fte, p.description, p.source] for p in inputs.funded_posts],
        "costs": [
            [c.item, c.unit_cost, c.quantity, c.idvas_per_post, "yes" if c.on_costs else "no", c.source]
            for c in inputs.costs
        ],
        # A cost of 0 with its basis is written as the CSV has it: an empty cell.
        "recommendations": [
            [
                r.scenario,
                r.tier,
                r.recommendation,
                None if r.marginal_cost == 0 and r.cost_basis else r.marginal_cost,
                r.cost_basis,
                r.source,
            ]
            for r in inputs.recommendations
        ],
        "published": [[p.key, p.value, p.source, p.note] for p in inputs.published],
    }


def inputs_add_sheets(inputs: PlanInputs, workbook: openpyxl.Workbook) -> None:
    """Add a sheet per input file to ``workbook``, as ``inputs_load_workbook`` reads them."""
    bold = Font(bold=True)
    for stem, rows in _sheet_rows(inputs).items():
        sheet = workbook.create_sheet(stem)
        header = [column for column, _ in _columns(stem)]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(header, start=1):
            letter = get_column_letter(i)
            width = max([len(column)] + [len(_shown(r[i - 1])) for r in rows if r[i - 1] is not None])
            sheet.column_dimensions[letter].width = min(width + 2, 60)
            if column in _MONEY_COLUMNS:
                for cell in sheet[letter][1:]:
                    cell.number_format = "#,##0"


def inputs_write_workbook(inputs: PlanInputs, stream_or_path) -> None:
    """Write ``inputs`` as one workbook (a sheet per file, header bold) that
    ``inputs_load_workbook`` reads back unchanged: for editing in Excel and uploading."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    inputs_add_sheets(inputs, workbook)
    workbook.save(stream_or_path)


def assumptions_replace(inputs: PlanInputs, changes: dict, *, source: str = "") -> PlanInputs:
    """``inputs`` with some assumptions changed: each value (text as typed, or a number or
    date) parsed as its field's type and checked against its bounds. A value that changes
    takes ``source`` as its source (by default, what it was changed from). Raises
    ``PlanInputErrors`` (file ``assumptions``, field = the name) listing every bad value."""
    specs = {f.name: f for f in fields(Assumptions)}
    values, errors = {}, []
    for name, raw in changes.items():
        if name not in specs:
            errors.append(PlanInputError("assumptions", None, name, "unknown assumption"))
            continue
        try:
            if raw is None or _text(raw) == "":
                raise _Invalid("must not be empty")
            values[name] = _assumption_value(specs[name], raw)
        except _Invalid as exc:
            errors.append(PlanInputError("assumptions", None, name, str(exc)))
    if errors:
        raise PlanInputErrors(errors)
    changed = {name: value for name, value in values.items() if value != getattr(inputs.assumptions, name)}
    sources = {
        **inputs.assumption_sources,
        **{name: source or f"Changed from {getattr(inputs.assumptions, name)} in the planner" for name in changed},
    }
    return replace(inputs, assumptions=replace(inputs.assumptions, **values), assumption_sources=sources)

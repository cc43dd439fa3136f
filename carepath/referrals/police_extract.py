"""Read and check a police force's daily domestic abuse incident extract (CSV or Excel).

The format (one row per incident, columns matched by name) is described column by
column in ``docs/police-extract.md``; ``docs/examples/police-extract-example.csv`` is a
small example. DASH answers, risk levels and children follow ``shared/docs/domain.md``.

Pure Python: no Django imports. The database layer turns accepted rows into events,
people and referrals, and deals with incidents already imported from an earlier file.

Three kinds of outcome:

* a *file error* (``PoliceExtractError``; ``ExtractResult.file_errors``) means the file
  cannot be read as an extract at all, and nothing from it is imported: missing columns,
  not UTF-8, empty, not a workbook, wrong extension;
* a *rejected row* (``RejectedRow``) names every problem in that row, so a user can fix
  them in the file written by ``write_rejects_csv`` and import that file again;
* a *warning* (``warnings``) is worth reading but blocks nothing: unknown columns, extra
  sheets, a header with no rows.

Speed: a national year is about 1.5 million incidents. ``iter_police_extract`` streams
(csv module, openpyxl read-only) and keeps per-row work to dictionary look-ups, slices
and ``int()``. Memory is constant except for the ``incident_ref`` -> first line map
used to reject duplicates within the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from carepath.core.ages import age_on
from carepath.people.safe_contact import ALL_CHANNELS
from carepath.referrals.intake import CHILD_MAX_AGE
from carepath.risk.dash import DONT_KNOW, LEVELS, NO, YES

LONDON = ZoneInfo("Europe/London")
_fromisoformat = datetime.fromisoformat

# ---------------------------------------------------------------------------------------
# The format
# ---------------------------------------------------------------------------------------

PERSON_SUFFIXES = ("given_name", "family_name", "dob", "age", "sex", "address", "postcode", "phone", "pnc_id")
VICTIM_COLUMNS = tuple(f"victim_{s}" for s in PERSON_SUFFIXES)
PERPETRATOR_COLUMNS = tuple(f"perpetrator_{s}" for s in PERSON_SUFFIXES)
DASH_QUESTIONS = tuple(range(1, 25))
DASH_COLUMNS = tuple(f"dash_{q}" for q in DASH_QUESTIONS)

#: Every column, in the order ``docs/police-extract.md`` lists them. Files may order
#: their columns as they like: columns are matched by name.
COLUMNS = (
    "incident_ref",
    "occurred_at",
    "reported_at",
    "district",
    "crime_recorded",
    "officer_grade",
    "officer_judgement_level",
    "officer_judgement_reason",
    *VICTIM_COLUMNS,
    *PERPETRATOR_COLUMNS,
    "relationship",
    *DASH_COLUMNS,
    "dash_score",
    "children_present",
    "children_ages",
    "child_harmed",
    "safe_to_contact_by",
    "do_not_contact_via",
    "victim_consent",
    "victim_consent_reason",
)
#: Columns every file must have (with a value in every row, except where the
#: documentation says otherwise). DASH needs ``dash_1`` ... ``dash_24`` or ``dash_score``.
REQUIRED_COLUMNS = (
    "incident_ref",
    "occurred_at",
    "reported_at",
    "district",
    "crime_recorded",
    "officer_grade",
    "victim_given_name",
    "victim_family_name",
    "children_present",
)
#: Columns ``write_rejects_csv`` adds; ignored (without a warning) when a fixed rejects
#: file is imported again.
REJECTS_COLUMNS = ("line", "reason")

INCIDENT_REF_MAX_LENGTH = 60  # Event.reference
RELATIONSHIPS = ("partner", "ex_partner", "family", "other")
#: The victim's consent to a referral, as the force recorded it (codes.Consent).
CONSENTS = ("given", "refused", "not_sought")
CHANNELS = ALL_CHANNELS  # phone_call, voicemail, text, letter, email, home_visit, workplace
DATETIME_FORMATS = "YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"
DATE_FORMATS = "YYYY-MM-DD or DD/MM/YYYY"

_DATE_COLUMNS = frozenset({"victim_dob", "perpetrator_dob"})
_KNOWN = frozenset(COLUMNS)
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_CHANNEL_LIST = ", ".join(CHANNELS)
_RELATIONSHIP_LIST = f"{', '.join(RELATIONSHIPS[:-1])} or {RELATIONSHIPS[-1]}"


def _case_variants(mapping: dict[str, object]) -> dict[str, object]:
    """Add UPPER and Title spellings so the common cases need no ``.lower()`` per cell."""
    out = dict(mapping)
    for key, value in mapping.items():
        out.setdefault(key.upper(), value)
        out.setdefault(key.title(), value)
        out.setdefault(key.capitalize(), value)
    return out


_YES_NO = _case_variants({"y": True, "yes": True, "n": False, "no": False})
_DASH = _case_variants(
    {
        "y": YES,
        "yes": YES,
        "n": NO,
        "no": NO,
        "dk": DONT_KNOW,
        "dont_know": DONT_KNOW,
        "don't know": DONT_KNOW,
        "dont know": DONT_KNOW,
        "do not know": DONT_KNOW,
        "not known": DONT_KNOW,
    }
)
_DASH[""] = ""  # not asked
_BAD = object()  # an answer that is not Y, N or DK
_SEX = _case_variants(
    {
        "f": "female",
        "female": "female",
        "m": "male",
        "male": "male",
        "u": "not_known",
        "unknown": "not_known",
        "not known": "not_known",
        "not_known": "not_known",
        "": "not_known",
    }
)
_LEVEL = _case_variants({level: level for level in LEVELS})
_CONSENT = _case_variants({c: c for c in CONSENTS} | {"not sought": "not_sought"})
_RELATIONSHIP = _case_variants(
    {
        "partner": "partner",
        "ex_partner": "ex_partner",
        "ex-partner": "ex_partner",
        "ex partner": "ex_partner",
        "expartner": "ex_partner",
        "family": "family",
        "other": "other",
    }
)
_CHANNEL = {c: c for c in CHANNELS}


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncidentPerson:
    """A victim or perpetrator as the police recorded them. Empty text is ``""``. The
    fields have the names of ``referrals.intake.PersonDetails``."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    #: The ``*_dob`` as the force wrote it when it is shaped like a date but is no real
    #: date of birth (1950-58-06, 31/02/1980, a year before 1900 or after the incident):
    #: kept so that the person can still be matched, never used as a date. "" otherwise.
    date_of_birth_as_written: str
    #: Age in whole years on the day of the incident: worked out from ``date_of_birth``
    #: when there is one, otherwise the ``*_age`` column; ``None`` when neither is given.
    age: int | None
    sex: str  # "female" | "male" | "not_known" (people.models.Sex)
    address: str
    postcode: str  # upper case, one space before the inward code when it looks like a UK postcode
    phone: str
    pnc_id: str  # Police National Computer identifier, upper case


@dataclass(frozen=True, slots=True)
class PoliceIncidentRow:
    """One accepted incident. ``line`` is where it starts in the file (header = line 1)."""

    line: int
    incident_ref: str
    occurred_at: datetime  # aware, Europe/London
    reported_at: datetime  # aware, Europe/London
    district: str  # the partnership's spelling when ``known_districts`` was given
    crime_recorded: bool
    officer_grade: str  # "standard" | "medium" | "high": the grade the force recorded
    officer_judgement_level: str | None  # the level professional judgement raised it to
    officer_judgement_reason: str
    victim: IncidentPerson
    perpetrator: IncidentPerson | None  # None when no perpetrator details were given
    relationship: str | None  # "partner" | "ex_partner" | "family" | "other"
    #: Questions 1 to 24 -> "yes" | "no" | "dont_know", or None for every question when
    #: the DASH was not asked or the force sent only ``dash_score``.
    dash_answers: dict[int, str | None]
    #: Number of "yes" answers (domain.md); the force's ``dash_score`` when only that was sent.
    dash_score: int | None
    children_present: bool
    children_ages: tuple[int, ...]  # in file order; may be empty when children are present
    child_harmed: bool | None  # None when not recorded
    safe_to_contact_by: tuple[str, ...]
    do_not_contact_via: tuple[str, ...]
    victim_consent: str | None = None  # None when the force did not record it
    victim_consent_reason: str = ""

    @property
    def dash_asked(self) -> bool:
        return any(a is not None for a in self.dash_answers.values())


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row not imported. ``reason`` lists every problem, joined with "; "; ``field`` is
    the column of the first one ("(row)" when the row itself is malformed). ``raw`` holds
    the row's values as text, keyed by the file's own column headings."""

    line: int
    field: str
    reason: str
    raw: dict[str, str]


@dataclass(frozen=True)
class ExtractResult:
    rows: list[PoliceIncidentRow]
    rejects: list[RejectedRow]
    file_errors: list[str]
    warnings: list[str] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # the header as written in the file

    @property
    def ok(self) -> bool:
        """True when the file could be read (some rows may still be rejected)."""
        return not self.file_errors


class PoliceExtractError(Exception):
    """The file cannot be imported at all; ``errors`` says why, one sentence each."""

    def __init__(self, errors: Iterable[str], warnings: Iterable[str] = ()):
        self.errors = list(errors)
        self.warnings = list(warnings)
        super().__init__("; ".join(self.errors))


Item = PoliceIncidentRow | RejectedRow


class PoliceExtractReader:
    """What ``iter_police_extract`` returns: an iterator of rows and rejects, with the
    header (``columns``) and ``warnings``. Use it in a ``with`` block, or iterate to the
    end, so that the file is closed."""

    def __init__(
        self, columns: tuple[str, ...], warnings: list[str], items: Iterator[Item], release: Callable[[], None]
    ):
        self.columns = columns
        self.warnings = warnings
        self._items = items
        self._release = release

    def __iter__(self) -> Iterator[Item]:
        return self._items

    def __next__(self) -> Item:
        return next(self._items)

    def close(self) -> None:
        self._items.close()  # type: ignore[attr-defined]
        self._release()  # also when iteration never started

    def __enter__(self) -> PoliceExtractReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def iter_police_extract(path: Path | str, known_districts: set[str] | None = None) -> PoliceExtractReader:
    """Check the file and its header now, then yield a ``PoliceIncidentRow`` or a
    ``RejectedRow`` for each non-blank row, lazily, in file order.

    Raises ``PoliceExtractError`` for a file that cannot be imported. A CSV file is
    checked to be UTF-8 from end to end before the first row is yielded, so that a bad
    byte near the end cannot leave a caller with half a file imported. A structural
    failure found later (a quote never closed) raises ``PoliceExtractError`` from the
    iteration: run the import in one transaction.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        opener = _open_csv
    elif suffix == ".xlsx":
        opener = _open_xlsx
    else:
        shown = f"not '{path.suffix}'" if path.suffix else "and this file name has no extension"
        hint = "; open old-style .xls workbooks in Excel and save them as .xlsx" if suffix == ".xls" else ""
        raise PoliceExtractError(
            [f"{path.name}: a police extract must be a .csv (CSV UTF-8) or .xlsx (Excel workbook) file, {shown}{hint}"]
        )
    if not path.is_file():
        raise PoliceExtractError([f"{path.name}: file not found"])
    return opener(path, known_districts)


def parse_police_extract(path: Path | str, *, known_districts: set[str] | None = None) -> ExtractResult:
    """Read a whole extract into memory. See ``iter_police_extract`` for large files."""
    try:
        reader = iter_police_extract(path, known_districts)
    except PoliceExtractError as error:
        return ExtractResult(rows=[], rejects=[], file_errors=error.errors, warnings=error.warnings)
    rows: list[PoliceIncidentRow] = []
    rejects: list[RejectedRow] = []
    try:
        with reader:
            for item in reader:
                if type(item) is PoliceIncidentRow:
                    rows.append(item)
                else:
                    rejects.append(item)
    except PoliceExtractError as error:
        return ExtractResult(
            rows=[], rejects=[], file_errors=error.errors, warnings=reader.warnings, columns=reader.columns
        )
    return ExtractResult(rows=rows, rejects=rejects, file_errors=[], warnings=reader.warnings, columns=reader.columns)


def write_rejects_csv(result: ExtractResult, path: Path | str) -> int:
    """Write the rejected rows as a CSV UTF-8 file (with a byte-order mark, so Excel
    reads it as UTF-8): ``line`` and ``reason`` first, then every column of the original
    file with the original values. Once fixed, the file imports with the same parser
    (``line`` and ``reason`` are ignored). Returns the number of rows written."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        _write_rejects(result, out)
    return len(result.rejects)


def rejects_csv_text(result: ExtractResult) -> str:
    """The rejected rows as ``write_rejects_csv`` writes them, as text (without the
    byte-order mark), to keep or to send."""
    out = io.StringIO(newline="")
    _write_rejects(result, out)
    return out.getvalue()


def _write_rejects(result: ExtractResult, out) -> None:
    original = [c for c in result.columns if _normalise_header(c) not in REJECTS_COLUMNS]
    writer = csv.writer(out)
    writer.writerow([*REJECTS_COLUMNS, *original])
    for reject in result.rejects:
        raw = reject.raw
        writer.writerow([reject.line, reject.reason, *(raw.get(c, "") for c in original)])


# ---------------------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------------------


def _normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower().replace(" ", "_").replace("-", "_")


def _check_header(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Map each known column to its position; return (index, errors, warnings)."""
    index: dict[str, int] = {}
    errors: list[str] = []
    unknown: list[str] = []
    unnamed: list[int] = []
    last_named = max((i for i, name in enumerate(header) if name.strip()), default=-1)
    for position, name in enumerate(header):
        key = _normalise_header(name)
        if not key:
            if position < last_named:
                unnamed.append(position + 1)
            continue
        if key in index:
            errors.append(f"column '{key}' appears twice in the header (columns {index[key] + 1} and {position + 1})")
        elif key in _KNOWN:
            index[key] = position
        elif key not in REJECTS_COLUMNS:
            unknown.append(name.strip())
        # A rejects column is ignored; it is still in ``raw``.
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    dash_present = [c for c in DASH_COLUMNS if c in index]
    if dash_present and len(dash_present) < len(DASH_COLUMNS):
        missing += [c for c in DASH_COLUMNS if c not in index]
    elif not dash_present and "dash_score" not in index:
        errors.append("the file has no DASH columns: it needs dash_1 ... dash_24, or dash_score, or both")
    if missing:
        plural = "s" if len(missing) > 1 else ""
        errors.insert(0, f"missing required column{plural}: {', '.join(missing)}")
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            errors.append("the header is one column: the file seems to be separated by semicolons or tabs, not commas")
    warnings = []
    if unknown:
        warnings.append(f"unknown column{'s' if len(unknown) > 1 else ''} ignored: {', '.join(unknown)}")
    if len(unnamed) == 1:
        warnings.append(f"column {unnamed[0]} has no heading; its values are ignored")
    elif unnamed:
        warnings.append(f"columns {', '.join(map(str, unnamed))} have no heading; their values are ignored")
    return index, errors, warnings


# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------

_SAVE_AS_UTF8 = (
    "Save it as UTF-8 (in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)'; "
    "from the records system: choose UTF-8 encoding) and import it again."
)


def _find_non_utf8(path: Path, chunk_size: int = 1 << 20) -> tuple[int, int, int] | None:
    """(byte offset, line, byte value) of the first byte that is not UTF-8, or None."""
    offset = 0  # bytes of the file before ``data``
    line = 1
    pending = b""
    with open(path, "rb") as source:
        while True:
            chunk = source.read(chunk_size)
            data = pending + chunk
            if not data:
                return None
            try:
                data.decode("utf-8")
                good, pending = data, b""
            except UnicodeDecodeError as error:
                truncated = chunk and error.reason == "unexpected end of data" and error.start >= len(data) - 3
                if not truncated:
                    return offset + error.start, line + data.count(b"\n", 0, error.start), data[error.start]
                good, pending = data[: error.start], data[error.start :]  # a character split across chunks
            line += good.count(b"\n")
            offset += len(good)
            if not chunk:
                return None


def _open_csv(path: Path, known_districts: set[str] | None) -> PoliceExtractReader:
    name = path.name
    with open(path, "rb") as probe:
        start = probe.read(4)
    if not start:
        raise PoliceExtractError([f"{name}: the file is empty"])
    if start.startswith(b"PK\x03\x04"):
        raise PoliceExtractError(
            [
                f"{name}: this is an Excel workbook with a .csv name; "
                "rename it to .xlsx, or save it from Excel as 'CSV UTF-8 (Comma delimited)'"
            ]
        )
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PoliceExtractError([f"{name}: the file is saved as UTF-16 ('Unicode text'), not UTF-8. {_SAVE_AS_UTF8}"])
    bad = _find_non_utf8(path)
    if bad is not None:
        offset, line, byte = bad
        raise PoliceExtractError(
            [
                f"{name}: the file is not UTF-8: byte 0x{byte:02X} at byte offset {offset} (line {line}) "
                f"cannot be read. {_SAVE_AS_UTF8}"
            ]
        )
    source = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the generator
    try:
        reader = csv.reader(source)
        header = None
        try:
            for values in reader:
                if any(v.strip() for v in values):
                    header = values
                    break
        except csv.Error as error:
            raise PoliceExtractError([f"{name}: line {reader.line_num}: the header cannot be read ({error})"]) from None
        if header is None:
            raise PoliceExtractError([f"{name}: the file is empty (no header row)"])
        index, errors, warnings = _check_header(header)
        if errors:
            raise PoliceExtractError(errors, warnings)
    except BaseException:
        source.close()
        raise
    columns = tuple(header)
    parse = _row_parser(columns, index, known_districts)
    return PoliceExtractReader(
        columns, warnings, _csv_rows(name, source, reader, columns, parse, warnings), source.close
    )


def _csv_rows(name, source, reader, columns, parse, warnings) -> Iterator[Item]:
    width = len(columns)
    count = 0
    try:
        previous_end = reader.line_num
        try:
            for values in reader:
                line = previous_end + 1
                previous_end = reader.line_num
                if not any(values):
                    continue  # blank line
                count += 1
                size = len(values)
                if size == width:
                    yield parse(values, line, None)
                    continue
                # A row of the wrong length has its values under the wrong headings (a DASH
                # answer under another question): never guess, reject it.
                if any("\n" in v for v in values):
                    cause = "a quote that is never closed?"
                elif size > width:
                    cause = "a comma inside a value that is not in quotes?"
                else:
                    cause = "a line break inside a value that is not in quotes?"
                problem = f"the row has {size} values but the header has {width} columns: {cause}"
                if size > width:
                    del values[width:]
                else:
                    values.extend([""] * (width - size))
                yield parse(values, line, problem)
        except csv.Error as error:
            raise PoliceExtractError(
                [
                    f"{name}: line {previous_end + 1}: the file cannot be read as CSV from here on ({error} "
                    f"by line {reader.line_num}): a value with an opening quote that is never closed?"
                ]
            ) from None
        except UnicodeDecodeError:  # the file changed after it was checked
            raise PoliceExtractError(
                [f"{name}: the file is not UTF-8 (near line {reader.line_num}). {_SAVE_AS_UTF8}"]
            ) from None
        if not count:
            warnings.append("the file has a header but no incident rows")
    finally:
        source.close()


# ---------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------


def _open_xlsx(path: Path, known_districts: set[str] | None) -> PoliceExtractReader:
    import openpyxl  # only Excel imports need it

    name = path.name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any failure here means "not a workbook"
        raise PoliceExtractError(
            [
                f"{name}: not a valid Excel workbook (.xlsx) ({type(error).__name__}); "
                "open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
            ]
        ) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise PoliceExtractError([f"{name}: the workbook has no worksheets"])
        sheet = sheets[0]
        warnings = []
        if len(sheets) > 1:
            warnings.append(f"the workbook has {len(sheets)} sheets; only the first, '{sheet.title}', was read")
        sheet.reset_dimensions()  # some writers record wrong dimensions; read every cell
        cells = enumerate(sheet.iter_rows(values_only=True), start=1)
        header = None
        for _, row in cells:
            texts = [_cell_text(v) for v in row]
            if any(t.strip() for t in texts):
                header = texts
                break
        if header is None:
            raise PoliceExtractError([f"{name}: the file is empty (the first sheet has no header row)"])
        while header and not header[-1].strip():
            header.pop()
        index, errors, header_warnings = _check_header(header)
        warnings += header_warnings
        if errors:
            raise PoliceExtractError(errors, warnings)
    except BaseException:
        workbook.close()
        raise
    columns = tuple(header)
    converters = [_cell_converter(_normalise_header(c)) for c in columns]
    parse = _row_parser(columns, index, known_districts)
    return PoliceExtractReader(
        columns, warnings, _xlsx_rows(workbook, cells, converters, parse, warnings), workbook.close
    )


def _xlsx_rows(workbook, cells, converters, parse, warnings) -> Iterator[Item]:
    width = len(converters)
    count = 0
    try:
        for line, row in cells:
            values = [convert(v) for convert, v in zip(converters, row)]
            beyond = len(row) > width and any(_cell_text(v).strip() for v in row[width:])
            if not beyond and not any(values):
                continue  # blank row
            count += 1
            problem = "the row has values in columns that have no heading" if beyond else None
            if len(values) < width:
                values.extend([""] * (width - len(values)))
            yield parse(values, line, problem)
        if not count:
            warnings.append("the file has a header but no incident rows")
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """An Excel cell as the text a CSV file would hold (3.0 -> "3", True -> "Y")."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[union-attr]
    if kind is bool:
        return "Y" if value else "N"
    if kind is datetime:
        return _datetime_text(value)  # type: ignore[arg-type]
    if kind is date:
        return value.isoformat()  # type: ignore[union-attr]
    if kind is time:
        return value.strftime("%H:%M")  # type: ignore[union-attr]
    return str(value)


def _datetime_text(value: datetime) -> str:
    if value.microsecond:  # Excel stores times as fractions of a day
        value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")


def _date_cell_text(value: object) -> str:
    if type(value) is datetime and value.hour == value.minute == value.second == value.microsecond == 0:
        return value.date().isoformat()  # type: ignore[union-attr]
    return _cell_text(value)


def _cell_converter(column: str) -> Callable[[object], str]:
    return _date_cell_text if column in _DATE_COLUMNS else _cell_text


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------


class _Invalid(ValueError):
    """A value's problem, as the end of a sentence that starts with the value."""


class _NotReal(_Invalid):
    """A date written in an accepted form whose day, month or year cannot be (31/02)."""


_UTC_OFFSETS: dict[str, timezone] = {}


def _offset(text: str) -> timezone:
    tz = _UTC_OFFSETS.get(text)
    if tz is None:
        if text == "Z":
            tz = UTC
        else:
            hours, _, minutes = text[1:].partition(":")
            if not (len(hours) == 2 and len(minutes) == 2 and (hours + minutes).isdigit() and text[0] in "+-"):
                raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
            delta = timedelta(hours=int(hours), minutes=int(minutes))
            tz = timezone(-delta if text[0] == "-" else delta)
        _UTC_OFFSETS[text] = tz
    return tz


def parse_datetime(text: str) -> datetime:
    """A UK local date and time -> an aware Europe/London datetime.

    Accepts ``YYYY-MM-DD HH:MM`` (``T`` may replace the space) and ``DD/MM/YYYY HH:MM``
    (day first, always; one-digit day, month and hour allowed), each optionally with
    ``:SS`` seconds (and fractions, ignored) and, to settle a time that happened twice
    when the clocks went back, a UTC offset (``+01:00``, ``+00:00``, ``Z``).
    Raises ``ValueError`` (text completing "'<value>' ...") otherwise.
    """
    n = len(text)
    if n == 16 and text[10] == " " and text[13] == ":" and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # the common case, in C; anything odd takes the careful path below
            value = _fromisoformat(text)
        except ValueError:
            pass
        else:
            if value.month != 3 and value.month != 10 and value.year >= 1972:
                return value.replace(tzinfo=LONDON)
    if n >= 16 and text[4] == "-" and text[7] == "-" and text[10] in " T" and text[13] == ":":
        ys, ms, ds, hs, mins, rest = text[0:4], text[5:7], text[8:10], text[11:13], text[14:16], text[16:]
    elif "/" in text:
        day_part, _, time_part = text.partition(" ")
        parts = day_part.split("/")
        if len(parts) != 3:
            raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
        ds, ms, ys = parts
        if len(ys) == 2:
            raise _Invalid("has a two-digit year: write the year in full (DD/MM/YYYY HH:MM)")
        time_part = time_part.strip()
        if not time_part:
            raise _Invalid("has no time: give DD/MM/YYYY HH:MM")
        hs, _, rest = time_part.partition(":")
        mins, rest = rest[:2], rest[2:]
        if not (len(ys) == 4 and 0 < len(ds) <= 2 and 0 < len(ms) <= 2 and 0 < len(hs) <= 2 and len(mins) == 2):
            raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
    elif n == 10 and text[4] == "-" and text[7] == "-":
        raise _Invalid("has no time: give YYYY-MM-DD HH:MM")
    else:
        raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
    digits = ys + ms + ds + hs + mins
    if not (digits.isdigit() and digits.isascii()):
        raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
    y, mo, d, h, mi = int(ys), int(ms), int(ds), int(hs), int(mins)
    s = 0
    tz = None
    if rest:
        if rest[0] == ":":
            sec = rest[1:3]
            if not (len(sec) == 2 and sec.isdigit() and sec.isascii()):
                raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
            s = int(sec)
            rest = rest[3:]
            if rest[:1] == ".":
                frac = rest[1:]
                cut = len(frac) - len(frac.lstrip("0123456789"))
                if not cut:
                    raise _Invalid(f"is not a date and time in the form {DATETIME_FORMATS}")
                rest = frac[cut:]
        rest = rest.strip()
        if rest:
            tz = _offset(rest)
    if h > 23 or mi > 59 or s > 59:
        raise _Invalid("is not a real time")
    try:
        if tz is not None:
            return datetime(y, mo, d, h, mi, s, tzinfo=tz).astimezone(LONDON)
        value = datetime(y, mo, d, h, mi, s, tzinfo=LONDON)
    except ValueError:
        raise _Invalid("is not a real date") from None
    if mo == 3 or mo == 10 or y < 1972:  # every UK clock change since 1972 is in March or October
        before, after = value.utcoffset(), value.replace(fold=1).utcoffset()
        if before != after:
            if before > after:  # type: ignore[operator]
                raise _Invalid(
                    f"happened twice in UK time (the clocks went back): add {_hhmm(before)} for the first "
                    f"(BST) or {_hhmm(after)} for the second (GMT)"
                )
            raise _Invalid("does not exist in UK time (the clocks went forward an hour)")
    return value


def _hhmm(offset: timedelta | None) -> str:
    minutes = int(offset.total_seconds()) // 60 if offset else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``; a midnight time (``00:00``, from a database or
    an Excel cell) is ignored. Raises ``ValueError`` otherwise."""
    day_part, _, time_part = text.replace("T", " ").partition(" ")
    if time_part.strip() not in ("", "00:00", "00:00:00"):
        raise _Invalid(f"is a date and time: give the date only ({DATE_FORMATS})")
    if len(day_part) == 10 and day_part[4] == "-" and day_part[7] == "-":
        ys, ms, ds = day_part[0:4], day_part[5:7], day_part[8:10]
    elif "/" in day_part:
        parts = day_part.split("/")
        if len(parts) != 3:
            raise _Invalid(f"is not a date in the form {DATE_FORMATS}")
        ds, ms, ys = parts
        if len(ys) == 2:
            raise _Invalid("has a two-digit year: write the year in full (DD/MM/YYYY)")
        if not (len(ys) == 4 and 0 < len(ds) <= 2 and 0 < len(ms) <= 2):
            raise _Invalid(f"is not a date in the form {DATE_FORMATS}")
    else:
        raise _Invalid(f"is not a date in the form {DATE_FORMATS}")
    digits = ys + ms + ds
    if not (digits.isdigit() and digits.isascii()):
        raise _Invalid(f"is not a date in the form {DATE_FORMATS}")
    try:
        return date(int(ys), int(ms), int(ds))
    except ValueError:
        raise _NotReal("is not a real date") from None


def _date_part(text: str) -> str:
    """A date as written without the midnight time ``parse_date`` ignores."""
    return text.replace("T", " ").partition(" ")[0]


def _whole_number(text: str) -> int:
    """ "7", "7.0" (a number that went through a spreadsheet), "-1" -> an int; a fraction
    or text raises ValueError. Callers check the range."""
    if text.isdigit() and text.isascii():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        raise _Invalid("is not a whole number") from None
    if not number.is_integer():  # NaN, inf, 3.5
        raise _Invalid("is not a whole number")
    return int(number)


def _normalise_postcode(text: str) -> str:
    compact = text.upper().replace(" ", "")
    if 5 <= len(compact) <= 7 and compact.isalnum() and compact.isascii() and compact[-3].isdigit():
        return f"{compact[:-3]} {compact[-3:]}"
    return text.upper()


def _channels(text: str, column: str, errors: list[tuple[str, str]]) -> tuple[str, ...]:
    found: list[str] = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        channel = _CHANNEL.get(part) or _CHANNEL.get(part.lower().replace(" ", "_").replace("-", "_"))
        if channel is None:
            errors.append((column, f"{column}: '{part}' is not one of {_CHANNEL_LIST}"))
        elif channel not in found:
            found.append(channel)
    return tuple(found)


# ---------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------


def _row_parser(
    columns: tuple[str, ...], index: dict[str, int], known_districts: set[str] | None
) -> Callable[[list[str], int, str | None], Item]:
    """Build the per-row function for one file's header. Everything that depends only on
    the header is worked out here, once; the returned function only indexes ``values``.
    Columns the file lacks read the empty string appended at position ``width``."""
    width = len(columns)
    col = {name: index.get(name, width) for name in COLUMNS}
    i_ref, i_occ, i_rep, i_dist = col["incident_ref"], col["occurred_at"], col["reported_at"], col["district"]
    i_crime, i_grade, i_jl, i_jr = (
        col["crime_recorded"],
        col["officer_grade"],
        col["officer_judgement_level"],
        col["officer_judgement_reason"],
    )
    i_rel, i_score = col["relationship"], col["dash_score"]
    i_cp, i_ages, i_harm = col["children_present"], col["children_ages"], col["child_harmed"]
    i_safe, i_dnc = col["safe_to_contact_by"], col["do_not_contact_via"]
    i_consent, i_consent_reason = col["victim_consent"], col["victim_consent_reason"]
    victim_idx = tuple(col[c] for c in VICTIM_COLUMNS)
    perpetrator_idx = tuple(col[c] for c in PERPETRATOR_COLUMNS)
    perpetrator_present_idx = tuple(i for i in perpetrator_idx if i < width)
    dash_idx = tuple(index[c] for c in DASH_COLUMNS) if "dash_1" in index else ()
    dash_values = itemgetter(*dash_idx) if dash_idx else None
    victim_values = itemgetter(*victim_idx)
    perpetrator_values = itemgetter(*perpetrator_idx)
    not_asked = dict.fromkeys(DASH_QUESTIONS)
    seen: dict[str, int] = {}
    districts = None
    if known_districts is not None:
        districts = {" ".join(d.split()).lower(): d for d in known_districts}
        listed = sorted(known_districts)
        district_hint = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")

    yes_no, level_map, rel_map = _YES_NO, _LEVEL, _RELATIONSHIP
    dash_get = _DASH.get
    parse_dt = parse_datetime

    def flag(text: str, column: str, errors: list, *, required: bool) -> bool | None:
        value = yes_no.get(text)
        if value is None:
            text = text.strip()
            if not text:
                if required:
                    errors.append((column, f"{column}: is empty (give Y or N)"))
                return None
            value = yes_no.get(text.lower())
            if value is None:
                errors.append((column, f"{column}: '{text}' is not Y or N"))
        return value

    def level(text: str, column: str, errors: list) -> str | None:
        value = level_map.get(text)
        if value is None:
            text = text.strip()
            if not text:
                return None
            value = level_map.get(text.lower())
            if value is None:
                errors.append((column, f"{column}: '{text}' is not high, medium or standard"))
        return value

    def person(values: list[str], get: itemgetter, prefix: str, errors: list, on: date | None) -> IncidentPerson:
        given, family, dob_text, age_text, sex_text, address, postcode, phone, pnc = map(str.strip, get(values))
        if not given and prefix == "victim_":
            errors.append(("victim_given_name", "victim_given_name: is empty (required)"))
        if not family:
            errors.append((f"{prefix}family_name", f"{prefix}family_name: is empty (required)"))
        born = None
        as_written = ""
        if dob_text:
            # A date in an accepted form that is no real date of birth is kept as written
            # (issue 12): a slip in one digit is what matching records overcomes. A value
            # in no accepted form (words, a two-digit year) is still an error to fix.
            try:
                born = parse_date(dob_text)
            except _NotReal:
                as_written = _date_part(dob_text)
            except ValueError as problem:
                errors.append((f"{prefix}dob", f"{prefix}dob: '{dob_text}' {problem}"))
            else:
                if born.year < 1900 or (on is not None and born > on):
                    as_written, born = _date_part(dob_text), None
        age = None
        if age_text:
            try:
                age = _whole_number(age_text)
            except ValueError:
                errors.append((f"{prefix}age", f"{prefix}age: '{age_text}' is not a whole number of years"))
            else:
                if not 0 <= age <= 120:
                    errors.append((f"{prefix}age", f"{prefix}age: {age} is not a possible age"))
                    age = None
        if born is not None and on is not None:
            from_dob = age_on(born, on)
            if age is not None and abs(age - from_dob) > 1:
                errors.append(
                    (
                        f"{prefix}age",
                        f"{prefix}age: {age} does not match {prefix}dob "
                        f"'{dob_text}' (age {from_dob} on the day of the incident)",
                    )
                )
            age = from_dob
        sex = _SEX.get(sex_text)
        if sex is None:
            sex = _SEX.get(sex_text.lower())
            if sex is None:
                errors.append((f"{prefix}sex", f"{prefix}sex: '{sex_text}' is not F, M or U"))
                sex = "not_known"
        return IncidentPerson(
            given_name=given,
            family_name=family,
            date_of_birth=born,
            date_of_birth_as_written=as_written,
            age=age,
            sex=sex,
            address=address,
            postcode=_normalise_postcode(postcode) if postcode else "",
            phone=phone,
            pnc_id=pnc.upper(),
        )

    def parse(values: list[str], line: int, problem: str | None) -> Item:
        if problem:  # the values are under the wrong headings: checking them would mislead
            return RejectedRow(line=line, field="(row)", reason=problem, raw=dict(zip(columns, values)))
        errors: list[tuple[str, str]] = []
        values.append("")  # what an absent column reads

        ref = values[i_ref].strip()
        if not ref:
            errors.append(("incident_ref", "incident_ref: is empty (required)"))
        elif len(ref) > INCIDENT_REF_MAX_LENGTH:
            errors.append(
                ("incident_ref", f"incident_ref: '{ref}' is longer than {INCIDENT_REF_MAX_LENGTH} characters")
            )
        else:
            first = seen.get(ref)
            if first is None:
                seen[ref] = line
            else:
                errors.append(("incident_ref", f"duplicate incident_ref '{ref}' (first on line {first})"))

        occurred = reported = None
        text = values[i_occ].strip()
        if not text:
            errors.append(("occurred_at", "occurred_at: is empty (required)"))
        else:
            try:
                occurred = parse_dt(text)
            except ValueError as problem_:
                errors.append(("occurred_at", f"occurred_at: '{text}' {problem_}"))
        text = values[i_rep].strip()
        if not text:
            errors.append(("reported_at", "reported_at: is empty (required)"))
        else:
            try:
                reported = parse_dt(text)
            except ValueError as problem_:
                errors.append(("reported_at", f"reported_at: '{text}' {problem_}"))
            else:
                if occurred is not None and reported < occurred:
                    errors.append(
                        ("reported_at", f"reported_at: '{text}' is before occurred_at '{values[i_occ].strip()}'")
                    )
        on = occurred.date() if occurred is not None else None

        district = values[i_dist].strip()
        if not district:
            errors.append(("district", "district: is empty (required)"))
        elif districts is not None:
            known = districts.get(" ".join(district.split()).lower())
            if known is None:
                errors.append(
                    ("district", f"district: '{district}' is not one of the partnership's districts ({district_hint})")
                )
            else:
                district = known

        crime = flag(values[i_crime], "crime_recorded", errors, required=True)
        text = values[i_grade]
        grade = level(text, "officer_grade", errors)
        if not text.strip():
            errors.append(("officer_grade", "officer_grade: is empty (give high, medium or standard)"))
        judgement = level(values[i_jl], "officer_judgement_level", errors)
        reason = values[i_jr].strip()
        if judgement is not None:
            if not reason:
                errors.append(
                    (
                        "officer_judgement_reason",
                        "officer_judgement_reason: is empty, but a reason "
                        "is required when officer_judgement_level is given",
                    )
                )
            if grade is not None and _LEVEL_RANK[grade] < _LEVEL_RANK[judgement]:
                errors.append(
                    (
                        "officer_grade",
                        f"officer_grade: '{grade}' is lower than officer_judgement_level "
                        f"'{judgement}' (judgement can only raise the grade)",
                    )
                )
        elif reason and not values[i_jl].strip():
            errors.append(
                (
                    "officer_judgement_level",
                    "officer_judgement_level: is empty, but "
                    "officer_judgement_reason is given (give the level the judgement raises the risk to)",
                )
            )

        victim = person(values, victim_values, "victim_", errors, on)
        perpetrator = None
        for i in perpetrator_present_idx:
            if values[i] and values[i].strip():
                perpetrator = person(values, perpetrator_values, "perpetrator_", errors, on)
                break

        relationship = None
        text = values[i_rel].strip()
        if text:
            relationship = rel_map.get(text) or rel_map.get(text.lower().replace("-", "_").replace(" ", "_"))
            if relationship is None:
                errors.append(("relationship", f"relationship: '{text}' is not {_RELATIONSHIP_LIST}"))
        elif perpetrator is not None:
            errors.append(("relationship", "relationship: is empty (required when a perpetrator is given)"))

        # DASH: all 24 answered, or none (then dash_score alone may be given).
        answered = False
        yes_count = 0
        if dash_values is not None:
            found = list(map(dash_get, dash_values(values)))
            if None in found:  # an unusual spelling, or not an answer at all
                for k, answer in enumerate(found):
                    if answer is None:
                        raw = values[dash_idx[k]].strip()
                        answer = dash_get(raw)
                        if answer is None:
                            answer = dash_get(" ".join(raw.lower().replace("\u2019", "'").replace("_", " ").split()))
                        if answer is None:
                            errors.append((f"dash_{k + 1}", f"dash_{k + 1}: '{raw}' is not Y, N or DK"))
                            answer = _BAD
                        found[k] = answer
            blanks = found.count("")
            if blanks < 24:
                if blanks:
                    names = [f"dash_{k + 1}" for k, answer in enumerate(found) if answer == ""]
                    errors.append(
                        (
                            names[0],
                            f"{', '.join(names)}: not answered, but other DASH questions are "
                            "(answer all 24 with Y, N or DK, or leave all 24 empty)",
                        )
                    )
                elif _BAD not in found:
                    answered = True
                    yes_count = found.count(YES)
        answers = dict(zip(DASH_QUESTIONS, found)) if answered else not_asked.copy()
        score = None
        text = values[i_score].strip()
        if text:
            try:
                score = _whole_number(text)
            except ValueError:
                score = -1
            if not 0 <= score <= 24:
                errors.append(("dash_score", f"dash_score: '{text}' is not a whole number from 0 to 24"))
                score = None
        if answered:
            if score is not None and score != yes_count:
                errors.append(
                    (
                        "dash_score",
                        f"dash_score: {score} does not match the DASH answers, "
                        f"which have {yes_count} Y answer{'s' if yes_count != 1 else ''}",
                    )
                )
            score = yes_count

        children = flag(values[i_cp], "children_present", errors, required=True)
        ages: tuple[int, ...] = ()
        text = values[i_ages].strip()
        if text:
            found = []
            for part in text.replace(",", ";").split(";"):
                part = part.strip()
                if not part:
                    continue
                try:
                    age = _whole_number(part)
                except ValueError:
                    errors.append(("children_ages", f"children_ages: '{part}' is not a whole number of years"))
                    continue
                if not 0 <= age <= CHILD_MAX_AGE:
                    errors.append(("children_ages", f"children_ages: {age} is not a child's age (0-{CHILD_MAX_AGE})"))
                else:
                    found.append(age)
            ages = tuple(found)
            if children is False:
                errors.append(("children_ages", "children_ages: ages are given but children_present is N"))
        harmed = flag(values[i_harm], "child_harmed", errors, required=False)
        if harmed and children is False:
            errors.append(("child_harmed", "child_harmed: is Y but children_present is N"))

        text = values[i_safe]
        safe = _channels(text, "safe_to_contact_by", errors) if text else ()
        text = values[i_dnc]
        avoid = _channels(text, "do_not_contact_via", errors) if text else ()
        if safe and avoid:
            both = [c for c in avoid if c in safe]
            if both:
                errors.append(
                    (
                        "do_not_contact_via",
                        f"do_not_contact_via: {', '.join(both)} also in safe_to_contact_by (a channel cannot be both)",
                    )
                )

        text = values[i_consent].strip()
        consent = _CONSENT.get(text) or _CONSENT.get(text.lower()) if text else None
        if text and consent is None:
            errors.append(("victim_consent", f"victim_consent: '{text}' is not given, refused or not_sought"))

        if errors:
            return RejectedRow(
                line=line, field=errors[0][0], reason="; ".join(e for _, e in errors), raw=dict(zip(columns, values))
            )
        return PoliceIncidentRow(
            line=line,
            incident_ref=ref,
            occurred_at=occurred,
            reported_at=reported,
            district=district,
            crime_recorded=crime,
            officer_grade=grade,
            officer_judgement_level=judgement,
            officer_judgement_reason=reason,
            victim=victim,
            perpetrator=perpetrator,
            relationship=relationship,
            dash_answers=answers,
            dash_score=score,
            children_present=children,
            children_ages=ages,
            child_harmed=harmed,
            safe_to_contact_by=safe,
            do_not_contact_via=avoid,
            victim_consent=consent,
            victim_consent_reason=values[i_consent_reason].strip(),
        )

    return parse

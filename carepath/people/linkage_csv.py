"""Reading and writing the ``carepath link-people`` CSV files (docs/architecture.md, Contracts).

Input: a header row with at least ``record_id, first_name, last_name, date_of_birth,
address, postcode`` and optionally ``national_id, sex, phone, pnc_id`` (other columns are
ignored). Empty values are allowed except ``record_id``. ``date_of_birth`` is best given as
YYYY-MM-DD (day-first 27/03/1988 and 19880327 are read too); a value that is no real date
(1950-58-06) is kept as written and still compared, digit by digit: an impossible date is
the kind of error linkage exists to overcome, not a reason to refuse the file (issue 12).
A file is refused only when it cannot be read: not UTF-8, empty, a required column
missing, a row that is not CSV, a record without an id or with another's id.
Output: ``record_id, person_id``, one row per input record in input order.

Problems are reported with the file, line and field, never with the value of a name or
address (the error goes to a terminal or a log); up to :data:`MAX_ERRORS` are collected so
that one run shows what to fix. No Django imports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from carepath.people.linkage import PersonRecord, dob_text, real_date

REQUIRED_COLUMNS = ("record_id", "first_name", "last_name", "date_of_birth", "address", "postcode")
OPTIONAL_COLUMNS = ("national_id", "sex", "phone", "pnc_id")
MAX_ERRORS = 20


class LinkPeopleInputError(Exception):
    """The input file cannot be linked; ``errors`` says where and why, one per line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LinkPeopleInputError([f"{path}: cannot read the file ({exc.strerror})."]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LinkPeopleInputError(
            [
                f"{path}, line {line}: the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}). "
                "Save it as UTF-8 CSV and try again."
            ]
        ) from None


def read_people_csv(path: str | Path) -> list[PersonRecord]:
    """The person records of a link-people input file, or :class:`LinkPeopleInputError`."""
    path = Path(path)
    text = _text(path)
    if not text.strip():
        raise LinkPeopleInputError(
            [f"{path}: the file is empty; expected a header row with the columns {', '.join(REQUIRED_COLUMNS)}."]
        )
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise LinkPeopleInputError(
            [
                f"{path}, line 1: missing required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} (the header has: {', '.join(header) or 'nothing'})."
            ]
        )
    reader.fieldnames = header
    records: list[PersonRecord] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            record = _record(row, path, line, errors)
            if record is None:
                continue
            if record.record_id in first_line:
                errors.append(
                    f"{path}, line {line}, record_id: {record.record_id} is already on line "
                    f"{first_line[record.record_id]}; each record needs its own id."
                )
            else:
                first_line[record.record_id] = line
                records.append(record)
            if len(errors) >= MAX_ERRORS:
                errors.append(f"{path}: stopped after {MAX_ERRORS} problems.")
                break
    except csv.Error as exc:
        errors.append(f"{path}, line {reader.line_num}: not valid CSV ({exc}).")
    if errors:
        raise LinkPeopleInputError(errors)
    if not records:
        raise LinkPeopleInputError([f"{path}: the file has a header but no records."])
    return records


def _record(row: Mapping[str, str | None], path: Path, line: int, errors: list[str]) -> PersonRecord | None:
    if None in row:  # csv.DictReader puts surplus cells under the key None
        errors.append(f"{path}, line {line}: more cells than columns in the header.")
        return None
    values = {k: (row.get(k) or "").strip() for k in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    if not values["record_id"]:
        errors.append(f"{path}, line {line}, record_id: empty; every record needs an id.")
        return None
    written = values["date_of_birth"]
    return PersonRecord(
        record_id=values["record_id"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        date_of_birth=(real_date(written) or written) if dob_text(written) else None,
        address=values["address"],
        postcode=values["postcode"],
        national_id=values["national_id"],
        pnc_id=values["pnc_id"],
        sex=values["sex"],
        phone=values["phone"],
    )


def dates_kept_as_written(records: Iterable[PersonRecord]) -> int:
    """How many records have a date of birth that is no real date (kept as text)."""
    return sum(isinstance(r.date_of_birth, str) for r in records)


def write_person_ids(path: str | Path, records: list[PersonRecord], clusters: Mapping[str, str]) -> None:
    """Write ``record_id, person_id`` in the order of ``records``."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["record_id", "person_id"])
        for record in records:
            writer.writerow([record.record_id, clusters[record.record_id]])

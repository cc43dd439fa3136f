"""Reading a police force's incident extract (docs/police-extract.md): pure, no database.

The throughput benchmark is not run by default:
``CAREPATH_BENCH_POLICE_EXTRACT=1 .venv/bin/pytest tests/referrals/test_police_extract.py -k throughput -s``.
"""

import csv
import dataclasses
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from carepath.referrals.police_extract import (
    COLUMNS,
    DASH_COLUMNS,
    LONDON,
    PoliceExtractError,
    PoliceIncidentRow,
    RejectedRow,
    _cell_text,  # Excel cell conversions are tested directly
    _date_cell_text,
    iter_police_extract,
    parse_datetime,
    parse_police_extract,
    write_rejects_csv,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
EXAMPLE_CSV = EXAMPLES / "police-extract-example.csv"
EXAMPLE_XLSX = EXAMPLES / "police-extract-example.xlsx"
HERTFORDSHIRE = {
    "Broxbourne",
    "Dacorum",
    "East Hertfordshire",
    "Hertsmere",
    "North Hertfordshire",
    "St Albans",
    "Stevenage",
    "Three Rivers",
    "Watford",
    "Welwyn Hatfield",
}


# --- helpers -----------------------------------------------------------------------------


def example_rows() -> list[dict[str, str]]:
    with open(EXAMPLE_CSV, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def write_csv(path: Path, rows: list[dict[str, str]], columns=None) -> Path:
    columns = list(columns or rows[0].keys())
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def parse_rows(tmp_path: Path, rows: list[dict[str, str]], columns=None, **kwargs):
    return parse_police_extract(write_csv(tmp_path / "extract.csv", rows, columns), **kwargs)


def changed(number: int, **changes: str) -> list[dict[str, str]]:
    """The example file with the changes made to its row ``number`` (0-based)."""
    rows = example_rows()
    rows[number].update(changes)
    return rows


def only_reject(result) -> RejectedRow:
    assert not result.file_errors
    assert len(result.rejects) == 1, [r.reason for r in result.rejects]
    return result.rejects[0]


def typed_cell(column: str, text: str):
    """What a person typing into Excel, or a records system writing a workbook, would store:
    dates as dates, numbers as numbers, Y/N for a crime as a tick box (TRUE/FALSE)."""
    if not text:
        return None
    if column in ("occurred_at", "reported_at"):
        return parse_datetime(text).replace(tzinfo=None)
    if column.endswith("_dob"):
        return datetime.strptime(text, "%d/%m/%Y") if "/" in text else date.fromisoformat(text)
    if column == "dash_score":
        return int(text)
    if column.endswith("_age") or (column == "children_ages" and text.isdigit()):
        return int(text)
    if column == "crime_recorded":
        return text == "Y"
    return text


def write_xlsx(csv_path: Path, xlsx_path: Path) -> Path:
    """The CSV's content as a workbook with typed cells (how the example .xlsx was made)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Incidents"
    with open(csv_path, encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        sheet.append(header)
        for values in reader:
            sheet.append([typed_cell(c, v) for c, v in zip(header, values)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm" if header[cell.column - 1].endswith("_at") else "dd/mm/yyyy"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    workbook.save(xlsx_path)
    return xlsx_path


def test_the_reader_is_pure_python():
    code = "import sys, carepath.referrals.police_extract; print(any(m.startswith('django') for m in sys.modules))"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout == "False\n"


# --- the example files --------------------------------------------------------------------


def test_example_csv_parses_cleanly_into_typed_rows():
    result = parse_police_extract(EXAMPLE_CSV, known_districts=HERTFORDSHIRE)
    assert (result.file_errors, result.rejects, result.warnings) == ([], [], [])
    assert [r.line for r in result.rows] == list(range(2, 10))
    assert result.columns == COLUMNS

    high = result.rows[0]
    assert high.incident_ref == "HC-26-0114502"
    assert high.occurred_at == datetime(2026, 11, 14, 22, 15, tzinfo=LONDON)
    assert high.occurred_at.utcoffset() == timedelta(0)  # November: GMT
    assert (high.district, high.crime_recorded, high.officer_grade) == ("Stevenage", True, "high")
    assert high.victim.date_of_birth == date(1988, 3, 14) and high.victim.age == 38
    assert (high.victim.sex, high.victim.postcode, high.relationship) == ("female", "SG1 4QZ", "partner")
    assert high.perpetrator.family_name == "Wetherby" and high.perpetrator.pnc_id == "03/998877K"
    assert set(high.dash_answers) == set(range(1, 25))
    assert (high.dash_answers[15], high.dash_answers[16], high.dash_answers[24]) == ("yes", "dont_know", "no")
    assert high.dash_score == 15 and high.dash_asked
    assert (high.children_present, high.children_ages, high.child_harmed) == (True, (3, 7), False)
    assert high.safe_to_contact_by == ("phone_call", "text")
    assert high.do_not_contact_via == ("letter", "voicemail")

    score_only = result.rows[1]  # DD/MM/YYYY dates, an accented name, dash_score without answers
    assert score_only.occurred_at == datetime(2026, 11, 15, 1, 5, tzinfo=LONDON)
    assert score_only.victim.given_name == "Siân" and score_only.victim.age == 34
    assert score_only.dash_score == 9 and not score_only.dash_asked
    assert score_only.dash_answers == dict.fromkeys(range(1, 25))

    declined = result.rows[3]  # no perpetrator named, DASH declined, judgement with a reason
    assert declined.perpetrator is None and declined.dash_score is None
    assert declined.officer_judgement_level == "medium" and "declined" in declined.officer_judgement_reason
    assert declined.children_present and declined.children_ages == ()

    raised = result.rows[4]
    assert (raised.dash_score, raised.officer_grade, raised.officer_judgement_level) == (9, "high", "high")
    assert raised.reported_at.date() == date(2026, 11, 19)  # after midnight


def test_example_xlsx_has_typed_cells_and_gives_the_same_rows_as_the_csv():
    workbook = openpyxl.load_workbook(EXAMPLE_XLSX, read_only=True)
    cells = next(workbook.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))
    workbook.close()
    as_typed = dict(zip(COLUMNS, cells))
    assert isinstance(as_typed["occurred_at"], datetime) and isinstance(as_typed["dash_score"], int)
    assert as_typed["crime_recorded"] is True

    from_csv = parse_police_extract(EXAMPLE_CSV, known_districts=HERTFORDSHIRE)
    from_xlsx = parse_police_extract(EXAMPLE_XLSX, known_districts=HERTFORDSHIRE)
    assert (from_xlsx.file_errors, from_xlsx.rejects, from_xlsx.warnings) == ([], [], [])
    assert from_xlsx.rows == from_csv.rows


def test_a_workbook_written_now_from_the_csv_reads_the_same(tmp_path):
    rows = changed(0, occurred_at="2026-07-04 09:30:15")
    csv_path = write_csv(tmp_path / "summer.csv", rows)
    from_csv = parse_police_extract(csv_path)
    from_xlsx = parse_police_extract(write_xlsx(csv_path, tmp_path / "summer.xlsx"))
    assert from_xlsx.rows == from_csv.rows and len(from_csv.rows) == 8
    assert from_csv.rows[0].occurred_at.utcoffset() == timedelta(hours=1)  # July: BST


@pytest.mark.parametrize(
    "cell, text",
    [
        (3, "3"),
        (3.0, "3"),
        (3.5, "3.5"),
        (True, "Y"),
        (False, "N"),
        (None, ""),
        (" HC-1 ", " HC-1 "),
        (datetime(2026, 11, 14, 22, 15), "2026-11-14 22:15"),
        (datetime(2026, 11, 14, 22, 14, 59, 999_700), "2026-11-14 22:15"),  # a day fraction's rounding error
        (datetime(2026, 11, 14, 22, 15, 30), "2026-11-14 22:15:30"),
        (date(1988, 3, 14), "1988-03-14"),
    ],
)
def test_excel_cells_read_as_the_text_a_csv_would_hold(cell, text):
    assert _cell_text(cell) == text


def test_an_excel_date_of_birth_cell_reads_as_a_date():
    assert _date_cell_text(datetime(1988, 3, 14)) == "1988-03-14"


# --- dates and times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-14 22:15", datetime(2026, 11, 14, 22, 15, tzinfo=LONDON)),
        ("2026-11-14T22:15:30", datetime(2026, 11, 14, 22, 15, 30, tzinfo=LONDON)),
        ("2026-11-14 22:15:30.000", datetime(2026, 11, 14, 22, 15, 30, tzinfo=LONDON)),
        ("14/11/2026 22:15", datetime(2026, 11, 14, 22, 15, tzinfo=LONDON)),
        ("4/7/2026 9:05", datetime(2026, 7, 4, 9, 5, tzinfo=LONDON)),
        ("2026-10-25 01:30+01:00", datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)),  # the first 01:30
        ("2026-10-25 01:30+00:00", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)),  # the second
        ("2026-03-29 02:30", datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)),
    ],
)
def test_accepted_date_times(text, expected):
    value = parse_datetime(text)
    assert value == expected and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("31/02/2026 10:00", "is not a real date"),
        ("2026-02-29 10:00", "is not a real date"),
        ("13/25/2026 10:00", "is not a real date"),  # month first is not accepted
        ("14/11/2026 25:00", "is not a real time"),
        ("14/11/26 22:15", "has a two-digit year: write the year in full (DD/MM/YYYY HH:MM)"),
        ("2026-11-14", "has no time: give YYYY-MM-DD HH:MM"),
        ("14/11/2026", "has no time: give DD/MM/YYYY HH:MM"),
        ("14 Nov 2026 22:15", "is not a date and time in the form YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"),
        ("2026-11-14 22.15", "is not a date and time in the form YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"),
        ("2026-03-29 01:30", "does not exist in UK time (the clocks went forward an hour)"),
        (
            "2026-10-25 01:30",
            "happened twice in UK time (the clocks went back): add +01:00 for the first (BST) "
            "or +00:00 for the second (GMT)",
        ),
    ],
)
def test_malformed_impossible_and_ambiguous_date_times(text, problem):
    with pytest.raises(ValueError) as raised:
        parse_datetime(text)
    assert str(raised.value) == problem


def test_a_malformed_date_rejects_the_row_with_the_value_and_the_accepted_forms(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(2, occurred_at="16 Nov 2026 18:40")))
    assert (reject.line, reject.field) == (4, "occurred_at")
    assert reject.reason == (
        "occurred_at: '16 Nov 2026 18:40' is not a date and time in the form YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"
    )


def test_an_impossible_date_rejects_the_row(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, occurred_at="31/02/2026 10:00")))
    assert reject.reason == "occurred_at: '31/02/2026 10:00' is not a real date"
    assert reject.raw["occurred_at"] == "31/02/2026 10:00" and reject.raw["incident_ref"] == "HC-26-0114502"


def test_reported_before_it_happened_is_rejected(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, reported_at="2026-11-14 21:00")))
    assert reject.reason == "reported_at: '2026-11-14 21:00' is before occurred_at '2026-11-14 22:15'"


# --- DASH -----------------------------------------------------------------------------------


def test_an_unknown_dash_answer_is_named(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, dash_7="maybe")))
    assert (reject.field, reject.reason) == ("dash_7", "dash_7: 'maybe' is not Y, N or DK")


def test_dash_answers_in_words_and_any_case_are_accepted(tmp_path):
    spellings = {
        "dash_1": "yes",
        "dash_2": "YES",
        "dash_4": "No",
        "dash_16": "don't know",
        "dash_17": "Don’t Know",
        "dash_19": "dont_know",
        "dash_21": " dk ",
    }
    result = parse_rows(tmp_path, changed(0, **spellings))
    assert result.rejects == []
    answers = result.rows[0].dash_answers
    assert (answers[1], answers[2], answers[4]) == ("yes", "yes", "no")
    assert answers[16] == answers[17] == answers[19] == answers[21] == "dont_know"
    assert result.rows[0].dash_score == 15


def test_some_dash_questions_left_empty_is_an_error(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, dash_3="", dash_9="")))
    assert reject.field == "dash_3"
    assert reject.reason == (
        "dash_3, dash_9: not answered, but other DASH questions are "
        "(answer all 24 with Y, N or DK, or leave all 24 empty)"
    )


def test_dash_answers_and_score_that_disagree_are_rejected(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, dash_score="12")))
    assert reject.reason == "dash_score: 12 does not match the DASH answers, which have 15 Y answers"


def test_a_score_without_answers_is_kept_and_a_score_with_answers_is_counted(tmp_path):
    result = parse_rows(tmp_path, changed(0, dash_score="", dash_1="N"))
    assert result.rejects == [] and result.rows[0].dash_score == 14


@pytest.mark.parametrize("score", ["25", "-1", "7.5", "high"])
def test_a_score_outside_0_to_24_is_rejected(tmp_path, score):
    reject = only_reject(parse_rows(tmp_path, changed(1, dash_score=score)))
    assert reject.reason == f"dash_score: '{score}' is not a whole number from 0 to 24"


def test_a_file_with_only_the_score_column_is_accepted(tmp_path):
    columns = [c for c in COLUMNS if c not in DASH_COLUMNS]
    rows = [r for r in example_rows() if not r["dash_1"]]
    result = parse_rows(tmp_path, rows, columns)
    assert result.file_errors == [] and result.rejects == [] and len(result.rows) == 4


# --- header and file errors -----------------------------------------------------------------


def test_missing_required_columns_are_all_named(tmp_path):
    columns = [c for c in COLUMNS if c not in ("district", "victim_family_name", "dash_7")]
    result = parse_rows(tmp_path, example_rows(), columns)
    assert result.file_errors == ["missing required columns: district, victim_family_name, dash_7"]
    assert result.rows == [] and result.rejects == []


def test_no_dash_columns_at_all_is_a_file_error(tmp_path):
    columns = [c for c in COLUMNS if c not in DASH_COLUMNS and c != "dash_score"]
    result = parse_rows(tmp_path, example_rows(), columns)
    assert result.file_errors == ["the file has no DASH columns: it needs dash_1 ... dash_24, or dash_score, or both"]


def test_unknown_columns_are_a_warning_and_headings_are_matched_loosely(tmp_path):
    rows = example_rows()
    for row in rows:
        row["Force Notes"] = "see PND"
        row["Incident Ref"] = row.pop("incident_ref")
    result = parse_rows(tmp_path, rows)
    assert result.file_errors == [] and result.rejects == [] and len(result.rows) == 8
    assert result.warnings == ["unknown column ignored: Force Notes"]
    assert result.rows[0].incident_ref == "HC-26-0114502"


def test_a_non_utf8_csv_says_where_and_how_to_fix_it(tmp_path):
    header = ",".join(COLUMNS).encode() + b"\r\n"
    row = example_rows()[1]
    line = ",".join(f'"{row[c]}"' for c in COLUMNS).encode("cp1252") + b"\r\n"  # "Siân" in Windows-1252
    path = tmp_path / "ansi.csv"
    path.write_bytes(header + example_row_line(0) + line)
    result = parse_police_extract(path)
    offset = len(header) + len(example_row_line(0)) + line.index(b"\xe2")
    assert result.file_errors == [
        f"ansi.csv: the file is not UTF-8: byte 0xE2 at byte offset {offset} (line 3) cannot be read. "
        "Save it as UTF-8 (in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)'; from the records system: "
        "choose UTF-8 encoding) and import it again."
    ]
    assert result.rows == []
    with pytest.raises(PoliceExtractError):
        iter_police_extract(path)  # before a single row is yielded


def example_row_line(number: int) -> bytes:
    row = example_rows()[number]
    return ",".join(f'"{row[c]}"' for c in COLUMNS).encode() + b"\r\n"


def test_utf16_is_named(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes(EXAMPLE_CSV.read_text(encoding="utf-8").encode("utf-16"))
    (error,) = parse_police_extract(path).file_errors
    assert error.startswith("unicode.csv: the file is saved as UTF-16 ('Unicode text'), not UTF-8. Save it as UTF-8")


def test_a_column_twice_and_a_column_without_a_heading(tmp_path):
    path = tmp_path / "odd-header.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0].replace("victim_pnc_id", ""), *lines[1:]]), encoding="utf-8")
    result = parse_police_extract(path)
    assert result.warnings == [f"column {COLUMNS.index('victim_pnc_id') + 1} has no heading; its values are ignored"]
    assert len(result.rows) == 8 and result.rows[0].victim.pnc_id == ""

    path.write_text("".join([lines[0].replace("victim_pnc_id", "District"), *lines[1:]]), encoding="utf-8")
    assert parse_police_extract(path).file_errors == [
        f"column 'district' appears twice in the header (columns 4 and {COLUMNS.index('victim_pnc_id') + 1})"
    ]


def test_a_quote_that_runs_past_the_field_limit_stops_the_file(tmp_path):
    path = tmp_path / "runaway.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[8] = lines[8].replace(",Carr,", ',"Carr,', 1)
    filler = [lines[1].replace('"', "").replace("HC-26-0114502", f"HC-{n}") for n in range(600)]
    path.write_text("".join([*lines, *filler]), encoding="utf-8")
    result = parse_police_extract(path)
    assert result.rows == [] and result.rejects == []  # nothing imported, not even line 2
    (error,) = result.file_errors
    assert error.startswith("runaway.csv: line 9: the file cannot be read as CSV from here on (")
    assert error.endswith("): a value with an opening quote that is never closed?")


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_CSV.read_bytes())
    result = parse_police_extract(path)
    assert result.file_errors == [] and result.rows == parse_police_extract(EXAMPLE_CSV).rows


@pytest.mark.parametrize(
    "content, error",
    [
        (b"", "empty.csv: the file is empty"),
        (b"\r\n  \r\n", "empty.csv: the file is empty (no header row)"),
    ],
)
def test_an_empty_file_is_a_file_error(tmp_path, content, error):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert parse_police_extract(path).file_errors == [error]


def test_a_header_without_rows_imports_nothing_with_a_warning(tmp_path):
    path = tmp_path / "quiet-day.csv"
    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    result = parse_police_extract(path)
    assert (result.file_errors, result.rows, result.rejects) == ([], [], [])
    assert result.warnings == ["the file has a header but no incident rows"]


@pytest.mark.parametrize(
    "name, error",
    [
        (
            "extract.txt",
            "extract.txt: a police extract must be a .csv (CSV UTF-8) or .xlsx (Excel workbook) file, not '.txt'",
        ),
        (
            "extract.XLS",
            "extract.XLS: a police extract must be a .csv (CSV UTF-8) or .xlsx (Excel workbook) file, "
            "not '.XLS'; open old-style .xls workbooks in Excel and save them as .xlsx",
        ),
        (
            "extract",
            "extract: a police extract must be a .csv (CSV UTF-8) or .xlsx (Excel workbook) file, "
            "and this file name has no extension",
        ),
    ],
)
def test_a_wrong_extension_is_a_file_error(tmp_path, name, error):
    path = tmp_path / name
    path.write_bytes(EXAMPLE_CSV.read_bytes())
    assert parse_police_extract(path).file_errors == [error]


def test_a_csv_renamed_to_xlsx_is_not_a_workbook(tmp_path):
    path = tmp_path / "extract.xlsx"
    path.write_bytes(EXAMPLE_CSV.read_bytes())
    (error,) = parse_police_extract(path).file_errors
    assert error.startswith("extract.xlsx: not a valid Excel workbook (.xlsx)")
    assert "save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'" in error


def test_a_workbook_renamed_to_csv_is_named_as_such(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(EXAMPLE_XLSX.read_bytes())
    (error,) = parse_police_extract(path).file_errors
    assert error.startswith("extract.csv: this is an Excel workbook with a .csv name")


def test_an_empty_workbook_and_extra_sheets(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.save(tmp_path / "blank.xlsx")
    assert parse_police_extract(tmp_path / "blank.xlsx").file_errors == [
        "blank.xlsx: the file is empty (the first sheet has no header row)"
    ]
    workbook = openpyxl.load_workbook(EXAMPLE_XLSX)
    workbook.create_sheet("Notes")
    workbook.save(tmp_path / "two-sheets.xlsx")
    result = parse_police_extract(tmp_path / "two-sheets.xlsx")
    assert len(result.rows) == 8
    assert result.warnings == ["the workbook has 2 sheets; only the first, 'Incidents', was read"]


# --- rows -----------------------------------------------------------------------------------


def test_a_duplicate_incident_ref_rejects_the_later_row_naming_the_first(tmp_path):
    rows = example_rows()
    rows.append(dict(rows[2]))
    result = parse_rows(tmp_path, rows)
    reject = only_reject(result)
    assert (reject.line, reject.field) == (10, "incident_ref")
    assert reject.reason == "duplicate incident_ref 'HC-26-0114533' (first on line 4)"
    assert len(result.rows) == 8


def test_a_judgement_without_a_reason_is_rejected(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(4, officer_judgement_reason="")))
    assert reject.field == "officer_judgement_reason"
    assert reject.reason == (
        "officer_judgement_reason: is empty, but a reason is required when officer_judgement_level is given"
    )


def test_a_judgement_cannot_be_above_the_recorded_grade(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(4, officer_grade="medium")))
    assert reject.reason == (
        "officer_grade: 'medium' is lower than officer_judgement_level 'high' (judgement can only raise the grade)"
    )


def test_an_unknown_district_is_rejected_and_a_known_one_takes_the_partnerships_spelling(tmp_path):
    rows = changed(0, district="Gotham")
    rows[1]["district"] = "  WATFORD "
    result = parse_rows(tmp_path, rows, known_districts=HERTFORDSHIRE)
    reject = only_reject(result)
    assert reject.reason == (
        "district: 'Gotham' is not one of the partnership's districts (Broxbourne, Dacorum, East Hertfordshire, "
        "Hertsmere, North Hertfordshire, St Albans, Stevenage, Three Rivers, Watford, Welwyn Hatfield)"
    )
    assert result.rows[0].district == "Watford"
    assert parse_rows(tmp_path, rows).rejects == []  # without a list, any district is accepted


def test_a_child_aged_19_is_rejected(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, children_ages="3;19")))
    assert (reject.field, reject.reason) == ("children_ages", "children_ages: 19 is not a child's age (0-17)")
    reject = only_reject(parse_rows(tmp_path, changed(0, children_ages="-1; 2.5")))
    assert reject.reason == (
        "children_ages: -1 is not a child's age (0-17); children_ages: '2.5' is not a whole number of years"
    )
    result = parse_rows(tmp_path, changed(0, children_ages=" 3, 7 ;15;"))  # commas and stray spaces
    assert result.rows[0].children_ages == (3, 7, 15)


def test_children_answers_must_agree(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, children_present="N")))
    assert reject.reason == "children_ages: ages are given but children_present is N"
    reject = only_reject(parse_rows(tmp_path, changed(1, child_harmed="Y")))
    assert reject.reason == "child_harmed: is Y but children_present is N"
    reject = only_reject(parse_rows(tmp_path, changed(1, children_present="")))
    assert reject.reason == "children_present: is empty (give Y or N)"


def test_several_problems_are_all_reported_and_the_first_field_named(tmp_path):
    rows = changed(
        0,
        occurred_at="2026-11-31 22:15",
        victim_family_name="",
        dash_7="maybe",
        safe_to_contact_by="text;fax",
        do_not_contact_via="text",
    )
    reject = only_reject(parse_rows(tmp_path, rows))
    assert reject.field == "occurred_at"
    assert reject.reason.split("; ") == [
        "occurred_at: '2026-11-31 22:15' is not a real date",
        "victim_family_name: is empty (required)",
        "dash_7: 'maybe' is not Y, N or DK",
        "safe_to_contact_by: 'fax' is not one of phone_call, voicemail, text, letter, email, home_visit, workplace",
        "do_not_contact_via: text also in safe_to_contact_by (a channel cannot be both)",
    ]


def test_an_unknown_relationship_lists_the_allowed_ones(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, relationship="boyfriend")))
    assert reject.reason == "relationship: 'boyfriend' is not partner, ex_partner, family or other"
    assert parse_rows(tmp_path, changed(0, relationship="Ex-Partner")).rows[0].relationship == "ex_partner"


def test_perpetrator_details_need_a_family_name_and_a_relationship(tmp_path):
    reject = only_reject(parse_rows(tmp_path, changed(0, perpetrator_family_name="", relationship="")))
    assert reject.reason == (
        "perpetrator_family_name: is empty (required); relationship: is empty (required when a perpetrator is given)"
    )


def test_age_and_date_of_birth(tmp_path):
    result = parse_rows(tmp_path, changed(0, victim_age="37"))  # 38 on the day: within a year
    assert result.rejects == [] and result.rows[0].victim.age == 38
    reject = only_reject(parse_rows(tmp_path, changed(0, victim_age="30")))
    assert reject.reason == (
        "victim_age: 30 does not match victim_dob '1988-03-14' (age 38 on the day of the incident)"
    )
    reject = only_reject(parse_rows(tmp_path, changed(1, victim_age="-3")))
    assert reject.reason == "victim_age: -3 is not a possible age"


@pytest.mark.parametrize(
    "written, kept",
    [
        ("1950-58-06", "1950-58-06"),  # month 58
        ("31/02/1980", "31/02/1980"),  # 31 February
        ("13/25/1980", "13/25/1980"),  # month first, and no day-first date either
        ("1880-03-04", "1880-03-04"),  # a real date, but no date of birth of anyone alive
        ("2027-01-01", "2027-01-01"),  # after the incident
        ("1980-02-31 00:00", "1980-02-31"),  # the midnight a database adds is dropped
    ],
)
def test_a_date_of_birth_that_is_no_real_date_is_kept_as_written(tmp_path, written, kept):
    result = parse_rows(tmp_path, changed(0, perpetrator_dob=written))
    assert result.rejects == []
    perpetrator = result.rows[0].perpetrator
    assert (perpetrator.date_of_birth, perpetrator.date_of_birth_as_written) == (None, kept)
    assert perpetrator.age is None  # no age column given: unknown, never worked out from it
    assert result.rows[0].victim.date_of_birth_as_written == ""  # a real date is a date


def test_a_date_of_birth_kept_as_written_takes_the_age_column_unchecked(tmp_path):
    result = parse_rows(tmp_path, changed(0, victim_dob="1988-13-14", victim_age="30"))
    victim = result.rows[0].victim
    assert result.rejects == [] and (victim.date_of_birth, victim.age) == (None, 30)
    assert victim.date_of_birth_as_written == "1988-13-14"


@pytest.mark.parametrize(
    "written, problem",
    [
        ("unknown", "is not a date in the form YYYY-MM-DD or DD/MM/YYYY"),
        ("14/03/88", "has a two-digit year: write the year in full (DD/MM/YYYY)"),
        ("1988-03-14 10:30", "is a date and time: give the date only (YYYY-MM-DD or DD/MM/YYYY)"),
    ],
)
def test_a_date_of_birth_in_no_date_form_is_still_an_error(tmp_path, written, problem):
    reject = only_reject(parse_rows(tmp_path, changed(0, victim_dob=written)))
    assert reject.reason == f"victim_dob: '{written}' {problem}"


def test_a_row_with_too_many_values_is_rejected_as_a_whole(tmp_path):
    path = tmp_path / "shifted.csv"
    text = EXAMPLE_CSV.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[3] = lines[3].replace("3 Mill Lane, Tring", "3 Mill Lane", 1).replace(",Y,", ",Y,extra,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    reject = only_reject(parse_police_extract(path))
    assert (reject.line, reject.field) == (4, "(row)")
    assert reject.reason == (
        f"the row has {len(COLUMNS) + 1} values but the header has {len(COLUMNS)} "
        "columns: a comma inside a value that is not in quotes?"
    )


def test_a_quote_never_closed_swallows_the_rest_of_the_file_into_one_rejected_row(tmp_path):
    path = tmp_path / "unclosed.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[8] = lines[8].replace(",Carr,", ',"Carr,', 1)
    lines.append(lines[1].replace("HC-26-0114502", "HC-26-0114999"))
    path.write_text("".join(lines), encoding="utf-8")
    result = parse_police_extract(path)
    assert [r.line for r in result.rows] == [2, 3, 4, 5, 6, 7, 8]
    reject = only_reject(result)
    assert reject.line == 9 and reject.reason.endswith("columns: a quote that is never closed?")


def test_closing_the_reader_before_reading_releases_the_file(tmp_path):
    reader = iter_police_extract(EXAMPLE_XLSX)
    reader.close()
    reader = iter_police_extract(EXAMPLE_CSV)
    reader.close()
    with pytest.raises(StopIteration):
        next(reader)


def test_line_numbers_count_physical_lines_and_blank_lines(tmp_path):
    rows = changed(0, victim_address="Flat 2\n17 Juniper Crescent")
    path = write_csv(tmp_path / "multiline.csv", rows)
    with open(path, "a", encoding="utf-8", newline="") as out:
        out.write("\r\n")  # a blank line before the last row
        writer = csv.writer(out)
        writer.writerow([{**rows[7], "incident_ref": "HC-26-0114999", "dash_score": "30"}[c] for c in COLUMNS])
    result = parse_police_extract(path)
    assert [r.line for r in result.rows] == [2, 4, 5, 6, 7, 8, 9, 10]
    assert result.rows[0].victim.address == "Flat 2\n17 Juniper Crescent"
    assert only_reject(result).line == 12


# --- the rejects file -----------------------------------------------------------------------


def test_the_rejects_file_can_be_fixed_and_imported_again(tmp_path):
    good = parse_police_extract(EXAMPLE_CSV).rows
    rows = changed(2, occurred_at="31/02/2026 18:40")
    rows[6]["dash_7"] = "maybe"
    first = parse_rows(tmp_path, rows)
    assert [r.line for r in first.rejects] == [4, 8]

    rejects_path = tmp_path / "rejects.csv"
    assert write_rejects_csv(first, rejects_path) == 2
    assert rejects_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    with open(rejects_path, encoding="utf-8-sig", newline="") as source:
        written = list(csv.reader(source))
    assert written[0] == ["line", "reason", *COLUMNS]
    assert written[1][:2] == ["4", "occurred_at: '31/02/2026 18:40' is not a real date"]
    assert written[2][:2] == ["8", "dash_7: 'maybe' is not Y, N or DK"]
    assert dict(zip(written[0][2:], written[2][2:])) == rows[6]  # every original value

    # The user fixes the two cells (and leaves line and reason as they are).
    fixed = [dict(zip(written[0], values)) for values in written[1:]]
    fixed[0]["occurred_at"] = "16/11/2026 18:40"
    fixed[1]["dash_7"] = "N"
    second = parse_rows(tmp_path, fixed, written[0])
    assert (second.file_errors, second.rejects, second.warnings) == ([], [], [])
    assert second.rows == [dataclasses.replace(good[2], line=2), dataclasses.replace(good[6], line=3)]


def test_rejects_from_a_workbook_are_written_as_csv_that_imports(tmp_path):
    rows = changed(0, children_ages="3;19")
    xlsx = write_xlsx(write_csv(tmp_path / "source.csv", rows), tmp_path / "source.xlsx")
    result = parse_police_extract(xlsx)
    assert only_reject(result).raw["occurred_at"] == "2026-11-14 22:15"  # a date cell, as text
    write_rejects_csv(result, tmp_path / "rejects.csv")
    with open(tmp_path / "rejects.csv", encoding="utf-8-sig", newline="") as source:
        fixed = list(csv.DictReader(source))
    fixed[0]["children_ages"] = "3;9"
    again = parse_rows(tmp_path, fixed)
    assert again.rejects == [] and again.rows[0].children_ages == (3, 9)
    assert again.rows[0].dash_score == 15 and again.rows[0].victim.date_of_birth == date(1988, 3, 14)


# --- streaming ------------------------------------------------------------------------------


def test_iter_checks_the_header_before_the_first_row_and_then_streams(tmp_path):
    columns = [c for c in COLUMNS if c != "incident_ref"]
    with pytest.raises(PoliceExtractError) as raised:
        iter_police_extract(write_csv(tmp_path / "bad.csv", example_rows(), columns))
    assert raised.value.errors == ["missing required column: incident_ref"]

    rows = changed(1, dash_7="maybe")
    with iter_police_extract(write_csv(tmp_path / "good.csv", rows), known_districts=HERTFORDSHIRE) as reader:
        assert reader.columns == COLUMNS and reader.warnings == []
        first = next(reader)
        assert isinstance(first, PoliceIncidentRow) and first.line == 2
        assert isinstance(next(reader), RejectedRow)
        assert sum(1 for _ in reader) == 6

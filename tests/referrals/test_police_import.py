"""Importing a force's extract: idempotent, all or nothing, rejects to a file to fix."""

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from carepath.core.models import District
from carepath.referrals import police_import
from carepath.referrals.models import PoliceImport, Referral
from carepath.referrals.police_extract import PoliceExtractError, parse_police_extract
from carepath.referrals.police_import import police_extract_import

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def districts(county):
    area = county["area"]
    for name in (
        "Stevenage",
        "Watford",
        "St Albans",
        "Dacorum",
        "Broxbourne",
        "Hertsmere",
        "Three Rivers",
        "Welwyn Hatfield",
        "East Hertfordshire",
        "North Hertfordshire",
    ):
        District.objects.create(marac_area=area, name=name, population=1, women_16_plus=1)


def rows_of(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as source:
        return list(csv.DictReader(source))


def write(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_routes_every_incident_and_reimporting_adds_nothing(county, districts, front_door):
    police = county["agencies"]["police"]
    first = police_extract_import(path=EXAMPLES / "police-extract-example.csv", agency=police)
    assert (first.rows, first.imported, first.rejected) == (8, 8, 0)
    assert Referral.objects.filter(channel="police_import").count() == 8
    assert all(r.decision["actions"] for r in Referral.objects.all())

    again = police_extract_import(path=EXAMPLES / "police-extract-example.csv", agency=police)
    excel = police_extract_import(path=EXAMPLES / "police-extract-example.xlsx", agency=police)
    assert (again.imported, again.already_imported) == (0, 8)
    assert (excel.imported, excel.already_imported) == (0, 8)
    assert Referral.objects.count() == 8


def test_bad_rows_go_to_a_file_to_fix_and_import(county, districts, front_door, tmp_path):
    rows = rows_of(EXAMPLES / "police-extract-example.csv")
    answered = next(i for i, row in enumerate(rows) if row["dash_1"] and i != 2)
    rows[2]["occurred_at"] = "31/02/2026 10:00"
    original_answer, rows[answered]["dash_7"] = rows[answered]["dash_7"], "maybe"
    extract = write(tmp_path / "today.csv", rows)

    call_command("import-police-extract", str(extract), "--agency", county["agencies"]["police"].name)
    record = PoliceImport.objects.get()
    assert (record.source, record.file_name, record.imported, record.rejected) == ("command", "today.csv", 6, 2)
    assert record.file_sha256 == hashlib.sha256(extract.read_bytes()).hexdigest()
    rejected = rows_of(tmp_path / "today.rejected.csv")
    assert [r["line"] for r in rejected] == sorted([str(answered + 2), "4"], key=int)
    rejected.sort(key=lambda r: r["line"] != "4")
    assert "not a real date" in rejected[0]["reason"] and "dash_7" in rejected[1]["reason"]

    rejected[0]["occurred_at"] = "28/02/2026 10:00"
    rejected[1]["dash_7"] = original_answer
    fixed = write(tmp_path / "fixed.csv", rejected)
    assert police_extract_import(path=fixed, agency=county["agencies"]["police"]).imported == 2
    assert Referral.objects.count() == 8 and PoliceImport.objects.count() == 2


def test_a_date_of_birth_that_is_no_real_date_imports_kept_as_written_and_is_counted(
    county, districts, front_door, tmp_path
):
    police = county["agencies"]["police"]
    rows = rows_of(EXAMPLES / "police-extract-example.csv")
    rows[0]["perpetrator_dob"] = "1985-17-02"  # month 17: one digit from his 1985-07-02
    extract = write(tmp_path / "today.csv", rows)

    printed = io.StringIO()
    call_command("import-police-extract", str(extract), "--agency", police.name, stdout=printed)
    record = PoliceImport.objects.get()
    assert (record.imported, record.rejected, record.dates_kept_as_written) == (8, 0, 1)
    assert "1 date of birth was not a real date and was kept as written" in printed.getvalue()
    assert "1985-17-02" not in printed.getvalue()  # counts only
    referral = Referral.objects.get(external_reference=rows[0]["incident_ref"])
    perpetrator = referral.perpetrator
    assert (perpetrator.date_of_birth, perpetrator.date_of_birth_as_written) == (None, "1985-17-02")
    assert perpetrator.history.get().date_of_birth_as_written == "1985-17-02"
    assert (referral.victim.date_of_birth.isoformat(), referral.victim.date_of_birth_as_written) == (
        "1988-03-14",
        "",
    )

    again = police_extract_import(path=extract, agency=police)  # nothing new: nothing kept
    assert (again.already_imported, again.dates_kept_as_written) == (8, 0)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text.replace("incident_ref,", "ref,", 1), "incident_ref"),
        (lambda text: text.encode("utf-8") + b"\xff\xfe", "UTF-8"),
        (lambda text: "", "empty"),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(county, districts, front_door, tmp_path, damage, message):
    damaged = damage((EXAMPLES / "police-extract-example.csv").read_text(encoding="utf-8"))
    path = tmp_path / "damaged.csv"
    path.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    with pytest.raises(CommandError, match=f"Nothing was imported.*{message}"):
        call_command("import-police-extract", str(path), "--agency", county["agencies"]["police"].name)
    assert Referral.objects.count() == 0 and not PoliceImport.objects.exists()


def test_a_failure_part_way_leaves_nothing_half_imported(county, districts, front_door, tmp_path, monkeypatch):
    monkeypatch.setattr(police_import, "BATCH_ROWS", 3)
    calls = []
    real = police_import.referrals_create

    def fail_on_second_batch(batch, **options):
        calls.append(len(batch))
        if len(calls) == 2:
            raise PoliceExtractError(["a quote was never closed near line 7"])
        return real(batch, **options)

    monkeypatch.setattr(police_import, "referrals_create", fail_on_second_batch)
    extract = shutil.copy(EXAMPLES / "police-extract-example.csv", tmp_path / "x.csv")
    with pytest.raises(PoliceExtractError):
        police_extract_import(path=Path(extract), agency=county["agencies"]["police"])
    assert calls[0] == 3 and Referral.objects.count() == 0 and not PoliceImport.objects.exists()


def test_the_readme_example_extract_is_valid(tmp_path):
    """The format shown to forces in the README must import as it stands."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.csv"
    path.write_text(example, encoding="utf-8")
    result = parse_police_extract(path, known_districts={"Watford"})
    assert (len(result.rows), result.rejects, result.file_errors) == (1, [], [])


def _standard_crime_rows(tmp_path, consents: list[str]) -> Path:
    """The example's standard-risk recorded crime (row 3), once per consent given, each its own incident."""
    row = rows_of(EXAMPLES / "police-extract-example.csv")[2]
    rows = [
        {**row, "incident_ref": f"{row['incident_ref']}-{n}", "victim_consent": consent}
        for n, consent in enumerate(consents)
    ]
    return write(tmp_path / "with-consent.csv", rows)


def test_the_victims_consent_recorded_by_the_force_is_kept_and_routes_victim_support(
    county, districts, front_door, tmp_path
):
    path = _standard_crime_rows(tmp_path, ["given", "refused", ""])
    report = police_extract_import(path=path, agency=county["agencies"]["police"])
    assert (report.imported, report.rejected) == (3, 0)
    given, refused, unknown = Referral.objects.order_by("external_reference")
    assert (given.consent, refused.consent, unknown.consent) == ("given", "refused", "not_sought")
    assert unknown.consent_reason == police_import.NO_CONSENT_IN_EXTRACT
    assert "victim_support_offer" in set(given.tasks.values_list("action_type", flat=True))
    assert set(refused.tasks.values_list("action_type", flat=True)) == {"signpost_universal"}
    # Not asked yet: the front door asks the victim whether they want Victim Support.
    assert "seek_consent" in set(unknown.tasks.values_list("action_type", flat=True))


def test_an_unknown_consent_value_rejects_the_row_naming_the_column(county, districts, front_door, tmp_path):
    path = _standard_crime_rows(tmp_path, ["maybe"])
    report = parse_police_extract(path)
    [reject] = report.rejects
    assert reject.field == "victim_consent"
    assert "victim_consent: 'maybe'" in reject.reason and "given, refused or not_sought" in reject.reason

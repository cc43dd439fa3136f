"""``carepath link-people INPUT.csv --out OUTPUT.csv`` (the contract in docs/architecture.md)."""

import csv
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from tests.people.test_linkage import county_records

# The engine touches no database: the PostgreSQL pass of `make test` skips it.
pytestmark = pytest.mark.no_database

HEADER = "record_id,first_name,last_name,date_of_birth,address,postcode,national_id,sex,phone\n"


def write_people(path, records):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "record_id",
                "first_name",
                "last_name",
                "date_of_birth",
                "address",
                "postcode",
                "national_id",
                "sex",
                "phone",
                "pnc_id",
            ]
        )
        for r in records:
            writer.writerow(
                [
                    r.record_id,
                    r.first_name,
                    r.last_name,
                    r.date_of_birth.isoformat() if r.date_of_birth else "",
                    r.address,
                    r.postcode,
                    r.national_id,
                    r.sex,
                    r.phone,
                    r.pnc_id,
                ]
            )


def read_output(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def county_csv(tmp_path_factory):
    records, truth = county_records(seed=11, scale=0.05)
    path = tmp_path_factory.mktemp("link-people") / "people.csv"
    write_people(path, records)
    return path, records, truth


def test_writes_one_person_id_per_real_person(county_csv, tmp_path, capsys):
    path, records, truth = county_csv
    out = tmp_path / "out.csv"
    call_command("link-people", str(path), "--out", str(out), "--save-model", str(tmp_path / "model.json"))
    rows = read_output(out)
    assert list(rows[0]) == ["record_id", "person_id"]
    assert [r["record_id"] for r in rows] == [r.record_id for r in records]  # every record, input order
    people_of_truth = defaultdict(set)
    for row in rows:
        people_of_truth[truth[row["record_id"]]].add(row["person_id"])
    one_id = sum(len(ids) == 1 for ids in people_of_truth.values()) / len(people_of_truth)
    assert one_id > 0.97
    persons = defaultdict(set)
    for row in rows:
        persons[row["person_id"]].add(truth[row["record_id"]])
    assert sum(len(t) > 1 for t in persons.values()) <= 2  # a person id rarely spans two real people
    printed = capsys.readouterr().out
    assert f"{len(records):,} records linked into" in printed
    assert records[0].last_name not in printed  # counts only, never a name

    again = tmp_path / "again.csv"
    call_command("link-people", str(path), "--out", str(again), "--model", str(tmp_path / "model.json"))
    assert read_output(again) == rows  # the saved model gives the same people


def error_of(tmp_path, content: bytes, *extra) -> str:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        call_command("link-people", str(path), "--out", str(tmp_path / "out.csv"), *extra)
    assert not (tmp_path / "out.csv").exists()
    return str(exc.value)


def test_a_missing_required_column_is_named(tmp_path):
    message = error_of(tmp_path, b"record_id,first_name,last_name,address,postcode\n1,Ann,Lee,1 High St,AL1 1AA\n")
    assert "missing required column date_of_birth" in message
    assert "in.csv, line 1" in message


# Another agency's copies of five people of the county, written the way real extracts are:
# an impossible date (month 58), a day-first date with day and month swapped, stray
# punctuation and spacing in names, first and last names swapped, an initial for a first name.
def dirty_copies(records):
    people = [r for r in records if r.date_of_birth and r.first_name and r.last_name and r.address]
    # b's day and month can be swapped into another real date (read day first: 1 date kept as written)
    b = next(r for r in people if r.date_of_birth.day <= 12 and r.date_of_birth.day != r.date_of_birth.month)
    a, c, d, e = [r for r in people if r is not b][:4]
    copies = [
        (a, a.first_name, a.last_name, f"{a.date_of_birth.year}-58-{a.date_of_birth.day:02d}"),
        (b, b.first_name, b.last_name, f"{b.date_of_birth.month:02d}/{b.date_of_birth.day:02d}/{b.date_of_birth.year}"),
        (c, f"  {c.first_name.upper()}. ", f"{c.last_name[:2]}' {c.last_name[2:]}", c.date_of_birth.isoformat()),
        (d, d.last_name, d.first_name, d.date_of_birth.isoformat()),
        (e, e.first_name[0] + ".", e.last_name, e.date_of_birth.isoformat()),
    ]
    rows = [
        [f"dirty-{i}", first, last, dob, o.address, o.postcode, "", "", "", ""]
        for i, (o, first, last, dob) in enumerate(copies)
    ]
    return rows, [o.record_id for o, *_ in copies]


def test_a_file_with_impossible_dates_stray_punctuation_and_swapped_names_links(county_csv, tmp_path, capsys):
    path, records, truth = county_csv
    rows, originals = dirty_copies(records)
    dirty = tmp_path / "dirty.csv"
    dirty.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with open(dirty, "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "out.csv"
    call_command("link-people", str(dirty), "--out", str(out))
    person = {row["record_id"]: row["person_id"] for row in read_output(out)}
    for i, original in enumerate(originals):
        assert person[f"dirty-{i}"] == person[original], f"copy {i} not linked to its original"
    printed = capsys.readouterr().out
    assert "1 date of birth was not a real date and kept as written" in printed


def test_an_empty_file_is_refused(tmp_path):
    assert "the file is empty" in error_of(tmp_path, b"")
    assert "header but no records" in error_of(tmp_path, HEADER.encode())


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    content = (HEADER + "1,Ann,Lee,1980-01-02,1 High St,AL1 1AA,,,\n").encode() + "2,Zoë,Lee,,,,,,\n".encode("latin-1")
    message = error_of(tmp_path, content)
    assert "line 3: the file is not UTF-8" in message


def test_duplicate_and_empty_record_ids_are_refused(tmp_path):
    content = HEADER + "1,Ann,Lee,,,,,,\n1,Bea,Lee,,,,,,\n,Cat,Lee,,,,,,\n"
    message = error_of(tmp_path, content.encode())
    assert "line 3, record_id: 1 is already on line 2" in message
    assert "line 4, record_id: empty" in message


def test_a_model_that_is_not_one_is_refused(tmp_path):
    (tmp_path / "model.json").write_text("{}")
    content = HEADER + "1,Ann,Lee,,,,,,\n"
    assert "Not a Carepath linkage model" in error_of(
        tmp_path, content.encode(), "--model", str(tmp_path / "model.json")
    )

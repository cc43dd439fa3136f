"""Write a synthetic county's police incidents as a force's daily extract
(the format of ``docs/police-extract.md``), for demos and the import benchmark."""

import csv
from collections.abc import Iterable
from pathlib import Path

from carepath.core.ages import age_on
from carepath.referrals.intake import CHILD_MAX_AGE
from carepath.referrals.police_extract import DASH_COLUMNS
from carepath.synth.generator import SyntheticCounty
from carepath.synth.hertfordshire import POLICE

COLUMNS = (
    [
        "incident_ref",
        "occurred_at",
        "reported_at",
        "district",
        "crime_recorded",
        "officer_grade",
        "officer_judgement_level",
        "officer_judgement_reason",
    ]
    + [
        f"victim_{f}"
        for f in ("given_name", "family_name", "dob", "age", "sex", "address", "postcode", "phone", "pnc_id")
    ]
    + [
        f"perpetrator_{f}"
        for f in ("given_name", "family_name", "dob", "age", "sex", "address", "postcode", "phone", "pnc_id")
    ]
    + ["relationship"]
    + list(DASH_COLUMNS)
    + ["dash_score", "children_present", "children_ages", "child_harmed", "safe_to_contact_by", "do_not_contact_via"]
)
SEX = {"female": "F", "male": "M"}
RELATIONSHIP = {"partner": "partner", "ex_partner": "ex_partner", "other_family": "family"}


def write_police_extract(shards: Iterable[SyntheticCounty], path: Path) -> int:
    """Write every police incident; returns the number of rows."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for county in shards:
            records = {r.key: r for r in county.records}
            address = {}
            for a in county.addresses:  # the current address, or the latest known
                if a.record not in address or a.valid_to is None:
                    address[a.record] = a
            kinds = {(r.from_record, r.to_record): r.kind for r in county.relationships}
            safe = {s.record: s for s in county.safe_contacts}
            for e in county.events:
                if e.agency != POLICE:
                    continue
                victim, perpetrator = records[e.victim_record], records.get(e.perpetrator_record)
                on = e.occurred_at.date()

                def person(r, address=address):
                    if r is None:
                        return [""] * 9
                    a = address.get(r.key)
                    return [
                        r.given_name,
                        r.family_name,
                        r.date_of_birth.isoformat() if r.date_of_birth else "",
                        "",
                        SEX.get(r.sex, "U"),
                        f"{a.line_1}, {a.town}" if a else "",
                        a.postcode if a else "",
                        r.phone,
                        r.pnc_id,
                    ]

                ages = [
                    str(age)
                    for age in (age_on(records[c].date_of_birth, on) for c, _ in e.children if records[c].date_of_birth)
                    if 0 <= age <= CHILD_MAX_AGE
                ]
                s = safe.get(e.victim_record)
                said_safe = (
                    [
                        c
                        for c, v in (("voicemail", s.voicemail_safe), ("text", s.text_safe), ("letter", s.letter_safe))
                        if v == "yes"
                    ]
                    if s
                    else []
                )
                if s and s.safe_phone:
                    said_safe.insert(0, "phone_call")
                writer.writerow(
                    # With the UTC offset, so an hour the clocks go back is not ambiguous.
                    [
                        e.reference,
                        e.occurred_at.isoformat(sep=" ", timespec="minutes"),
                        e.reported_at.isoformat(sep=" ", timespec="minutes"),
                        e.district,
                        "Y" if e.is_crime else "N",
                        e.risk_level or "standard",
                        "",
                        "",
                    ]
                    + person(victim)
                    + person(perpetrator)
                    + [
                        RELATIONSHIP.get(
                            kinds.get((e.perpetrator_record, e.victim_record))
                            or kinds.get((e.victim_record, e.perpetrator_record), ""),
                            "other",
                        )
                        if perpetrator
                        else ""
                    ]
                    + [""] * len(DASH_COLUMNS)
                    + [
                        "" if e.dash_score is None else e.dash_score,
                        "Y" if e.children_present else "N",
                        ";".join(ages),
                        "Y" if any(inv == "harmed" for _, inv in e.children) else "N",
                        ";".join(said_safe),
                        ";".join(s.do_not_contact_via) if s else "",
                    ]
                )
                rows += 1
    return rows

"""Import a police force's daily incident extract through the One Front Door.

A file is imported whole or not at all: valid rows go in one transaction, in batches;
rejected rows (with line number and reason) come back as CSV the user can fix and import
again. Re-importing a file adds nothing: each incident reference is kept. Every import is
recorded (``PoliceImport``), with its rejected rows, in the same transaction.
"""

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from carepath.core.bulk import large_write_prepare
from carepath.core.models import Agency, District
from carepath.referrals import police_extract as extract
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import Channel, Consent, ImportSource, PoliceImport
from carepath.referrals.services import referrals_create
from carepath.risk.checklist import ChecklistDefinition
from carepath.risk.dash import Judgement
from carepath.risk.selectors import checklist_in_force

BATCH_ROWS = 2000
NO_CONSENT_IN_EXTRACT = "Police incident extract: the victim's consent is not recorded in it."


@dataclass
class PoliceImportReport:
    file: str
    rows: int = 0
    imported: int = 0
    already_imported: int = 0
    rejected: int = 0
    #: Victims' and perpetrators' dates of birth imported as the force wrote them, because
    #: they are no real date (``police_extract.IncidentPerson.date_of_birth_as_written``).
    dates_kept_as_written: int = 0
    rejects_csv: str = ""  # the rejected rows, with line and reason (without a byte-order mark)
    warnings: list[str] = field(default_factory=list)
    record_id: int | None = None  # the PoliceImport


def _person(p: extract.IncidentPerson) -> PersonDetails:
    return PersonDetails(
        given_name=p.given_name,
        family_name=p.family_name,
        date_of_birth=p.date_of_birth,
        date_of_birth_as_written=p.date_of_birth_as_written,
        age=p.age,
        sex=p.sex,
        address=p.address,
        postcode=p.postcode,
        phone=p.phone,
        pnc_id=p.pnc_id,
    )


def _said(channel: str, row: extract.PoliceIncidentRow) -> str:
    if channel in row.do_not_contact_via:
        return "no"
    return "yes" if channel in row.safe_to_contact_by else "not_known"


def referral_input_from_police_row(
    row: extract.PoliceIncidentRow, *, agency_id: int, district_ids: dict[str, int], created_by_id: int | None = None
) -> ReferralInput:
    answered = all(a is not None for a in row.dash_answers.values()) and len(row.dash_answers) == len(
        extract.DASH_QUESTIONS
    )
    phone_safe = "phone_call" in row.safe_to_contact_by and "phone_call" not in row.do_not_contact_via
    # The extract says only whether a child was harmed, not which: every child is treated
    # as harmed, so the child-protection team sees them all.
    children = tuple(ChildDetails(age=age, present=True, harmed=bool(row.child_harmed)) for age in row.children_ages)
    if row.children_present and not children:
        children = (ChildDetails(age=None, present=True, harmed=bool(row.child_harmed)),)
    return ReferralInput(
        channel=Channel.POLICE_IMPORT,
        received_at=row.reported_at,
        occurred_at=row.occurred_at,
        referring_agency_id=agency_id,
        created_by_id=created_by_id,
        district_id=district_ids.get(row.district),
        victim=_person(row.victim),
        perpetrator=_person(row.perpetrator) if row.perpetrator else None,
        relationship=row.relationship or "",
        children=children,
        dash_answers={q: DashAnswer(answer=a, source="police officer") for q, a in row.dash_answers.items()}
        if answered
        else None,
        dash_score=None if answered else row.dash_score,
        judgement=Judgement(level=row.officer_judgement_level, reason=row.officer_judgement_reason)
        if row.officer_judgement_level
        else None,
        consent=row.victim_consent or Consent.NOT_SOUGHT,
        consent_reason=row.victim_consent_reason if row.victim_consent else NO_CONSENT_IN_EXTRACT,
        crime_recorded=row.crime_recorded,
        safe_contact=SafeContactDetails(
            safe_phone=row.victim.phone if phone_safe else "",
            voicemail_safe=_said("voicemail", row),
            text_safe=_said("text", row),
            letter_safe=_said("letter", row),
            email_safe=_said("email", row),
            do_not_contact_via=row.do_not_contact_via,
        ),
        external_reference=row.incident_ref,
        officer_grade=row.officer_grade,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fits_checklist(row: extract.PoliceIncidentRow, checklist: ChecklistDefinition) -> None:
    """The extract's columns ``dash_1`` ... ``dash_24`` are the questions of the checklist in
    force only while it has 24; with another in force, a row's DASH cannot be scored on it
    and the file is refused with the column that does not fit (nothing imported)."""
    count = len(checklist.questions)
    if row.dash_asked and count != len(extract.DASH_QUESTIONS):
        column = f"dash_{min(count, len(extract.DASH_QUESTIONS)) + 1}"
        raise extract.PoliceExtractError(
            [
                f"line {row.line}: {column}: the DASH checklist in force ({checklist.label}) has {count} questions, "
                f"but the police extract's columns are dash_1 ... dash_{len(extract.DASH_QUESTIONS)}: send "
                "dash_score without the answers until the extract carries this checklist"
            ]
        )
    if row.dash_score is not None and row.dash_score > checklist.max_score:
        raise extract.PoliceExtractError(
            [
                f"line {row.line}: dash_score: {row.dash_score} is above the highest score of the DASH checklist "
                f"in force ({checklist.label}: {checklist.max_score})"
            ]
        )


def police_extract_import(
    *,
    path: Path,
    agency: Agency,
    file_name: str = "",
    imported_by=None,
    source: str = ImportSource.COMMAND,
    link_people: bool = True,
) -> PoliceImportReport:
    """Import one extract of ``agency`` (a police force), and record the import. Raises
    ``police_extract.PoliceExtractError`` (nothing imported, nothing recorded) when the file
    as a whole cannot be read. ``file_name`` is the name the user knows the file by (an
    upload's), when ``path`` is elsewhere. With ``link_people`` each batch's victims and
    perpetrators are linked to the people already known before they are routed; without
    it (a large historical load), run ``carepath relink`` afterwards."""
    districts = dict(District.objects.values_list("name", "pk"))
    checklist = checklist_in_force()
    report = PoliceImportReport(file=file_name or path.name)
    rejects: list[extract.RejectedRow] = []
    created_by_id = imported_by.pk if imported_by is not None else None

    def flush(batch: list[ReferralInput]) -> None:
        for data, result in zip(batch, referrals_create(batch, link_people=link_people), strict=True):
            if result.created:
                report.imported += 1
                report.dates_kept_as_written += sum(
                    1 for p in (data.victim, data.perpetrator) if p is not None and p.date_of_birth_as_written
                )
            else:
                report.already_imported += 1
        batch.clear()

    sha256 = file_sha256(path) if path.is_file() else ""
    large_write_prepare()
    with transaction.atomic(), extract.iter_police_extract(path, set(districts)) as reader:
        batch: list[ReferralInput] = []
        for item in reader:
            report.rows += 1
            if type(item) is extract.RejectedRow:
                rejects.append(item)
                continue
            _fits_checklist(item, checklist)
            batch.append(
                referral_input_from_police_row(
                    item, agency_id=agency.pk, district_ids=districts, created_by_id=created_by_id
                )
            )
            if len(batch) >= BATCH_ROWS:
                flush(batch)
        flush(batch)
        report.warnings = list(reader.warnings)  # some are known only at the end ("no incident rows")
        report.rejected = len(rejects)
        if rejects:
            report.rejects_csv = extract.rejects_csv_text(
                extract.ExtractResult(rows=[], rejects=rejects, file_errors=[], columns=reader.columns)
            )
        report.record_id = PoliceImport.objects.create(
            agency=agency,
            imported_by=imported_by,
            source=source,
            imported_at=timezone.now(),
            file_name=report.file[:255],
            file_sha256=sha256,
            rows=report.rows,
            imported=report.imported,
            already_imported=report.already_imported,
            rejected=report.rejected,
            dates_kept_as_written=report.dates_kept_as_written,
            warnings=report.warnings,
            rejected_rows=report.rejects_csv,
        ).pk
    return report


def police_extract_upload(*, upload, agency: Agency, user) -> PoliceImportReport:
    """Import an extract uploaded on the police extract page (see ``police_extract_import``).
    The file is on disk only while it is read, in a private folder that is then removed."""
    name = Path(upload.name or "").name
    if name in ("", ".", "..") or len(name.encode("utf-8")) > 200:
        name = "extract" + Path(name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="carepath-extract-") as folder:
        path = Path(folder) / name
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return police_extract_import(
            path=path, agency=agency, file_name=name, imported_by=user, source=ImportSource.UPLOAD
        )

"""Import a police force's daily incident extract through the One Front Door.

A file is imported whole or not at all: valid rows go in one transaction, in batches;
rejected rows (with line number and reason) are written to a file the user can fix and
import again. Re-importing a file adds nothing: each incident reference is kept.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from carepath.core.bulk import large_write_prepare
from carepath.core.models import Agency, District
from carepath.referrals import police_extract as extract
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import Channel, Consent
from carepath.referrals.services import referrals_create
from carepath.risk.dash import Judgement

BATCH_ROWS = 2000
NO_CONSENT_IN_EXTRACT = "Police incident extract: the victim's consent is not recorded in it."


@dataclass
class PoliceImportReport:
    file: str
    rows: int = 0
    imported: int = 0
    already_imported: int = 0
    rejected: int = 0
    rejects_file: str = ""
    warnings: list[str] = field(default_factory=list)


def _person(p: extract.IncidentPerson) -> PersonDetails:
    return PersonDetails(
        given_name=p.given_name,
        family_name=p.family_name,
        date_of_birth=p.date_of_birth,
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
    answered = all(a is not None for a in row.dash_answers.values()) and len(row.dash_answers) == 24
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


def police_extract_import(
    *,
    path: Path,
    agency: Agency,
    created_by_id: int | None = None,
    rejects_path: Path | None = None,
    link_people: bool = True,
) -> PoliceImportReport:
    """Import one extract. Raises ``police_extract.PoliceExtractError`` (nothing imported)
    when the file as a whole cannot be read. With ``link_people`` each batch's victims and
    perpetrators are linked to the people already known before they are routed; without
    it (a large historical load), run ``carepath relink`` afterwards."""
    districts = dict(District.objects.values_list("name", "pk"))
    report = PoliceImportReport(file=path.name)
    rejects: list[extract.RejectedRow] = []

    def flush(batch: list[ReferralInput]) -> None:
        for result in referrals_create(batch, link_people=link_people):
            if result.created:
                report.imported += 1
            else:
                report.already_imported += 1
        batch.clear()

    large_write_prepare()
    with transaction.atomic(), extract.iter_police_extract(path, set(districts)) as reader:
        report.warnings = list(reader.warnings)
        batch: list[ReferralInput] = []
        for item in reader:
            report.rows += 1
            if type(item) is extract.RejectedRow:
                rejects.append(item)
                continue
            batch.append(
                referral_input_from_police_row(
                    item, agency_id=agency.pk, district_ids=districts, created_by_id=created_by_id
                )
            )
            if len(batch) >= BATCH_ROWS:
                flush(batch)
        flush(batch)
    report.rejected = len(rejects)
    if rejects:
        target = rejects_path or path.with_name(f"{path.stem}.rejected.csv")
        extract.write_rejects_csv(
            extract.ExtractResult(rows=[], rejects=rejects, file_errors=[], columns=reader.columns), target
        )
        report.rejects_file = str(target)
    return report

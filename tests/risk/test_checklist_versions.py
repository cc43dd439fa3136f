"""The risk checklist as data: a partnership adopts a revised or different checklist
through a staff page, without a release; every assessment keeps its own version."""

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.models import Role
from carepath.core.services import staff_create
from carepath.referrals.models import Referral
from carepath.referrals.police_extract import PoliceExtractError
from carepath.referrals.police_import import police_extract_import
from carepath.referrals.services import referral_create
from carepath.risk.checklist import DASH_RIC_2009, ChecklistError, checklist_from_upload
from carepath.risk.models import Checklist, RiskAssessment
from carepath.risk.selectors import checklist_in_force
from carepath.risk.services import checklist_adopt
from tests.conftest import PASSWORD
from tests.referrals.test_police_import import EXAMPLES, districts  # noqa: F401
from tests.referrals.test_referral_create import police_referral
from tests.referrals.test_triage_pages import form_data

REVISED = [(n, f"Revised question {n}?", "", "2" if n == 15 else "") for n in range(1, 21)]


def csv_bytes(rows, header=("number", "text", "help_text", "weight")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(browser, rows=REVISED, *, name="Revised DASH", version="2027", filename="questions.csv"):
    content = csv_bytes(rows) if isinstance(rows, list) else rows
    file = io.BytesIO(content)
    file.name = filename
    return browser.post(reverse("checklist_list"), {"name": name, "version": version, "file": file})


def test_the_seeded_checklist_is_in_force_and_earlier_assessments_name_it(county, front_door):
    in_force = checklist_in_force()
    assert (in_force.label, len(in_force.questions)) == ("SafeLives DASH RIC (2009)", 24)
    assert in_force.questions == DASH_RIC_2009.questions
    referral = referral_create(data=police_referral(county)).referral
    assert referral.risk_assessment.checklist_id == in_force.pk


@pytest.mark.parametrize(
    "rows, problem",
    [
        ([(1, "Injured?", "", ""), (1, "Frightened?", "", "")], "Question 1 appears twice"),
        ([(1, "Injured?", "", ""), (3, "Frightened?", "", "")], "Question 2 is missing: questions are numbered 1 to 3"),
        ([(1, "", "", "")], "Question 1 has no text."),
        ([(1, "Injured?", "", "two")], "Question 1: the weight 'two' is not a whole number from 0 to 10"),
        ([("one", "Injured?", "", "")], "Row 1: the question number 'one' is not a whole number from 1."),
        ([(1, "Injured?", "", "0")], 'Every question has weight 0: a "yes" must add to the score somewhere.'),
    ],
)
def test_each_problem_in_an_upload_names_the_question_and_why(rows, problem):
    with pytest.raises(ChecklistError) as error:
        checklist_from_upload("Revised", "2027", csv_bytes(rows), "q.csv")
    assert any(p.startswith(problem) for p in error.value.problems)


def test_a_file_without_the_text_column_or_not_json_is_named():
    with pytest.raises(ChecklistError, match="The file has no 'text' column"):
        checklist_from_upload("Revised", "2027", csv_bytes([(1, "x")], header=("number", "question")), "q.csv")
    with pytest.raises(ChecklistError, match="not valid JSON"):
        checklist_from_upload("Revised", "2027", b"[{", "q.json")
    json_list = b'{"questions": [{"number": 1, "text": "Injured?"}, {"number": 2, "text": "Afraid?", "weight": 2}]}'
    assert checklist_from_upload("Revised", "2027", json_list, "q.json").max_score == 3


@pytest.fixture
def commissioner(county):
    return staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )


def test_an_upload_with_problems_is_shown_with_each_one_and_nothing_changes(staff, login):
    rows = [*REVISED[:4], (5, "", "", ""), *REVISED[6:]]
    page = upload(login(staff["admin"]), rows).content.decode()
    assert "Question 5 has no text." in page and "Question 6 is missing" in page
    assert Checklist.objects.count() == 1 and checklist_in_force().version == "2009"


def test_a_commissioner_previews_then_adopts_a_revised_checklist_and_history_is_kept(
    county, front_door, staff, login, commissioner
):
    earlier = referral_create(data=police_referral(county, yes=15)).referral
    browser = login(commissioner)
    preview = upload(browser)
    page = preview.content.decode()
    assert "Check Revised DASH (2027)" in page and "20 questions, highest score 21" in page
    assert "Not adopted yet" in page and checklist_in_force().version == "2009"  # nothing changes before adopting

    form = preview.context["form"]
    adopted = browser.post(
        reverse("checklist_adopt"),
        {
            "name": form["name"].value(),
            "version": form["version"].value(),
            "questions": form["questions"].value(),
            "high_threshold": "12",
            "medium_threshold": "7",
            "reason": "The revised DASH from the national review",
        },
    )
    assert adopted.status_code == 302
    in_force = checklist_in_force()
    assert in_force.label == "Revised DASH (2027)" and in_force.max_score == 21
    settings = partnership_settings_get()
    assert (settings.dash_high_threshold, settings.dash_medium_threshold) == (12, 7)
    history = browser.get(reverse("checklist_list")).content.decode()
    assert "Revised DASH (2027)" in history and "SafeLives DASH RIC (2009)" in history
    assert Checklist.objects.get(version="2009").in_force is False

    # New referrals are asked the new questions; the earlier one keeps its own.
    officer = login(staff["officer"])
    assert "Revised question 20?" in officer.get(reverse("referral_new")).content.decode()
    posted = form_data(county, yes=0) | {f"dash_{n}": "yes" if n <= 11 or n == 15 else "no" for n in range(1, 21)}
    posted = {k: v for k, v in posted.items() if k not in {f"dash_{n}" for n in range(21, 25)}}
    officer.post(reverse("referral_new"), posted)
    new = Referral.objects.exclude(pk=earlier.pk).get()
    assert new.risk_assessment.checklist.version == "2027" and new.risk_level == "high"
    assert new.risk_assessment.score == 13  # 11 yes, and question 15, which weighs 2
    mash = staff_create(username="mash", agency=front_door, role=Role.TRIAGE, password=PASSWORD)
    old_page = login(mash).get(reverse("referral_detail", args=[earlier.pk])).content.decode()
    assert "15. Has the abuser ever attempted to strangle" in old_page and "DASH score 15 of 24" in old_page
    assert "Revised question" not in old_page


def test_a_threshold_above_the_new_checklists_highest_score_is_refused(staff, login, commissioner):
    short = checklist_from_upload("Short", "1", csv_bytes(REVISED[:10]), "q.csv")
    with pytest.raises(ValidationError) as refused:
        checklist_adopt(checklist=short, user=commissioner, reason="trial")
    [problem] = refused.value.message_dict["thresholds"]
    assert problem.startswith("The high-risk threshold (14) is above this checklist's highest possible score (10)")
    assert checklist_in_force().version == "2009"


def test_only_commissioners_and_administrators_adopt_a_checklist(county, staff, login, commissioner):
    assert login(staff["officer"]).get(reverse("checklist_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        checklist_adopt(checklist=DASH_RIC_2009, user=staff["officer"], reason="mine")
    assert login(staff["admin"]).get(reverse("checklist_list")).status_code == 200


def test_police_answers_that_do_not_fit_the_checklist_in_force_are_refused_naming_the_column(
    county,
    districts,  # noqa: F811
    front_door,
    commissioner,
    tmp_path,
):
    revised = checklist_from_upload("Revised DASH", "2027", csv_bytes(REVISED), "q.csv")
    checklist_adopt(checklist=revised, user=commissioner, reason="review", high_threshold=12, medium_threshold=7)
    with pytest.raises(PoliceExtractError) as refused:
        police_extract_import(path=Path(EXAMPLES / "police-extract-example.csv"), agency=county["agencies"]["police"])
    assert "dash_21: the DASH checklist in force (Revised DASH (2027)) has 20 questions" in str(refused.value)
    assert not RiskAssessment.objects.exists()

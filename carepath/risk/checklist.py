"""A risk checklist as data: its questions, how a "yes" scores, and reading a new version
from an upload. Pure Python, no Django imports.

domain.md "DASH questions" and "Victim risk level": the checklist in use is the SafeLives
DASH RIC (2009), 24 questions, score = number of "yes" answers. The DASH is under
national review, so the partnership adopts a revised or different checklist as data (a
staff page), without a new release of Carepath; every assessment names the version it
used, so earlier assessments keep their own questions.

Questions are numbered 1 to N without gaps: the numbers are the keys of the stored
answers, the API's ``dash.answers`` and the police extract's ``dash_N`` columns.
A "yes" adds the question's ``weight`` to the score: 1 unless the version says otherwise.
The thresholds for high and medium risk are not part of a version: see ``thresholds_fit``.
"""

import csv
import io
import json
from dataclasses import asdict, dataclass
from importlib import resources

MAX_QUESTIONS = 100
MAX_TEXT = 500
MAX_HELP_TEXT = 1000
MAX_WEIGHT = 10


class ChecklistError(ValueError):
    """An upload that cannot be a checklist. ``problems`` lists each one: which question
    (or row, or column) and why."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    help_text: str = ""
    weight: int = 1  # what a "yes" adds to the score


@dataclass(frozen=True)
class ChecklistDefinition:
    """One version of a checklist. ``pk`` is the stored version's key (None before it is stored)."""

    name: str
    version: str
    questions: tuple[Question, ...]
    pk: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(q.number for q in self.questions)

    @property
    def max_score(self) -> int:
        return sum(q.weight for q in self.questions)

    def question(self, number: int) -> Question | None:
        return self.questions[number - 1] if 1 <= number <= len(self.questions) else None

    def questions_data(self) -> list[dict]:
        """The questions as stored (JSON)."""
        return [asdict(q) for q in self.questions]


def thresholds_fit(checklist: ChecklistDefinition, *, high: int, medium: int) -> list[str]:
    """Why the partnership's thresholds cannot be used with this checklist (empty: they can).

    The thresholds stay the partnership's settings, not part of a version: domain.md
    "Victim risk level" gives them as partnership defaults that areas change locally
    (Stevenage's medium-risk MARAC at 10-13) on the same checklist, with each change
    recorded in the settings' history. A version fixes what is asked and how a "yes"
    scores, hence the highest possible score; adopting one checks the thresholds still
    fit that scale, and may set new ones in the same step.
    """
    problems = []
    if high > checklist.max_score:
        problems.append(
            f"The high-risk threshold ({high}) is above this checklist's highest possible score "
            f"({checklist.max_score}): no one could be assessed as high risk. Set a lower threshold."
        )
    if medium >= high:
        problems.append(f"The medium-risk threshold ({medium}) must be below the high-risk threshold ({high}).")
    return problems


def checklist_from_questions(
    name: str, version: str, rows: list[dict], *, where: str = "Question"
) -> ChecklistDefinition:
    """Check rows of ``number``, ``text`` and optional ``help_text`` and ``weight``; each
    problem names the question (or, without a usable number, the row) and why."""
    problems: list[str] = []
    if not name.strip():
        problems.append("The checklist needs a name.")
    if not version.strip():
        problems.append("The checklist needs a version (for example, the year it was published).")
    if not rows:
        problems.append("The file has no questions.")
    if len(rows) > MAX_QUESTIONS:
        problems.append(f"The file has {len(rows)} questions: a checklist has at most {MAX_QUESTIONS}.")
    questions: dict[int, Question] = {}
    for index, row in enumerate(rows[:MAX_QUESTIONS], start=1):
        if not isinstance(row, dict):
            problems.append(f"{where} {index}: expected number, text, help_text and weight.")
            continue
        raw_number = row.get("number")
        number = _whole(raw_number)
        if number is None or number < 1:
            problems.append(f"Row {index}: the question number {_shown(raw_number)} is not a whole number from 1.")
            continue
        label = f"Question {number}"
        if number in questions:
            problems.append(f"{label} appears twice: each question number once.")
            continue
        text = str(row.get("text") or "").strip()
        help_text = str(row.get("help_text") or "").strip()
        raw_weight = row.get("weight")
        weight = 1 if raw_weight in (None, "") else _whole(raw_weight)
        if not text:
            problems.append(f"{label} has no text.")
        elif len(text) > MAX_TEXT:
            problems.append(f"{label}: the text is {len(text)} characters long; at most {MAX_TEXT}.")
        if len(help_text) > MAX_HELP_TEXT:
            problems.append(f"{label}: the help text is {len(help_text)} characters long; at most {MAX_HELP_TEXT}.")
        if weight is None or not 0 <= weight <= MAX_WEIGHT:
            problems.append(
                f"{label}: the weight {_shown(raw_weight)} is not a whole number from 0 to {MAX_WEIGHT} "
                '(what a "yes" adds to the score; leave it empty for 1).'
            )
            weight = 1
        questions[number] = Question(number=number, text=text, help_text=help_text, weight=weight)
    if questions:
        missing = [n for n in range(1, max(questions) + 1) if n not in questions]
        if missing:
            problems.append(
                f"Question {missing[0]} is missing: questions are numbered 1 to {max(questions)} without gaps."
            )
    checklist = ChecklistDefinition(
        name=name.strip(), version=version.strip(), questions=tuple(questions[n] for n in sorted(questions))
    )
    if questions and not problems and checklist.max_score == 0:
        problems.append('Every question has weight 0: a "yes" must add to the score somewhere.')
    if problems:
        raise ChecklistError(problems)
    return checklist


def checklist_from_upload(name: str, version: str, content: bytes, filename: str) -> ChecklistDefinition:
    """A checklist from a JSON file (a list of questions, or ``{"questions": [...]}``) or a
    CSV file (a spreadsheet saved as CSV) with columns number, text, help_text, weight."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChecklistError(["The file is not text in UTF-8: save it as CSV (UTF-8) or JSON."]) from None
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ChecklistError([f"The file is not valid JSON (line {exc.lineno}: {exc.msg})."]) from None
        rows = data.get("questions") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise ChecklistError(['The JSON must be a list of questions, or an object with a "questions" list.'])
        return checklist_from_questions(name, version, rows)
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        columns = [c.strip().lower() for c in reader.fieldnames or []]
        absent = [c for c in ("number", "text") if c not in columns]
        if absent:
            raise ChecklistError(
                [
                    f"The file has no '{absent[0]}' column: the columns are number, text, help_text (optional), "
                    "weight (optional)."
                ]
            )
        rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]
        return checklist_from_questions(name, version, rows)
    raise ChecklistError(["Upload a .csv or a .json file."])


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _shown(value) -> str:
    return "(empty)" if value in (None, "") else repr(str(value)[:20])


def _seeded() -> ChecklistDefinition:
    data = json.loads(resources.files("carepath.risk").joinpath("data/dash_ric_2009.json").read_text("utf-8"))
    return checklist_from_questions(data["name"], data["version"], data["questions"])


#: The SafeLives DASH RIC (2009), the checklist Carepath starts with (the data migration
#: stores it) and the one the pure rules' tests use.
DASH_RIC_2009 = _seeded()

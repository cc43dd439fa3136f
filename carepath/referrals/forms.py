"""The professional referral form: any agency's referral with the DASH questions of the checklist in force.

No answer is given for the referrer: consent, sex, gender, relationship and whether a child
was there start unanswered, so an answer is always someone's. Every error names its field
("Date of birth: enter a date in the past"), beside the field and in the summary.
"""

from django import forms
from django.utils import timezone

from carepath.core.codes import choices
from carepath.core.models import District
from carepath.people.models import ContactChannel, GenderIdentity, Sex, YesNoUnknown
from carepath.referrals.intake import (
    CHILD_MAX_AGE,
    ChildDetails,
    DashAnswer,
    PersonDetails,
    ReferralInput,
    SafeContactDetails,
)
from carepath.referrals.models import Channel, Consent
from carepath.risk.checklist import ChecklistDefinition
from carepath.risk.dash import ANSWER_LABELS, ANSWERS, Judgement

ANSWER_CHOICES = [(answer, ANSWER_LABELS[answer]) for answer in ANSWERS]
LEVEL_CHOICES = [("", "No professional judgement"), ("high", "High"), ("medium", "Medium"), ("standard", "Standard")]
CHILD_LEVEL_CHOICES = [("", "Not assessed"), ("high", "High"), ("medium", "Medium"), ("standard", "Standard")]
RELATIONSHIP_CHOICES = [
    ("partner", "Partner"),
    ("ex_partner", "Ex-partner"),
    ("family", "Family member"),
    ("other", "Other"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_CHILDREN = 20
SELECT = {"invalid_choice": "select from the list"}


def _date(label: str, **kw) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "enter a real date, for example 27/03/1988"},
        **kw,
    )


def _age(label: str, maximum: int) -> forms.IntegerField:
    message = f"enter an age from 0 to {maximum}"
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _radios(label: str, options, required_message: str, *, required=True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, **SELECT},
    )


def add_dash_fields(form: forms.Form, checklist: ChecklistDefinition) -> None:
    """A yes / no / don't know question, with its source and a comment, for each question
    of the checklist (the version in force)."""
    for q in checklist.questions:
        form.fields[f"dash_{q.number}"] = forms.ChoiceField(
            label=f"{q.number}. {q.text}",
            help_text=q.help_text,
            choices=ANSWER_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": f"Answer DASH question {q.number}: yes, no or don't know", **SELECT},
        )
        form.fields[f"dash_{q.number}_source"] = forms.CharField(label="Source", max_length=100, required=False)
        form.fields[f"dash_{q.number}_comment"] = forms.CharField(label="Comment", max_length=500, required=False)


def _safe_question(label: str) -> forms.ChoiceField:
    """Whether a channel is safe: yes, no, or not known (the default until the victim says)."""
    return forms.ChoiceField(
        label=label, choices=YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN, error_messages=SELECT
    )


def _judgement(data: dict) -> Judgement | None:
    """The professional judgement given, if any."""
    return (
        Judgement(level=data["judgement_level"], reason=data["judgement_reason"]) if data["judgement_level"] else None
    )


def _judgement_unexplained(data: dict) -> bool:
    """A judgement given without its reason (domain.md: judgement must carry a reason)."""
    return bool(data.get("judgement_level")) and not (data.get("judgement_reason") or "").strip()


def dash_rows(form: forms.Form) -> list[tuple]:
    return [(form[f"dash_{n}"], form[f"dash_{n}_source"], form[f"dash_{n}_comment"]) for n in form.checklist.numbers]


def dash_answers(form: forms.Form) -> dict[int, DashAnswer]:
    d = form.cleaned_data
    return {
        n: DashAnswer(answer=d[f"dash_{n}"], source=d[f"dash_{n}_source"], comment=d[f"dash_{n}_comment"])
        for n in form.checklist.numbers
    }


class _NamedErrors(forms.Form):
    """Every error starts with its field's name; optional fields' labels say "(optional)".

    ``NAMES`` gives a name where the label alone is ambiguous or a question;
    ``CONDITIONAL`` lists fields that are not required but are needed in some cases (their
    errors say when), so they are not marked optional."""

    NAMES: dict[str, str] = {}
    CONDITIONAL: frozenset[str] = frozenset()
    UNNAMED: frozenset[str] = frozenset()  # their messages name them already

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_names: dict[str, str] = {}
        for name in self.fields:
            self._name_field(name, self.NAMES.get(name, ""))

    def _name_field(self, name: str, error_name: str) -> None:
        field = self.fields[name]
        self.error_names[name] = error_name or str(field.label)
        optional = not field.required and name not in self.CONDITIONAL
        if optional and not isinstance(field, forms.BooleanField):
            field.label = f"{field.label} (optional)"

    def full_clean(self):
        super().full_clean()
        for name in list(self._errors):
            if name in self.fields and name not in self.UNNAMED:
                self._errors[name] = self.error_class(
                    [f"{self.error_names[name]}: {message}" for message in self._errors[name]],
                    renderer=self.renderer,
                )


def person_details(d: dict, prefix: str) -> PersonDetails:
    """The victim's or the person causing harm's details (``prefix``) from the checked
    professional form's fields, as the intake takes them."""
    return PersonDetails(
        given_name=d[f"{prefix}_given_name"],
        family_name=d[f"{prefix}_family_name"],
        date_of_birth=d[f"{prefix}_date_of_birth"],
        age=d[f"{prefix}_age"],
        **(
            {
                "sex": d["victim_sex"],
                "address": d["victim_address"],
                "postcode": d["victim_postcode"],
                "first_language": d["victim_first_language"],
                "interpreter_needed": d["victim_interpreter_needed"],
            }
            if prefix == "victim"
            else {"sex": d["perpetrator_sex"] or Sex.NOT_KNOWN, "gender_identity": d["perpetrator_gender"]}
        ),
    )


class ProfessionalReferralForm(_NamedErrors):
    NAMES = {
        "victim_given_name": "First name",
        "victim_family_name": "Last name",
        "victim_age": "Age",
        "perpetrator_given_name": "First name of the person causing harm",
        "perpetrator_family_name": "Last name of the person causing harm",
        "perpetrator_date_of_birth": "Date of birth of the person causing harm",
        "perpetrator_age": "Age of the person causing harm",
        "perpetrator_sex": "Sex of the person causing harm",
        "perpetrator_gender": "Gender of the person causing harm",
        "occurred_at": "When it happened",
        "judgement_level": "Professional judgement",
        "judgement_reason": "Reason for your judgement",
        "consent": "Consent",
        "consent_reason": "Why consent was refused or not sought",
        "do_not_contact_via": "Never contact by",
    }
    CONDITIONAL = frozenset(
        {"perpetrator_family_name", "relationship", "perpetrator_sex", "perpetrator_gender"}
        | {"judgement_reason", "consent_reason"}
    )

    victim_given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "enter the victim's first name"}
    )
    victim_family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "enter the victim's last name"}
    )
    victim_date_of_birth = _date("Date of birth", help_text="For example, 27/03/1988")
    victim_age = _age("Age, if the date of birth is not known", 120)
    victim_sex = _radios("Sex", Sex.choices, "select female, male or not known")
    victim_address = forms.CharField(label="Address", max_length=200, required=False)
    victim_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    victim_first_language = forms.CharField(label="First language", max_length=60, required=False)
    victim_interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)

    perpetrator_given_name = forms.CharField(label="First name", max_length=100, required=False)
    perpetrator_family_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        help_text="Needed if you name the person causing harm.",
    )
    perpetrator_date_of_birth = _date("Date of birth")
    perpetrator_age = _age("Age, if the date of birth is not known", 120)
    perpetrator_sex = _radios("Sex", Sex.choices, "select female, male or not known", required=False)
    perpetrator_gender = _radios("Gender", GenderIdentity.choices, "select one, or not known", required=False)
    relationship = _radios(
        "Relationship to the victim", RELATIONSHIP_CHOICES, "select how they are related to the victim", required=False
    )

    occurred_at = forms.DateTimeField(
        label="When did it happen?",
        required=False,
        help_text="For example, 14/11/2026 22:30",
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        error_messages={"invalid": "enter a real date and time, for example 14/11/2026 22:30"},
    )
    police_reference = forms.CharField(
        label="Police incident or crime reference",
        max_length=60,
        required=False,
        help_text="For example, HC-26-0114502",
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.all(),
        required=False,
        error_messages={"invalid_choice": "select a district from the list"},
    )
    crime_recorded = forms.BooleanField(label="A crime was recorded", required=False)
    details = forms.CharField(label="What happened", widget=forms.Textarea, required=False)

    judgement_level = forms.ChoiceField(
        label="Your professional judgement of the risk", choices=LEVEL_CHOICES, required=False, error_messages=SELECT
    )
    judgement_reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        required=False,
        help_text="Needed with a professional judgement. For example: strangulation, threats to kill, stalking, "
        "honour-based abuse.",
    )
    consent = _radios(
        "Has the victim agreed to this referral?", choices(Consent), "select whether the victim agreed to this referral"
    )
    consent_reason = forms.CharField(
        label="Why was consent refused or not sought?",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when consent was refused or not sought.",
    )

    safe_phone = forms.CharField(label="Safe phone number", max_length=30, required=False)
    safe_times = forms.CharField(label="Safe times to call", max_length=200, required=False)
    voicemail_safe = _safe_question("Is it safe to leave a voicemail?")
    text_safe = _safe_question("Is it safe to send a text?")
    letter_safe = _safe_question("Is it safe to send a letter?")
    email_safe = _safe_question("Is it safe to send an email?")
    safe_email = forms.EmailField(
        label="Safe email address",
        required=False,
        error_messages={"invalid": "enter an email address like name@example.com"},
    )
    do_not_contact_via = forms.MultipleChoiceField(
        label="Never contact by",
        choices=ContactChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "select from the list"},
    )

    def __init__(self, *args, checklist: ChecklistDefinition, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        add_dash_fields(self, checklist)
        for number in checklist.numbers:
            self._name_field(f"dash_{number}", "")
            self._name_field(f"dash_{number}_source", f"Source for DASH question {number}")
            self._name_field(f"dash_{number}_comment", f"Comment for DASH question {number}")
        self.UNNAMED = frozenset(f"dash_{n}" for n in checklist.numbers)  # their messages name them already

    def dash_rows(self):
        return dash_rows(self)

    def to_referral_input(self, *, user, children: list["ChildForm"]) -> ReferralInput:
        d = self.cleaned_data
        person = lambda prefix: person_details(d, prefix)  # noqa: E731
        return ReferralInput(
            channel=Channel.PROFESSIONAL,
            received_at=timezone.now(),
            referring_agency_id=user.agency_id,
            created_by_id=user.pk,
            victim=person("victim"),
            perpetrator=person("perpetrator") if d["perpetrator_family_name"] else None,
            relationship=d["relationship"],
            children=tuple(c.child_details() for c in children),
            dash_answers=dash_answers(self),
            judgement=_judgement(d),
            consent=d["consent"],
            consent_reason=d["consent_reason"],
            crime_recorded=d["crime_recorded"],
            occurred_at=d["occurred_at"],
            district_id=d["district"].pk if d["district"] else None,
            police_reference=d["police_reference"].strip(),
            safe_contact=SafeContactDetails(
                safe_phone=d["safe_phone"],
                safe_times=d["safe_times"],
                voicemail_safe=d["voicemail_safe"],
                text_safe=d["text_safe"],
                letter_safe=d["letter_safe"],
                email_safe=d["email_safe"],
                safe_email=d["safe_email"],
                do_not_contact_via=tuple(d["do_not_contact_via"]),
            ),
            details=d["details"],
        )

    def clean(self):
        data = super().clean()
        today, now = timezone.localdate(), timezone.now()
        for name in ("victim_date_of_birth", "perpetrator_date_of_birth"):
            if data.get(name) and data[name] >= today:
                self.add_error(name, "enter a date in the past")
        if data.get("occurred_at") and data["occurred_at"] > now:
            self.add_error("occurred_at", "enter a date and time in the past")
        if _judgement_unexplained(data):
            self.add_error("judgement_reason", "say why you judge the risk to be at this level")
        if (
            data.get("consent") in (Consent.REFUSED, Consent.NOT_SOUGHT)
            and not (data.get("consent_reason") or "").strip()
        ):
            self.add_error("consent_reason", "say why")
        if data.get("perpetrator_given_name") and not data.get("perpetrator_family_name"):
            self.add_error("perpetrator_family_name", "enter their last name, or leave both names empty")
        if data.get("perpetrator_family_name"):
            # Asked, never assumed: a person causing harm may be a woman, and a relative.
            for name in ("relationship", "perpetrator_sex", "perpetrator_gender"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data


class ChildForm(_NamedErrors):
    CONDITIONAL = frozenset({"age", "present"})

    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    age = _age("Age", CHILD_MAX_AGE)
    date_of_birth = _date("Date of birth")
    present = _radios("Present at or witnessed the abuse", YES_NO, "select yes or no", required=False)
    harmed = forms.BooleanField(label="Directly harmed", required=False)
    risk_level = forms.ChoiceField(
        label="This child's own risk", choices=CHILD_LEVEL_CHOICES, required=False, error_messages=SELECT
    )
    risk_notes = forms.CharField(label="About this child's risk", max_length=500, required=False)

    def clean(self):
        data = super().clean()
        born = data.get("date_of_birth")
        if born and born >= timezone.localdate():
            self.add_error("date_of_birth", "enter a date in the past")
        elif born and born <= timezone.localdate().replace(year=timezone.localdate().year - CHILD_MAX_AGE - 1):
            self.add_error("date_of_birth", f"a child is under {CHILD_MAX_AGE + 1}: check the year")
        if self.is_filled:
            if data.get("age") is None and born is None and "age" not in self.errors:
                self.add_error("age", "enter the child's age, or their date of birth")
            if not data.get("present"):
                self.add_error("present", "select yes or no")
        return data

    @property
    def is_filled(self) -> bool:
        data = self.cleaned_data
        return bool(
            data.get("given_name")
            or data.get("family_name")
            or data.get("age") is not None
            or data.get("date_of_birth")
        )

    def child_details(self) -> ChildDetails:
        d = self.cleaned_data
        return ChildDetails(
            given_name=d["given_name"],
            family_name=d["family_name"],
            age=d["age"],
            date_of_birth=d["date_of_birth"],
            present=d["present"] == "yes",
            harmed=d["harmed"],
            risk_level=d["risk_level"],
            risk_notes=d["risk_notes"],
        )


ChildFormSet = forms.formset_factory(ChildForm, extra=1, max_num=MAX_CHILDREN)


def with_another_child(form: ProfessionalReferralForm, children) -> tuple[ProfessionalReferralForm, object]:
    """The form as typed, not yet checked, with room for one more child: "Add another child"
    works without JavaScript by sending the form back to be shown again."""
    again = ProfessionalReferralForm(initial={bf.name: bf.data for bf in form}, checklist=form.checklist)
    rows = [{bf.name: bf.data for bf in child} for child in children.forms]
    return again, ChildFormSet(initial=rows, prefix=children.prefix)


class RiskChecklistForm(forms.Form):
    """The front door's checklist on a referral: the questions of the checklist in force,
    an optional professional judgement, and the safe channel the victim was reached by."""

    channel = forms.ChoiceField(
        label="How did you reach the victim?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you reached the victim: only the ways she said are safe"},
    )
    judgement_level = ProfessionalReferralForm.base_fields["judgement_level"]
    judgement_reason = ProfessionalReferralForm.base_fields["judgement_reason"]

    def __init__(self, *args, checklist: ChecklistDefinition, channels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.fields["channel"].choices = channels
        add_dash_fields(self, checklist)

    def dash_rows(self):
        return dash_rows(self)

    def dash_answers(self) -> dict[int, DashAnswer]:
        return dash_answers(self)

    def judgement(self) -> Judgement | None:
        return _judgement(self.cleaned_data)

    def clean(self):
        data = super().clean()
        if _judgement_unexplained(data):
            self.add_error("judgement_reason", "Say why you judge the risk to be at this level")
        return data

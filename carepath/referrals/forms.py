"""The professional referral form: any agency's referral with the DASH questions of the checklist in force."""

from django import forms
from django.utils import timezone

from carepath.core.codes import choices
from carepath.core.models import District
from carepath.people.models import ContactChannel, Sex, YesNoUnknown
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
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


def add_dash_fields(form: forms.Form, checklist: ChecklistDefinition) -> None:
    """A yes / no / don't know question, with its source and a comment, for each question
    of the checklist (the version in force)."""
    for q in checklist.questions:
        form.fields[f"dash_{q.number}"] = forms.ChoiceField(
            label=f"{q.number}. {q.text}",
            help_text=q.help_text,
            choices=ANSWER_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": f"Answer DASH question {q.number}: yes, no or don't know"},
        )
        form.fields[f"dash_{q.number}_source"] = forms.CharField(label="Source", max_length=100, required=False)
        form.fields[f"dash_{q.number}_comment"] = forms.CharField(label="Comment", max_length=500, required=False)


def dash_rows(form: forms.Form) -> list[tuple]:
    return [(form[f"dash_{n}"], form[f"dash_{n}_source"], form[f"dash_{n}_comment"]) for n in form.checklist.numbers]


def dash_answers(form: forms.Form) -> dict[int, DashAnswer]:
    d = form.cleaned_data
    return {
        n: DashAnswer(answer=d[f"dash_{n}"], source=d[f"dash_{n}_source"], comment=d[f"dash_{n}_comment"])
        for n in form.checklist.numbers
    }


class ProfessionalReferralForm(forms.Form):
    victim_given_name = forms.CharField(label="First name", max_length=100)
    victim_family_name = forms.CharField(label="Last name", max_length=100)
    victim_date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27/03/1988",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    victim_age = forms.IntegerField(
        label="Age, if the date of birth is not known", required=False, min_value=0, max_value=120
    )
    victim_sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.FEMALE)
    victim_address = forms.CharField(label="Address", max_length=200, required=False)
    victim_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    victim_first_language = forms.CharField(label="First language", max_length=60, required=False)
    victim_interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)

    perpetrator_given_name = forms.CharField(label="First name", max_length=100, required=False)
    perpetrator_family_name = forms.CharField(label="Last name", max_length=100, required=False)
    perpetrator_date_of_birth = forms.DateField(
        label="Date of birth", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    perpetrator_age = forms.IntegerField(
        label="Age, if the date of birth is not known", required=False, min_value=0, max_value=120
    )
    relationship = forms.ChoiceField(label="Relationship to the victim", choices=RELATIONSHIP_CHOICES, required=False)

    occurred_at = forms.DateTimeField(
        label="When did it happen?",
        required=False,
        help_text="For example, 14/11/2026 22:30",
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
    )
    district = forms.ModelChoiceField(label="District", queryset=District.objects.all(), required=False)
    crime_recorded = forms.BooleanField(label="A crime was recorded", required=False)
    details = forms.CharField(label="What happened", widget=forms.Textarea, required=False)

    judgement_level = forms.ChoiceField(
        label="Your professional judgement of the risk", choices=LEVEL_CHOICES, required=False
    )
    judgement_reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        required=False,
        help_text="For example: strangulation, threats to kill, stalking, honour-based abuse.",
    )
    consent = forms.ChoiceField(label="Has the victim agreed to this referral?", choices=choices(Consent))
    consent_reason = forms.CharField(
        label="Why was consent refused or not sought?", widget=forms.Textarea, required=False
    )

    safe_phone = forms.CharField(label="Safe phone number", max_length=30, required=False)
    safe_times = forms.CharField(label="Safe times to call", max_length=200, required=False)
    voicemail_safe = forms.ChoiceField(
        label="Is it safe to leave a voicemail?", choices=YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN
    )
    text_safe = forms.ChoiceField(
        label="Is it safe to send a text?", choices=YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN
    )
    letter_safe = forms.ChoiceField(
        label="Is it safe to send a letter?", choices=YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN
    )
    email_safe = forms.ChoiceField(
        label="Is it safe to send an email?", choices=YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN
    )
    safe_email = forms.EmailField(label="Safe email address", required=False)
    do_not_contact_via = forms.MultipleChoiceField(
        label="Never contact by", choices=ContactChannel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, checklist: ChecklistDefinition, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        add_dash_fields(self, checklist)

    def dash_rows(self):
        return dash_rows(self)

    def to_referral_input(self, *, user, children: list["ChildForm"]) -> ReferralInput:
        d = self.cleaned_data
        person = lambda prefix: PersonDetails(  # noqa: E731
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
                else {"sex": "male"}
            ),
        )
        return ReferralInput(
            channel=Channel.PROFESSIONAL,
            received_at=timezone.now(),
            referring_agency_id=user.agency_id,
            created_by_id=user.pk,
            victim=person("victim"),
            perpetrator=person("perpetrator") if d["perpetrator_family_name"] else None,
            relationship=d["relationship"],
            children=tuple(ChildDetails(**{k: c.cleaned_data[k] for k in ChildForm.base_fields}) for c in children),
            dash_answers=dash_answers(self),
            judgement=Judgement(level=d["judgement_level"], reason=d["judgement_reason"])
            if d["judgement_level"]
            else None,
            consent=d["consent"],
            consent_reason=d["consent_reason"],
            crime_recorded=d["crime_recorded"],
            occurred_at=d["occurred_at"],
            district_id=d["district"].pk if d["district"] else None,
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
        if data.get("judgement_level") and not (data.get("judgement_reason") or "").strip():
            self.add_error("judgement_reason", "Say why you judge the risk to be at this level")
        if (
            data.get("consent") in (Consent.REFUSED, Consent.NOT_SOUGHT)
            and not (data.get("consent_reason") or "").strip()
        ):
            self.add_error("consent_reason", "Say why consent was refused or not sought")
        if data.get("perpetrator_given_name") and not data.get("perpetrator_family_name"):
            self.add_error("perpetrator_family_name", "Enter the perpetrator's last name, or leave both names empty")
        return data


class ChildForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    age = forms.IntegerField(label="Age", min_value=0, max_value=17, required=False)
    present = forms.BooleanField(label="Present at or witnessed the abuse", required=False, initial=True)
    harmed = forms.BooleanField(label="Directly harmed", required=False)
    risk_level = forms.ChoiceField(label="This child's own risk", choices=CHILD_LEVEL_CHOICES, required=False)
    risk_notes = forms.CharField(label="About this child's risk", max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("given_name") or data.get("family_name")) and data.get("age") is None:
            self.add_error("age", "Enter the child's age")
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("given_name") or self.cleaned_data.get("age") is not None)


ChildFormSet = forms.formset_factory(ChildForm, extra=3, max_num=10)


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
        d = self.cleaned_data
        return Judgement(level=d["judgement_level"], reason=d["judgement_reason"]) if d["judgement_level"] else None

    def clean(self):
        data = super().clean()
        if data.get("judgement_level") and not (data.get("judgement_reason") or "").strip():
            self.add_error("judgement_reason", "Say why you judge the risk to be at this level")
        return data

"""Forms of Clare's Law applications: each step's time, the decision, the disclosure made
and the breaches report's period. Times are London times typed like 14/11/2026 22:30."""

from django import forms

from carepath.perpetrators.models import DisclosureDecision, DisclosureRoute

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
WHEN_HINT = "For example, 14/11/2026 22:30"
DELAY_HELP = "Needed when it is later than the usual time: why it took longer."


def _when(label: str, what: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        help_text=WHEN_HINT,
        error_messages={
            "required": f"Enter when {what}.",
            "invalid": f"Enter when {what} as a date and time, like 14/11/2026 22:30.",
        },
    )


class ApplicationForm(forms.Form):
    route = forms.ChoiceField(
        label="Route",
        choices=DisclosureRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose right to ask or right to know.", "invalid_choice": "Choose a route."},
    )
    applicant_is_person_at_risk = forms.ChoiceField(
        label="Who asked",
        choices=[("yes", "The person at risk"), ("no", "Someone else: a relative, a friend or an agency")],
        widget=forms.RadioSelect,
        initial="yes",
        help_text="For right to know, nobody asked: the police decided to tell her.",
        error_messages={"required": "Choose who asked.", "invalid_choice": "Choose who asked."},
    )
    received_at = _when("Received", "the application was received")

    def clean_applicant_is_person_at_risk(self) -> bool:
        return self.cleaned_data["applicant_is_person_at_risk"] == "yes"


class StepForm(forms.Form):
    """The time of one step: the checks done, the meeting held, the safety plan made."""

    def __init__(self, *args, label: str = "When", what: str = "it was done", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"] = _when(label, what)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=DisclosureDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose disclose, no disclosure or withdrawn.",
            "invalid_choice": "Choose disclose, no disclosure or withdrawn.",
        },
    )
    at = _when("Decided", "it was decided")
    delay_reason = forms.CharField(
        label="Reason for the delay", required=False, max_length=2000, widget=forms.Textarea, help_text=DELAY_HELP
    )


class DeliveredForm(forms.Form):
    at = _when("Disclosure made", "the disclosure was made")
    support_worker_present = forms.CharField(
        label="Support worker present",
        max_length=200,
        help_text="Their name and service: a disclosure is made with a support worker present.",
        error_messages={
            "required": "Name the support worker who was present, and their service: a disclosure is made "
            "with a support worker present."
        },
    )
    delay_reason = forms.CharField(
        label="Reason for the delay", required=False, max_length=2000, widget=forms.Textarea, help_text=DELAY_HELP
    )


class ReportForm(forms.Form):
    first = forms.DateField(
        label="Received from",
        input_formats=DATE_FORMATS,
        help_text="For example, 1/4/2026",
        error_messages={"required": "Enter the start of the period.", "invalid": "Enter the start like 1/4/2026."},
    )
    last = forms.DateField(
        label="To",
        input_formats=DATE_FORMATS,
        help_text="For example, 30/6/2026",
        error_messages={"required": "Enter the end of the period.", "invalid": "Enter the end like 30/6/2026."},
    )

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            self.add_error("last", "The end of the period must not be before its start.")
        return data

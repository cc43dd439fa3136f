"""Forms of the serial and repeat perpetrator panel: a plan, and scheduling meetings."""

from django import forms
from django.utils import timezone

from carepath.perpetrators.models import PlanOption

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_TIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


class PlanForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        help_text="The member of your agency's staff who answers for the plan.",
        error_messages={"required": "Choose the plan's owner.", "invalid_choice": "Choose the plan's owner."},
    )
    options = forms.MultipleChoiceField(
        label="Options",
        choices=PlanOption.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one of support, prevention, diversion, disruption or enforcement.",
            "invalid_choice": "Choose from support, prevention, diversion, disruption or enforcement.",
        },
    )
    actions = forms.CharField(
        label="Actions agreed", required=False, max_length=10_000, widget=forms.Textarea, help_text="Who does what."
    )
    review_on = forms.DateField(
        label="Review by",
        input_formats=DATE_FORMATS,
        help_text="For example, 15/12/2026.",
        error_messages={
            "required": "Enter the date to review the plan by.",
            "invalid": "Enter a real date, for example 15/12/2026.",
        },
    )
    meeting = forms.ModelChoiceField(
        label="Agreed at the panel meeting",
        queryset=None,
        required=False,
        empty_label="Not at a meeting",
        error_messages={"invalid_choice": "Choose one of your agency's panel meetings."},
    )

    def __init__(self, *args, owners, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: timezone.localtime(m.starts_at).strftime(
            "%-d %B %Y, %H:%M"
        )

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        if review_on < timezone.localdate():
            raise forms.ValidationError("The review date must be today or later.")
        return review_on


class ScheduleForm(forms.Form):
    first = forms.DateTimeField(
        label="First meeting",
        input_formats=DATE_TIME_FORMATS,
        help_text="Date and time, for example 15/12/2026 10:00.",
        error_messages={
            "required": "Enter the date and time of the first meeting.",
            "invalid": "Enter a real date and time, for example 15/12/2026 10:00.",
        },
    )
    count = forms.IntegerField(
        label="How many meetings",
        min_value=1,
        max_value=13,
        initial=3,
        help_text="Each one the panel's interval after the one before.",
        error_messages={
            "required": "Enter how many meetings to schedule.",
            "invalid": "Enter a whole number of meetings, from 1 to 13.",
            "min_value": "Enter a whole number of meetings, from 1 to 13.",
            "max_value": "Enter a whole number of meetings, from 1 to 13.",
        },
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label="Why the plan closes", required=False, max_length=2000, widget=forms.Textarea)

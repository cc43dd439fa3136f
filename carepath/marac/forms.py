"""The MARAC's forms: what the coordinator records at and after a meeting, and what an
agency reports back. Checks that need the case (who may, in what state) are the services'."""

from django import forms

from carepath.core.codes import AgencyType
from carepath.core.models import Agency, User
from carepath.marac import rules
from carepath.marac.models import ActionFor, ActionStatus, Attendance
from carepath.referrals.forms import DATE_FORMATS

DATE_HINT = "For example, 15/12/2026."


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={"invalid": "Enter a real date, for example 15/12/2026."},
    )


def _text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=5000, widget=forms.Textarea)


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label="Attendance", choices=Attendance.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False)
    organisation = forms.CharField(
        label="Or, for an observer from outside the partnership, their organisation", required=False, max_length=200
    )
    attendee = forms.CharField(label="Name and role of the person in the room", required=False, max_length=200)
    confidentiality_signed = forms.BooleanField(label="They have signed the confidentiality statement", required=False)

    def __init__(self, *args, partnership_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")
        self.fields["agency"].empty_label = "An observer from outside the partnership"


class HeldForm(forms.Form):
    chair = forms.CharField(label="Chaired by (name and role)", max_length=200)


class DiscussionForm(forms.Form):
    summary = _text("Summary of the case as the meeting heard it")
    risks = _text("Risks identified", help_text="To the victim, each child, and anyone else.")


class ActionForm(forms.Form):
    action_for = forms.ChoiceField(label="The action is for", choices=ActionFor.choices, widget=forms.RadioSelect)
    child = forms.ChoiceField(label="Which child (for an action for a child)", required=False)
    action = _text("What is to be done")
    agency = forms.ModelChoiceField(label="Agency that owns it", queryset=Agency.objects.none())
    owner = forms.CharField(label="Named person at the agency", max_length=200)
    due_on = _date("Due by")

    def __init__(self, *args, partnership_id: int, children: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")
        self.fields["child"].choices = [("", "Not for a child"), *children]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="How did it end?",
        choices=[(s, label) for s, label in ActionStatus.choices if s != ActionStatus.OPEN],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What changed, or what was not done", required=False, max_length=2000, widget=forms.Textarea
    )


class PlanForm(forms.Form):
    police_lead = forms.ModelChoiceField(label="Police lead", queryset=User.objects.none())
    options = forms.MultipleChoiceField(
        label="Options for the person causing harm",
        choices=list(rules.PERPETRATOR_OPTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = _text("Notes", required=False)
    review_on = _date("Review the plan by", required=False)

    def __init__(self, *args, partnership_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_lead"].queryset = User.objects.filter(
            agency__partnership_id=partnership_id, agency__agency_type=AgencyType.POLICE, is_active=True
        ).order_by("last_name", "first_name", "username")
        self.fields["police_lead"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.agency})"


class CloseForm(forms.Form):
    reason = _text("Why the case closes")


class ReviewForm(forms.Form):
    review_on = _date("Review at the first meeting on or after")


class TransferForm(forms.Form):
    to_marac = forms.ModelChoiceField(label="To the partnership's MARAC", queryset=None, required=False)
    to_outside = forms.CharField(label="Or to a MARAC outside the partnership", required=False, max_length=200)
    reason = _text("Why (for example, where she has moved)")

    def __init__(self, *args, maracs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_marac"].queryset = maracs
        self.fields["to_marac"].empty_label = "Outside the partnership"

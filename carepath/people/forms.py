"""Forms for reviewing identity resolution (issue 4): every decision needs a reason,
because it stands in every later run and is audited."""

from django import forms

REASON_REQUIRED = "Say why: the decision stands in every later run and is audited"


class ReasonForm(forms.Form):
    """A reason for a split or an undo; ``next`` is where to go afterwards (checked in the view)."""

    reason = forms.CharField(
        label="Why?",
        help_text="For example, what you checked and with whom. This is kept with the change.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": REASON_REQUIRED},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class LinkDecisionForm(forms.Form):
    """A reviewer's decision on a pair of records: the same person, or different people."""

    CONFIRM = "confirm"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[(CONFIRM, "The same person"), (REJECT, "Different people")],
        error_messages={
            "required": "Choose whether these records are the same person",
            "invalid_choice": "Choose whether these records are the same person",
        },
    )
    reason = forms.CharField(
        label="Why have you decided this?",
        help_text="For example, the NHS number checked with the GP practice, or a date of birth confirmed "
        "with the victim's IDVA. Do not write anyone's name or address here.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": REASON_REQUIRED},
    )


class PersonSearchForm(forms.Form):
    """Find a person by name, date of birth or both (at least one)."""

    name = forms.CharField(
        label="Name",
        help_text="First name, surname or both. Part of a name is enough.",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example, 27/3/1990",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the date of birth as day/month/year, for example 27/3/1990"},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if name and len(name) < 2:
            raise forms.ValidationError("Enter at least 2 letters of the name")
        return name

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("name") and not data.get("date_of_birth"):
            raise forms.ValidationError("Enter a name, a date of birth or both")
        return data

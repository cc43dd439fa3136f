"""Forms for step-down to recovery programmes. Who may, and whether a course has room,
are the services' checks (``recovery_services``)."""

from django import forms

from carepath.casework import recovery
from carepath.referrals.forms import DATE_FORMATS


class RecoveryAddForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Put her on the waiting list for",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose a programme from the list.", "required": "Choose a programme."},
    )
    note = forms.CharField(label="Note, such as when she can attend (optional)", required=False, max_length=2000)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: (
            f"{p.name} ({recovery.KINDS.get(p.kind, 'programme')}, {p.agency})"
        )


class RecoveryOfferForm(forms.Form):
    course = forms.TypedChoiceField(label="Course", coerce=int, error_messages={"invalid_choice": "Choose a course."})

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [
            (c.pk, f"From {c.starts_on:%-d %B %Y}{f', {c.district}' if c.district_id else ''}: {left} left")
            for c, left in courses
        ]


class RecoveryMoveForm(forms.Form):
    to_status = forms.ChoiceField(label="Her place is now")
    note = forms.CharField(label="Why", required=False, max_length=2000)

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        # An offer is of a place on a course: made from the programme's page, not here.
        moves = [s for s in recovery.STATUS_WORDS if s in recovery.MOVES.get(current, ()) and s != recovery.OFFERED]
        self.fields["to_status"].choices = [
            (s, "Back on the waiting list" if s == recovery.WAITING else recovery.STATUS_WORDS[s]) for s in moves
        ]


_NUMBER = ("required", "invalid", "min_value", "max_value")


class RecoveryCourseForm(forms.Form):
    starts_on = forms.DateField(
        label="Starts on",
        input_formats=DATE_FORMATS,
        help_text="For example, 15/1/2027.",
        error_messages={"invalid": "Enter a real date, for example 15/1/2027.", "required": "Give the day it starts."},
    )
    weeks = forms.IntegerField(
        label="Weekly sessions",
        initial=12,
        min_value=1,
        max_value=recovery.MAX_WEEKS,
        error_messages={k: f"Give the number of weekly sessions, 1 to {recovery.MAX_WEEKS}." for k in _NUMBER},
    )
    places = forms.IntegerField(
        label="Places",
        initial=recovery.DEFAULT_PLACES,
        min_value=1,
        max_value=recovery.MAX_PLACES,
        error_messages={k: f"Give the number of places, 1 to {recovery.MAX_PLACES}." for k in _NUMBER},
    )
    district = forms.ModelChoiceField(label="Meets in", queryset=None, required=False, empty_label="Not said")

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts

"""The board dashboard's choices: the period, the place, and whether small numbers show."""

from django import forms
from django.utils import timezone

from carepath.casework.measures import period_choices, period_from_code
from carepath.reporting import selectors


class BoardForm(forms.Form):
    period = forms.ChoiceField(label="Period")
    place = forms.ChoiceField(label="Area", required=False)
    small_numbers = forms.BooleanField(
        label="Show small numbers (for the partnership only: not for the board pack or publication)",
        required=False,
    )

    def __init__(self, data, *args, **kwargs):
        today = timezone.localdate()
        choices = period_choices(today)
        offered = {code for code, _ in choices}
        # Earlier years that hold records too (the demo's county is the review's 2014).
        choices += [
            (str(year), period_from_code(str(year)).label)
            for year in selectors.years_with_records()
            if str(year) not in offered and year <= today.year
        ]
        data = data.copy()
        data.setdefault("period", choices[0][0])
        super().__init__(data, *args, **kwargs)
        self.fields["period"].choices = choices
        self.fields["place"].choices = selectors.place_choices()

    def chosen(self):
        """(period, place, small numbers shown); None when a choice is not one offered."""
        if not self.is_valid():
            return None
        period = period_from_code(self.cleaned_data["period"])
        place = selectors.place_from_code(self.cleaned_data["place"])
        if period is None or place is None:
            return None
        return period, place, self.cleaned_data["small_numbers"]

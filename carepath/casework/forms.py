"""The casework app's forms."""

from datetime import date

from django import forms

from carepath.casework import measures


class PerformanceForm(forms.Form):
    """Service performance: which of the user's services, which MARAC area, which period."""

    service = forms.ChoiceField(label="Service", required=False)
    area = forms.ChoiceField(label="Area", required=False)
    period = forms.ChoiceField(label="Period")

    def __init__(self, *args, services, areas, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "All services")] + [(str(s.pk), s.name) for s in services]
        self.fields["area"].choices = [("", "All areas")] + [(str(a.pk), a.name) for a in areas]
        self.fields["period"].choices = measures.period_choices(today)
        self.fields["period"].initial = str(today.year)

    def clean_period(self) -> measures.Period:
        return measures.period_from_code(self.cleaned_data["period"])

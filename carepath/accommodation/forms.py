"""Safe-accommodation forms. The family form asks for needs only: no names, no address,
so that a search's address (a GET) holds no personal data."""

from django import forms

from carepath.accommodation import matching
from carepath.accommodation.matching import NEEDS
from carepath.accommodation.models import DeclineReason, UnmetNeed, VacancyState
from carepath.core.models import District

ADULTS = [(matching.WOMAN, "A woman"), (matching.MAN, "A man"), (matching.TRANS_WOMAN, "A trans woman")]
#: The states a provider may set in one step.
PROVIDER_STATES = [
    (VacancyState.AVAILABLE, "Available"),
    (VacancyState.ON_HOLD, "On hold"),
    (VacancyState.TEMPORARILY_CLOSED, "Temporarily closed"),
    (VacancyState.OCCUPIED, "Occupied"),
]


def _ages(raw: str, whose: str) -> list[int]:
    ages = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 17:
            raise forms.ValidationError(f"Enter the {whose}' ages as whole numbers from 0 to 17, like 3, 14")
        ages.append(int(part))
    return ages


class FamilyForm(forms.Form):
    adult = forms.ChoiceField(label="Who needs the place", choices=ADULTS, initial=matching.WOMAN)
    adults = forms.IntegerField(
        label="Adults in the family",
        min_value=1,
        max_value=6,
        initial=1,
        error_messages={"min_value": "Enter 1 to 6 adults", "max_value": "Enter 1 to 6 adults"},
    )
    boys = forms.CharField(label="Boys' ages", required=False, help_text="Separate ages with commas, like 3, 14")
    girls = forms.CharField(label="Girls' ages", required=False, help_text="Separate ages with commas, like 9")
    needs = forms.MultipleChoiceField(
        label="Needs", choices=list(NEEDS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.CharField(
        label="Languages she needs staff to speak",
        required=False,
        help_text="Leave blank if English will do. Separate languages with commas",
    )
    home_district = forms.ModelChoiceField(
        label="Her home district", queryset=District.objects.order_by("name"), required=False, empty_label="Not given"
    )
    avoid = forms.ModelMultipleChoiceField(
        label="Districts she must avoid (the perpetrator is there)",
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_boys(self):
        return _ages(self.cleaned_data["boys"], "boys")

    def clean_girls(self):
        return _ages(self.cleaned_data["girls"], "girls")

    def clean_languages(self):
        return sorted({w.strip() for w in self.cleaned_data["languages"].split(",") if w.strip()})

    def family(self) -> matching.Family:
        data = self.cleaned_data
        children = tuple(matching.Child(age, matching.BOY) for age in data["boys"]) + tuple(
            matching.Child(age, matching.GIRL) for age in data["girls"]
        )
        return matching.Family(
            adults=data["adults"],
            adult=data["adult"],
            children=children,
            languages=frozenset(data["languages"]),
            avoid_districts=frozenset(d.pk for d in data["avoid"]),
            **{need: need in data["needs"] for need in NEEDS},
        )


class VacancyForm(forms.Form):
    vacancy = forms.ChoiceField(
        label="Vacancy",
        choices=PROVIDER_STATES,
        error_messages={"required": "Choose the unit's vacancy", "invalid_choice": "Choose the unit's vacancy"},
    )


class HoldForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": "Accept or decline the referral"},
    )
    reason = forms.ChoiceField(
        label="Why declined", choices=[("", "Choose a reason"), *DeclineReason.choices], required=False
    )
    unmet_need = forms.ChoiceField(
        label="Which need cannot be met", choices=[("", "Not needs"), *UnmetNeed.choices], required=False
    )

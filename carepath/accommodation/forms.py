"""Safe-accommodation forms. The family form asks for needs only: no names, no address,
so that a search's address (a GET) holds no personal data."""

from django import forms

from carepath.accommodation import matching
from carepath.accommodation.matching import NEEDS
from carepath.accommodation.models import (
    DeclineReason,
    Departure,
    MoveOn,
    Suitability,
    Unit,
    UnmetNeed,
    VacancyState,
)
from carepath.accommodation.services import Household
from carepath.core.models import District
from carepath.marac.referral_forms import VICTIM_FIELDS, NewVictimFields
from carepath.referrals.forms import DATE_FORMATS, ProfessionalReferralForm, _NamedErrors, person_details

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

    @staticmethod
    def ages_in(raw: str) -> list[int]:
        """The ages written in a search's address, the unreadable ones left out."""
        return [int(part) for part in raw.replace(";", ",").split(",") if part.strip().isdigit()]

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


#: "Outside the partnership" as a choice of her home district: a referral into the area.
OUTSIDE = "outside"


class PlacementForm(_NamedErrors, NewVictimFields):
    """A referral of a family to safe accommodation: the victim (one the agency holds, or a
    new one), her home, the Safer Places suitability assessment, and her household."""

    NAMES = {
        **{k: v for k, v in ProfessionalReferralForm.NAMES.items() if k in VICTIM_FIELDS},
        "home_district": "Her home district",
        "suitability": "Suitability",
        "adult": "Who needs the place",
        "adults": "Adults",
        "children": "Children",
        "needs": "Needs",
        "agreed": "Her agreement",
        "referrer_elsewhere": "Who referred her",
        "service_elsewhere": "The service",
    }

    home_district = forms.ChoiceField(label="Her home district", error_messages={"required": "select where she lives"})
    suitability = forms.ChoiceField(
        label="What the suitability assessment found",
        choices=Suitability.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "choose what the assessment found", "invalid_choice": "select from the list"},
    )
    adult = forms.ChoiceField(label="Who needs the place", choices=ADULTS, initial=matching.WOMAN)
    adults = forms.IntegerField(label="Adults in the family", min_value=1, max_value=6, initial=1)
    children = forms.IntegerField(label="Children coming with her", min_value=0, max_value=12, initial=0)
    needs = forms.MultipleChoiceField(
        label="Her needs", choices=list(NEEDS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label="What the provider needs to know to decide",
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        help_text="Not her address: the provider asks her for what it needs.",
    )

    def __init__(self, *args, victim=None, extra: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.victim = victim
        if victim is not None:
            for name in VICTIM_FIELDS:
                del self.fields[name]
        self.fields["home_district"].choices = [
            ("", "Choose"),
            *((str(d.pk), d.name) for d in District.objects.order_by("name")),
            (OUTSIDE, "Outside the county"),
        ]
        for name in ("agreed", "referrer_elsewhere", "service_elsewhere", "unit"):
            if name in self.fields and name not in extra:
                del self.fields[name]

    agreed = forms.BooleanField(
        label="She agrees to this referral and to its being shared with the provider",
        error_messages={"required": "ask her before you refer her: a place is hers to take"},
    )
    referrer_elsewhere = forms.CharField(
        label="Who referred her",
        max_length=200,
        help_text="The agency outside the county, or 'herself'.",
        error_messages={"required": "say who referred her, or that she referred herself"},
    )
    service_elsewhere = forms.CharField(
        label="The service outside the county you referred her to",
        max_length=200,
        error_messages={"required": "name the service"},
    )
    unit = forms.ModelChoiceField(
        label="The unit", queryset=Unit.objects.none(), error_messages={"required": "choose the unit"}
    )

    def placement_arguments(self) -> dict:
        d = self.cleaned_data
        arguments = {
            "victim": self.victim,
            "new_victim": None if self.victim is not None else person_details(d, "victim"),
            "household": Household(
                home_district=None
                if d["home_district"] == OUTSIDE
                else District.objects.filter(pk=d["home_district"]).first(),
                suitability=d["suitability"],
                adult=d["adult"],
                adults=d["adults"],
                children=d["children"],
                needs=tuple(d["needs"]),
                notes=d["notes"],
            ),
        }
        for name in ("agreed", "referrer_elsewhere", "service_elsewhere", "unit"):
            if name in self.fields:
                arguments[name] = d[name]
        return arguments


class PlacementDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accepted"), ("decline", "Declined")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether she was accepted or declined"},
    )
    reason = DecisionForm.base_fields["reason"]
    unmet_need = DecisionForm.base_fields["unmet_need"]


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(
        label="The day she arrived",
        input_formats=DATE_FORMATS,
        help_text="For example, 27/3/2026",
        error_messages={"required": "Enter the day she arrived", "invalid": "Enter a real date, like 27/3/2026"},
    )


class SupportForm(forms.Form):
    support_plan = forms.CharField(label="Her support plan", widget=forms.Textarea, required=False, max_length=10_000)
    children_support = forms.CharField(
        label="The children's support", widget=forms.Textarea, required=False, max_length=10_000
    )
    children_supported = forms.IntegerField(
        label="Children supported",
        min_value=0,
        max_value=12,
        error_messages={"required": "Enter how many children are supported, 0 if none"},
    )


class DepartureForm(forms.Form):
    left_on = forms.DateField(
        label="The day she left",
        input_formats=DATE_FORMATS,
        help_text="For example, 27/3/2026",
        error_messages={"required": "Enter the day she left", "invalid": "Enter a real date, like 27/3/2026"},
    )
    departure = forms.ChoiceField(
        label="How the stay ended",
        choices=Departure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how the stay ended"},
    )
    move_on = forms.ChoiceField(
        label="Where she moved on to",
        choices=[("", "Choose"), *MoveOn.choices],
        error_messages={"required": "Say where she moved on to, or that it is not known"},
    )
    unit_vacancy = forms.ChoiceField(
        label="The unit now",
        choices=[
            (VacancyState.AVAILABLE, "Available for the next family"),
            (VacancyState.TEMPORARILY_CLOSED, "Closed while it is readied"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )


class HoldExtendForm(forms.Form):
    hours = forms.IntegerField(
        label="Hold for another",
        min_value=1,
        max_value=48,
        error_messages={key: "Enter hours from 1 to 48" for key in ("required", "invalid", "min_value", "max_value")},
    )

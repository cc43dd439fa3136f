"""Forms of the programme part: every error in words, on its field."""

from datetime import date

from django import forms

from carepath.perpetrators.models import CostBasis, LeftReason, Programme, ProgrammeKind, ProgrammeStatus
from carepath.perpetrators.programme_services import DATED, NEXT
from carepath.referrals.forms import DATE_FORMATS

DATE_HINT = "For example, 27/3/2026"


def _date(label: str, *, required: bool = True, hint: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=hint,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date, like 27/3/2026.",
        },
    )


class ProgrammeForm(forms.ModelForm):
    places = forms.IntegerField(
        label="Places a year",
        min_value=0,
        max_value=100_000,
        error_messages={
            "required": "Enter the places it has a year.",
            "invalid": "Enter the places a year as a whole number, like 30.",
            "min_value": "The places a year cannot be fewer than 0.",
            "max_value": "Enter no more than 100,000 places a year.",
        },
    )
    cost = forms.DecimalField(
        label="Cost, in pounds",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="As it is bought: for one person, or for one course. For example, 2500",
        error_messages={
            "required": "Enter the cost in pounds.",
            "invalid": "Enter the cost as an amount in pounds, like 2500 or 2500.50.",
            "min_value": "The cost cannot be less than £0.",
            "max_digits": "Enter a cost under £100,000,000.",
            "max_decimal_places": "Enter the cost to the penny at most.",
            "max_whole_digits": "Enter a cost under £100,000,000.",
        },
    )
    course_size = forms.IntegerField(
        label="People on one course (needed when the cost is per course)",
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": "Enter the people on one course as a whole number, like 12.",
            "min_value": "A course takes at least 1 person.",
            "max_value": "Enter no more than 1,000 people on a course.",
        },
    )

    class Meta:
        model = Programme
        fields = ["name", "kind", "provider", "places", "cost", "cost_basis", "course_size"]
        labels = {"name": "Name", "kind": "Kind of programme", "provider": "Provider", "cost_basis": "The cost is"}
        widgets = {"kind": forms.RadioSelect, "cost_basis": forms.RadioSelect}
        error_messages = {
            "name": {
                "required": "Enter the programme's name.",
                "unique": "A programme with this name already exists: choose another name.",
                "max_length": "Enter a name of 200 characters or fewer.",
            },
            "kind": {"required": "Choose the kind of programme.", "invalid_choice": "Choose a kind from the list."},
            "provider": {"required": "Choose the provider.", "invalid_choice": "Choose a provider from the list."},
            "cost_basis": {
                "required": "Choose whether the cost is per person or per course.",
                "invalid_choice": "Choose per person or per course.",
            },
        }

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].empty_label = "Choose the provider"
        self.fields["kind"].choices = ProgrammeKind.choices
        self.fields["cost_basis"].choices = CostBasis.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cost_basis") == CostBasis.PER_COURSE and not cleaned.get("course_size"):
            self.add_error("course_size", "Enter how many people one course takes, to give the cost per person.")
        return cleaned


class ReferralForm(forms.Form):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        empty_label="Choose a programme",
        error_messages={"required": "Choose the programme.", "invalid_choice": "Choose a programme from the list."},
    )
    partner = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="His partner (optional)",
        empty_label="Nobody to name",
        help_text="The victim the programme's partner support worker will offer support to while he is on it. "
        "Only his victims your agency holds are listed.",
        error_messages={"invalid_choice": "Choose his partner from the list, or nobody."},
    )
    referred_on = _date("Date of the referral")

    def __init__(self, *args, programmes, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["partner"].queryset = partners
        self.fields["programme"].label_from_instance = lambda p: f"{p.name} ({p.get_kind_display()}, {p.provider})"
        self.fields["partner"].label_from_instance = lambda p: p.display_name


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened.", "invalid_choice": "Choose one of the steps listed."},
    )
    on = _date("Date it happened", required=False, hint="Needed when he started, completed or left. " + DATE_HINT)
    left_reason = forms.ChoiceField(
        label="Why he left (when he left before completing)",
        required=False,
        choices=[("", "Choose a reason"), *LeftReason.choices],
        error_messages={"invalid_choice": "Choose a reason from the list."},
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = ProgrammeStatus(current)
        self.fields["status"].choices = [(s, ProgrammeStatus(s).label) for s in NEXT[self.current]]

    def clean(self):
        cleaned = super().clean()
        if not NEXT[self.current]:
            raise forms.ValidationError(f"This referral is closed ({self.current.label.lower()}): nothing follows.")
        status = cleaned.get("status")
        if status in DATED and not cleaned.get("on") and "on" not in self.errors:
            self.add_error("on", "Enter the date it happened.")
        if status == ProgrammeStatus.LEFT and not cleaned.get("left_reason") and "left_reason" not in self.errors:
            self.add_error("left_reason", "Choose why he left before completing.")
        return cleaned


class ContactForm(forms.Form):
    on = _date("Date of the contact")
    time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        error_messages={"required": "Enter the time of the contact.", "invalid": "Enter the time like 14:30."},
    )
    reached = forms.ChoiceField(
        label="Did the partner support worker reach her?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, they spoke"), ("no", "No, she was not reached")],
        error_messages={"required": "Say whether she was reached.", "invalid_choice": "Choose yes or no."},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"max_length": "Keep the note to 4,000 characters or fewer."},
    )


class ReportForm(forms.Form):
    first = _date("First day", hint="For example, 1/4/2025")
    last = _date("Last day", hint="For example, 31/3/2026")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and first > last:
            self.add_error("last", "The last day must be on or after the first day.")
        elif first and last and (last - first).days > 366 * 10:
            self.add_error("last", "Choose a period of ten years or less.")
        return cleaned


def year_to(today: date) -> tuple[date, date]:
    """The report's period until one is chosen: the year up to today (Table 5 counts a year)."""
    try:
        first = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - 1, day=28)
    return first.fromordinal(first.toordinal() + 1), today

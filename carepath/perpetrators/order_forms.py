"""Forms for orders, breaches, releases from custody and criminal history. Every error
names its field; the services check the rules that need the database (his victims, the
order's dates)."""

from datetime import datetime

from django import forms
from django.utils import timezone

from carepath.perpetrators.models import BreachAction, HistoryKind, OrderKind
from carepath.referrals.forms import DATE_FORMATS, _NamedErrors

REAL_DATE = {"invalid": "enter a real date, for example 27/03/2026", "required": "enter a date"}
CHOOSE = {"invalid_choice": "choose one from the list", "required": "choose one from the list"}
TIME_FORMATS = ["%H:%M", "%H.%M"]


def _date(label: str, *, required: bool = True, **kw) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, error_messages=REAL_DATE, **kw)


def _text(label: str, *, required: bool = False, **kw) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "enter it", "max_length": "4,000 characters or fewer"},
        **kw,
    )


class OrderForm(_NamedErrors):
    kind = forms.ChoiceField(label="Kind of order", choices=[("", "Choose")] + OrderKind.choices, error_messages=CHOOSE)
    protected_person = forms.ModelChoiceField(
        label="Protects", queryset=None, empty_label="Choose his victim", error_messages=CHOOSE
    )
    made_on = _date("Made on", help_text="For example 27/03/2026")
    starts_on = _date("Starts", help_text="For example 27/03/2026")
    ends_on = _date("Ends", required=False, help_text="Leave blank if it lasts until further order")
    made_by = forms.CharField(
        label="Made by", max_length=200, required=False, help_text="The court, or the officer's rank"
    )
    conditions = _text("Conditions", help_text="What he must and must not do")

    def __init__(self, *args, victims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_person"].queryset = victims
        self.fields["protected_person"].label_from_instance = lambda p: p.display_name


class OrderUpdateForm(_NamedErrors):
    ends_on = _date(
        "Ends", required=False, help_text="Set the end date to end the order; blank for until further order"
    )
    conditions = _text("Conditions")
    reason = forms.CharField(
        label="Why it changed", max_length=200, required=False, help_text="For example varied by the court"
    )


class BreachForm(_NamedErrors):
    NAMES = {"occurred_at": "When"}
    occurred_at = _date("Date of the breach", help_text="For example 27/03/2026")
    occurred_time = forms.TimeField(
        label="Time",
        input_formats=TIME_FORMATS,
        required=False,
        help_text="24-hour clock, like 21:30; leave blank if not known",
        error_messages={"invalid": "enter a time like 21:30"},
    )
    what_happened = _text("What happened", required=True)
    action = forms.ChoiceField(
        label="Action taken", choices=[("", "Choose")] + BreachAction.choices, error_messages=CHOOSE
    )

    def moment(self) -> datetime:
        d = self.cleaned_data
        moment = datetime.combine(d["occurred_at"], d["occurred_time"] or datetime.min.time())
        return timezone.make_aware(moment)


class CustodyReleaseForm(_NamedErrors):
    released_on = _date("Released on", help_text="For example 27/03/2026")
    licence_conditions = _text("Licence conditions")


class CriminalHistoryForm(_NamedErrors):
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose")] + HistoryKind.choices, error_messages=CHOOSE)
    on = _date("Date", help_text="For example 27/03/2026")
    summary = _text("Summary", required=True)

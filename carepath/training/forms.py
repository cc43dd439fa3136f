"""Forms of the champions network: every error in words, on its field."""

from django import forms

from carepath.core.models import Agency
from carepath.referrals.forms import DATE_FORMATS
from carepath.training import rules
from carepath.training.models import AttendanceStatus, Champion, Course, CourseKind

DATE_HINT = "For example, 27/3/2026"


def _required(label: str) -> dict:
    return {"required": f"Enter {label}."}


class ChampionForm(forms.ModelForm):
    champion_from = forms.DateField(
        label="Champion from",
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the first day they are the champion.",
            "invalid": "Enter the first day as a date, like 27/3/2026.",
        },
    )
    champion_until = forms.DateField(
        label="Champion until (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="Leave blank while they are the champion. " + DATE_HINT,
        error_messages={"invalid": "Enter the last day as a date, like 27/3/2026."},
    )

    class Meta:
        model = Champion
        fields = ["name", "job_title", "agency", "team", "email", "phone", "champion_from", "champion_until"]
        labels = {
            "name": "Full name",
            "job_title": "Job title",
            "team": "Team (optional)",
            "email": "Email (optional)",
            "phone": "Phone (optional)",
        }
        error_messages = {
            "name": _required("the champion's full name"),
            "job_title": _required("their job title"),
            "agency": {"required": "Choose their agency.", "invalid_choice": "Choose an agency from the list."},
            "email": {"invalid": "Enter an email address like name@example.org."},
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = "Choose an agency"
        self.fields["team"].help_text = "Leave blank when they are the champion for the whole agency."

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("champion_from"), cleaned.get("champion_until")
        if first and last and last < first:
            self.add_error("champion_until", "The last day as champion must not be before the first.")
        if not cleaned.get("email") and not (cleaned.get("phone") or "").strip():
            self.add_error("email", "Enter an email address or a phone number, so colleagues can reach them.")
        return cleaned


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["name", "kind", "description"]
        labels = {"name": "Course name", "kind": "Kind of course", "description": "What it covers (optional)"}
        error_messages = {
            "name": {**_required("the course's name"), "unique": "There is already a course with that name."},
            "kind": {"required": "Choose the kind of course.", "invalid_choice": "Choose a kind from the list."},
        }
        widgets = {"kind": forms.RadioSelect(choices=CourseKind.choices)}


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.all(),
        empty_label="Choose a course",
        error_messages={"required": "Choose the course.", "invalid_choice": "Choose a course from the list."},
    )
    held_on = forms.DateField(
        label="Date",
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={"required": "Enter the session's date.", "invalid": "Enter the date like 27/3/2026."},
    )
    venue = forms.CharField(max_length=200, error_messages=_required("where it is held"))
    trainer = forms.CharField(max_length=200, error_messages=_required("the trainer's name"))
    places = forms.IntegerField(
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Enter how many places there are.",
            "invalid": "Enter the number of places as a whole number, like 20.",
            "min_value": "A session needs at least 1 place.",
            "max_value": "Enter at most 500 places.",
        },
    )


class BookingForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=200, error_messages=_required("the person's full name"))
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose their agency.", "invalid_choice": "Choose an agency from the list."},
    )
    team = forms.CharField(label="Team (optional)", max_length=200, required=False)
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )


class RegisterForm(forms.Form):
    """One choice per booking on the register: ``booking-<id>``."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            self.fields[f"booking-{booking.pk}"] = forms.ChoiceField(
                label=booking.trainee.name,
                choices=AttendanceStatus.choices,
                initial=booking.status,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose attended, did not attend, booked or cancelled."},
            )

    def statuses(self) -> dict[int, str]:
        return {b.pk: self.cleaned_data[f"booking-{b.pk}"] for b in self.bookings}

    def rows(self):
        return [(b, self[f"booking-{b.pk}"]) for b in self.bookings]


class ReportForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose an agency.", "invalid_choice": "Choose an agency from the list."},
    )
    by = forms.ChoiceField(
        label="Figures for each",
        choices=list(rules.PERIOD_KINDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose months or quarters.", "invalid_choice": "Choose months or quarters."},
    )
    first = forms.DateField(
        label="From",
        input_formats=DATE_FORMATS,
        help_text="For example, 1/4/2025",
        error_messages={"required": "Enter the start of the range.", "invalid": "Enter the start like 1/4/2025."},
    )
    last = forms.DateField(
        label="To",
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2026",
        error_messages={"required": "Enter the end of the range.", "invalid": "Enter the end like 31/3/2026."},
    )

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(k) for k in ("by", "first", "last")):
            try:
                cleaned["periods"] = rules.periods(kind=cleaned["by"], first=cleaned["first"], last=cleaned["last"])
            except rules.PeriodError as exc:
                self.add_error("last", str(exc))
        return cleaned

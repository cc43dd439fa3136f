"""Forms of the directory: the staff search, the public "Find help near you" search, and an
entry with its week of opening hours."""

from datetime import time

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from carepath.core.models import District, User
from carepath.directory import selectors, services
from carepath.directory.models import AccessRoute, Area, Entry, Kind, WhoFor, who_for_field

#: The public's words for what they need: no risk levels (people do not know their own),
#: said as a person would say it.
PUBLIC_NEEDS = [
    (WhoFor.WOMEN, _("I am a woman")),
    (WhoFor.MEN, _("I am a man")),
    (WhoFor.TRANS_NON_BINARY, _("I am trans or non-binary")),
    (WhoFor.LGBT, _("I am lesbian, gay, bisexual or LGBT+")),
    (WhoFor.AGED_16_17, _("I am 16 or 17")),
    (WhoFor.BLACK_MINORITISED, _("I would like a service for Black and minoritised people")),
    (WhoFor.DISABLED_DEAF, _("I am disabled or Deaf")),
    (WhoFor.COMPLEX_NEEDS, _("I also need help with mental health, alcohol or drugs")),
    (WhoFor.CHILDREN, _("I want help for a child or young person")),
    (WhoFor.PERPETRATORS, _("I am worried about my own behaviour")),
]


def district_choices(empty: str):
    return [("", empty), *((str(pk), name) for pk, name in District.objects.order_by("name").values_list("pk", "name"))]


class DistrictOptions:
    """The district list's options with the chosen one marked, worked out once: a national
    directory's 360 districts compared one by one in the template cost more than the search."""

    def district_options(self) -> list[tuple[str, str, bool]]:
        chosen = str(self["district"].value() or "")
        return [(value, words, value == chosen) for value, words in self.fields["district"].choices]


class PublicSearchForm(DistrictOptions, forms.Form):
    district = forms.TypedChoiceField(label=_("Where do you live?"), required=False, coerce=int, empty_value=None)
    needs = forms.MultipleChoiceField(
        label=_("What do you need?"),
        help_text=_("Choose any that are true for you. Leave them all empty to see every service."),
        choices=PUBLIC_NEEDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_now = forms.BooleanField(label=_("Only show services open now"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices(str(_("Anywhere in the county")))
        self.fields["district"].error_messages["invalid_choice"] = _("Choose where you live from the list.")
        self.fields["needs"].error_messages["invalid_choice"] = _("Choose what you need from the list.")

    def search(self, *, now, today) -> selectors.Search:
        data = self.cleaned_data
        return selectors.Search(
            district_id=data["district"],
            who_for=tuple(data["needs"]),
            open_now=data["open_now"],
            now=now,
            today=today,
        )


class StaffSearchForm(DistrictOptions, forms.Form):
    q = forms.CharField(label="Name or words", required=False, max_length=100)
    district = forms.TypedChoiceField(label="District", required=False, coerce=int, empty_value=None)
    who_for = forms.MultipleChoiceField(
        label="Who it is for", choices=WhoFor.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        label="Kind of service", choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    access_route = forms.ChoiceField(
        label="How people get in",
        required=False,
        choices=[
            ("", "Any way"),
            (AccessRoute.SELF, "They can contact it themselves"),
            (AccessRoute.PROFESSIONAL, "A professional can refer"),
        ],
    )
    language = forms.CharField(label="Language the staff speak", required=False, max_length=60)
    open_now = forms.BooleanField(label="Open now", required=False)
    include_stale = forms.BooleanField(
        label="Include entries hidden from the public (not checked in time)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices("Any district")
        self.fields["district"].error_messages["invalid_choice"] = "Choose a district from the list."

    def search(self, *, now, today) -> selectors.Search:
        data = self.cleaned_data
        return selectors.Search(
            district_id=data["district"],
            who_for=tuple(data["who_for"]),
            kinds=tuple(data["kind"]),
            access_route=data["access_route"],
            open_now=data["open_now"],
            language=data["language"],
            text=data["q"],
            include_stale=data["include_stale"],
            now=now,
            today=today,
        )


def _hours_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={"invalid": f"{label}: enter a time like 09:00 or 17:30."},
    )


class EntryForm(forms.ModelForm):
    """An entry, with one opening a day (a blank day is closed) and, for an administrator,
    its owner."""

    who_for = forms.MultipleChoiceField(
        label="Who it is for",
        choices=WhoFor.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one group the service is for."},
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address like https://www.example.org"},
    )
    districts = forms.ModelMultipleChoiceField(
        label="Districts served",
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when it serves the districts listed.",
    )

    class Meta:
        model = Entry
        fields = [
            "name",
            "kind",
            "description",
            "description_cy",
            "area",
            "access_route",
            "phone",
            "text_number",
            "email",
            "website",
            "languages",
            "interpreters",
            "accessibility",
            "open_24_hours",
            "open_bank_holidays",
            "owner",
        ]
        labels = {
            "description": "What it does, in plain words",
            "description_cy": "What it does, in Welsh (optional)",
            "area": "Where it serves",
            "access_route": "How people get in",
            "phone": "Phone (for a refuge: its front-gate contact)",
            "text_number": "Text message number",
            "languages": "Languages the staff speak",
            "interpreters": "Interpreters can be arranged",
            "accessibility": "Accessibility",
            "open_24_hours": "Open 24 hours, every day",
            "open_bank_holidays": "Open on bank holidays",
        }
        error_messages = {
            "name": {"required": "Enter the service's name."},
            "kind": {"required": "Choose the kind of service."},
            "description": {"required": "Say in plain words what the service does."},
            "email": {"invalid": "Enter an email address like help@example.org."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [("", "Choose a kind"), *Kind.choices]
        for weekday in range(7):
            day = str(WEEKDAYS[weekday])
            self.fields[f"opens_{weekday}"] = _hours_field(f"{day} opens")
            self.fields[f"closes_{weekday}"] = _hours_field(f"{day} closes")
        if user.is_administrator:
            self.fields["owner"].queryset = User.objects.filter(is_active=True, agency__isnull=False).order_by(
                "username"
            )
            self.fields["owner"].label_from_instance = lambda u: f"{u.username} ({u.agency})"
            self.fields["owner"].error_messages["required"] = "Choose who keeps this entry up to date."
        else:
            del self.fields["owner"]
        if self.instance.pk:
            self.initial["who_for"] = self.instance.who_for
            self.initial["districts"] = list(self.instance.districts.all())
            for row in self.instance.hours.all():
                self.initial[f"opens_{row.weekday}"] = row.opens.strftime("%H:%M")
                self.initial[f"closes_{row.weekday}"] = row.closes.strftime("%H:%M")

    def day_fields(self):
        return [(str(WEEKDAYS[d]), self[f"opens_{d}"], self[f"closes_{d}"]) for d in range(7)]

    def main_fields(self):
        return [f for f in self if not f.name.startswith(("opens_", "closes_"))]

    def clean(self):
        data = super().clean()
        for weekday in range(7):
            opens, closes = data.get(f"opens_{weekday}"), data.get(f"closes_{weekday}")
            day = str(WEEKDAYS[weekday])
            if (opens is None) != (closes is None) and not self.errors.get(f"opens_{weekday}"):
                missing = f"closes_{weekday}" if closes is None else f"opens_{weekday}"
                self.add_error(missing, f"{day}: give both the opening and the closing time, or neither.")
        if data.get("area") == Area.DISTRICTS and not data.get("districts"):
            self.add_error("districts", "Choose the districts it serves, or say it serves all of the county.")
        if not any(data.get(f) for f in ("phone", "text_number", "email", "website")):
            self.add_error("phone", "Give at least one way to get in touch: a phone, text, email or website.")
        if data.get("kind") == Kind.REFUGE:
            if not data.get("phone"):
                self.add_error("phone", "A refuge is listed by its front-gate phone: enter it.")
            for name, message in services.refuge_location_errors(data).items():
                self.add_error(name, message)
        return data

    def hours(self) -> list[services.Hours]:
        data = self.cleaned_data
        return [
            services.Hours(weekday=d, opens=data[f"opens_{d}"], closes=data[f"closes_{d}"])
            for d in range(7)
            if isinstance(data.get(f"opens_{d}"), time) and isinstance(data.get(f"closes_{d}"), time)
        ]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in self.Meta.fields if name in self.fields}
        for code in WhoFor.values:
            values[who_for_field(code)] = code in data["who_for"]
        return values

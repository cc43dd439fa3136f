"""Forms for the public help pages (no login): a self-referral and a referral by a friend
or family member (domain.md "Safe contact"; seed 002 Appendix 1).

The people filling these in may be in danger, so the wording is plain and every error
says what to do next. A form only turns answers into the intake dataclasses
(``ReferralInput``): it never looks anything up, so nothing here can show whether a
person is already known.

Safe contact is the heart of both forms. A channel counts as safe only when the person
ticked it; a self-referrer who leaves a channel unticked has said it is not safe ("no"),
a friend or relative who leaves it unticked does not know ("not_known"). Both are unsafe
to ``usable_channels``. "Do not contact me" marks every channel unsafe.

Every word a visitor reads is translated (gettext; the Welsh is in
referrals/locale/cy/LC_MESSAGES/django.po). Each form has its own whole sentences
(``MESSAGES``) rather than "your"/"their" put into one sentence: that cannot be translated
(Welsh mutates the noun after "eu", their: "eich enw", "eu henw"). What the front door
reads (``details``) stays in English, whatever language the form was filled in.
"""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from carepath.core.ages import age_on
from carepath.people.safe_contact import ALL_CHANNELS, HOME_VISIT, PHONE_CALL, WORKPLACE
from carepath.referrals.intake import CHILD_MAX_AGE, ChildDetails, PersonDetails, ReferralInput, SafeContactDetails

CALL, VOICEMAIL, TEXT, EMAIL, LETTER, NONE = "call", "voicemail", "text", "email", "letter", "none"
PHONE_METHODS = (CALL, VOICEMAIL, TEXT)
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
PHONE = re.compile(r"[0-9 ()+\-]+")
MAX_AGE = 120
MAX_CHILDREN = 15
CHILDLINE = "0800 1111"
#: "Date of birth must include a ..." by the parts left empty (whole sentences, for translation).
DOB_MISSING = {
    ("day",): gettext_lazy("Date of birth must include a day"),
    ("month",): gettext_lazy("Date of birth must include a month"),
    ("year",): gettext_lazy("Date of birth must include a year"),
    ("day", "month"): gettext_lazy("Date of birth must include a day and month"),
    ("day", "year"): gettext_lazy("Date of birth must include a day and year"),
    ("month", "year"): gettext_lazy("Date of birth must include a month and year"),
}


def split_place(text: str) -> tuple[str, str]:
    """("town or address", "postcode") from one free-text answer such as "Northtown NT1 4QZ"."""
    match = POSTCODE.search(text)
    if not match:
        return text.strip(), ""
    postcode = f"{match.group(1)} {match.group(2)}".upper()
    rest = (text[: match.start()] + text[match.end() :]).strip(" ,\n\r\t")
    return rest, postcode


class _PublicReferralForm(forms.Form):
    """What both public forms ask about the person who needs help, and how to contact
    them safely. Subclasses set the wording (``TEXT``, ``MESSAGES``) and the choices."""

    #: Messages that differ between "you" (self-referral) and "them" (friends and family).
    MESSAGES: dict[str, str] = {}
    CONTACT_CHOICES: list[tuple[str, str]] = []
    NEVER_CHOICES: list[tuple[str, str]] = []
    CHILDREN_CHOICES: list[tuple[str, str]] = []
    #: What an unticked channel means: "no" when the person answered for themselves.
    UNTICKED = "no"
    #: Whether a way to contact (or "do not contact") must be chosen.
    CONTACT_REQUIRED = True

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100, required=False)
    age = forms.CharField(max_length=3, required=False)
    dob_day = forms.CharField(max_length=2, required=False)
    dob_month = forms.CharField(max_length=2, required=False)
    dob_year = forms.CharField(max_length=4, required=False)
    place = forms.CharField(max_length=100, required=False)
    happening = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)
    children = forms.ChoiceField(required=False, widget=forms.RadioSelect)
    children_ages = forms.CharField(max_length=100, required=False)
    safe_phone = forms.CharField(max_length=30, required=False)
    safe_times = forms.CharField(max_length=200, required=False)
    contact_methods = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    safe_email = forms.CharField(max_length=254, required=False)
    home_address = forms.CharField(max_length=200, required=False, widget=forms.Textarea)
    never = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    never_other = forms.CharField(max_length=500, required=False, widget=forms.Textarea)

    #: Field name -> (label or legend, hint). Plain words: reading age about 9.
    TEXT: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, hint) in self.TEXT.items():
            self.fields[name].label, self.fields[name].help_text = label, hint
        self.fields["contact_methods"].choices = self.CONTACT_CHOICES
        self.fields["never"].choices = self.NEVER_CHOICES
        self.fields["children"].choices = self.CHILDREN_CHOICES
        self.dob_error_parts: set[str] = set()
        self.dob_error = ""
        messages = {
            "first_name": {
                "required": self.MESSAGES["first_name"],
                "max_length": _("First name must be 100 characters or less"),
            },
            "last_name": {"max_length": _("Last name must be 100 characters or less")},
            "age": {"max_length": self.MESSAGES["age"]},
            "place": {"max_length": _("Town or postcode must be 100 characters or less")},
            "happening": {"max_length": _("What is happening must be 5,000 characters or less")},
            "children_ages": {"max_length": _("Children’s ages must be 100 characters or less")},
            "safe_phone": {"max_length": _("Enter a phone number, like 07700 900 982")},
            "safe_times": {"max_length": _("Safe times to call must be 200 characters or less")},
            "safe_email": {"max_length": _("Email address must be 254 characters or less")},
            "home_address": {"max_length": _("Address must be 200 characters or less")},
            "never_other": {"max_length": _("Anything else we must never do must be 500 characters or less")},
            "contact_methods": {"invalid_choice": _("Select from the list")},
            "never": {"invalid_choice": _("Select from the list")},
            "children": {"invalid_choice": _("Select from the list")},
        }
        for name, errors in messages.items():
            self.fields[name].error_messages.update(errors)
        for part in ("dob_day", "dob_month", "dob_year"):
            self.fields[part].error_messages["max_length"] = _("Date of birth must be a real date")

    @property
    def dob_parts(self):
        """The date of birth inputs for the template: (bound field, part, width, label)."""
        return [
            (self["dob_day"], "day", 2, _("Day")),
            (self["dob_month"], "month", 2, _("Month")),
            (self["dob_year"], "year", 4, _("Year")),
        ]

    # ----- field cleaning -----

    def clean_age(self) -> int | None:
        raw = self.cleaned_data["age"].strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise ValidationError(self.MESSAGES["age"])
        age = int(raw)
        if age > MAX_AGE:
            raise ValidationError(_("Age must be %(max_age)s or less") % {"max_age": MAX_AGE})
        return age

    def clean_safe_phone(self) -> str:
        raw = self.cleaned_data["safe_phone"].strip()
        if raw and (not PHONE.fullmatch(raw) or not 10 <= sum(c.isdigit() for c in raw) <= 15):
            raise ValidationError(_("Enter a phone number, like 07700 900 982"))
        return raw

    def clean_safe_email(self) -> str:
        raw = self.cleaned_data["safe_email"].strip()
        if raw:
            try:
                validate_email(raw)
            except ValidationError:
                raise ValidationError(
                    _("Enter an email address in the correct format, like name@example.com")
                ) from None
        return raw

    def _clean_date_of_birth(self) -> date | None:
        parts = {name: self.cleaned_data.get(f"dob_{name}", "").strip() for name in ("day", "month", "year")}
        given = [name for name, value in parts.items() if value]
        if not given:
            return None
        missing = [name for name in ("day", "month", "year") if not parts[name]]
        if missing:
            self._dob_fail(str(DOB_MISSING[tuple(missing)]), missing)
            return None
        if not all(value.isdigit() for value in parts.values()):
            self._dob_fail(_("Date of birth must be a real date"), [n for n, v in parts.items() if not v.isdigit()])
            return None
        if len(parts["year"]) != 4:
            self._dob_fail(_("Year must include 4 numbers"), ["year"])
            return None
        try:
            born = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self._dob_fail(_("Date of birth must be a real date"), ["day", "month", "year"])
            return None
        today = date.today()
        if born >= today:
            self._dob_fail(_("Date of birth must be in the past"), ["day", "month", "year"])
            return None
        if age_on(born, today) > MAX_AGE:
            self._dob_fail(_("Year must be %(year)s or later") % {"year": today.year - MAX_AGE}, ["year"])
            return None
        return born

    def _dob_fail(self, message: str, parts: list[str]) -> None:
        self.dob_error = message
        self.dob_error_parts = set(parts)
        # The error belongs to the first input with a problem, so the summary links there.
        first = next(p for p in ("day", "month", "year") if p in parts)
        self.add_error(f"dob_{first}", message)

    def _clean_children_ages(self) -> list[int]:
        if self.cleaned_data.get("children") != "yes":
            return []
        raw = self.cleaned_data.get("children_ages", "").strip()
        if not raw:
            return []
        ages = [int(n) for n in re.findall(r"\d+", raw)]
        leftover = re.sub(r"\d+|\b(and|years?|yrs|old)\b|[\s,;&/.]", "", raw, flags=re.IGNORECASE)
        if not ages or leftover:
            self.add_error("children_ages", _("Enter the children’s ages as numbers, like 3 and 7"))
        elif any(age > CHILD_MAX_AGE for age in ages):
            self.add_error("children_ages", _("Only enter the ages of children under 18"))
        elif len(ages) > MAX_CHILDREN:
            self.add_error("children_ages", _("Enter the ages of up to %(count)s children") % {"count": MAX_CHILDREN})
        return ages

    def _check_contact_methods(self, methods: set[str]) -> None:
        """Problems with the safe-contact answers that both forms share."""
        data = self.cleaned_data
        if not methods and self.CONTACT_REQUIRED:
            self.add_error("contact_methods", self.MESSAGES["contact_none_chosen"])
            return
        if NONE in methods:
            if methods - {NONE}:
                self.add_error("contact_methods", self.MESSAGES["contact_both"])
            return
        if methods & set(PHONE_METHODS) and not data.get("safe_phone") and "safe_phone" not in self.errors:
            self.add_error("safe_phone", _("Enter a phone number that is safe to call or text"))
        if data.get("safe_phone") and not methods & set(PHONE_METHODS):
            self.add_error("safe_phone", _("Select if we can call or text this number, or delete it"))
        if VOICEMAIL in methods and CALL not in methods:
            self.add_error("contact_methods", _("Select ‘Phone call’ as well if we can leave a voicemail"))
        if EMAIL in methods and not data.get("safe_email") and "safe_email" not in self.errors:
            self.add_error("safe_email", _("Enter an email address that is safe to use"))
        if LETTER in methods and not data.get("home_address", "").strip() and "home_address" not in self.errors:
            self.add_error("home_address", self.MESSAGES["home_address"])

    def clean(self):
        data = super().clean()
        born = self._clean_date_of_birth()
        data["date_of_birth"] = born
        age = data.get("age")
        if born and age is not None and abs(age_on(born, date.today()) - age) > 1:
            self.add_error("age", _("Age and date of birth do not match. Check them, or leave one empty"))
        data["child_ages"] = self._clean_children_ages()
        self._check_contact_methods(set(data.get("contact_methods") or ()))
        return data

    # ----- building the referral -----

    def safe_contact(self) -> SafeContactDetails:
        data = self.cleaned_data
        methods = set(data["contact_methods"])
        notes = data["never_other"].strip()
        if NONE in methods:
            return SafeContactDetails(
                voicemail_safe="no",
                text_safe="no",
                letter_safe="no",
                email_safe="no",
                do_not_contact_via=ALL_CHANNELS,
                notes=notes,
            )
        if not methods:  # only possible where the form allows "I do not know"
            return SafeContactDetails(do_not_contact_via=tuple(data["never"]), notes=notes)

        def answer(method: str) -> str:
            return "yes" if method in methods else self.UNTICKED

        never = list(data["never"])
        if data["safe_phone"] and CALL not in methods:
            never.insert(0, PHONE_CALL)  # a number for texts only: nobody may ring it
        return SafeContactDetails(
            safe_phone=data["safe_phone"],
            safe_times=data["safe_times"].strip() if data["safe_phone"] else "",
            voicemail_safe=answer(VOICEMAIL),
            text_safe=answer(TEXT),
            letter_safe=answer(LETTER),
            email_safe=answer(EMAIL),
            safe_email=data["safe_email"] if EMAIL in methods else "",
            do_not_contact_via=tuple(never),
            notes=notes,
        )

    def person(self) -> PersonDetails:
        data = self.cleaned_data
        town, postcode = split_place(data["place"])
        address = town
        if LETTER in data["contact_methods"]:
            home, home_postcode = split_place(data["home_address"])
            address, postcode = home or town, home_postcode or postcode
        return PersonDetails(
            given_name=data["first_name"].strip(),
            family_name=data["last_name"].strip(),
            date_of_birth=data["date_of_birth"],
            age=data["age"],
            address=address[:200],
            postcode=postcode,
        )

    def children_details(self) -> tuple[ChildDetails, ...]:
        data = self.cleaned_data
        if data["children"] == "yes" and not data["child_ages"]:
            return (ChildDetails(age=None, present=True),)  # children's services still hear of them
        return tuple(ChildDetails(age=age, present=True) for age in data["child_ages"])

    def details(self) -> str:
        """The free text for the front door, in labelled parts so nothing is lost."""
        data = self.cleaned_data
        parts = []
        if data["happening"].strip():
            parts.append(f"What is happening:\n{data['happening'].strip()}")
        if data["children"] == "dont_know":
            parts.append("Children live with them: the referrer does not know.")
        if NONE in data["contact_methods"]:
            with translation.override(settings.LANGUAGE_CODE):  # the front door's language
                parts.append(f"Contact: {dict(self.CONTACT_CHOICES)[NONE]}")
        return "\n\n".join(parts)


class SelfReferralForm(_PublicReferralForm):
    """Someone asking for help for themselves. They asked, so consent is given."""

    CONTACT_CHOICES = [
        (CALL, gettext_lazy("Phone call")),
        (VOICEMAIL, gettext_lazy("Leave a voicemail")),
        (TEXT, gettext_lazy("Text message")),
        (EMAIL, gettext_lazy("Email")),
        (LETTER, gettext_lazy("Letter to your home")),
        (NONE, gettext_lazy("Do not contact me. I will call when it is safe")),
    ]
    NEVER_CHOICES = [(HOME_VISIT, gettext_lazy("Visit my home")), (WORKPLACE, gettext_lazy("Contact me at work"))]
    CHILDREN_CHOICES = [("yes", pgettext_lazy("children", "Yes")), ("no", pgettext_lazy("children", "No"))]
    MESSAGES = {
        "first_name": gettext_lazy("Enter your first name"),
        "age": gettext_lazy("Enter your age as a number, like 34"),
        "contact_none_chosen": gettext_lazy("Select how we can contact you safely, or select ‘Do not contact me’"),
        "contact_both": gettext_lazy("Select the ways we can contact you, or select ‘Do not contact me’, not both"),
        "home_address": gettext_lazy("Enter your home address"),
    }
    TEXT = {
        "first_name": (gettext_lazy("First name"), gettext_lazy("You can give the name you feel safe using.")),
        "last_name": (gettext_lazy("Last name (optional)"), ""),
        "age": (
            gettext_lazy("How old are you? (optional)"),
            format_lazy(
                gettext_lazy("If you are under 16 you can also call Childline on {number}. It is free."),
                number=CHILDLINE,
            ),
        ),
        "dob_day": (gettext_lazy("Or your date of birth (optional)"), gettext_lazy("For example, 27 3 1990")),
        "place": (gettext_lazy("Town or postcode (optional)"), gettext_lazy("This helps us find support near you.")),
        "happening": (
            gettext_lazy("What is happening? (optional)"),
            gettext_lazy("Tell us as much or as little as you want."),
        ),
        "children": (gettext_lazy("Do any children live with you? (optional)"), ""),
        "children_ages": (
            gettext_lazy("How old are they? (optional)"),
            gettext_lazy("For example, 3 and 7. Write 0 for a baby under 1."),
        ),
        "safe_phone": (
            gettext_lazy("Safe phone number (optional)"),
            gettext_lazy("Only give a number that nobody else answers or checks."),
        ),
        "safe_times": (
            gettext_lazy("When is it safe to call or text you? (optional)"),
            gettext_lazy("For example, weekdays between 10am and 2pm."),
        ),
        "contact_methods": (
            gettext_lazy("How can we contact you safely?"),
            gettext_lazy("Select all that are safe. We will only use the ways you choose."),
        ),
        "safe_email": (
            gettext_lazy("Safe email address"),
            gettext_lazy("Only give an email address that nobody else reads."),
        ),
        "home_address": (gettext_lazy("Your home address"), ""),
        "never": (
            gettext_lazy("Is there anything we must never do? (optional)"),
            gettext_lazy("Select all that apply."),
        ),
        "never_other": (
            gettext_lazy("Anything else we must never do? (optional)"),
            gettext_lazy("For example, do not say who you are if someone else answers."),
        ),
    }

    def referral_input(self, *, received_at) -> ReferralInput:
        return ReferralInput(
            channel="self",
            consent="given",
            received_at=received_at,
            victim=self.person(),
            children=self.children_details(),
            safe_contact=self.safe_contact(),
            details=self.details(),
        )


class WorriedAboutSomeoneForm(_PublicReferralForm):
    """A friend, relative or neighbour worried about someone. The person may not know,
    so the form records whether they agreed (consent given, refused or not sought, and why)."""

    MESSAGES = {
        "first_name": gettext_lazy("Enter their first name"),
        "age": gettext_lazy("Enter their age as a number, like 34"),
        "contact_both": gettext_lazy("Select the ways we can contact them, or select ‘Do not contact them’, not both"),
        "home_address": gettext_lazy("Enter their home address"),
    }
    UNTICKED = "not_known"
    CONTACT_REQUIRED = False  # a friend may not know: the front door then talks to them first
    CONTACT_CHOICES = [
        (CALL, gettext_lazy("Phone call")),
        (VOICEMAIL, gettext_lazy("Leave a voicemail")),
        (TEXT, gettext_lazy("Text message")),
        (EMAIL, gettext_lazy("Email")),
        (LETTER, gettext_lazy("Letter to their home")),
        (NONE, gettext_lazy("Do not contact them. Talk to me first")),
    ]
    NEVER_CHOICES = [(HOME_VISIT, gettext_lazy("Visit their home")), (WORKPLACE, gettext_lazy("Contact them at work"))]
    CHILDREN_CHOICES = [
        # Welsh answers "Do any children live with you?" with "Oes" or "Nac oes", not a bare yes.
        ("yes", pgettext_lazy("children", "Yes")),
        ("no", pgettext_lazy("children", "No")),
        ("dont_know", gettext_lazy("I do not know")),
    ]
    TEXT = {
        "referrer_name": (gettext_lazy("Your name"), ""),
        "referrer_contact": (
            gettext_lazy("Your phone number or email address"),
            gettext_lazy("We may contact you to talk about how to help them safely."),
        ),
        "referrer_relationship": (
            gettext_lazy("How do you know them?"),
            gettext_lazy("For example, friend, sister or neighbour."),
        ),
        "referrer_safe_contact": (
            gettext_lazy("When and how is it safe for us to contact you? (optional)"),
            gettext_lazy(
                "For example, text me first, or call after 6pm. We will talk to you before we contact them "
                "if you ask us to."
            ),
        ),
        "first_name": (gettext_lazy("Their first name"), ""),
        "last_name": (gettext_lazy("Their last name (optional)"), ""),
        "age": (gettext_lazy("How old are they? (optional)"), ""),
        "dob_day": (gettext_lazy("Or their date of birth (optional)"), gettext_lazy("For example, 27 3 1990")),
        "place": (
            gettext_lazy("Their town or postcode (optional)"),
            gettext_lazy("This helps us find support near them."),
        ),
        "happening": (
            gettext_lazy("What is happening? (optional)"),
            gettext_lazy("Tell us what you have seen or heard, and why you are worried."),
        ),
        "children": (gettext_lazy("Do any children live with them? (optional)"), ""),
        "children_ages": (
            gettext_lazy("How old are the children? (optional)"),
            gettext_lazy("For example, 3 and 7. Write 0 for a baby under 1."),
        ),
        "consent": (gettext_lazy("Do they know you are contacting us?"), ""),
        "refused_reason": (gettext_lazy("Why do they not want help? (optional)"), ""),
        "not_sought_reason": (
            gettext_lazy("Why have you not asked them?"),
            gettext_lazy("For example, it is not safe to talk to them alone."),
        ),
        "safe_phone": (
            gettext_lazy("Safe phone number for them (optional)"),
            gettext_lazy("Only give a number that nobody else answers or checks."),
        ),
        "safe_times": (
            gettext_lazy("When is it safe to call or text them? (optional)"),
            gettext_lazy("For example, weekdays between 10am and 2pm."),
        ),
        "contact_methods": (
            gettext_lazy("How can we contact them safely? (optional)"),
            gettext_lazy(
                "Only select the ways you know are safe. If you are not sure, leave this empty "
                "and we will talk to you first."
            ),
        ),
        "safe_email": (
            gettext_lazy("Their safe email address"),
            gettext_lazy("Only give an email address that nobody else reads."),
        ),
        "home_address": (gettext_lazy("Their home address"), ""),
        "never": (
            gettext_lazy("Is there anything we must never do? (optional)"),
            gettext_lazy("Select all that apply."),
        ),
        "never_other": (
            gettext_lazy("Anything else we must never do? (optional)"),
            gettext_lazy("For example, do not say who you are if someone else answers."),
        ),
    }
    CONSENT_CHOICES = [
        ("given", gettext_lazy("Yes, and they want help")),
        ("refused", gettext_lazy("Yes, but they do not want help")),
        ("not_sought", gettext_lazy("No, I have not asked them")),
    ]

    referrer_name = forms.CharField(
        max_length=200,
        error_messages={
            "required": gettext_lazy("Enter your name"),
            "max_length": gettext_lazy("Your name must be 200 characters or less"),
        },
    )
    referrer_contact = forms.CharField(
        max_length=200,
        error_messages={
            "required": gettext_lazy("Enter a phone number or email address we can use to contact you"),
            "max_length": gettext_lazy("How to contact you must be 200 characters or less"),
        },
    )
    referrer_relationship = forms.CharField(
        max_length=100,
        error_messages={
            "required": gettext_lazy("Enter how you know them, like friend or sister"),
            "max_length": gettext_lazy("How you know them must be 100 characters or less"),
        },
    )
    referrer_safe_contact = forms.CharField(
        max_length=200,
        required=False,
        error_messages={"max_length": gettext_lazy("When and how to contact you must be 200 characters or less")},
    )
    consent = forms.ChoiceField(
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select if they know you are contacting us"),
            "invalid_choice": gettext_lazy("Select from the list"),
        },
    )
    refused_reason = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        error_messages={"max_length": gettext_lazy("Why they do not want help must be 1,000 characters or less")},
    )
    not_sought_reason = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        error_messages={"max_length": gettext_lazy("Why you have not asked them must be 1,000 characters or less")},
    )

    field_order = [
        "referrer_name",
        "referrer_contact",
        "referrer_relationship",
        "referrer_safe_contact",
        "first_name",
        "last_name",
        "age",
        "dob_day",
        "dob_month",
        "dob_year",
        "place",
        "happening",
        "children",
        "children_ages",
        "consent",
        "refused_reason",
        "not_sought_reason",
        "safe_phone",
        "safe_times",
        "contact_methods",
        "safe_email",
        "home_address",
        "never",
        "never_other",
    ]

    def clean(self):
        data = super().clean()
        if (
            data.get("consent") == "not_sought"
            and not data.get("not_sought_reason", "").strip()
            and "not_sought_reason" not in self.errors
        ):
            self.add_error("not_sought_reason", _("Tell us why you have not asked them"))
        return data

    def consent_reason(self) -> str:
        data = self.cleaned_data
        return {"refused": data["refused_reason"], "not_sought": data["not_sought_reason"]}.get(
            data["consent"], ""
        ).strip()

    def referral_input(self, *, received_at) -> ReferralInput:
        data = self.cleaned_data
        return ReferralInput(
            channel="friends_family",
            consent=data["consent"],
            consent_reason=self.consent_reason(),
            received_at=received_at,
            victim=self.person(),
            children=self.children_details(),
            safe_contact=self.safe_contact(),
            details=self.details(),
            referrer_name=data["referrer_name"].strip(),
            referrer_contact=data["referrer_contact"].strip(),
            referrer_relationship=data["referrer_relationship"].strip(),
            referrer_safe_contact=data["referrer_safe_contact"].strip(),
        )

"""Casework forms. Checks that need the case (who may, what is safe) are the services'."""

from datetime import date

from django import forms

from carepath.casework import measures, messages, rules
from carepath.marac.referral_forms import VICTIM_FIELDS, NewVictimFields
from carepath.people.models import ContactChannel
from carepath.referrals.forms import (
    DATE_FORMATS,
    ProfessionalReferralForm,
    _NamedErrors,
    add_dash_fields,
    dash_answers,
    dash_rows,
    person_details,
)
from carepath.referrals.intake import SafeContactDetails
from carepath.risk.dash import Judgement


def _add_score_fields(form: forms.Form, when: str) -> None:
    """Safety, wellbeing and quality of life, each 1-10 (SafeLives Insights)."""
    for code, words in rules.SCORES.items():
        form.fields[f"score_{code}"] = forms.IntegerField(
            label=f"{words} {when}, 1 to 10",
            min_value=1,
            max_value=10,
            error_messages={
                "required": f"Score her {words.lower()} {when}, from 1 to 10",
                "invalid": f"Score her {words.lower()} {when} as a whole number from 1 to 10",
                "min_value": f"Score her {words.lower()} {when} from 1 to 10",
                "max_value": f"Score her {words.lower()} {when} from 1 to 10",
            },
        )


def _scores(form: forms.Form) -> dict[str, int]:
    return {code: form.cleaned_data[f"score_{code}"] for code in rules.SCORES}


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(label="How", widget=forms.RadioSelect)
    reached = forms.ChoiceField(
        label="Did you reach her?", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, usable, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the channels she said are safe can be chosen; the service refuses any other.
        self.fields["channel"].choices = [(c.value, c.label) for c in ContactChannel if c.value in usable]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label="The case is now", widget=forms.RadioSelect)
    engagement_level = forms.TypedChoiceField(
        label="Level of engagement (when she engages)",
        choices=[("", "–"), *rules.ENGAGEMENT_LEVELS.items()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label="Why", required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        moves = [s for s in rules.STATUS_WORDS if s in rules.MOVES.get(current, ()) and s != rules.CLOSED]
        self.fields["to_status"].choices = [(s, rules.STATUS_WORDS[s]) for s in moves]


class CloseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, words in rules.ABUSE_TYPES.items():
            self.fields[f"outcome_{code}"] = forms.ChoiceField(
                label=words, choices=list(rules.OUTCOMES.items()), widget=forms.RadioSelect
            )
        _add_score_fields(self, "now")
        self.fields["note"] = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea)

    def outcomes(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"outcome_{code}"] for code in rules.ABUSE_TYPES}

    def exit_scores(self) -> dict[str, int]:
        return _scores(self)


class SafetyPlanForm(forms.Form):
    plan = forms.CharField(label="The safety plan agreed with her", max_length=10_000, widget=forms.Textarea)
    review_on = forms.DateField(
        label="Review it by",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 15/12/2026.",
        error_messages={"invalid": "Enter a real date, for example 15/12/2026."},
    )


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label="Support given", choices=list(rules.INTERVENTIONS.items()))
    on = forms.DateField(
        label="Given on",
        input_formats=DATE_FORMATS,
        help_text="For example, 15/12/2026.",
        error_messages={"invalid": "Enter a real date, for example 15/12/2026."},
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea)


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


class HandoverForm(forms.Form):
    to_worker = forms.ModelChoiceField(label="To", queryset=None)
    agreed = forms.CharField(
        label="What was agreed with her, for the new worker",
        max_length=10_000,
        widget=forms.Textarea,
        help_text="How and when to contact her, what is planned, what she has been told.",
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = workers
        self.fields["to_worker"].label_from_instance = lambda w: f"{w} ({w.service})"


class NeedsForm(forms.Form):
    """Her needs assessment and her scores at intake."""

    needs = forms.MultipleChoiceField(
        label="What her needs call for",
        choices=list(rules.SPECIALISMS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    needs_notes = forms.CharField(
        label="Needs assessment notes", required=False, max_length=10_000, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_score_fields(self, "at intake")

    def intake_scores(self) -> dict[str, int]:
        return _scores(self)


class ReassessmentForm(forms.Form):
    """A DASH re-assessment: the checklist in force and an optional professional judgement."""

    judgement_level = ProfessionalReferralForm.base_fields["judgement_level"]
    judgement_reason = ProfessionalReferralForm.base_fields["judgement_reason"]

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        add_dash_fields(self, checklist)

    def dash_rows(self):
        return dash_rows(self)

    def dash_answers(self):
        return dash_answers(self)

    def judgement(self) -> Judgement | None:
        d = self.cleaned_data
        return Judgement(level=d["judgement_level"], reason=d["judgement_reason"]) if d["judgement_level"] else None

    def clean(self):
        data = super().clean()
        if data.get("judgement_level") and not (data.get("judgement_reason") or "").strip():
            self.add_error("judgement_reason", "Say why you judge the risk to be at this level")
        return data


class MessageForm(forms.Form):
    """A text or email to her through GOV.UK Notify: only the safe channels can be chosen."""

    channel = forms.ChoiceField(label="Send by", widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="Message", choices=list(messages.KINDS.items()), widget=forms.RadioSelect)
    when = forms.CharField(
        label="Day and time", required=False, max_length=60, help_text="For a call or an appointment: Tuesday 10am."
    )
    number = forms.CharField(label="Number to call", required=False, max_length=30, help_text="For a call back.")
    where = forms.CharField(
        label="Place", required=False, max_length=100, help_text="For an appointment; never the service's address."
    )
    named = forms.BooleanField(
        label="She agreed to messages that name the service",
        required=False,
        help_text="Leave unticked unless she said so: the message then does not say who it is from.",
    )

    def __init__(self, *args, usable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            (c.value, c.label)
            for c in ContactChannel
            if c.value in usable and c.value in (ContactChannel.TEXT, ContactChannel.EMAIL)
        ]

    def details(self) -> dict[str, str]:
        """The details the chosen message has a place for."""
        kind = self.cleaned_data["kind"]
        wanted = (*messages.REQUIRED[kind], *messages.OPTIONAL[kind])
        return {k: self.cleaned_data[k] for k in wanted if self.cleaned_data.get(k)}


# Referrals into casework from other agencies, and handovers to another agency's service
# (issue 14, 1 and 3). The victim's, consent and safe-contact fields are the professional
# referral form's own; the rules are the services' (``referral_services``).

_PROFESSIONAL = ProfessionalReferralForm.base_fields
SAFE_CONTACT_FIELDS = (
    "safe_phone",
    "safe_times",
    "voicemail_safe",
    "text_safe",
    "letter_safe",
    "email_safe",
    "safe_email",
    "do_not_contact_via",
)
RISK_CHOICES = [("high", "High"), ("medium", "Medium"), ("standard", "Standard"), ("", "Not known")]


class CaseworkReferralForm(_NamedErrors, NewVictimFields):
    NAMES = {
        **{k: v for k, v in ProfessionalReferralForm.NAMES.items() if k in VICTIM_FIELDS},
        "service": "Service",
        "district": "District",
        "risk_level": "Risk level",
        "dash_score": "DASH score",
        "judgement_reason": "Reason for your judgement",
        "needs": "What she needs",
        "consent": "Consent",
        "consent_reason": "Why consent was refused or not sought",
    }
    CONDITIONAL = frozenset({"judgement_reason", "consent_reason"})

    district = forms.ModelChoiceField(
        label="District she lives in",
        queryset=None,
        error_messages={"required": "select the district she lives in", "invalid_choice": "select from the list"},
    )
    service = forms.ModelChoiceField(
        label="Service to refer her to",
        queryset=None,
        widget=forms.RadioSelect,
        help_text="Each service with the districts it covers.",
        error_messages={"required": "choose the service", "invalid_choice": "select from the list"},
    )
    risk_level = forms.ChoiceField(
        label="Her risk level, if known",
        choices=RISK_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text="Not known is treated as high for the first-contact deadline.",
        error_messages={"invalid_choice": "select from the list"},
    )
    dash_score = forms.IntegerField(
        label="DASH score (the number of yes answers)",
        required=False,
        min_value=0,
        error_messages={"invalid": "enter a whole number", "min_value": "enter a number from 0"},
    )
    judgement_reason = forms.CharField(
        label="Why do you judge the risk higher than the score?",
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        help_text="Needed when the level you give is higher than the DASH score's.",
    )
    needs = forms.MultipleChoiceField(
        label="What she needs",
        choices=list(rules.SPECIALISMS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The service gives her a worker who specialises in it where it can.",
        error_messages={"invalid_choice": "select from the list"},
    )
    details = forms.CharField(
        label="Why you are referring her", widget=forms.Textarea, required=False, max_length=10_000
    )
    safe_phone = _PROFESSIONAL["safe_phone"]
    safe_times = _PROFESSIONAL["safe_times"]
    voicemail_safe = _PROFESSIONAL["voicemail_safe"]
    text_safe = _PROFESSIONAL["text_safe"]
    letter_safe = _PROFESSIONAL["letter_safe"]
    email_safe = _PROFESSIONAL["email_safe"]
    safe_email = _PROFESSIONAL["safe_email"]
    do_not_contact_via = _PROFESSIONAL["do_not_contact_via"]
    consent = _PROFESSIONAL["consent"]
    consent_reason = _PROFESSIONAL["consent_reason"]

    def __init__(self, *args, services, districts, victim=None, service_words=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.victim = victim
        if victim is not None:  # a victim the agency holds: no new one to enter
            for name in VICTIM_FIELDS:
                del self.fields[name]
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = service_words
        self.fields["district"].queryset = districts

    def service_arguments(self) -> dict:
        """What the service takes, from the checked form."""
        d = self.cleaned_data
        return {
            "victim": self.victim,
            "new_victim": None if self.victim is not None else person_details(d, "victim"),
            "service": d["service"],
            "district": d["district"],
            "risk_level": d.get("risk_level") or "",
            "dash_score": d.get("dash_score"),
            "judgement_reason": d.get("judgement_reason") or "",
            "needs": tuple(d.get("needs") or ()),
            "consent": d["consent"],
            "consent_reason": d.get("consent_reason") or "",
            "details": d.get("details") or "",
            "safe_contact": SafeContactDetails(
                safe_phone=d["safe_phone"],
                safe_times=d["safe_times"],
                voicemail_safe=d["voicemail_safe"],
                text_safe=d["text_safe"],
                letter_safe=d["letter_safe"],
                email_safe=d["email_safe"],
                safe_email=d["safe_email"],
                do_not_contact_via=tuple(d["do_not_contact_via"]),
            ),
        }


class AgencyHandoverForm(_NamedErrors):
    """Hand her case to another agency's service: what was agreed, and her consent to it."""

    NAMES = {"to_service": "Service", "agreed": "What was agreed", "consent": "Consent"}
    CONDITIONAL = frozenset({"consent_reason"})

    to_service = forms.ModelChoiceField(
        label="Hand her case to",
        queryset=None,
        widget=forms.RadioSelect,
        help_text="Another agency's service, with the districts it covers.",
        error_messages={"required": "choose the service", "invalid_choice": "select from the list"},
    )
    agreed = forms.CharField(
        label="What was agreed with her, for the new service",
        max_length=10_000,
        widget=forms.Textarea,
        help_text="How and when to contact her, what is planned, what she has been told.",
        error_messages={"required": "tell the new service what was agreed with her"},
    )
    consent = _PROFESSIONAL["consent"]
    consent_reason = _PROFESSIONAL["consent_reason"]

    def __init__(self, *args, services, service_words=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_service"].queryset = services
        self.fields["to_service"].label_from_instance = service_words

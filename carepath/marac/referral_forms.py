"""The MARAC referral form any agency uses (issue 13, 1): the victim (one the agency holds,
or a new one entered as on the front door's professional form), the person causing harm,
the district, the criterion, consent and the children. The fields are the professional
form's own; the rules are the service's (``services.marac_referral_from_agency``)."""

from django import forms
from django.utils.text import capfirst

from carepath.core.models import District
from carepath.marac.services import AGENCY_CRITERIA
from carepath.referrals.forms import ChildFormSet, ProfessionalReferralForm, _NamedErrors, person_details
from carepath.triage.routing import criterion_words

_PROFESSIONAL = ProfessionalReferralForm.base_fields
PERPETRATOR_FIELDS = (
    "perpetrator_given_name",
    "perpetrator_family_name",
    "perpetrator_date_of_birth",
    "perpetrator_age",
    "perpetrator_sex",
    "perpetrator_gender",
    "relationship",
)


class NewVictimFields(forms.Form):
    """The professional form's fields for a new victim, for the agency referral forms (to
    MARAC, to a casework service): left out when the agency chooses a victim it holds."""

    victim_given_name = _PROFESSIONAL["victim_given_name"]
    victim_family_name = _PROFESSIONAL["victim_family_name"]
    victim_date_of_birth = _PROFESSIONAL["victim_date_of_birth"]
    victim_age = _PROFESSIONAL["victim_age"]
    victim_sex = _PROFESSIONAL["victim_sex"]
    victim_address = _PROFESSIONAL["victim_address"]
    victim_postcode = _PROFESSIONAL["victim_postcode"]
    victim_first_language = _PROFESSIONAL["victim_first_language"]
    victim_interpreter_needed = _PROFESSIONAL["victim_interpreter_needed"]


VICTIM_FIELDS = tuple(NewVictimFields.base_fields)


class MaracReferralForm(_NamedErrors, NewVictimFields):
    NAMES = {
        **{k: v for k, v in ProfessionalReferralForm.NAMES.items() if k in (*VICTIM_FIELDS, *PERPETRATOR_FIELDS)},
        "consent": "Consent",
        "consent_reason": "Why consent was refused or not sought",
        "criterion": "Why MARAC",
        "dash_score": "DASH score",
        "judgement_reason": "Reason for your judgement",
        "district": "District",
    }
    # Needed in some cases only: the service says when.
    CONDITIONAL = frozenset({"perpetrator_family_name", "relationship", "perpetrator_sex", "perpetrator_gender"}) | {
        "dash_score",
        "judgement_reason",
        "consent_reason",
    }

    perpetrator_given_name = _PROFESSIONAL["perpetrator_given_name"]
    perpetrator_family_name = _PROFESSIONAL["perpetrator_family_name"]
    perpetrator_date_of_birth = _PROFESSIONAL["perpetrator_date_of_birth"]
    perpetrator_age = _PROFESSIONAL["perpetrator_age"]
    perpetrator_sex = _PROFESSIONAL["perpetrator_sex"]
    perpetrator_gender = _PROFESSIONAL["perpetrator_gender"]
    relationship = _PROFESSIONAL["relationship"]
    district = forms.ModelChoiceField(
        label="District the victim lives in",
        queryset=District.objects.order_by("name"),
        help_text="It decides which MARAC hears the case.",
        error_messages={
            "required": "select the district the victim lives in",
            "invalid_choice": "select from the list",
        },
    )
    criterion = forms.ChoiceField(
        label="Why does the case go to MARAC?",
        widget=forms.RadioSelect,
        error_messages={"required": "choose why the case goes to MARAC", "invalid_choice": "select from the list"},
    )
    dash_score = forms.IntegerField(
        label="DASH score (the number of yes answers)",
        required=False,
        min_value=0,
        help_text="Needed for visible high risk.",
        error_messages={"invalid": "enter a whole number", "min_value": "enter a number from 0"},
    )
    judgement_reason = forms.CharField(
        label="Why do you judge the risk to be high?",
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        help_text="Needed for professional judgement. For example: strangulation, threats to kill, stalking, "
        "honour-based abuse, the victim's own fear.",
    )
    details = forms.CharField(label="What happened", widget=forms.Textarea, required=False, max_length=10_000)
    transferred_from_outside = forms.CharField(
        label="Transferred from a MARAC outside the partnership? Its name",
        required=False,
        max_length=200,
        help_text="Only when she has moved here and her case was open at another area's MARAC.",
    )
    consent = _PROFESSIONAL["consent"]
    consent_reason = _PROFESSIONAL["consent_reason"]

    def __init__(self, *args, settings, victim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.victim = victim
        if victim is not None:  # a victim the agency holds: no new one to enter
            for name in VICTIM_FIELDS:
                del self.fields[name]
        words = criterion_words(settings)
        self.fields["criterion"].choices = [(code, capfirst(words[code])) for code in AGENCY_CRITERIA]

    def clean(self):
        data = super().clean()
        if data.get("perpetrator_given_name") and not data.get("perpetrator_family_name"):
            self.add_error("perpetrator_family_name", "enter their last name, or leave both names empty")
        if data.get("perpetrator_family_name"):
            # Asked, never assumed, as on the professional form.
            for name in ("relationship", "perpetrator_sex", "perpetrator_gender"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def service_arguments(self, *, children) -> dict:
        """What the service takes, from the checked form and the children filled in."""
        d = self.cleaned_data
        person = person_details(d, "perpetrator") if d.get("perpetrator_family_name") else None
        return {
            "victim": self.victim,
            "new_victim": None if self.victim is not None else person_details(d, "victim"),
            "perpetrator": person,
            "relationship": d.get("relationship") or "",
            "children": tuple(c.child_details() for c in children),
            "district": d["district"],
            "criterion": d["criterion"],
            "dash_score": d.get("dash_score"),
            "judgement_reason": d.get("judgement_reason") or "",
            "consent": d["consent"],
            "consent_reason": d.get("consent_reason") or "",
            "details": d.get("details") or "",
            "transferred_from_outside": d.get("transferred_from_outside") or "",
        }


def with_another_child(form: MaracReferralForm, children, *, settings):
    """The form as typed, with room for one more child ("Add another child" without JavaScript)."""
    again = MaracReferralForm(initial={bf.name: bf.data for bf in form}, settings=settings, victim=form.victim)
    rows = [{bf.name: bf.data for bf in child} for child in children.forms]
    return again, ChildFormSet(initial=rows, prefix=children.prefix)

"""The safeguarding lead's form for one child: their own risk, why, and the outcome."""

from django import forms

from carepath.core.codes import ChildrenOutcome, RiskLevel, choices

CHOOSE_LEVEL = "Choose the child's own risk level: standard, medium or high"
CHOOSE_OUTCOME = "Choose the outcome for the child"


class ChildOutcomeForm(forms.Form):
    risk_level = forms.ChoiceField(
        label="The child's own risk level",
        help_text="Assessed for this child, separately from the adult's: children in one family can differ.",
        choices=list(reversed(choices(RiskLevel))),
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_LEVEL, "invalid_choice": CHOOSE_LEVEL},
    )
    risk_reason = forms.CharField(
        label="Why is the child at this level?",
        help_text="What you found, for example from the school or the health visitor.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Say why the child is at this level of risk",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )
    outcome = forms.ChoiceField(
        label="Outcome for the child",
        choices=choices(ChildrenOutcome),
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_OUTCOME, "invalid_choice": CHOOSE_OUTCOME},
    )

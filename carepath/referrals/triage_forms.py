"""Forms of the front door's triage: the queue's filters, and closing, reopening and
passing on a referral."""

from django import forms
from django.contrib.auth import get_user_model

from carepath.core.codes import RiskLevel, choices
from carepath.core.models import District
from carepath.referrals.models import OPEN_STATUSES, Channel, ClosureOutcome
from carepath.referrals.selectors import QueueFilters, triage_team

ANY = [("", "Any")]
#: How long ago it arrived: (label, received within days, received before days).
AGES = {
    "today": ("Today", 1, None),
    "2-3": ("1 to 3 days ago", 3, 1),
    "4-7": ("4 to 7 days ago", 7, 3),
    "older": ("More than a week ago", None, 7),
}


class QueueFilterForm(forms.Form):
    """The queue's filters, from the address: anything unknown is an error on the page, not a crash."""

    area = forms.ModelChoiceField(
        label="District", queryset=District.objects.order_by("name"), required=False, empty_label="Any"
    )
    risk = forms.ChoiceField(
        label="Risk", choices=ANY + choices(RiskLevel) + [("none", "Not assessed yet")], required=False
    )
    channel = forms.ChoiceField(label="How it came", choices=ANY + list(Channel.choices), required=False)
    age = forms.ChoiceField(
        label="Received", choices=ANY + [(key, label) for key, (label, _, _) in AGES.items()], required=False
    )
    state = forms.ChoiceField(label="State", choices=ANY + [(s.value, s.label) for s in OPEN_STATUSES], required=False)
    owner = forms.ChoiceField(label="Who has it", required=False)
    overdue = forms.BooleanField(label="Only missed deadlines", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = (
            ANY
            + [("mine", "Me"), ("nobody", "Nobody yet")]
            + [(str(u.pk), u.get_full_name() or u.username) for u in triage_team(user=user)]
        )

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        _, within, before = AGES.get(data["age"], ("", None, None))
        return QueueFilters(
            district_id=data["area"].pk if data["area"] else None,
            risk=data["risk"],
            channel=data["channel"],
            received_within_days=within,
            received_before_days=before,
            overdue_only=data["overdue"],
            owner=data["owner"],
            status=data["state"],
        )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose an outcome")] + list(ClosureOutcome.choices),
        error_messages={"required": "Outcome: choose why the referral is closed."},
    )
    note = forms.CharField(
        label="Why",
        help_text="For a duplicate, which referral; for another area, which one and who took it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Why: say why the referral is closed."},
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label="Why reopen it",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Why reopen it: say why the referral is reopened."},
    )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Pass to",
        queryset=get_user_model().objects.none(),
        empty_label="Choose someone",
        error_messages={"required": "Pass to: choose someone in the team."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = triage_team(user=user)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username

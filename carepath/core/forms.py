from django import forms

from carepath.core.codes import TaskStatus
from carepath.core.models import User


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        min_length=6,
        max_length=8,
        error_messages={
            "required": "Enter the security code from your authenticator app",
            "min_length": "Enter all 6 digits of the security code",
            "max_length": "The security code is 6 digits",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input govuk-input--width-10"}),
    )


class TaskRecordForm(forms.Form):
    """A task's outcome: done, or not done with the reason why (services check the reason)."""

    status = forms.ChoiceField(
        choices=[(TaskStatus.DONE.value, TaskStatus.DONE.label), (TaskStatus.NOT_DONE.value, TaskStatus.NOT_DONE.label)],
        error_messages={"required": "Choose whether the task was done or not done",
                        "invalid_choice": "Choose whether the task was done or not done"})
    note = forms.CharField(required=False, max_length=2000, error_messages={
        "max_length": "The note must be 2,000 characters or fewer"})


class AuditFindForm(forms.Form):
    person = forms.IntegerField(label="Person record number", required=False, min_value=1, error_messages={
        "invalid": "Enter a record number, like 1234", "min_value": "Enter a record number, like 1234"})
    username = forms.CharField(label="Username", required=False, max_length=150)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("username"):
            raise forms.ValidationError("Enter a person record number or a username")
        if data.get("username"):
            user = User.objects.filter(username=data["username"].strip()).first()
            if user is None:
                self.add_error("username", "There is no member of staff with that username")
            data["user"] = user
        return data


class AccessAlertReviewForm(forms.Form):
    note = forms.CharField(label="What did you find?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Say what you found and what you did"})

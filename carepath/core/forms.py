from django import forms
from django.contrib.auth.forms import PasswordChangeForm


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


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label="Enrolment code",
        help_text="The 12-character code your Carepath administrator gave you, for example ABCD-EFGH-JKLM.",
        max_length=40,
        error_messages={
            "required": "Enter the enrolment code your administrator gave you",
            "max_length": "An enrolment code is 12 letters and numbers",
        },
    )


class OwnPasswordChangeForm(PasswordChangeForm):
    """A member of staff changes their own password: the current one, then the new one
    twice, checked by the password validators in settings. Nothing typed is ever shown
    back, even with an error."""

    error_messages = {
        "password_incorrect": "Your current password is not right",
        "password_mismatch": "The new passwords do not match: type the same new password twice",
        "password_unchanged": "Your new password must be different from your current one",
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        labels = {"old_password": "Current password", "new_password1": "New password",
                  "new_password2": "Type your new password again"}
        required = {"old_password": "Enter your current password", "new_password1": "Enter a new password",
                    "new_password2": "Type your new password again"}
        for name, field in self.fields.items():
            field.label = labels[name]
            field.error_messages["required"] = required[name]
            field.widget.attrs.pop("autofocus", None)

    def clean(self):
        # Django checks the validators against the confirmation; the error belongs beside
        # the new password, where it was chosen.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        old, new = self.cleaned_data.get("old_password"), self.cleaned_data.get("new_password1")
        if old and new and old == new and "new_password1" not in self.errors:
            self.add_error("new_password1", self.error_messages["password_unchanged"])
        return self.cleaned_data

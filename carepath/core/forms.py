from django import forms


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

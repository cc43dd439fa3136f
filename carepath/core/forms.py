from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.forms import AdminUserCreationForm, PasswordChangeForm
from django.contrib.auth.models import Group, Permission

from carepath.core.codes import Role, TaskStatus, choices
from carepath.core.models import Agency, User


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
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )


class TaskRecordForm(forms.Form):
    """A task's outcome, done or not done, and a note of what happened or why not."""

    status = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=[
            (TaskStatus.DONE.value, TaskStatus.DONE.label),
            (TaskStatus.NOT_DONE.value, "Not done"),
        ],
        error_messages={
            "required": "Outcome: choose whether the task was done or not done.",
            "invalid_choice": "Outcome: choose whether the task was done or not done.",
        },
    )
    note = forms.CharField(
        label="Note",
        help_text="What was done, or why not.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # a task with its own handler (refer to MARAC) writes its own note
        max_length=2000,
        error_messages={"max_length": "Note: 2,000 characters or fewer."},
    )


class AuditFindForm(forms.Form):
    person = forms.IntegerField(
        label="Person record number",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter a record number, like 1234", "min_value": "Enter a record number, like 1234"},
    )
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
    note = forms.CharField(
        label="What did you find?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you found and what you did"},
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

    # Bandit's B105 (a password in the code): these are the messages about passwords, not passwords.
    error_messages = {
        "password_incorrect": "Your current password is not right",  # nosec B105
        "password_mismatch": "The new passwords do not match: type the same new password twice",  # nosec B105
        "password_unchanged": "Your new password must be different from your current one",  # nosec B105
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        labels = {
            "old_password": "Current password",  # nosec B105 (a label, not a password)
            "new_password1": "New password",
            "new_password2": "Type your new password again",
        }
        required = {
            "old_password": "Enter your current password",  # nosec B105 (a message, not a password)
            "new_password1": "Enter a new password",
            "new_password2": "Type your new password again",
        }
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


class StaffCreationForm(AdminUserCreationForm):
    """A new account in the admin: username, password, agency and role, by one
    administrator; never an administrator's role, admin access or permissions, which need
    a second administrator (``carepath.core.staff_changes``)."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "agency", "role", "is_supervisor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = True
        self.fields["role"].choices = [
            ("", "---------"),
            *[(v, label) for v, label in choices(Role) if v != Role.ADMINISTRATOR],
        ]
        self.fields["role"].help_text = (
            "To make someone an administrator, create their account with another role, then request the change "
            "on their account's page: a second administrator must approve it."
        )


class StaffChangeRequestForm(forms.Form):
    """The new values of an account's guarded fields (initially the current ones), and why."""

    agency = forms.ModelChoiceField(Agency.objects.all(), required=False)
    role = forms.ChoiceField(choices=choices(Role))
    is_staff = forms.BooleanField(required=False, label="May sign in to the administration site")
    is_superuser = forms.BooleanField(required=False, label="Superuser (passes every permission check)")
    user_permissions = forms.ModelMultipleChoiceField(
        Permission.objects.select_related("content_type"),
        required=False,
        label="Permissions",
        widget=FilteredSelectMultiple("permissions", is_stacked=False),
    )
    groups = forms.ModelMultipleChoiceField(
        Group.objects.all(),
        required=False,
        widget=FilteredSelectMultiple("groups", is_stacked=False),
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is this change needed?",
        error_messages={"required": "Say why the change is needed"},
    )

    def new_values(self) -> dict:
        data = self.cleaned_data
        return {
            "agency": data["agency"].pk if data["agency"] else None,
            "role": data["role"],
            "is_staff": data["is_staff"],
            "is_superuser": data["is_superuser"],
            "user_permissions": sorted(f"{p.content_type.app_label}.{p.codename}" for p in data["user_permissions"]),
            "groups": sorted(g.name for g in data["groups"]),
        }


class StaffChangeDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(choices=[(APPROVE, "Approve and make the change"), (REJECT, "Reject")])
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Note (needed to reject)")


def refusal_onto_form(form, exc) -> None:
    """A service's refusal (``ValidationError`` or ``PermissionDenied``) onto the form that
    asked for it: field errors by field, the rest for the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, getattr(exc, "messages", [str(exc)]))

"""Django admin for administrators: staff accounts (a second administrator approves changes to
agency, role or access), enrolment codes, agencies and geography only.

People, events and referrals are deliberately not registered: the admin would bypass
the default-deny access rule and the access log.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django_otp.plugins.otp_totp import models as otp_totp
from simple_history.admin import SimpleHistoryAdmin

from carepath.core.forms import StaffChangeDecisionForm, StaffChangeRequestForm, StaffCreationForm
from carepath.core.models import (
    Agency,
    District,
    MaracArea,
    Partnership,
    Role,
    StaffChangeRequest,
    StaffChangeStatus,
    TOTPDevice,
    User,
)
from carepath.core.staff_changes import (
    GUARDED_FIELDS,
    describe,
    staff_change_request_approve,
    staff_change_request_create,
    staff_change_request_reject,
)
from carepath.core.two_factor import enrolment_code_issue

# Administrators sign in through Carepath's own login (with its lockout and second factor).
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Carepath administration"
admin.site.site_title = "Carepath administration"


def has_admin_access(user: User) -> bool:
    return user.is_staff or user.is_superuser or user.role == Role.ADMINISTRATOR


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    """Staff accounts. An administrator creates one with an agency and a role and issues
    its enrolment code; a change to agency, role or access is requested here and made only
    when a second administrator approves it (``carepath.core.staff_changes``)."""

    list_display = ("username", "agency", "role", "is_supervisor", "is_active", "last_login")
    list_filter = ("role", "agency__agency_type", "is_supervisor", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Carepath", {"fields": ("agency", "role", "is_supervisor", "is_active", "is_demo_account")}),
        (
            "Access",
            {
                "fields": ("is_staff", "is_superuser", "groups", "user_permissions"),
                "description": "A change to the agency, role or access needs a second administrator: "
                "use “Request a change to agency, role or access” above.",
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_form = StaffCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("Carepath", {"fields": ("agency", "role", "is_supervisor")}),
    )
    change_form_template = "admin/core/user/staff_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Demo accounts skip the second factor in demo mode: only `carepath demo-accounts` makes one.
        return (*GUARDED_FIELDS, "is_demo_account", "last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.is_staff = obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        messages.info(
            request,
            f"Now give {obj.username} an enrolment code for their authenticator app: choose “Issue an enrolment code”.",
        )
        return super().response_add(request, obj, post_url_continue)

    # simple-history's "Revert" saves every field of an old version, read-only ones too:
    # it would bring back a role or superuser status without a second administrator.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:user_id>/request-change/",
                self.admin_site.admin_view(self.request_change_view),
                name="core_user_request_change",
            ),
            path(
                "<int:user_id>/enrolment-code/",
                self.admin_site.admin_view(self.enrolment_code_view),
                name="core_user_enrolment_code",
            ),
            *super().get_urls(),
        ]

    def _account(self, request, user_id: int) -> User:
        account = get_object_or_404(User, pk=user_id)
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        return account

    def _render(self, request, template: str, account: User, title: str, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": account,
                "account": account,
                "title": title,
                **context,
            },
        )

    def request_change_view(self, request, user_id: int):
        """Ask for a change to an account's agency, role or access; a second administrator decides."""
        account = self._account(request, user_id)
        if not request.user.is_administrator:
            raise PermissionDenied
        form = StaffChangeRequestForm(
            request.POST or None,
            initial={
                "agency": account.agency_id,
                "role": account.role,
                "is_staff": account.is_staff,
                "is_superuser": account.is_superuser,
                "user_permissions": account.user_permissions.all(),
                "groups": account.groups.all(),
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                change_request = staff_change_request_create(
                    user=account,
                    requested_by=request.user,
                    new_values=form.new_values(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "Change requested: a second administrator must approve it before it is made.")
                return redirect("admin:core_staffchangerequest_change", change_request.pk)
        return self._render(
            request,
            "admin/core/user/request_change.html",
            account,
            f"Request a change to {account.username}’s agency, role or access",
            form=form,
            media=self.media + form.media,
        )

    def enrolment_code_view(self, request, user_id: int):
        """Issue a one-time enrolment code (shown once), replacing the account's authenticator apps."""
        account = self._account(request, user_id)
        title = f"Issue an enrolment code for {account.username}"
        if has_admin_access(account):
            # With a password reset, it would let one administrator sign in as another.
            return self._render(request, "admin/core/user/enrolment_code.html", account, title, refused=True)
        if request.method == "POST":
            record, code = enrolment_code_issue(user=account, issued_by=request.user)
            return self._render(
                request, "admin/core/user/enrolment_code.html", account, title, code=code, record=record
            )
        return self._render(
            request,
            "admin/core/user/enrolment_code.html",
            account,
            title,
            devices=TOTPDevice.objects.filter(user=account).count(),
        )


@admin.register(StaffChangeRequest)
class StaffChangeRequestAdmin(admin.ModelAdmin):
    """Requested changes to accounts: any administrator reads them; one who neither made
    the request nor is the person changed approves or rejects it."""

    list_display = ("__str__", "user", "summary", "requested_by", "requested_at", "status")
    list_filter = ("status",)
    list_select_related = ("user", "requested_by")

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_administrator

    def has_add_permission(self, request):
        return False  # requested from the account's page

    def has_change_permission(self, request, obj=None):
        return False  # decided on its own page, through the service

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Change")
    def summary(self, obj: StaffChangeRequest) -> str:
        return "; ".join(GUARDED_FIELDS[field] for field in obj.changes)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        change_request = get_object_or_404(
            StaffChangeRequest.objects.select_related("user", "requested_by", "decided_by"), pk=object_id
        )
        form = StaffChangeDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == StaffChangeDecisionForm.APPROVE:
                    staff_change_request_approve(
                        change_request=change_request, approved_by=request.user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, f"Approved: the change to {change_request.user} has been made.")
                else:
                    staff_change_request_reject(
                        change_request=change_request, rejected_by=request.user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, f"Rejected: {change_request.user}’s account is unchanged.")
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                return redirect("admin:core_staffchangerequest_changelist")
        if change_request.requested_by_id == request.user.pk:
            cannot_decide = "You made this request: a different administrator must approve or reject it."
        elif change_request.user_id == request.user.pk:
            cannot_decide = "This request changes your own account: a different administrator must decide it."
        else:
            cannot_decide = ""
        return TemplateResponse(
            request,
            "admin/core/staffchangerequest/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": change_request,
                "title": f"{change_request} for {change_request.user}",
                "change_request": change_request,
                "rows": [
                    {
                        "label": GUARDED_FIELDS[field],
                        "old": describe(field, change["old"]),
                        "new": describe(field, change["new"]),
                    }
                    for field, change in change_request.changes.items()
                ],
                "form": form,
                "cannot_decide": cannot_decide,
                "pending": change_request.status == StaffChangeStatus.PENDING,
            },
        )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "agency_type", "district", "marac_area")
    list_filter = ("agency_type",)
    search_fields = ("name",)


admin.site.register(Partnership)
admin.site.register(MaracArea)
admin.site.register(District)


# Authenticator apps: Carepath's own device (its secret encrypted) replaces django-otp's,
# whose admin would list an empty table and show secrets. An administrator deletes a lost
# phone's device; the secret itself is never shown.
admin.site.unregister(otp_totp.TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = ("created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # staff enrol their own app at sign-in

    def has_change_permission(self, request, obj=None):
        # A device moved to another account here would let its holder pass that
        # account's second factor: an administrator only looks and deletes.
        return False

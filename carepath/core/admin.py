"""Django admin for administrators: staff accounts, agencies and geography only.

People, events and referrals are deliberately not registered: the admin would bypass
the default-deny access rule and the access log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required
from django_otp.plugins.otp_totp import models as otp_totp
from simple_history.admin import SimpleHistoryAdmin

from carepath.core.models import Agency, District, MaracArea, Partnership, TOTPDevice, User

# Administrators sign in through Carepath's own login (with its lockout and second factor).
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Carepath administration"
admin.site.site_title = "Carepath administration"


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "agency", "role", "is_supervisor", "is_active", "last_login")
    list_filter = ("role", "agency__agency_type", "is_supervisor", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Carepath", {"fields": ("agency", "role", "is_supervisor", "is_demo_account")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Carepath", {"fields": ("agency", "role", "is_supervisor")}),
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "agency_type", "district")
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

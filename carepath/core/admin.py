"""Django admin for administrators: staff accounts, agencies and geography only.

People, events and referrals are deliberately not registered: the admin would bypass
the default-deny access rule and the access log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_otp.conf import settings as otp_settings
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from carepath.core.models import Agency, District, MaracArea, Partnership, User

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


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(TOTPDeviceAdmin):
    """Staff's authenticator apps: an administrator sees them and deletes a lost one, and
    never sees a secret (``OTP_ADMIN_HIDE_SENSITIVE_DATA``). Nobody adds or edits one
    here: a device added or moved to another account here would let its holder pass
    that account's second factor."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def config_view(self, request, pk):
        # django-otp answers a missing id with an uncaught DoesNotExist (a 500), and an
        # existing one with 403 while secrets are hidden: the page does not exist here.
        return self._secret_view(request, pk, super().config_view)

    def qrcode_view(self, request, pk):
        return self._secret_view(request, pk, super().qrcode_view)

    def _secret_view(self, request, pk, view):
        if otp_settings.OTP_ADMIN_HIDE_SENSITIVE_DATA:
            raise Http404
        get_object_or_404(self.get_queryset(request), pk=pk)
        return view(request, pk)

"""Django admin for administrators: staff accounts, agencies and geography only.

People, events and referrals are deliberately not registered: the admin would bypass
the default-deny access rule and the access log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required
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

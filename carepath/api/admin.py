"""Administrators see API clients and can deactivate them (which revokes the token at once).

Clients are created with ``carepath api-client-create`` so that the token is shown once on
the administrator's terminal and never passes through a web page, a session or a message
cookie. The token's hash is never shown.
"""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from carepath.api.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(SimpleHistoryAdmin):
    list_display = ("name", "agency", "token_prefix", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active", "agency__agency_type")
    search_fields = ("name", "agency__name", "token_prefix")
    fields = ("name", "agency", "token_prefix", "is_active", "created_at", "last_used_at")
    readonly_fields = ("agency", "token_prefix", "created_at", "last_used_at")
    actions = ["deactivate"]

    def has_add_permission(self, request) -> bool:
        return False  # carepath api-client-create NAME --agency "Agency name"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: the record of who could send referrals stays

    @admin.action(description="Deactivate the selected API clients (their tokens stop working at once)")
    def deactivate(self, request, queryset):
        count = 0
        for client in queryset.filter(is_active=True):
            client.is_active = False
            client.save(update_fields=["is_active"])  # one history row each, with who did it
            count += 1
        self.message_user(request, f"Deactivated {count} API client(s).", messages.SUCCESS)

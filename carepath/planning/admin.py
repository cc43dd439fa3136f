"""Uploaded planner inputs in the Django admin: to see who uploaded what, and to delete a
wrong upload (the one before it becomes current again). New inputs come only through
the planner's upload, which checks them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from carepath.planning.models import PlanningInputs


@admin.register(PlanningInputs)
class PlanningInputsAdmin(SimpleHistoryAdmin):
    list_display = ("name", "filename", "uploaded_by", "created")
    fields = ("name", "filename", "uploaded_by", "created")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

"""Bank holidays and response targets are kept in the admin."""

from django.contrib import admin

from palsdesk.audit.admin import AuditedModelAdmin
from palsdesk.deadlines.models import NonWorkingDay, ResponseTarget


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    """Read-only for now: changing the calendar must also move the deadlines that depend on it."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseTarget)
class ResponseTargetAdmin(AuditedModelAdmin):
    list_display = ["kind", "working_days"]

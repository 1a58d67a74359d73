"""Response targets and hold reasons are kept in the admin; the calendar is changed on its own page."""

from django.contrib import admin

from palsdesk.audit.admin import AuditedModelAdmin
from palsdesk.deadlines.models import HoldReason, NonWorkingDay, ResponseTarget
from palsdesk.organisation.admin import ReferenceDataAdmin


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    """Read-only here: /calendar/ changes the calendar through the service that moves the deadlines."""

    list_display = ["date", "name", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseTarget)
class ResponseTargetAdmin(AuditedModelAdmin):
    """A changed target applies to cases logged afterwards; open cases keep the target they started with.

    A graded case takes its grade's target instead: grades are kept with the grading scheme.
    """

    list_display = ["kind", "working_days"]


@admin.register(HoldReason)
class HoldReasonAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "disabled_on"]
    search_fields = ["name", "code"]

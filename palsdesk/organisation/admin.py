"""The trust's structure is managed in the admin; entries are disabled, never deleted."""

from django.contrib import admin
from django.utils import timezone

from palsdesk.audit.admin import AuditedModelAdmin
from palsdesk.audit.services import record
from palsdesk.organisation.models import Division, Service, Site, Trust


class ReferenceDataAdmin(AuditedModelAdmin):
    actions = ["disable_from_today"]
    list_filter = ["disabled_on"]

    @admin.action(description="Disable from today (kept on existing cases)")
    def disable_from_today(self, request, queryset):
        today = timezone.localdate()
        for entry in queryset.filter(disabled_on__isnull=True):
            entry.disabled_on = today
            entry.modified_by = request.user
            entry.save(update_fields=["disabled_on", "modified_by", "modified_at"])
            record(
                actor=request.user,
                action=f"{entry._meta.model_name}.disabled",
                target=entry,
                changes={"disabled_on": [None, today]},
            )


@admin.register(Trust)
class TrustAdmin(AuditedModelAdmin):
    list_display = ["name", "ods_code"]


@admin.register(Division)
class DivisionAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "disabled_on"]
    search_fields = ["name", "code"]


@admin.register(Site)
class SiteAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "disabled_on"]
    search_fields = ["name", "code"]


@admin.register(Service)
class ServiceAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "division", "specialty", "disabled_on"]
    list_filter = ["division", "disabled_on"]
    search_fields = ["name", "code", "specialty"]
    list_select_related = ["division"]

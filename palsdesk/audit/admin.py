"""Admin for the audit trail (read-only) and the mixin that audits every admin write."""

from django.contrib import admin

from palsdesk.audit.models import AuditEvent
from palsdesk.audit.services import plain, record


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin pages that write through here leave an audit event, and never delete."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            name: [plain(form.initial.get(name)) if change else None, plain(form.cleaned_data.get(name))]
            for name in form.changed_data
        }
        action = "changed" if change else "created"
        record(actor=request.user, action=f"{obj._meta.model_name}.{action}", target=obj, changes=changes)

    def has_delete_permission(self, request, obj=None):
        # Reference data and accounts are disabled, never deleted: old cases point at them.
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_label", "action", "channel", "target_label"]
    list_filter = ["action", "channel"]
    search_fields = ["actor_label", "action", "target_label", "target_id"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    list_select_related = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Staff accounts in the admin: role and divisions; accounts are deactivated, never deleted."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from palsdesk.accounts.models import ApiToken, User
from palsdesk.audit.admin import AuditedModelAdmin

# Roles (accounts.permissions) decide what people may do; Django's groups would be a second, silent way.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "divisions"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("PALS Desk", {"fields": ("role", "job_title", "divisions")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("PALS Desk", {"fields": ("role", "divisions")}))
    filter_horizontal = ["divisions", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        # An administrator manages accounts but cannot make anyone (themselves included) a superuser.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "is_superuser", "is_staff", "groups", "user_permissions"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "token_hash", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        # Tokens are made with `manage.py create_api_token`, which shows the token once.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

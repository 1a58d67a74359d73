"""Django's model permissions follow the user's role, so the admin shows each role exactly what it manages."""

from django.contrib.auth.backends import ModelBackend

from palsdesk.accounts.permissions import Permission, can

# What an administrator keeps in the admin. Cases and people are changed only through their pages,
# where the services check and audit every change; nothing is ever deleted (it is disabled instead).
ADMINISTERED_MODELS = {
    "organisation": ["trust", "division", "site", "service"],
    "deadlines": ["nonworkingday", "responsetarget", "holdreason"],
    "people": ["communicationneed"],
    # The levels and grades are edited inline on their scheme; national code lists are only viewed (files load them).
    "grading": ["gradingscheme", "consequencelevel", "likelihoodlevel", "grade"],
    "coding": ["taxonomy", "code", "localsubject"],
    "accounts": ["user", "apitoken"],
    "correspondence": ["lettertemplate", "lettersettings"],
}


def role_model_permissions(user) -> set[str]:
    permissions = set()
    if can(user, Permission.ADMINISTER):
        for app_label, models in ADMINISTERED_MODELS.items():
            for model in models:
                permissions |= {f"{app_label}.{action}_{model}" for action in ("view", "add", "change")}
    if can(user, Permission.VIEW_AUDIT_TRAIL):
        permissions.add("audit.view_auditevent")
    return permissions


class RolePermissionBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        permissions = set(super().get_all_permissions(user_obj, obj))
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return permissions
        return permissions | role_model_permissions(user_obj)

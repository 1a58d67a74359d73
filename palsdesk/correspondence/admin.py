"""Letter templates and the trust's letter settings, kept by administrators. Changes are audited; nothing is deleted."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html_join

from palsdesk.accounts.permissions import Permission, can
from palsdesk.audit.admin import AuditedModelAdmin
from palsdesk.correspondence import merge
from palsdesk.correspondence.models import LetterSettings, LetterTemplate
from palsdesk.organisation.admin import ReferenceDataAdmin


class _AdministeredByRole:
    """Open to the role that administers reference data (the admin's model permissions do not list this app)."""

    def has_module_permission(self, request):
        return can(request.user, Permission.ADMINISTER)

    def has_view_permission(self, request, obj=None):
        return can(request.user, Permission.ADMINISTER)

    def has_add_permission(self, request):
        return can(request.user, Permission.ADMINISTER)

    def has_change_permission(self, request, obj=None):
        return can(request.user, Permission.ADMINISTER)

    def has_delete_permission(self, request, obj=None):
        return False


class LetterTemplateForm(forms.ModelForm):
    """A template is checked when saved: a merge field that does not exist is named, so no letter is made with it."""

    class Meta:
        model = LetterTemplate
        fields = ["code", "name", "description", "recipient", "subject", "body", "disabled_on"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def clean(self):
        cleaned = super().clean()
        problems = {}
        for name in ("subject", "body"):
            found = merge.template_problems(cleaned.get(name) or "")
            if found:
                problems[name] = found
        if problems:
            raise ValidationError(problems)
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(_AdministeredByRole, ReferenceDataAdmin):
    form = LetterTemplateForm
    list_display = ["name", "code", "recipient", "disabled_on"]
    search_fields = ["name", "code", "body"]
    readonly_fields = ["merge_fields_available"]
    fieldsets = [
        (None, {"fields": ["name", "code", "description", "recipient", "disabled_on"]}),
        ("The letter", {"fields": ["subject", "body"]}),
        (
            "Merge fields",
            {
                "fields": ["merge_fields_available"],
                "description": "Write a field as {{ case.reference }}. Only these fields exist; anything else is "
                "refused when the template is saved. Mark a part the officer writes for each case as [[ like this ]]: "
                "a letter is not produced until it is written. A blank line starts a paragraph; ## starts a heading, "
                "- a bullet, 1. a numbered point; **bold** and *italic*.",
            },
        ),
    ]

    @admin.display(description="Fields you can use")
    def merge_fields_available(self, obj=None):
        return format_html_join(
            "",
            "<p><code>{{{{ {} }}}}</code>: {}</p>",
            ((field.name, field.description) for field in merge.FIELDS.values()),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LetterSettings)
class LetterSettingsAdmin(_AdministeredByRole, AuditedModelAdmin):
    list_display = ["trust", "team_name", "signatory_name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["trust"]}),
        ("The complaints team", {"fields": ["team_name", "team_phone", "team_email", "complaints_procedure"]}),
        (
            "Who signs responses",
            {
                "fields": ["signatory_name", "signatory_job_title"],
                "description": "The responsible person under regulation 4, or the delegate who signs for them.",
            },
        ),
        (
            "Independent complaints advocacy",
            {"fields": ["advocacy_name", "advocacy_phone", "advocacy_email", "advocacy_website", "advocacy_address"]},
        ),
        (
            "The Ombudsman",
            {"fields": ["ombudsman_name", "ombudsman_phone", "ombudsman_website", "ombudsman_address"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)

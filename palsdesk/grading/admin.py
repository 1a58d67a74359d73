"""The grading schemes, with their levels and grades inline. Every change is audited; nothing is deleted."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from palsdesk.audit.admin import AuditedModelAdmin
from palsdesk.audit.services import plain, record
from palsdesk.core.errors import RuleBroken
from palsdesk.grading import matrix
from palsdesk.grading.models import CaseGrading, ConsequenceLevel, Grade, GradingScheme, LikelihoodLevel, SchemeKind
from palsdesk.grading.services import make_scheme_current


class GradeFormSet(BaseInlineFormSet):
    """A matrix grade has a band of scores and a named level has none; the scheme in use covers every score."""

    def clean(self):
        super().clean()
        scheme = self.instance
        bands = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            lowest, highest = form.cleaned_data.get("min_score"), form.cleaned_data.get("max_score")
            name = form.cleaned_data.get("name") or "A grade"
            if scheme.kind == SchemeKind.LEVELS and (lowest is not None or highest is not None):
                raise ValidationError(f"{name}: a scheme of named levels has no scores; leave them empty.")
            if scheme.kind == SchemeKind.MATRIX:
                if lowest is None or highest is None:
                    raise ValidationError(f"{name}: give its lowest and highest score.")
                bands.append(matrix.Band(name, lowest, highest))
        if scheme.kind == SchemeKind.MATRIX and scheme.is_current:
            problems = matrix.band_problems(bands)
            if problems:
                raise ValidationError(["This scheme is in use, so its grades must cover every score.", *problems])


class _LevelInline(admin.TabularInline):
    extra = 0
    max_num = 5
    fields = ["level", "name", "descriptor"]

    def has_delete_permission(self, request, obj=None):
        return False


class ConsequenceLevelInline(_LevelInline):
    model = ConsequenceLevel


class LikelihoodLevelInline(_LevelInline):
    model = LikelihoodLevel


class GradeInline(admin.TabularInline):
    model = Grade
    formset = GradeFormSet
    extra = 0
    fields = ["order", "code", "name", "colour", "min_score", "max_score", "response_working_days", "sign_off_level"]

    def has_delete_permission(self, request, obj=None):
        # Cases point at their grades; a grade no longer wanted is banded out of a new scheme instead.
        return False


@admin.register(GradingScheme)
class GradingSchemeAdmin(AuditedModelAdmin):
    """A scheme in use cannot be deleted (nothing is); a changed target applies to cases graded afterwards."""

    list_display = ["name", "kind", "is_current"]
    readonly_fields = ["is_current"]
    inlines = [ConsequenceLevelInline, LikelihoodLevelInline, GradeInline]
    actions = ["make_current"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.is_current or CaseGrading.objects.filter(scheme=obj).exists()):
            fields.append("kind")
        return fields

    def save_formset(self, request, form, formset, change):
        changed = [(inline_form, inline_form.instance.pk is not None) for inline_form in formset.forms]
        super().save_formset(request, form, formset, change)
        for inline_form, existed in changed:
            if not inline_form.has_changed() or inline_form.instance.pk is None:
                continue
            old, new = inline_form.initial, inline_form.cleaned_data
            record(
                actor=request.user,
                action=f"{inline_form.instance._meta.model_name}.{'changed' if existed else 'created'}",
                target=inline_form.instance,
                changes={
                    name: [plain(old.get(name)) if existed else None, plain(new.get(name))]
                    for name in inline_form.changed_data
                },
                context={"scheme": str(form.instance)},
            )

    @admin.action(description="Use this scheme for gradings from now on")
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one scheme to use.", messages.ERROR)
            return
        scheme = queryset.get()
        try:
            make_scheme_current(scheme, actor=request.user)
        except RuleBroken as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, f"{scheme} is now used for gradings. Cases graded before keep their grades.")

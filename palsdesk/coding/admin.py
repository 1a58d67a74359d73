"""National code lists are viewed here (their data files load them); local subjects are the trust's own to manage."""

from django.contrib import admin

from palsdesk.coding.models import Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.organisation.admin import ReferenceDataAdmin


class _ReadOnly:
    """`manage.py load_taxonomies` changes these, from the files in palsdesk/coding/data/, with an audit event."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CodeInline(_ReadOnly, admin.TabularInline):
    model = Code
    fk_name = "taxonomy"
    fields = ["code", "label", "parent", "confidence", "disabled_on"]
    readonly_fields = fields
    ordering = ["order"]


@admin.register(Taxonomy)
class TaxonomyAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["kind", "collection_year", "confidence", "loaded_from", "loaded_at"]
    list_filter = ["kind", "collection_year", "confidence"]
    inlines = [CodeInline]


@admin.register(Code)
class CodeAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["label", "code", "taxonomy", "confidence", "disabled_on"]
    list_filter = ["taxonomy__kind", "taxonomy__collection_year", "confidence"]
    search_fields = ["label", "code"]
    list_select_related = ["taxonomy"]


@admin.register(LocalSubject)
class LocalSubjectAdmin(ReferenceDataAdmin):
    """A local subject maps to a national subject by its code, so it carries over to later years' lists."""

    list_display = ["name", "national_subject", "disabled_on"]
    search_fields = ["name"]
    list_select_related = ["national_subject"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "national_subject":
            kwargs["queryset"] = (
                Code.objects.filter(taxonomy__kind=TaxonomyKind.SUBJECT)
                .select_related("taxonomy")
                .order_by("-taxonomy__collection_year", "order")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda code: f"{code.label} (KO41a {code.taxonomy.collection_year})"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

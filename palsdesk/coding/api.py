"""API shapes for coding: a case's issues, what a client sends to code them, and the national and local code lists.

A client names codes by their slugs ("communications"), which stay the same across collection years; the
API looks each one up in the lists of the year the issue is coded with, so the same request codes a case
received in 2025 with the 2025-26 lists and one received in 2027 with the 2027-28 lists.
"""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.reverse import reverse

from palsdesk.api.pagination import ReferencePagination
from palsdesk.api.reference import INCLUDE_DISABLED, ReferenceListView, reference_list
from palsdesk.api.serializers import LimitedText, ListedChoiceField, StrictSerializer, VersionField
from palsdesk.cases.models import Case, Outcome
from palsdesk.coding import selectors, services
from palsdesk.coding.models import HCAT_KINDS, CaseIssue, Code, Confidence, LocalSubject, Taxonomy, TaxonomyKind

# The most professions one issue can name: more than any list has, so a client never meets it by accident.
MAX_PROFESSIONS = 20


# Named schema components: "kind", "outcome" and "confidence" are also the names of other fields.
@extend_schema_field({"type": "string", "enum": Outcome.values}, component_name="OutcomeEnum")
class OutcomeField(ListedChoiceField):
    """An outcome as KO41a defines it; null (never "") when there is none yet."""

    def __init__(self, **kwargs):
        super().__init__(Outcome.choices, **kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field({"type": "string", "enum": TaxonomyKind.values}, component_name="TaxonomyKindEnum")
class TaxonomyKindField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(TaxonomyKind.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": Confidence.values}, component_name="ConfidenceEnum")
class ConfidenceField(serializers.ChoiceField):
    """C confirmed from the source, P partly confirmed, U unconfirmed (a reconstruction to verify); null if not said."""

    def __init__(self, **kwargs):
        super().__init__(Confidence.choices, **kwargs)

    def to_representation(self, value):
        return value or None


# What a case shows -------------------------------------------------------------------------------------------------


class CodeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Code
        fields = ["code", "label"]
        read_only_fields = fields


class LocalSubjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalSubject
        fields = ["id", "name"]
        read_only_fields = fields


class IssueSerializer(serializers.ModelSerializer):
    """One aspect of a case, coded for KO41a (and optionally HCAT), with its own outcome."""

    collection_year = serializers.CharField(
        source="subject.taxonomy.collection_year",
        read_only=True,
        help_text="The KO41a year whose lists code this issue; it keeps it when a later year's lists are loaded.",
    )
    subject = CodeRefSerializer(read_only=True)
    clinical_subcategory = CodeRefSerializer(read_only=True, allow_null=True)
    local_subject = LocalSubjectRefSerializer(read_only=True, allow_null=True)
    service_area = CodeRefSerializer(read_only=True, allow_null=True)
    professions = CodeRefSerializer(many=True, read_only=True)
    hcat_category = CodeRefSerializer(read_only=True, allow_null=True)
    outcome = OutcomeField(read_only=True, allow_null=True)

    class Meta:
        model = CaseIssue
        fields = [
            "id",
            "order",
            "description",
            "collection_year",
            "subject",
            "clinical_subcategory",
            "local_subject",
            "service_area",
            "professions",
            "hcat_category",
            "hcat_severity",
            "hcat_harm",
            "outcome",
            "not_investigated_reason",
        ]
        read_only_fields = fields


# What a client sends -----------------------------------------------------------------------------------------------


_LABELS = {
    TaxonomyKind.SUBJECT: "subject",
    TaxonomyKind.CLINICAL_SUBCATEGORY: "clinical treatment sub-category",
    TaxonomyKind.SERVICE_AREA: "service area",
    TaxonomyKind.PROFESSION: "profession",
    TaxonomyKind.HCAT_CATEGORY: "HCAT category",
}


def issue_context(case: Case, issue: CaseIssue | None = None) -> dict:
    """The lists an issue's codes are looked up in: a new issue's are the case's year; an issue keeps its own."""
    year = issue.subject.taxonomy.collection_year if issue is not None else selectors.coding_year_for(case)
    return {"collection_year": year, "hcat_edition": selectors.latest_hcat_edition()}


class _CodeLookup:
    """Finds codes of one list by slug in the edition the serializer's context names; refuses what it cannot find."""

    kind: str

    @property
    def _label(self) -> str:
        return _LABELS[self.kind]

    def _edition(self) -> tuple[str | None, str]:
        if self.kind in HCAT_KINDS:
            edition = self.context.get("hcat_edition")
            return edition, f"HCAT {edition}"
        year = self.context.get("collection_year")
        return year, f"the KO41a lists for {year}"

    def _find(self, slugs: list[str]) -> list[Code]:
        edition, lists = self._edition()
        if edition is None:
            raise serializers.ValidationError(
                f"No {'HCAT' if self.kind in HCAT_KINDS else 'KO41a'} lists are loaded, so there is no "
                f"{self._label} to choose: an administrator must load them (manage.py load_taxonomies)."
            )
        # Codes no longer in use are found too: an issue may keep one it has, and the service says when it cannot.
        found = {
            code.code: code
            for code in Code.objects.select_related("taxonomy").filter(
                taxonomy__kind=self.kind, taxonomy__collection_year=edition, code__in=slugs
            )
        }
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise serializers.ValidationError(
                [f"There is no {self._label} with the code '{slug}' in {lists}." for slug in missing]
            )
        return [found[slug] for slug in slugs]


@extend_schema_field(OpenApiTypes.STR)
class CodeField(_CodeLookup, serializers.Field):
    """A code of a national list, given by its slug."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Code:
        if not isinstance(data, str):
            raise serializers.ValidationError(f"Give the {self._label}'s code as text.")
        (code,) = self._find([data.strip()])
        return code

    def to_representation(self, value):
        return value.code


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": MAX_PROFESSIONS})
class CodeListField(_CodeLookup, serializers.Field):
    """Codes of a national list, given by their slugs; found in one query however many."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[Code]:
        if not isinstance(data, list):
            raise serializers.ValidationError(f"Give a list of {self._label} codes.")
        if len(data) > MAX_PROFESSIONS:
            raise serializers.ValidationError(f"Give at most {MAX_PROFESSIONS} codes; this has {len(data)}.")
        if not all(isinstance(item, str) for item in data):
            raise serializers.ValidationError(f"Give each {self._label}'s code as text.")
        return self._find(list(dict.fromkeys(item.strip() for item in data)))

    def to_representation(self, value):
        return [code.code for code in value]


class IssueInSerializer(StrictSerializer):
    """An issue's description and codes, and its outcome. Codes are slugs from the lists of the issue's year.

    A new issue is coded with the lists of the case's collection year (collection_year on the case); an issue
    keeps the year it was coded with. Under PATCH, fields left out keep their values.
    """

    description = LimitedText(max_length=services.TEXT_MAX_CHARACTERS, required=False, allow_blank=True)
    subject = CodeField(
        TaxonomyKind.SUBJECT,
        required=False,
        allow_null=True,
        help_text="The KO41a subject's code, such as 'communications'. May be left out when a local subject is given.",
    )
    local_subject = serializers.PrimaryKeyRelatedField(
        queryset=LocalSubject.objects.select_related("national_subject"),
        required=False,
        allow_null=True,
        help_text="The id of one of the trust's local subjects; it brings its national subject.",
        error_messages={
            "does_not_exist": "There is no local subject with the id {pk_value}.",
            "incorrect_type": "Give the local subject's id as a whole number.",
        },
    )
    clinical_subcategory = CodeField(
        TaxonomyKind.CLINICAL_SUBCATEGORY,
        required=False,
        allow_null=True,
        help_text="Needed exactly when the subject is clinical treatment (KO41a section 6).",
    )
    service_area = CodeField(TaxonomyKind.SERVICE_AREA, required=False, allow_null=True)
    professions = CodeListField(
        TaxonomyKind.PROFESSION, required=False, help_text="At least one for a complaint (KO41a section 8)."
    )
    hcat_category = CodeField(
        TaxonomyKind.HCAT_CATEGORY,
        required=False,
        allow_null=True,
        help_text="Optional HCAT problem category, from the latest HCAT edition loaded.",
    )
    hcat_severity = serializers.IntegerField(
        required=False, allow_null=True, help_text="With an HCAT category: 1 (low) to 3 (high)."
    )
    hcat_harm = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Optional, with an HCAT category: 0 (no harm reported) to 5 (catastrophic).",
    )
    outcome = OutcomeField(
        required=False,
        allow_null=True,
        help_text="Complaints and MP letters only. Needs a role that records outcomes; null clears it.",
    )
    not_investigated_reason = LimitedText(
        max_length=services.TEXT_MAX_CHARACTERS,
        required=False,
        allow_blank=True,
        help_text="Why the issue was not investigated; only with the outcome 'not_investigated'.",
    )
    version = VersionField()

    def validate_outcome(self, outcome: str | None) -> str:
        return outcome or ""


class IssueOutcomeSerializer(StrictSerializer):
    """What the investigation found on one issue. The case's outcome follows from all of its issues."""

    outcome = OutcomeField()
    not_investigated_reason = LimitedText(
        max_length=services.TEXT_MAX_CHARACTERS,
        required=False,
        allow_blank=True,
        help_text="Why the issue was not investigated; needed with 'not_investigated', and only with it.",
    )
    version = VersionField()


class IssueRemovalSerializer(StrictSerializer):
    """Removing an issue recorded in error: the version, in the body or as ?version=."""

    version = VersionField()


def issue_of(case: Case, issue_id: int) -> CaseIssue:
    """The case's issue with this id, with its codes; 404 if the case has none such."""
    issue = selectors.issues_queryset().filter(case=case, pk=issue_id).first()
    if issue is None:
        raise Http404(f"{case.reference} has no issue with the id {issue_id}.")
    return issue


# The national and local code lists, for /api/v1/reference/ -------------------------------------------------------


class TaxonomySerializer(serializers.ModelSerializer):
    kind = TaxonomyKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    confidence = ConfidenceField(read_only=True)
    codes_in_use = serializers.IntegerField(read_only=True, help_text="How many of its codes may be chosen today.")
    codes = serializers.SerializerMethodField(help_text="Where the list's codes are.")

    class Meta:
        model = Taxonomy
        fields = [
            "kind",
            "kind_label",
            "collection_year",
            "source",
            "confidence",
            "note",
            "loaded_from",
            "loaded_at",
            "codes_in_use",
            "codes",
        ]
        read_only_fields = fields

    def get_codes(self, taxonomy) -> str:
        return reverse(
            "api:reference-taxonomy-codes",
            kwargs={"kind": taxonomy.kind, "year": taxonomy.collection_year},
            request=self.context.get("request"),
        )


class ReferenceCodeSerializer(serializers.ModelSerializer):
    confidence = ConfidenceField(read_only=True, allow_null=True)
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="An HCAT category's domain; null otherwise."
    )

    class Meta:
        model = Code
        fields = ["code", "label", "order", "confidence", "parent", "age_from_years", "age_to_years", "disabled_on"]
        read_only_fields = fields


class LocalSubjectSerializer(serializers.ModelSerializer):
    national_subject = CodeRefSerializer(
        read_only=True,
        help_text="The KO41a subject it comes under. It maps by code, so it carries over to later years' lists.",
    )

    class Meta:
        model = LocalSubject
        fields = ["id", "name", "national_subject", "disabled_on"]
        read_only_fields = fields


class TaxonomyQuery(serializers.Serializer):
    kind = TaxonomyKindField(required=False)
    collection_year = serializers.CharField(required=False, max_length=7)


@reference_list(
    TaxonomySerializer,
    parameters=[
        OpenApiParameter("kind", str, enum=TaxonomyKind.values, description="Only the lists of this kind."),
        OpenApiParameter(
            "collection_year", str, description="Only this year's lists: '2025-26' (KO41a) or '2016' (HCAT)."
        ),
    ],
)
class TaxonomyListView(generics.ListAPIView):
    """The national code lists loaded, each with its source and how sure the team is of it."""

    serializer_class = TaxonomySerializer
    pagination_class = ReferencePagination
    filter_backends = []

    def get_queryset(self):
        query = TaxonomyQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        in_use = Q(codes__disabled_on__isnull=True) | Q(codes__disabled_on__gt=timezone.localdate())
        return (
            Taxonomy.objects.filter(**query.validated_data)
            .annotate(codes_in_use=Count("codes", filter=in_use))
            .order_by("kind", "-collection_year", "pk")
        )


@reference_list(
    ReferenceCodeSerializer,
    parameters=[
        INCLUDE_DISABLED,
        OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=TaxonomyKind.values, description="The list."),
        OpenApiParameter(
            "year", str, OpenApiParameter.PATH, description="Its collection year: '2025-26' (KO41a) or '2016' (HCAT)."
        ),
    ],
    responses={404: OpenApiResponse(description="No list of that kind is loaded for that year.")},
)
class TaxonomyCodeListView(ReferenceListView):
    """The codes of one list of one year, in the list's order."""

    serializer_class = ReferenceCodeSerializer

    def entries(self):
        kind, year = self.kwargs["kind"], self.kwargs["year"]
        taxonomy = Taxonomy.objects.filter(kind=kind, collection_year=year).first()
        if taxonomy is None:
            loaded = Taxonomy.objects.filter(kind=kind).order_by("collection_year")
            years = ", ".join(loaded.values_list("collection_year", flat=True))
            raise Http404(f"No '{kind}' list is loaded for {year}." + (f" Years loaded: {years}." if years else ""))
        return Code.objects.filter(taxonomy=taxonomy).select_related("parent").order_by("order", "label", "pk")


@reference_list(LocalSubjectSerializer)
class LocalSubjectListView(ReferenceListView):
    """The trust's own subjects, each under a national KO41a subject. An issue names one by its id."""

    serializer_class = LocalSubjectSerializer

    def entries(self):
        return LocalSubject.objects.select_related("national_subject").order_by("name", "pk")

"""Reference lists at /api/v1/reference/: read-only, for any signed-in user; the trust's own lists are here.

The national code lists live with coding (coding.api) and the grading scheme with grading (grading.api);
this module holds the index of them all and the lists kept in the admin by other apps.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from palsdesk.api.pagination import ReferencePagination
from palsdesk.deadlines.models import HoldReason
from palsdesk.organisation.models import Division, Service, Site
from palsdesk.people.models import CommunicationNeed

INCLUDE_DISABLED = OpenApiParameter(
    "include_disabled",
    OpenApiTypes.BOOL,
    description="true: also the entries no longer in use (each with the day it was disabled). Default: only those "
    "in use today.",
)
BAD_QUERY = OpenApiResponse(description="A query parameter's value is not one it takes; a message per parameter.")


class IncludeDisabledQuery(serializers.Serializer):
    include_disabled = serializers.BooleanField(required=False, default=False)


def include_disabled(request) -> bool:
    """Whether ?include_disabled= asks for entries no longer in use; a value other than a boolean is a 400."""
    query = IncludeDisabledQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["include_disabled"]


def reference_list(serializer_class, *, parameters=(INCLUDE_DISABLED,), responses=None):
    """Document a reference list view: its entries a page at a time, and the 400 for a bad query parameter."""
    return extend_schema_view(
        get=extend_schema(
            parameters=list(parameters),
            responses={200: serializer_class(many=True), 400: BAD_QUERY, **(responses or {})},
        )
    )


class ReferenceListView(generics.ListAPIView):
    """A list of reference data: entries in use today unless ?include_disabled=true; pages of 100 by default."""

    pagination_class = ReferencePagination
    filter_backends = []

    def entries(self) -> QuerySet:
        """Every entry, in use or not, in the list's order (ending with the primary key, so pages are stable)."""
        raise NotImplementedError

    def get_queryset(self):
        entries = self.entries()
        return entries if include_disabled(self.request) else entries.active()


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["code", "name", "disabled_on"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["code", "name", "address", "disabled_on"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The division that runs it.")

    class Meta:
        model = Service
        fields = ["code", "name", "specialty", "division", "disabled_on"]
        read_only_fields = fields


class HoldReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = HoldReason
        fields = ["code", "name", "disabled_on"]
        read_only_fields = fields


class CommunicationNeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommunicationNeed
        fields = ["code", "name", "disabled_on"]
        read_only_fields = fields


@reference_list(DivisionSerializer)
class DivisionListView(ReferenceListView):
    """The trust's divisions: a case belongs to one, given by its code."""

    serializer_class = DivisionSerializer

    def entries(self):
        return Division.objects.order_by("name", "pk")


@reference_list(SiteSerializer)
class SiteListView(ReferenceListView):
    """The trust's sites, by ODS site code."""

    serializer_class = SiteSerializer

    def entries(self):
        return Site.objects.order_by("name", "pk")


@reference_list(ServiceSerializer)
class ServiceListView(ReferenceListView):
    """Services and departments, each run by one division: a case's service must be its division's."""

    serializer_class = ServiceSerializer

    def entries(self):
        return Service.objects.select_related("division").order_by("name", "pk")


@reference_list(HoldReasonSerializer)
class HoldReasonListView(ReferenceListView):
    """The reasons the trust allows for putting a response clock on hold."""

    serializer_class = HoldReasonSerializer

    def entries(self):
        return HoldReason.objects.order_by("name", "pk")


@reference_list(CommunicationNeedSerializer)
class CommunicationNeedListView(ReferenceListView):
    """Communication needs under the Accessible Information Standard (DCB1605)."""

    serializer_class = CommunicationNeedSerializer

    def entries(self):
        return CommunicationNeed.objects.order_by("name", "pk")


# The index -----------------------------------------------------------------------------------------------------

REFERENCE_LISTS = {
    "taxonomies": "reference-taxonomies",
    "local_subjects": "reference-local-subjects",
    "grading_scheme": "reference-grading-scheme",
    "divisions": "reference-divisions",
    "sites": "reference-sites",
    "services": "reference-services",
    "hold_reasons": "reference-hold-reasons",
    "communication_needs": "reference-communication-needs",
}


class ReferenceIndexSerializer(serializers.Serializer):
    taxonomies = serializers.URLField(
        read_only=True, help_text="The national code lists (KO41a by collection year, HCAT), each with its codes."
    )
    local_subjects = serializers.URLField(read_only=True, help_text="The trust's subjects under national ones.")
    grading_scheme = serializers.URLField(read_only=True, help_text="The grading scheme in use.")
    divisions = serializers.URLField(read_only=True)
    sites = serializers.URLField(read_only=True)
    services = serializers.URLField(read_only=True)
    hold_reasons = serializers.URLField(read_only=True)
    communication_needs = serializers.URLField(read_only=True)


class ReferenceIndexView(APIView):
    """Where each reference list is."""

    @extend_schema(responses={200: ReferenceIndexSerializer})
    def get(self, request):
        return Response(
            {name: reverse(f"api:{url_name}", request=request) for name, url_name in REFERENCE_LISTS.items()}
        )

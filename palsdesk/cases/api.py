"""The cases API (/api/v1/cases/): the same selectors and services as the web pages, as JSON."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from palsdesk.api.pagination import TimelinePagination
from palsdesk.api.serializers import ActiveCodeField, LimitedText, StrictSerializer, UsernameField
from palsdesk.cases import selectors, services
from palsdesk.cases.models import OPEN_STATUSES, Case, Channel, Kind, Status, TimelineEntry
from palsdesk.organisation.models import Division, Service, Site
from palsdesk.people.api import CasePartySerializer, ComplainantInSerializer, PersonInSerializer


class CaseSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case_officer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    investigating_manager = serializers.SlugRelatedField(slug_field="username", read_only=True)
    escalated_from = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "kind",
            "status",
            "channel",
            "received_on",
            "division",
            "division_name",
            "site",
            "service",
            "summary",
            "event_on",
            "became_aware_on",
            "is_safeguarding",
            "is_vulnerable_person",
            "has_mp_interest",
            "has_media_interest",
            "is_staff_complainant",
            "is_restricted",
            "case_officer",
            "investigating_manager",
            "escalated_from",
            "acknowledgement_due_on",
            "acknowledged_on",
            "response_due_on",
            "responded_on",
            "closed_on",
            "next_due_on",
            "reopened_count",
            "version",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    people = CasePartySerializer(source="parties", many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    escalated_to = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "account",
            "outcome_wanted",
            "people",
            "allowed_transitions",
            "escalated_to",
        ]
        read_only_fields = fields

    def get_allowed_transitions(self, case) -> list[dict]:
        user = self.context["request"].user
        return [
            {"to": t.target.value, "name": t.name, "label": t.label, "needs_reason": t.needs_reason}
            for t in selectors.moves_for(user, case)
        ]

    def get_escalated_to(self, case) -> str | None:
        complaint = selectors.escalated_to(self.context["request"].user, case)
        return complaint.reference if complaint else None


class CaseCreateSerializer(StrictSerializer):
    """A new case: what was raised, when and how, and optionally the patient and the person raising it."""

    kind = serializers.ChoiceField(Kind.choices)
    channel = serializers.ChoiceField(Channel.choices)
    received_on = serializers.DateField()
    division = ActiveCodeField(Division, label="division")
    site = ActiveCodeField(Site, label="site", required=False, allow_null=True)
    service = ActiveCodeField(Service, label="service", required=False, allow_null=True)
    summary = LimitedText(max_length=300)
    account = LimitedText(max_length=services.ACCOUNT_MAX_CHARACTERS, required=False, allow_blank=True)
    outcome_wanted = LimitedText(max_length=services.OUTCOME_WANTED_MAX_CHARACTERS, required=False, allow_blank=True)
    event_on = serializers.DateField(required=False, allow_null=True)
    became_aware_on = serializers.DateField(required=False, allow_null=True)
    is_safeguarding = serializers.BooleanField(required=False, default=False)
    is_vulnerable_person = serializers.BooleanField(required=False, default=False)
    has_mp_interest = serializers.BooleanField(required=False, default=False)
    has_media_interest = serializers.BooleanField(required=False, default=False)
    is_staff_complainant = serializers.BooleanField(required=False, default=False)
    case_officer = UsernameField(required=False, allow_null=True)
    patient = PersonInSerializer(required=False)
    complainant = ComplainantInSerializer(required=False)


class TransitionSerializer(StrictSerializer):
    """A move along the case's pathway."""

    to = serializers.CharField(max_length=40, help_text="The status to move to, such as 'acknowledged'.")
    reason = LimitedText(max_length=services.REASON_MAX_CHARACTERS, required=False, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True, help_text="The date it happened; today if left out.")
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The case version you read; if the case has changed since, 409."
    )


class NoteSerializer(StrictSerializer):
    """A note for the case's timeline."""

    body = LimitedText(max_length=services.NOTE_MAX_CHARACTERS)


class AssignmentSerializer(StrictSerializer):
    """Who works the case. Leave a field out to keep it as it is; null assigns nobody."""

    case_officer = UsernameField(required=False, allow_null=True)
    investigating_manager = UsernameField(required=False, allow_null=True)
    reason = LimitedText(max_length=services.REASON_MAX_CHARACTERS, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


# A timeline entry's kind shares the name "kind" with the case's kind; a named schema component of its own
# keeps the two choice sets apart in the OpenAPI document instead of colliding.
@extend_schema_field({"type": "string", "enum": TimelineEntry.EntryKind.values}, component_name="TimelineEntryKindEnum")
class TimelineEntryKindField(serializers.ChoiceField):
    pass


class TimelineEntrySerializer(serializers.ModelSerializer):
    kind = TimelineEntryKindField(TimelineEntry.EntryKind.choices, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["id", "kind", "occurred_at", "direction", "contact", "body", "created_by", "created_at"]
        read_only_fields = fields


class CaseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    # "open" means every unfinished status, which includes a PALS case's own status 'open'; listing it twice
    # would put a duplicate value in the schema's enum.
    status = django_filters.ChoiceFilter(
        choices=[
            ("open", "Open (not finished)"),
            *((value, label) for value, label in Status.choices if value != "open"),
        ],
        method="filter_status",
    )
    division = django_filters.CharFilter(field_name="division__code", help_text="A division's code.")
    assignee = django_filters.CharFilter(
        method="filter_assignee", help_text="A username, 'me', or 'unassigned' (no case officer)."
    )

    class Meta:
        model = Case
        fields = ["kind", "status", "division", "assignee"]

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == "unassigned":
            return queryset.filter(case_officer__isnull=True)
        user = self.request.user if value == "me" else None
        if user is not None:
            return queryset.filter(Q(case_officer=user) | Q(investigating_manager=user))
        return queryset.filter(Q(case_officer__username=value) | Q(investigating_manager__username=value))


# What a refused request answers, for the OpenAPI document.
_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot do this."),
    404: OpenApiResponse(description="No case with that reference that the caller may see."),
}
_STALE = {409: OpenApiResponse(description="The case changed after the `version` given was read; nothing saved.")}


@extend_schema_view(
    list=extend_schema(description="Cases the caller may see, newest received first, a page at a time (cursor).")
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. A case they may not see answers 404, as if it did not exist."""

    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]+"
    filterset_class = CaseFilter
    serializer_class = CaseSerializer

    def get_queryset(self):
        cases = selectors.cases_visible_to(self.request.user).select_related(
            "division", "site", "service", "case_officer", "investigating_manager", "escalated_from"
        )
        if self.action == "retrieve":
            cases = cases.prefetch_related("parties__person__communication_needs")
        return cases

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(
        description="One case with its people and the moves the caller may make. Each read is on the audit trail.",
        responses={200: CaseDetailSerializer, 404: _REFUSED[404]},
    )
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        services.record_case_view(case, actor=request.user)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    def _detail(self, request, case, status_code=status.HTTP_200_OK):
        case = self.get_queryset().prefetch_related("parties__person__communication_needs").get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status_code)

    @extend_schema(
        description="Log a new case. A volunteer may log PALS concerns, compliments and enquiries, not complaints.",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, 400: _REFUSED[400], 403: _REFUSED[403]},
    )
    def create(self, request, *args, **kwargs):
        incoming = CaseCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        complainant = values.pop("complainant", None)
        patient = values.pop("patient", None)
        complainant_is_patient = bool(complainant and complainant.pop("is_patient", False))
        relationship = complainant.pop("relationship_to_patient", "") if complainant else ""
        case = services.open_case(
            actor=request.user,
            complainant=PersonInSerializer().to_details(complainant) if complainant else None,
            complainant_is_patient=complainant_is_patient,
            relationship_to_patient=relationship,
            patient=PersonInSerializer().to_details(patient) if patient else None,
            **values,
        )
        return self._detail(request, case, status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(description="The move is not allowed now, and why, or bad input per field."),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, reference=None):
        """Move the case along its pathway: {"to": "<status>"}, with a reason where the move needs one."""
        case = self.get_object()
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        moved = services.move_case(
            case,
            to=data["to"],
            reason=data.get("reason", ""),
            on=data.get("on"),
            expected_version=data.get("version"),
            actor=request.user,
        )
        return self._detail(request, moved)

    @extend_schema(request=AssignmentSerializer, responses={200: CaseDetailSerializer, **_REFUSED, **_STALE})
    @action(detail=True, methods=["post"])
    def assignment(self, request, reference=None):
        """Assign or reassign the case officer and investigating manager; replacing someone needs a reason."""
        case = self.get_object()
        incoming = AssignmentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        changes = {name: data[name] for name in ("case_officer", "investigating_manager") if name in data}
        assigned = services.assign_case(
            case, actor=request.user, reason=data.get("reason", ""), expected_version=data.get("version"), **changes
        )
        return self._detail(request, assigned)

    @extend_schema(request=NoteSerializer, responses={201: TimelineEntrySerializer, **_REFUSED})
    @action(detail=True, methods=["post"])
    def notes(self, request, reference=None):
        """Add a note to the case's timeline."""
        case = self.get_object()
        incoming = NoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        entry = services.add_note(case, body=incoming.validated_data["body"], actor=request.user)
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: TimelineEntrySerializer(many=True), 404: _REFUSED[404]})
    @action(detail=True, methods=["get"], pagination_class=TimelinePagination, filterset_class=None)
    def timeline(self, request, reference=None):
        """The case's timeline, newest first, a page at a time (cursor)."""
        case = self.get_object()
        entries = case.timeline.select_related("created_by")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(TimelineEntrySerializer(page, many=True).data)

"""The cases API (/api/v1/cases/): the same selectors and services as the web pages, as JSON."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from palsdesk.api.errors import fields_renamed
from palsdesk.api.pagination import TimelinePagination
from palsdesk.api.serializers import (
    ActiveCodeField,
    LimitedText,
    ListedChoiceField,
    StrictSerializer,
    UsernameField,
    VersionField,
)
from palsdesk.cases import selectors, services, workflow
from palsdesk.cases.models import OPEN_STATUSES, AcknowledgementMethod, Case, Channel, Kind, Status, TimelineEntry
from palsdesk.coding import selectors as coding_selectors
from palsdesk.coding import services as coding_services
from palsdesk.coding.api import (
    IssueInSerializer,
    IssueOutcomeSerializer,
    IssueRemovalSerializer,
    IssueSerializer,
    OutcomeField,
    issue_context,
    issue_of,
)
from palsdesk.deadlines import clocks
from palsdesk.deadlines import selectors as deadline_selectors
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.api import (
    ClockSerializer,
    ClockStateField,
    DelayLetterSerializer,
    HoldReleaseSerializer,
    HoldSerializer,
    ResponseDateSerializer,
    TimeLimitDecisionInSerializer,
    TimeLimitDecisionSerializer,
)
from palsdesk.grading import selectors as grading_selectors
from palsdesk.grading import services as grading_services
from palsdesk.grading.api import CaseGradeSerializer, CaseGradingSerializer, GradeSummarySerializer, GradingInSerializer
from palsdesk.organisation.models import Division, Service, Site
from palsdesk.people.api import CasePartySerializer, ComplainantInSerializer, PersonInSerializer


def _today_and_calendars(context: dict) -> tuple[datetime.date, deadline_selectors.Calendars]:
    """Today, and the working-day calendars, found once per response however many cases it holds.

    The calendars check their table for changes on each use (one query): asked once per row, a page
    of cases would cost a query per case.
    """
    if "calendars" not in context:
        context["today"] = timezone.localdate()
        context["calendars"] = deadline_selectors.current_calendars()
    return context["today"], context["calendars"]


# A complaint closes only when fully coded (the "coding_complete" guard); an MP letter is not a KO41a complaint.
KINDS_CLOSED_ONLY_WHEN_CODED = frozenset(
    kind for kind, moves in workflow.PATHWAYS.items() if any(move.guard == "coding_complete" for move in moves)
)


# One named schema component for how an acknowledgement was sent, read on the case and sent to record it.
@extend_schema_field(
    {"type": "string", "enum": AcknowledgementMethod.values}, component_name="AcknowledgementMethodEnum"
)
class AcknowledgementMethodField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(AcknowledgementMethod.choices, **kwargs)


class CaseSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case_officer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    investigating_manager = serializers.SlugRelatedField(slug_field="username", read_only=True)
    escalated_from = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    is_out_of_time = serializers.BooleanField(
        read_only=True, help_text="Made after the 12-month time limit (regulation 12): a decision is needed."
    )
    complaint_made_on = serializers.DateField(
        read_only=True,
        help_text="The day the statutory clocks run from: the received date, or the day a PALS concern was escalated.",
    )
    acknowledgement_method = serializers.SerializerMethodField(
        help_text="How the acknowledgement was sent; null if it has not been, or if it was recorded without one."
    )
    next_due_state = serializers.SerializerMethodField(
        help_text="The state of the earliest deadline still to meet (next_due_on); null when nothing is due."
    )
    grade = GradeSummarySerializer(read_only=True, allow_null=True, help_text="The current grade; null until graded.")
    outcome = OutcomeField(
        read_only=True,
        allow_null=True,
        help_text="Derived from the issues' outcomes (KO41a); null until every issue has one.",
    )

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
            "complaint_made_on",
            "acknowledgement_due_on",
            "acknowledged_on",
            "acknowledgement_method",
            "response_due_on",
            "response_due_basis",
            "on_hold_since",
            "held_working_days",
            "responded_on",
            "long_stop_on",
            "delay_letter_sent_on",
            "time_limit_on",
            "is_out_of_time",
            "closed_on",
            "next_due_on",
            "next_due_state",
            "reopened_count",
            "grade",
            "outcome",
            "version",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AcknowledgementMethodField(allow_null=True))
    def get_acknowledgement_method(self, case) -> str | None:
        return case.acknowledgement_method or None

    @extend_schema_field(ClockStateField(allow_null=True))
    def get_next_due_state(self, case) -> str | None:
        if case.next_due_on is None:
            return None
        today, calendars = _today_and_calendars(self.context)
        # next_due_on leaves out a held response clock, so the deadline it names is never on hold.
        return clocks.state_of(due_on=case.next_due_on, met_on=None, today=today, calendar=calendars.trust).value


class CaseDetailSerializer(CaseSerializer):
    people = CasePartySerializer(source="parties", many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    escalated_to = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField(
        help_text="Every clock on the case, in the order the team reads them, with its state and how it was worked out."
    )
    delay_letter_owed = serializers.SerializerMethodField(
        help_text="Regulation 14(2): the long-stop has passed with no response and no letter yet saying why."
    )
    time_limit_decision = serializers.SerializerMethodField(
        help_text="The regulation 12(4) decision on a complaint made after the time limit; null if none is recorded."
    )
    grade = serializers.SerializerMethodField(
        help_text="The current grade with how it was worked out (the latest grading); null until graded."
    )
    collection_year = serializers.SerializerMethodField(
        help_text="The KO41a year whose lists code a new issue on the case: its financial year of receipt, or the "
        "latest loaded before it. Null when no lists are loaded."
    )
    issues = IssueSerializer(many=True, read_only=True)
    closing_gaps = serializers.SerializerMethodField(
        help_text="What the case's coding still needs before it can be closed, one line each; empty when nothing "
        "does (and for cases whose closing does not depend on coding, or that are finished)."
    )

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "account",
            "outcome_wanted",
            "people",
            "allowed_transitions",
            "escalated_to",
            "clocks",
            "delay_letter_owed",
            "time_limit_decision",
            "collection_year",
            "issues",
            "closing_gaps",
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

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, case) -> list[dict]:
        today, calendars = _today_and_calendars(self.context)
        return ClockSerializer(deadline_selectors.clocks_of(case, today=today, calendars=calendars), many=True).data

    def get_delay_letter_owed(self, case) -> bool:
        today, _ = _today_and_calendars(self.context)
        return clocks.delay_letter_owed(case, today=today)

    @extend_schema_field(TimeLimitDecisionSerializer(allow_null=True))
    def get_time_limit_decision(self, case) -> dict | None:
        try:
            decision = case.time_limit_decision
        except Case.time_limit_decision.RelatedObjectDoesNotExist:
            return None
        return TimeLimitDecisionSerializer(decision).data

    @extend_schema_field(CaseGradeSerializer(allow_null=True))
    def get_grade(self, case) -> dict | None:
        if case.grade_id is None:
            return None
        return CaseGradeSerializer(grading_selectors.grading_history(case)[-1]).data

    def get_collection_year(self, case) -> str | None:
        return coding_selectors.coding_year_for(case)

    def get_closing_gaps(self, case) -> list[str]:
        if not case.is_open or case.kind not in KINDS_CLOSED_ONLY_WHEN_CODED:
            return []
        return coding_selectors.closing_gaps(case)


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
    version = VersionField()


class AcknowledgementSerializer(StrictSerializer):
    """Regulation 13(2): the acknowledgement, how it was sent and when. The case moves to 'acknowledged'."""

    sent_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day it was sent: today if left out; never in the future."
    )
    method = AcknowledgementMethodField(
        help_text="How it was sent. An acknowledgement by phone or in person is confirmed in writing.",
    )
    version = VersionField()


class NoteSerializer(StrictSerializer):
    """A note for the case's timeline."""

    body = LimitedText(max_length=services.NOTE_MAX_CHARACTERS)


class AssignmentSerializer(StrictSerializer):
    """Who works the case. Leave a field out to keep it as it is; null assigns nobody."""

    case_officer = UsernameField(required=False, allow_null=True)
    investigating_manager = UsernameField(required=False, allow_null=True)
    reason = LimitedText(max_length=services.REASON_MAX_CHARACTERS, required=False, allow_blank=True)
    version = VersionField()


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


DUE_WITHIN_MIN_WORKING_DAYS = 1
DUE_WITHIN_MAX_WORKING_DAYS = 60


class WorkingDaysFilter(django_filters.NumberFilter):
    """A whole number of working days: '2.5' or 'ten' is refused, not rounded or ignored."""

    field_class = forms.IntegerField


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
    # The due filters read next_due_on, the indexed earliest deadline still to meet: a finished case has none.
    due = django_filters.ChoiceFilter(
        choices=[
            ("overdue", "Overdue: the next deadline has passed"),
            ("today", "Due today"),
            ("soon", f"Due today or within {clocks.DUE_SOON_WORKING_DAYS} working days"),
        ],
        method="filter_due",
        help_text=(
            "By the case's next deadline: 'overdue' (passed), 'today', or 'soon' (today or within "
            f"{clocks.DUE_SOON_WORKING_DAYS} of the trust's working days)."
        ),
    )
    due_within = extend_schema_field(
        {
            "type": "integer",
            "minimum": DUE_WITHIN_MIN_WORKING_DAYS,
            "maximum": DUE_WITHIN_MAX_WORKING_DAYS,
            "description": "Cases whose next deadline is today or within this many of the trust's working days.",
        }
    )(
        WorkingDaysFilter(
            method="filter_due_within",
            min_value=DUE_WITHIN_MIN_WORKING_DAYS,
            max_value=DUE_WITHIN_MAX_WORKING_DAYS,
        )
    )
    on_hold = extend_schema_field(
        {"type": "boolean", "description": "true: cases whose response clock is on hold; false: the others."}
    )(django_filters.ChoiceFilter(choices=[("true", "On hold"), ("false", "Not on hold")], method="filter_on_hold"))

    class Meta:
        model = Case
        fields = ["kind", "status", "division", "assignee", "due", "due_within", "on_hold"]

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

    def filter_due(self, queryset, name, value):
        due_list = {
            "overdue": deadline_selectors.overdue,
            "today": deadline_selectors.due_today,
            "soon": deadline_selectors.due_soon,
        }[value]
        return due_list(queryset, today=timezone.localdate())

    def filter_due_within(self, queryset, name, value):
        return deadline_selectors.due_within(queryset, today=timezone.localdate(), working_days=value)

    def filter_on_hold(self, queryset, name, value):
        if value == "true":
            return deadline_selectors.on_hold(queryset)
        return queryset.filter(on_hold_since__isnull=True)


# What a refused request answers, for the OpenAPI document.
_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot do this."),
    404: OpenApiResponse(description="No case with that reference that the caller may see."),
}
_STALE = {409: OpenApiResponse(description="The case changed after the `version` given was read; nothing saved.")}
_ISSUE_ID = OpenApiParameter("issue_id", int, OpenApiParameter.PATH, description="The issue's id.")
_NO_ISSUE = {404: OpenApiResponse(description="No case with that reference that the caller may see, or no such issue.")}


class VersionQuery(serializers.Serializer):
    version = VersionField()


@extend_schema_view(
    list=extend_schema(
        description="Cases the caller may see, newest received first, a page at a time (cursor).",
        responses={
            200: CaseSerializer(many=True),
            400: OpenApiResponse(description="A filter's value is not one it takes, such as due_within=0."),
        },
    )
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. A case they may not see answers 404, as if it did not exist."""

    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]+"
    filterset_class = CaseFilter
    serializer_class = CaseSerializer

    def get_queryset(self):
        cases = selectors.cases_visible_to(self.request.user).select_related(
            "division", "site", "service", "case_officer", "investigating_manager", "escalated_from", "grade"
        )
        if self.action == "retrieve":
            cases = self._with_details(cases)
        return cases

    @staticmethod
    def _with_details(cases):
        """What the case detail shows beyond a list row: its people, any time-limit decision, and its issues."""
        return cases.select_related("time_limit_decision__decided_by").prefetch_related(
            "parties__person__communication_needs", coding_selectors.issues_prefetch()
        )

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
        case = self._with_details(self.get_queryset()).get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status_code)

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        incoming = serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data

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

    # The clocks -----------------------------------------------------------------------------------------------

    @extend_schema(
        request=AcknowledgementSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field, or in `detail` why the case cannot be acknowledged now "
                "(only complaints and MP letters are, once)."
            ),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"])
    def acknowledgement(self, request, reference=None):
        """Record the acknowledgement (regulation 13(2)): how and when it was sent. The case moves to 'acknowledged'."""
        case = self.get_object()
        data = self._valid(AcknowledgementSerializer, request)
        with fields_renamed(on="sent_on", acknowledgement_method="method"):
            acknowledged = services.move_case(
                case,
                to=Status.ACKNOWLEDGED,
                on=data.get("sent_on"),
                acknowledgement_method=data["method"],
                expected_version=data.get("version"),
                actor=request.user,
            )
        return self._detail(request, acknowledged)

    @extend_schema(
        request=ResponseDateSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field (an extension agreed after the date it replaces must be marked "
                "late, with the reason), or in `detail` why the response date cannot change: the case is finished, "
                "the response was sent, or a date is already agreed (send an extension)."
            ),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"], url_path="response-date")
    def response_date(self, request, reference=None):
        """Record a response date agreed with the complainant (regulation 13(7)), or an extension of it."""
        case = self.get_object()
        data = dict(self._valid(ResponseDateSerializer, request))
        agree = (
            deadline_services.agree_extension
            if data.pop("kind") == "extension"
            else deadline_services.agree_response_date
        )
        changed = agree(
            case,
            due_on=data["due_on"],
            agreed_with=data["agreed_with"],
            agreed_on=data["agreed_on"],
            reason=data.get("reason", ""),
            is_late=data["is_late"],
            late_reason=data.get("late_reason", ""),
            expected_version=data.get("version"),
            actor=request.user,
        )
        return self._detail(request, changed)

    @extend_schema(
        request=HoldSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field (a hold reason no longer in use is refused), or in `detail` why "
                "the clock cannot be held: already on hold, finished, or the response already sent."
            ),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, reference=None):
        """Put the trust's response clock on hold. The statutory clocks (acknowledgement, long-stop) keep running."""
        case = self.get_object()
        data = self._valid(HoldSerializer, request)
        held = deadline_services.put_on_hold(
            case,
            reason=data["reason"],
            started_on=data["started_on"],
            note=data.get("note", ""),
            expected_version=data.get("version"),
            actor=request.user,
        )
        return self._detail(request, held)

    @extend_schema(
        request=HoldReleaseSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(description="Bad input per field, or in `detail`: the case is not on hold."),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"], url_path="hold/release", url_name="hold-release")
    def hold_release(self, request, reference=None):
        """End the hold: a response date from the trust's target moves on by the working days held."""
        case = self.get_object()
        data = self._valid(HoldReleaseSerializer, request)
        released = deadline_services.release_hold(
            case, ended_on=data["ended_on"], expected_version=data.get("version"), actor=request.user
        )
        return self._detail(request, released)

    @extend_schema(
        request=TimeLimitDecisionInSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field, or in `detail`: the complaint was made within the time limit, "
                "so no decision is needed."
            ),
            403: OpenApiResponse(description="Only a complaints co-ordinator or an administrator decides."),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"], url_path="time-limit-decision")
    def time_limit_decision(self, request, reference=None):
        """Record whether a complaint made after the 12-month limit is taken on (regulation 12(4)), and why."""
        case = self.get_object()
        data = self._valid(TimeLimitDecisionInSerializer, request)
        deadline_services.record_time_limit_decision(
            case,
            has_good_reasons=data["has_good_reasons"],
            can_investigate_fairly=data["can_investigate_fairly"],
            rationale=data["rationale"],
            decided_on=data["decided_on"],
            expected_version=data.get("version"),
            actor=request.user,
        )
        return self._detail(request, case)

    @extend_schema(
        request=DelayLetterSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field, or in `detail` why there is no delay letter to record: not a "
                "complaint, finished, or the response already sent."
            ),
            **_STALE,
        },
    )
    @action(detail=True, methods=["post"], url_path="delay-letter")
    def delay_letter(self, request, reference=None):
        """Record the letter explaining why the response has not come within the 6-month long-stop (regulation 14)."""
        case = self.get_object()
        data = self._valid(DelayLetterSerializer, request)
        written = deadline_services.record_delay_letter(
            case, sent_on=data["sent_on"], expected_version=data.get("version"), actor=request.user
        )
        return self._detail(request, written)

    # Grading and coding ---------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        description="Every grading of the case, the first first, with who graded it, when, why and under which scheme.",
        responses={200: CaseGradingSerializer(many=True), 404: _REFUSED[404]},
    )
    @extend_schema(
        methods=["POST"],
        description="Grade (or regrade) a complaint or MP letter with the scheme in use: {consequence, likelihood} "
        "under a matrix, {grade} under named levels, with the rationale. A response date that runs on the trust's "
        "target moves to the grade's target; an agreed date and the statutory clocks never do. Answers the case.",
        request=GradingInSerializer,
        responses={
            201: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field (a consequence or likelihood outside 1 to 5, a grade that is not "
                "the scheme's or disagrees with the score, no rationale), or in `detail` why the case cannot be "
                "graded: not a complaint or MP letter, finished, or no scheme in use."
            ),
            403: OpenApiResponse(description="Only a complaints co-ordinator or an administrator grades."),
            **_STALE,
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def grading(self, request, reference=None):
        case = self.get_object()
        if request.method == "GET":
            return Response(CaseGradingSerializer(grading_selectors.grading_history(case), many=True).data)
        incoming = GradingInSerializer(data=request.data, context={"scheme": grading_selectors.current_scheme()})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        graded = grading_services.grade_case(
            case,
            rationale=data["rationale"],
            consequence=data.get("consequence"),
            likelihood=data.get("likelihood"),
            grade=data.get("grade"),
            expected_version=data.get("version"),
            actor=request.user,
        )
        return self._detail(request, graded, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        description="The case's issues in order, each with its codes and outcome.",
        responses={200: IssueSerializer(many=True), 404: _REFUSED[404]},
    )
    @extend_schema(
        methods=["POST"],
        description="Add an issue (an aspect of the case) with its codes, given by code from the lists of the "
        "case's collection_year. Answers the case, with the new issue last in `issues`.",
        request=IssueInSerializer,
        responses={
            201: CaseDetailSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field: a code not in the year's list (the message names the year), a "
                "code no longer in use, a missing subject, service area or (complaints) profession, a sub-category "
                "on a subject other than clinical treatment, HCAT severity outside 1 to 3 or harm outside 0 to 5, "
                "an outcome on a case that has none; or in `detail` why the coding of a closed complaint cannot be "
                "left with a gap."
            ),
            403: OpenApiResponse(description="The caller's role cannot code cases, or cannot record outcomes."),
            **_STALE,
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def issues(self, request, reference=None):
        case = self.get_object()
        if request.method == "GET":
            return Response(IssueSerializer(coding_selectors.issues_of(case), many=True).data)
        incoming = IssueInSerializer(data=request.data, context=issue_context(case))
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        version = values.pop("version", None)
        coding_services.add_issue(case, actor=request.user, expected_version=version, **values)
        return self._detail(request, case, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        description="Change an issue's description, codes or outcome; fields left out keep their values. Codes are "
        "looked up in the lists of the year the issue is coded with. Changing the outcome needs a role that records "
        "outcomes; an investigator who does not code records it at .../outcome/. Answers the case.",
        parameters=[_ISSUE_ID],
        request=IssueInSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            **_NO_ISSUE,
            400: OpenApiResponse(description="Bad input per field, as when adding an issue."),
            **_STALE,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        description="Remove an issue recorded in error; the later issues are numbered down. Give the case version "
        "as ?version= (or in a JSON body). Answers the case.",
        parameters=[
            _ISSUE_ID,
            OpenApiParameter("version", int, description="The case version you read; if it has changed since, 409."),
        ],
        request=None,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            **_NO_ISSUE,
            400: OpenApiResponse(
                description="A bad version, or in `detail`: a closed complaint cannot be left without issues."
            ),
            **_STALE,
        },
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"issues/(?P<issue_id>[0-9]+)", url_name="issue")
    def issue(self, request, reference=None, issue_id=None):
        case = self.get_object()
        issue = issue_of(case, int(issue_id))
        if request.method == "DELETE":
            coding_services.remove_issue(issue, actor=request.user, expected_version=self._removal_version(request))
            return self._detail(request, case)
        incoming = IssueInSerializer(data=request.data, context=issue_context(case, issue), partial=True)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        version = changes.pop("version", None)
        coding_services.change_issue(issue, actor=request.user, expected_version=version, **changes)
        return self._detail(request, case)

    def _removal_version(self, request) -> int | None:
        # A DELETE body is optional; one that is sent is read as strictly as any other.
        incoming = (
            IssueRemovalSerializer(data=request.data) if request.data else VersionQuery(data=request.query_params)
        )
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data.get("version")

    @extend_schema(
        description="Record what the investigation found on one issue (complaints and MP letters). The case's "
        "outcome is derived again from all its issues. Answers the case.",
        parameters=[_ISSUE_ID],
        request=IssueOutcomeSerializer,
        responses={
            200: CaseDetailSerializer,
            **_REFUSED,
            **_NO_ISSUE,
            400: OpenApiResponse(
                description="Bad input per field: an unknown outcome, an outcome on a case that has none, "
                "'not_investigated' without a reason or a reason with another outcome."
            ),
            403: OpenApiResponse(description="The caller's role cannot record outcomes."),
            **_STALE,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"issues/(?P<issue_id>[0-9]+)/outcome",
        url_name="issue-outcome",
    )
    def issue_outcome(self, request, reference=None, issue_id=None):
        case = self.get_object()
        issue = issue_of(case, int(issue_id))
        data = self._valid(IssueOutcomeSerializer, request)
        coding_services.record_issue_outcome(
            issue,
            outcome=data["outcome"],
            not_investigated_reason=data.get("not_investigated_reason", ""),
            expected_version=data.get("version"),
            actor=request.user,
        )
        return self._detail(request, case)

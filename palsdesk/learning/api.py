"""The action plans API: plans, their actions, evidence files and the "you said, we did" list, through the same
selectors and services as the web pages. A plan or action the caller may not see answers 404."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from palsdesk.api.serializers import ActiveCodeField, LimitedText, ListedChoiceField, StrictSerializer, UsernameField
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.coding.api import CodeField, CodeListField, CodeRefSerializer, LocalSubjectRefSerializer
from palsdesk.coding.models import LocalSubject, TaxonomyKind
from palsdesk.learning import selectors, services
from palsdesk.learning.models import (
    OUTSTANDING_STATUSES,
    Action,
    ActionPlan,
    ActionStatus,
    Evidence,
    PlanScope,
    PublicWording,
)
from palsdesk.organisation.models import Division


class PlanPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ActionPagination(CursorPagination):
    ordering = ("due_on", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PublishedPagination(CursorPagination):
    ordering = ("-completed_on", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# Named schema components: "status" and "scope" are also the names of other fields.
@extend_schema_field({"type": "string", "enum": ActionStatus.values}, component_name="ActionStatusEnum")
class ActionStatusField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(ActionStatus.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": PlanScope.values}, component_name="PlanScopeEnum")
class PlanScopeField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(PlanScope.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": [due.value for due in selectors.ActionDue]}, component_name="ActionDueEnum"
)
class ActionDueField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__([(due.value, due.value) for due in selectors.ActionDue], **kwargs)


def _theme_context() -> dict:
    """The lists theme codes are looked up in (coding.api's code fields read these names)."""
    year, hcat = selectors.theme_editions()
    return {"collection_year": year, "hcat_edition": hcat}


# What a client reads --------------------------------------------------------------------------------------------------


class PublicWordingSerializer(serializers.ModelSerializer):
    is_approved = serializers.BooleanField(read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = PublicWording
        fields = ["you_said", "we_did", "is_approved", "approved_at", "approved_by"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    plan_title = serializers.CharField(source="plan.title", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = ActionStatusField(read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text="Open or in progress, and past its due date.")
    cases = serializers.SerializerMethodField(
        help_text="The references of the cases that prompted it, and its plan's case, that the caller may see."
    )
    subjects = serializers.SerializerMethodField(help_text="KO41a subjects and HCAT categories.")
    local_subjects = LocalSubjectRefSerializer(many=True, read_only=True)
    public_wording = serializers.SerializerMethodField(help_text="The 'you said, we did' words; null if none yet.")

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "plan_title",
            "description",
            "owner",
            "due_on",
            "status",
            "is_overdue",
            "completed_on",
            "dropped_reason",
            "cases",
            "subjects",
            "local_subjects",
            "public_wording",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, action) -> bool:
        return action.status in OUTSTANDING_STATUSES and action.due_on < self.context.setdefault(
            "today", timezone.localdate()
        )

    def get_cases(self, action) -> list[str]:
        references = [case.reference for case in action.cases.all()]
        plan_case = action.plan.case if action.plan.case_id else None
        if plan_case is not None and plan_case.reference not in references:
            references.insert(0, plan_case.reference)
        return references

    @extend_schema_field(CodeRefSerializer(many=True))
    def get_subjects(self, action) -> list[dict]:
        return CodeRefSerializer(action.subjects.all(), many=True).data

    @extend_schema_field(PublicWordingSerializer(allow_null=True))
    def get_public_wording(self, action) -> dict | None:
        wording = getattr(action, "public_wording", None)
        return PublicWordingSerializer(wording).data if wording is not None else None


class ActionPlanSerializer(serializers.ModelSerializer):
    scope = PlanScopeField(read_only=True)
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    subject = CodeRefSerializer(read_only=True, allow_null=True, help_text="A KO41a subject or HCAT category.")
    local_subject = LocalSubjectRefSerializer(read_only=True, allow_null=True)
    theme_label = serializers.CharField(read_only=True, help_text="The theme as the team reads it; '' if none.")
    division = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    responsible_division = serializers.SerializerMethodField(
        help_text="The code of the plan's division, or else its case's; null for a trust-wide theme."
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "scope",
            "case",
            "subject",
            "local_subject",
            "theme",
            "theme_label",
            "division",
            "responsible_division",
            "summary",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields

    def get_responsible_division(self, plan) -> str | None:
        division = plan.responsible_division
        return division.code if division else None


class ActionPlanListSerializer(ActionPlanSerializer):
    action_count = serializers.IntegerField(read_only=True)
    outstanding_count = serializers.IntegerField(read_only=True, help_text="Open or in progress.")
    overdue_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)

    class Meta(ActionPlanSerializer.Meta):
        fields = [*ActionPlanSerializer.Meta.fields, "action_count", "outstanding_count", "overdue_count", "done_count"]
        read_only_fields = fields


class ActionPlanDetailSerializer(ActionPlanSerializer):
    actions = serializers.SerializerMethodField()

    class Meta(ActionPlanSerializer.Meta):
        fields = [*ActionPlanSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, plan) -> list[dict]:
        return ActionSerializer(plan.actions.all(), many=True, context=self.context).data


class EvidenceSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text="Where to download the file; null for a note alone.")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = ["id", "note", "file_name", "content_type", "size_bytes", "file", "created_at", "created_by"]
        read_only_fields = fields

    def get_file(self, evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse("api:learning-evidence-file", kwargs={"pk": evidence.pk}, request=self.context.get("request"))


class PublishedSerializer(serializers.Serializer):
    """One entry of the 'you said, we did' list: approved words only."""

    action_id = serializers.IntegerField(read_only=True)
    you_said = serializers.CharField(read_only=True)
    we_did = serializers.CharField(read_only=True)
    completed_on = serializers.DateField(read_only=True)
    division = serializers.CharField(read_only=True)
    themes = serializers.ListField(child=serializers.CharField(), read_only=True)


# What a client sends ------------------------------------------------------------------------------------------------


class PlanInSerializer(StrictSerializer):
    """A new plan: for a case (its reference), a theme (one of subject, hcat_category, local_subject or theme) or a
    division."""

    title = LimitedText(max_length=services.TITLE_MAX_CHARACTERS)
    scope = PlanScopeField()
    case = serializers.CharField(required=False, max_length=20, help_text="With scope 'case': its reference.")
    subject = CodeField(TaxonomyKind.SUBJECT, required=False, allow_null=True, help_text="A KO41a subject's code.")
    hcat_category = CodeField(
        TaxonomyKind.HCAT_CATEGORY, required=False, allow_null=True, help_text="An HCAT category's code."
    )
    local_subject = serializers.PrimaryKeyRelatedField(
        queryset=LocalSubject.objects.all(), required=False, allow_null=True, help_text="A local subject's id."
    )
    theme = LimitedText(max_length=services.THEME_MAX_CHARACTERS, required=False, allow_blank=True)
    division = ActiveCodeField(Division, label="division", required=False, allow_null=True)
    summary = LimitedText(max_length=services.TEXT_MAX_CHARACTERS, required=False, allow_blank=True)

    def validate(self, data):
        if data.get("subject") and data.get("hcat_category"):
            raise serializers.ValidationError(
                {"hcat_category": ["Give a KO41a subject or an HCAT category, not both."]}
            )
        return data


class ActionInSerializer(StrictSerializer):
    """An action: what will be done, its owner (a username), due date, and the cases and themes that prompted it.
    Under PATCH, fields left out keep their values."""

    description = LimitedText(max_length=services.TEXT_MAX_CHARACTERS)
    owner = UsernameField()
    due_on = serializers.DateField()
    cases = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=services.MAX_LINKED_CASES,
        help_text="References of the cases that prompted it.",
    )
    subjects = CodeListField(TaxonomyKind.SUBJECT, required=False, help_text="KO41a subjects' codes.")
    hcat_categories = CodeListField(TaxonomyKind.HCAT_CATEGORY, required=False, help_text="HCAT categories' codes.")
    local_subjects = serializers.PrimaryKeyRelatedField(
        queryset=LocalSubject.objects.all(), many=True, required=False, help_text="Local subjects' ids."
    )


class StatusInSerializer(StrictSerializer):
    status = ActionStatusField()
    reason = LimitedText(
        max_length=services.REASON_MAX_CHARACTERS, required=False, allow_blank=True, help_text="Needed to drop it."
    )
    completed_on = serializers.DateField(
        required=False, allow_null=True, help_text="With 'done': the day it was done; today if left out."
    )


class EvidenceInSerializer(StrictSerializer):
    """Multipart: a file that meets the attachment rules, a note, or both."""

    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    note = LimitedText(max_length=services.TEXT_MAX_CHARACTERS, required=False, allow_blank=True)


class WordingInSerializer(StrictSerializer):
    you_said = LimitedText(max_length=services.WORDING_MAX_CHARACTERS)
    we_did = LimitedText(max_length=services.WORDING_MAX_CHARACTERS)


class WithdrawInSerializer(StrictSerializer):
    reason = LimitedText(max_length=services.REASON_MAX_CHARACTERS)


class PlanQuery(serializers.Serializer):
    division = serializers.CharField(required=False, max_length=12)
    scope = PlanScopeField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)


class ActionQuery(serializers.Serializer):
    due = ActionDueField(required=False)
    division = serializers.CharField(required=False, max_length=12)
    mine = serializers.BooleanField(required=False, default=False)


class PublishedQuery(serializers.Serializer):
    completed_from = serializers.DateField(required=False)
    completed_to = serializers.DateField(required=False)
    division = serializers.CharField(required=False, max_length=12)


def _valid(serializer_class, data, *, partial: bool = False, context: dict | None = None) -> dict:
    incoming = serializer_class(data=data, partial=partial, context=context or {})
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


def _cases_named(user, references: list[str]) -> list:
    references = list(dict.fromkeys(reference.strip().upper() for reference in references))
    found = {case.reference: case for case in cases_visible_to(user).filter(reference__in=references)}
    missing = [reference for reference in references if reference not in found]
    if missing:
        raise ValidationError({"cases": [f"There is no case {reference} that you can see." for reference in missing]})
    return [found[reference] for reference in references]


def _action_arguments(user, values: dict) -> dict:
    """The service's arguments from an ActionInSerializer's values: cases found, both kinds of theme code together."""
    if "cases" in values:
        values["cases"] = _cases_named(user, values["cases"])
    if "subjects" in values or "hcat_categories" in values:
        values["subjects"] = [*values.get("subjects", []), *values.pop("hcat_categories", [])]
    return values


_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot do this, or the plan is not one of their divisions'."),
    404: OpenApiResponse(description="No plan or action with that id that the caller may see."),
}
BAD_QUERY = {400: OpenApiResponse(description="A query parameter's value is not one it takes.")}


@extend_schema_view(
    list=extend_schema(
        description="The plans the caller may see, newest first (cursor), with counts of their actions.",
        parameters=[PlanQuery],
        responses={200: ActionPlanListSerializer(many=True), **BAD_QUERY},
    ),
    retrieve=extend_schema(responses={200: ActionPlanDetailSerializer, 404: _REFUSED[404]}),
)
class ActionPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action plans. A divisional manager sees only their divisions' plans (by the plan's division or its case's)."""

    serializer_class = ActionPlanListSerializer
    pagination_class = PlanPagination
    filter_backends = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        query = _valid(PlanQuery, self.request.query_params)
        filters = selectors.PlanFilters(
            division=query.get("division", ""), scope=query.get("scope", ""), only_overdue=query["overdue"]
        )
        return selectors.plan_list(self.request.user, filters, today=timezone.localdate())

    def retrieve(self, request, pk=None):
        plan = selectors.plan_for_page(request.user, int(pk))
        return Response(ActionPlanDetailSerializer(plan, context={"request": request}).data)

    def _detail(self, request, plan, status_code=status.HTTP_200_OK):
        plan = selectors.plan_for_page(request.user, plan.pk)
        return Response(ActionPlanDetailSerializer(plan, context={"request": request}).data, status=status_code)

    @extend_schema(
        description="Raise a plan for a case, a theme or a division.",
        request=PlanInSerializer,
        responses={201: ActionPlanDetailSerializer, 400: _REFUSED[400], 403: _REFUSED[403]},
    )
    def create(self, request):
        values = _valid(PlanInSerializer, request.data, context=_theme_context())
        hcat_category = values.pop("hcat_category", None)
        values["subject"] = values.get("subject") or hcat_category
        reference = values.pop("case", "").strip().upper()
        if reference:
            case = cases_visible_to(request.user).filter(reference=reference).first()
            if case is None:
                raise ValidationError({"case": [f"There is no case {reference} that you can see."]})
            values["case"] = case
        plan = services.raise_action_plan(actor=request.user, **values)
        return self._detail(request, plan, status.HTTP_201_CREATED)

    @extend_schema(
        description="Add an action to the plan.",
        request=ActionInSerializer,
        responses={201: ActionSerializer, **_REFUSED},
    )
    @endpoint(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        plan = selectors.visible_plan(request.user, int(pk))
        values = _action_arguments(request.user, _valid(ActionInSerializer, request.data, context=_theme_context()))
        added = services.add_action(plan, actor=request.user, **values)
        action = selectors.action_for_page(request.user, added.pk)
        return Response(ActionSerializer(action, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        description="The actions the caller may see, soonest due first (cursor). due=overdue lists those past their "
        "due date and not done or dropped.",
        parameters=[ActionQuery],
        responses={200: ActionSerializer(many=True), **BAD_QUERY},
    ),
    retrieve=extend_schema(responses={200: ActionSerializer, 404: _REFUSED[404]}),
)
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actions on the plans the caller may see."""

    serializer_class = ActionSerializer
    pagination_class = ActionPagination
    filter_backends = []
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        query = _valid(ActionQuery, self.request.query_params)
        filters = selectors.ActionFilters(
            due=query.get("due", ""), division=query.get("division", ""), mine=query["mine"]
        )
        user = self.request.user
        return (
            selectors.action_list(user, filters, today=timezone.localdate())
            .select_related("public_wording__approved_by")
            .prefetch_related(*selectors.action_prefetches(user))
        )

    def retrieve(self, request, pk=None):
        action = selectors.action_for_page(request.user, int(pk))
        return Response(ActionSerializer(action, context={"request": request}).data)

    def _detail(self, request, action):
        action = selectors.action_for_page(request.user, action.pk)
        return Response(ActionSerializer(action, context={"request": request}).data)

    @extend_schema(
        description="Change what the action is, its owner, due date or links. Fields left out keep their values.",
        request=ActionInSerializer,
        responses={200: ActionSerializer, **_REFUSED},
    )
    def partial_update(self, request, pk=None):
        action = selectors.visible_action(request.user, int(pk))
        values = _valid(ActionInSerializer, request.data, partial=True, context=_theme_context())
        changed = services.change_action(action, actor=request.user, **_action_arguments(request.user, values))
        return self._detail(request, changed)

    @extend_schema(
        description="Move the action on: in progress, done (on a day; today if left out), dropped (with the reason).",
        request=StatusInSerializer,
        responses={200: ActionSerializer, **_REFUSED},
    )
    @endpoint(detail=True, methods=["post"])
    def status(self, request, pk=None):
        action = selectors.visible_action(request.user, int(pk))
        values = _valid(StatusInSerializer, request.data)
        updated = services.update_action_status(action, actor=request.user, **values)
        return self._detail(request, updated)

    @extend_schema(
        methods=["GET"],
        description="The action's evidence, oldest first.",
        responses={200: EvidenceSerializer(many=True), 404: _REFUSED[404]},
    )
    @extend_schema(
        methods=["POST"],
        description="Add evidence: a file that follows the attachment rules (PDF, Word, PNG or JPEG, .eml or .msg, "
        "text or CSV; its real type is checked, and it must be within the size limit), a note, or both. Multipart.",
        request={"multipart/form-data": EvidenceInSerializer},
        responses={201: EvidenceSerializer, **_REFUSED},
    )
    @endpoint(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser], pagination_class=None)
    def evidence(self, request, pk=None):
        action = selectors.visible_action(request.user, int(pk))
        if request.method == "GET":
            items = action.evidence.select_related("created_by").order_by("created_at", "pk")
            return Response(EvidenceSerializer(items, many=True, context={"request": request}).data)
        values = _valid(EvidenceInSerializer, request.data)
        added = services.add_evidence(
            action, actor=request.user, note=values.get("note", ""), upload=values.get("file")
        )
        return Response(EvidenceSerializer(added, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description="Write or rewrite the 'you said, we did' words (co-ordinators). Rewriting approved words takes "
        "the approval away.",
        request=WordingInSerializer,
        responses={200: ActionSerializer, **_REFUSED},
    )
    @endpoint(detail=True, methods=["put"], url_path="public-wording", url_name="public-wording")
    def public_wording(self, request, pk=None):
        action = selectors.visible_action(request.user, int(pk))
        services.write_public_wording(action, actor=request.user, **_valid(WordingInSerializer, request.data))
        return self._detail(request, action)

    @extend_schema(
        description="Approve the words for the trust's website. Refused for an action not done, or for words that "
        "contain personal data: an NHS number, a date of birth or full date, an email address or phone number, "
        "or the name of anyone on the cases it links to.",
        request=None,
        responses={200: ActionSerializer, **_REFUSED},
    )
    @endpoint(detail=True, methods=["post"], url_path="public-wording/approve", url_name="public-wording-approve")
    def approve_public_wording(self, request, pk=None):
        action = selectors.visible_action(request.user, int(pk))
        services.approve_public_wording(action, actor=request.user)
        return self._detail(request, action)

    @extend_schema(
        description="Take approved words off the list, with the reason.",
        request=WithdrawInSerializer,
        responses={200: ActionSerializer, **_REFUSED},
    )
    @endpoint(detail=True, methods=["post"], url_path="public-wording/withdraw", url_name="public-wording-withdraw")
    def withdraw_public_wording(self, request, pk=None):
        action = selectors.visible_action(request.user, int(pk))
        values = _valid(WithdrawInSerializer, request.data)
        services.withdraw_public_wording(action, actor=request.user, reason=values["reason"])
        return self._detail(request, action)


class EvidenceFileView(APIView):
    """An evidence file, only to a caller who may see its plan."""

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No evidence file with that id that the caller may see."),
        }
    )
    def get(self, request, pk):
        evidence = selectors.visible_evidence(request.user, pk)
        if not evidence.file:
            raise Http404("This evidence is a note, with no file.")
        services.record_evidence_download(evidence, actor=request.user)
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.file_name,
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema_view(
    get=extend_schema(
        description="The 'you said, we did' list: the approved words of done actions the caller may see, most "
        "recently done first (cursor). Words that no longer pass the personal data check are left out.",
        parameters=[PublishedQuery],
        responses={200: PublishedSerializer(many=True), **BAD_QUERY},
    )
)
class YouSaidWeDidView(GenericAPIView):
    serializer_class = PublishedSerializer
    pagination_class = PublishedPagination
    filter_backends = []

    def get_queryset(self):
        query = _valid(PublishedQuery, self.request.query_params)
        return selectors.approved_entries(self.request.user, selectors.WordingFilters(**query))

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        entries = selectors.you_said_we_did(page).entries
        return self.get_paginated_response(PublishedSerializer(entries, many=True).data)

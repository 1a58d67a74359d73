"""The API for cases taken further (/api/v1/ombudsman-cases/, cqc-enquiries/, joint-complaints/, contributions/):
the same selectors and services as the pages, as JSON.

Each record is found through the case it belongs to, so one on a case the caller may not see answers 404; a
role that may not do the work answers 403 before its input is read; a refusal answers 400 with a message per
field (the field names are the services' own).
"""

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from palsdesk.accounts.permissions import Permission, can
from palsdesk.api.serializers import ActiveCodeField, LimitedText, ListedChoiceField, StrictSerializer, UsernameField
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.escalations import selectors, services
from palsdesk.escalations.models import (
    Chaser,
    ComplianceEvidence,
    Contribution,
    CqcEnquiry,
    DayCount,
    Decision,
    JointBody,
    JointComplaint,
    OmbudsmanCase,
    OmbudsmanRequest,
    OmbudsmanStage,
    Recommendation,
    Stage,
)
from palsdesk.organisation.models import Division

TEXT = services.TEXT_MAX_CHARACTERS


class EscalationPagination(CursorPagination):
    """Keyset pages, the most recently recorded first."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# Named schema components: "stage", "kind", "status" and "decision" are also the names of other fields.
def _named_choices(choices, component: str, *, blank_is_null: bool = False):
    @extend_schema_field({"type": "string", "enum": choices.values}, component_name=component)
    class NamedChoiceField(ListedChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices.choices, **kwargs)

        def to_representation(self, value):
            if blank_is_null and not value:
                return None
            return super().to_representation(value)

    NamedChoiceField.__name__ = component.removesuffix("Enum") + "Field"
    return NamedChoiceField


StageField = _named_choices(Stage, "OmbudsmanStageEnum")
DecisionField = _named_choices(Decision, "OmbudsmanDecisionEnum", blank_is_null=True)
DayCountField = _named_choices(DayCount, "DayCountEnum", blank_is_null=True)
RecommendationKindField = _named_choices(Recommendation.Kind, "RecommendationKindEnum")
RecommendationStatusField = _named_choices(Recommendation.Status, "RecommendationStatusEnum")
VerdictField = _named_choices(ComplianceEvidence.Verdict, "EvidenceVerdictEnum")
ConsentField = _named_choices(JointComplaint.Consent, "ConsentToShareEnum")
BodyKindField = _named_choices(JointBody.Kind, "JointBodyKindEnum")

_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot do this."),
    404: OpenApiResponse(description="Not found on a case the caller may see."),
}
_CASE_FILTER = "A case's reference: only the records of that case."


def _require(request, permission: Permission, doing: str) -> None:
    if not can(request.user, permission):
        raise PermissionDenied(f"Your role cannot {doing}.")


def _valid(serializer_class, request, **context) -> dict:
    incoming = serializer_class(data=request.data, context={"request": request, **context})
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


@extend_schema_field({"type": "string", "example": "COM-2026-00042"})
class VisibleCaseField(serializers.Field):
    """A case given by its reference: one the caller may not see is 404, as if it did not exist."""

    default_error_messages = {"invalid": "Give the case's reference as text, such as COM-2026-00042."}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The case's reference, such as COM-2026-00042.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40:
            self.fail("invalid")
        case = cases_visible_to(self.context["request"].user).filter(reference=data.strip().upper()).first()
        if case is None:
            raise NotFound("No case with that reference that you can see.")
        return case

    def to_representation(self, value):
        return value.reference


# --- The Ombudsman -------------------------------------------------------------------------------------------------


class OmbudsmanStageSerializer(serializers.ModelSerializer):
    stage = StageField(read_only=True)
    recorded_by = serializers.SlugRelatedField(source="created_by", slug_field="username", read_only=True)

    class Meta:
        model = OmbudsmanStage
        fields = ["stage", "reached_on", "note", "recorded_by"]
        read_only_fields = fields


class OmbudsmanRequestSerializer(serializers.ModelSerializer):
    day_count = DayCountField(read_only=True, allow_null=True)
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = OmbudsmanRequest
        fields = [
            "id",
            "what_is_asked",
            "requested_on",
            "due_on",
            "period_days",
            "day_count",
            "sent_on",
            "what_was_sent",
            "sent_by",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "period_days": {"help_text": "The days the PHSO gave, when it gave days rather than a date."},
            "sent_on": {"help_text": "Null until the trust's reply is recorded as sent."},
        }


class ComplianceEvidenceSerializer(serializers.ModelSerializer):
    verdict = VerdictField(read_only=True)

    class Meta:
        model = ComplianceEvidence
        fields = ["id", "sent_on", "description", "verdict", "verdict_on", "verdict_note"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    kind = RecommendationKindField(read_only=True)
    status = RecommendationStatusField(read_only=True)
    evidence = ComplianceEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "kind", "description", "amount", "due_on", "status", "complied_on", "evidence"]
        read_only_fields = fields


class OmbudsmanCaseSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    handled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    stage = StageField(read_only=True)
    decision = DecisionField(read_only=True, allow_null=True)
    next_due_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The earliest reply or evidence of compliance the trust still owes; null when it owes none.",
    )

    class Meta:
        model = OmbudsmanCase
        fields = [
            "id",
            "case",
            "phso_reference",
            "caseworker_name",
            "caseworker_email",
            "caseworker_phone",
            "handled_by",
            "received_on",
            "stage",
            "stage_on",
            "decision",
            "decided_on",
            "closed_on",
            "next_due_on",
        ]
        read_only_fields = fields


class OmbudsmanCaseDetailSerializer(OmbudsmanCaseSerializer):
    stages = OmbudsmanStageSerializer(many=True, read_only=True)
    requests = OmbudsmanRequestSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)

    class Meta(OmbudsmanCaseSerializer.Meta):
        fields = [
            *OmbudsmanCaseSerializer.Meta.fields,
            "taken_early_because",
            "decision_summary",
            "stages",
            "requests",
            "recommendations",
        ]
        read_only_fields = fields


class OmbudsmanDetailsInSerializer(StrictSerializer):
    phso_reference = LimitedText(max_length=services.REFERENCE_MAX_CHARACTERS)
    caseworker_name = LimitedText(max_length=services.NAME_MAX_CHARACTERS, help_text="The PHSO caseworker.")
    caseworker_email = LimitedText(max_length=254, required=False, allow_blank=True)
    caseworker_phone = LimitedText(max_length=services.PHONE_MAX_CHARACTERS, required=False, allow_blank=True)
    handled_by = UsernameField(
        required=False, help_text="Who deals with the PHSO on this case here; the caller if left out."
    )


class OmbudsmanCaseInSerializer(OmbudsmanDetailsInSerializer):
    """The PHSO has taken up a complaint (after its local response, or early with the reason why)."""

    case = VisibleCaseField()
    received_on = serializers.DateField(help_text="The day the PHSO first contacted the trust.")
    stage = StageField(required=False, help_text="The stage it has reached; enquiry if left out.")
    taken_early_because = LimitedText(
        max_length=TEXT,
        required=False,
        allow_blank=True,
        help_text="Needed when the complaint has had no local response: why the PHSO took it early.",
    )


class OmbudsmanDetailsChangeSerializer(StrictSerializer):
    """Fields left out keep their values."""

    phso_reference = LimitedText(max_length=services.REFERENCE_MAX_CHARACTERS, required=False)
    caseworker_name = LimitedText(max_length=services.NAME_MAX_CHARACTERS, required=False)
    caseworker_email = LimitedText(max_length=254, required=False, allow_blank=True)
    caseworker_phone = LimitedText(max_length=services.PHONE_MAX_CHARACTERS, required=False, allow_blank=True)
    handled_by = UsernameField(required=False)


class OmbudsmanStageInSerializer(StrictSerializer):
    stage = StageField(help_text="A later stage than the current one (stages may be skipped, never gone back to).")
    reached_on = serializers.DateField()
    note = LimitedText(max_length=TEXT, required=False, allow_blank=True)


class DeadlineInSerializer(StrictSerializer):
    """A deadline as the request gives it: `due_on`, or `period_days` with `day_count`."""

    due_on = serializers.DateField(required=False, allow_null=True, help_text="The date given.")
    period_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=services.MAX_PERIOD_DAYS,
        help_text="Or the number of days given, counted from the day after the request.",
    )
    day_count = DayCountField(required=False, help_text="With period_days: calendar days, or England's working days.")


class OmbudsmanRequestInSerializer(DeadlineInSerializer):
    what_is_asked = LimitedText(max_length=TEXT)
    requested_on = serializers.DateField()


class ReplySentInSerializer(StrictSerializer):
    sent_on = serializers.DateField()
    what_was_sent = LimitedText(max_length=TEXT)


class OmbudsmanDecisionInSerializer(StrictSerializer):
    decision = DecisionField()
    decided_on = serializers.DateField()
    summary = LimitedText(max_length=TEXT, required=False, allow_blank=True)


class RecommendationInSerializer(StrictSerializer):
    kind = RecommendationKindField()
    description = LimitedText(max_length=TEXT)
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="In pounds; only for a financial remedy, which needs it.",
    )
    due_on = serializers.DateField(help_text="The date to comply by.")


class ComplianceEvidenceInSerializer(StrictSerializer):
    sent_on = serializers.DateField()
    description = LimitedText(max_length=TEXT, help_text="What was sent as evidence of compliance.")


class EvidenceAnswerInSerializer(StrictSerializer):
    is_accepted = serializers.BooleanField(help_text="Whether the PHSO accepted the evidence.")
    verdict_on = serializers.DateField(help_text="The date of the PHSO's answer.")
    note = LimitedText(
        max_length=TEXT, required=False, allow_blank=True, help_text="What the PHSO said; needed if not accepted."
    )
    new_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not accepted: a new date to comply by, if the PHSO gave one."
    )


class OmbudsmanClosureInSerializer(StrictSerializer):
    closed_on = serializers.DateField()


class OmbudsmanCaseFilter(django_filters.FilterSet):
    case = django_filters.CharFilter(field_name="case__reference", help_text=_CASE_FILTER)
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", help_text="true: open PHSO cases; false: closed ones."
    )

    class Meta:
        model = OmbudsmanCase
        fields = ["case", "open"]


_PHSO_ANSWER = {
    **_REFUSED,
    400: OpenApiResponse(
        description="Bad input per field, or in `detail` the rule it breaks: the PHSO case is closed, for example."
    ),
}


class OmbudsmanCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The PHSO's cases on complaints the caller may see: stages, requests with their deadlines and what was
    sent, the decision, and recommendations with the evidence of compliance. Writes answer the PHSO case."""

    pagination_class = EscalationPagination
    filterset_class = OmbudsmanCaseFilter
    queryset = OmbudsmanCase.objects.none()  # for the schema; get_queryset scopes every request

    def get_queryset(self):
        found = selectors.with_next_due(selectors.ombudsman_cases_visible_to(self.request.user))
        if self.action == "list":
            return found.select_related("case", "handled_by")
        return selectors.ombudsman_case_details(found)

    def get_serializer_class(self):
        return OmbudsmanCaseSerializer if self.action == "list" else OmbudsmanCaseDetailSerializer

    def _answer(self, ombudsman_case, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=ombudsman_case.pk)
        return Response(OmbudsmanCaseDetailSerializer(fresh).data, status=status_code)

    def _for_change(self):
        found = self.get_object()
        _require(self.request, Permission.HANDLE_OMBUDSMAN_AND_CQC, "record the Ombudsman's work on a case")
        return found

    @extend_schema(description="One PHSO case with its stages, requests, decision and recommendations.")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        description="Record that the PHSO has taken up a complaint. A complaint with no local response needs "
        "`taken_early_because`.",
        request=OmbudsmanCaseInSerializer,
        responses={201: OmbudsmanCaseDetailSerializer, **_REFUSED},
    )
    def create(self, request, *args, **kwargs):
        _require(request, Permission.HANDLE_OMBUDSMAN_AND_CQC, "record the Ombudsman's work on a case")
        data = _valid(OmbudsmanCaseInSerializer, request)
        case = data.pop("case")
        opened = services.open_ombudsman_case(case, actor=request.user, **data)
        return self._answer(opened, status.HTTP_201_CREATED)

    @extend_schema(
        description="Change the PHSO reference, caseworker or who handles it here; fields left out keep their values.",
        request=OmbudsmanDetailsChangeSerializer,
        responses={200: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER},
    )
    def partial_update(self, request, *args, **kwargs):
        found = self._for_change()
        data = _valid(OmbudsmanDetailsChangeSerializer, request)
        current = {
            "phso_reference": found.phso_reference,
            "caseworker_name": found.caseworker_name,
            "caseworker_email": found.caseworker_email,
            "caseworker_phone": found.caseworker_phone,
            "handled_by": found.handled_by,
        }
        services.change_ombudsman_details(found, actor=request.user, **(current | data))
        return self._answer(found)

    @extend_schema(request=OmbudsmanStageInSerializer, responses={201: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER})
    @action(detail=True, methods=["post"])
    def stages(self, request, pk=None):
        """Record a later stage the PHSO has reached, and when."""
        found = self._for_change()
        services.record_stage(found, actor=request.user, **_valid(OmbudsmanStageInSerializer, request))
        return self._answer(found, status.HTTP_201_CREATED)

    @extend_schema(request=OmbudsmanRequestInSerializer, responses={201: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER})
    @action(detail=True, methods=["post"])
    def requests(self, request, pk=None):
        """Record what the PHSO asked for and by when: a date, or its number of calendar or working days."""
        found = self._for_change()
        data = _valid(OmbudsmanRequestInSerializer, request)
        services.add_ombudsman_request(found, actor=request.user, **data)
        return self._answer(found, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("request_id", int, OpenApiParameter.PATH, description="The request's id.")],
        request=ReplySentInSerializer,
        responses={200: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER},
    )
    @action(detail=True, methods=["post"], url_path=r"requests/(?P<request_id>[0-9]+)/sent", url_name="request-sent")
    def request_sent(self, request, pk=None, request_id=None):
        """Record what the trust sent in reply to a request, and when."""
        found = self._for_change()
        asked = selectors.request_of(found, int(request_id))
        services.record_sent_to_ombudsman(asked, actor=request.user, **_valid(ReplySentInSerializer, request))
        return self._answer(found)

    @extend_schema(
        request=OmbudsmanDecisionInSerializer, responses={200: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER}
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Record (or correct) the PHSO's decision."""
        found = self._for_change()
        services.record_decision(found, actor=request.user, **_valid(OmbudsmanDecisionInSerializer, request))
        return self._answer(found)

    @extend_schema(request=RecommendationInSerializer, responses={201: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER})
    @action(detail=True, methods=["post"])
    def recommendations(self, request, pk=None):
        """Record a recommendation of an upheld or partly upheld decision, with the date to comply by."""
        found = self._for_change()
        services.add_recommendation(found, actor=request.user, **_valid(RecommendationInSerializer, request))
        return self._answer(found, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("recommendation_id", int, OpenApiParameter.PATH, description="The recommendation's id.")
        ],
        request=ComplianceEvidenceInSerializer,
        responses={201: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"recommendations/(?P<recommendation_id>[0-9]+)/evidence",
        url_name="recommendation-evidence",
    )
    def evidence(self, request, pk=None, recommendation_id=None):
        """Record evidence of compliance sent to the PHSO for a recommendation."""
        found = self._for_change()
        recommendation = selectors.recommendation_of(found, int(recommendation_id))
        data = _valid(ComplianceEvidenceInSerializer, request)
        services.record_compliance_evidence(recommendation, actor=request.user, **data)
        return self._answer(found, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("evidence_id", int, OpenApiParameter.PATH, description="The evidence's id.")],
        request=EvidenceAnswerInSerializer,
        responses={200: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER},
    )
    @action(
        detail=True, methods=["post"], url_path=r"evidence/(?P<evidence_id>[0-9]+)/answer", url_name="evidence-answer"
    )
    def evidence_answer(self, request, pk=None, evidence_id=None):
        """Record whether the PHSO accepted the evidence (and, if not, a new date to comply by)."""
        found = self._for_change()
        evidence = selectors.evidence_of(found, int(evidence_id))
        services.record_evidence_verdict(evidence, actor=request.user, **_valid(EvidenceAnswerInSerializer, request))
        return self._answer(found)

    @extend_schema(request=OmbudsmanClosureInSerializer, responses={200: OmbudsmanCaseDetailSerializer, **_PHSO_ANSWER})
    @action(detail=True, methods=["post"])
    def closure(self, request, pk=None):
        """Close the PHSO case: it has decided, and accepted the evidence for every recommendation."""
        found = self._for_change()
        services.close_ombudsman_case(found, actor=request.user, **_valid(OmbudsmanClosureInSerializer, request))
        return self._answer(found)


# --- The CQC -------------------------------------------------------------------------------------------------------


class CqcEnquirySerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    handled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    day_count = DayCountField(read_only=True, allow_null=True)

    class Meta:
        model = CqcEnquiry
        fields = [
            "id",
            "case",
            "cqc_reference",
            "asked_by",
            "received_on",
            "what_is_asked",
            "due_on",
            "period_days",
            "day_count",
            "handled_by",
            "sent_on",
            "what_was_sent",
            "sent_by",
        ]
        read_only_fields = fields


class CqcEnquiryInSerializer(DeadlineInSerializer):
    case = VisibleCaseField()
    cqc_reference = LimitedText(max_length=services.REFERENCE_MAX_CHARACTERS, required=False, allow_blank=True)
    asked_by = LimitedText(max_length=services.NAME_MAX_CHARACTERS, help_text="Who at the CQC asked.")
    received_on = serializers.DateField()
    what_is_asked = LimitedText(max_length=TEXT)
    handled_by = UsernameField(required=False, help_text="Who answers it here; the caller if left out.")


class CaseFilter(django_filters.FilterSet):
    case = django_filters.CharFilter(field_name="case__reference", help_text=_CASE_FILTER)


class CqcEnquiryFilter(CaseFilter):
    open = django_filters.BooleanFilter(
        field_name="sent_on", lookup_expr="isnull", help_text="true: still to answer; false: answered."
    )

    class Meta:
        model = CqcEnquiry
        fields = ["case", "open"]


class CqcEnquiryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """CQC enquiries about complaints the caller may see: what was asked, by when, and what was sent."""

    pagination_class = EscalationPagination
    filterset_class = CqcEnquiryFilter
    serializer_class = CqcEnquirySerializer
    queryset = CqcEnquiry.objects.none()

    def get_queryset(self):
        return selectors.cqc_enquiries_visible_to(self.request.user)

    @extend_schema(
        description="Record an enquiry from the CQC about a complaint, with its deadline.",
        request=CqcEnquiryInSerializer,
        responses={201: CqcEnquirySerializer, **_REFUSED},
    )
    def create(self, request, *args, **kwargs):
        _require(request, Permission.HANDLE_OMBUDSMAN_AND_CQC, "record the CQC's enquiries")
        data = _valid(CqcEnquiryInSerializer, request)
        case = data.pop("case")
        enquiry = services.open_cqc_enquiry(case, actor=request.user, **data)
        return Response(CqcEnquirySerializer(self.get_queryset().get(pk=enquiry.pk)).data, status.HTTP_201_CREATED)

    @extend_schema(request=ReplySentInSerializer, responses={200: CqcEnquirySerializer, **_REFUSED})
    @action(detail=True, methods=["post"])
    def sent(self, request, pk=None):
        """Record what the trust sent the CQC, and when."""
        enquiry = self.get_object()
        _require(request, Permission.HANDLE_OMBUDSMAN_AND_CQC, "record the CQC's enquiries")
        services.record_sent_to_cqc(enquiry, actor=request.user, **_valid(ReplySentInSerializer, request))
        return Response(CqcEnquirySerializer(self.get_queryset().get(pk=enquiry.pk)).data)


# --- Joint complaints ----------------------------------------------------------------------------------------------


class JointBodySerializer(serializers.ModelSerializer):
    kind = BodyKindField(read_only=True)

    class Meta:
        model = JointBody
        fields = ["id", "name", "kind", "contact", "contributes", "is_lead"]
        read_only_fields = fields


class JointComplaintSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    consent_to_share = ConsentField(read_only=True)
    bodies = JointBodySerializer(many=True, read_only=True)
    trust_leads = serializers.SerializerMethodField(help_text="True when none of the other bodies leads.")

    class Meta:
        model = JointComplaint
        fields = [
            "id",
            "case",
            "consent_to_share",
            "consent_on",
            "consent_note",
            "trust_leads",
            "bodies",
            "our_part",
            "our_part_due_on",
            "our_part_sent_on",
        ]
        read_only_fields = fields

    def get_trust_leads(self, joint) -> bool:
        return not any(body.is_lead for body in joint.bodies.all())


class JointComplaintInSerializer(StrictSerializer):
    case = VisibleCaseField()
    consent_to_share = ConsentField()
    consent_on = serializers.DateField(required=False, allow_null=True, help_text="When it was given or refused.")
    consent_note = LimitedText(max_length=TEXT, required=False, allow_blank=True)
    our_part = LimitedText(
        max_length=TEXT, required=False, allow_blank=True, help_text="What the trust contributes when another leads."
    )
    our_part_due_on = serializers.DateField(required=False, allow_null=True)


class JointComplaintChangeSerializer(StrictSerializer):
    """Fields left out keep their values."""

    consent_to_share = ConsentField(required=False)
    consent_on = serializers.DateField(required=False, allow_null=True)
    consent_note = LimitedText(max_length=TEXT, required=False, allow_blank=True)
    our_part = LimitedText(max_length=TEXT, required=False, allow_blank=True)
    our_part_due_on = serializers.DateField(required=False, allow_null=True)
    lead = serializers.IntegerField(
        required=False, allow_null=True, help_text="The id of the body that leads, or null for the trust."
    )


class JointBodyInSerializer(StrictSerializer):
    name = LimitedText(max_length=services.NAME_MAX_CHARACTERS)
    kind = BodyKindField()
    contact = LimitedText(max_length=TEXT, required=False, allow_blank=True)
    contributes = LimitedText(max_length=TEXT, required=False, allow_blank=True)
    is_lead = serializers.BooleanField(required=False, default=False, help_text="It leads instead of the current lead.")


class OurPartSentInSerializer(StrictSerializer):
    sent_on = serializers.DateField()


class JointComplaintFilter(CaseFilter):
    class Meta:
        model = JointComplaint
        fields = ["case"]


class JointComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints handled jointly with other bodies (regulation 9): consent to share, the bodies, who leads, and
    what the trust contributes by when if another body leads."""

    pagination_class = EscalationPagination
    filterset_class = JointComplaintFilter
    serializer_class = JointComplaintSerializer
    queryset = JointComplaint.objects.none()

    def get_queryset(self):
        return selectors.joint_complaints_visible_to(self.request.user)

    def _answer(self, joint, status_code=status.HTTP_200_OK):
        return Response(JointComplaintSerializer(self.get_queryset().get(pk=joint.pk)).data, status=status_code)

    def _for_change(self):
        joint = self.get_object()
        _require(self.request, Permission.COORDINATE_JOINT_WORK, "record joint complaints and contributions")
        return joint

    @extend_schema(
        description="Handle a complaint jointly with other bodies; the trust leads until a body is made the lead.",
        request=JointComplaintInSerializer,
        responses={201: JointComplaintSerializer, **_REFUSED},
    )
    def create(self, request, *args, **kwargs):
        _require(request, Permission.COORDINATE_JOINT_WORK, "record joint complaints and contributions")
        data = _valid(JointComplaintInSerializer, request)
        case = data.pop("case")
        if JointComplaint.objects.filter(case=case).exists():
            raise serializers.ValidationError({"case": [f"{case.reference} is handled jointly already: change it."]})
        joint = services.record_joint_complaint(case, actor=request.user, **data)
        return self._answer(joint, status.HTTP_201_CREATED)

    @extend_schema(
        description="Change consent, the lead (a body's id, or null for the trust) or the trust's part; fields left "
        "out keep their values.",
        request=JointComplaintChangeSerializer,
        responses={200: JointComplaintSerializer, **_REFUSED},
    )
    def partial_update(self, request, *args, **kwargs):
        joint = self._for_change()
        data = _valid(JointComplaintChangeSerializer, request)
        arguments = {
            "consent_to_share": joint.consent_to_share,
            "consent_on": joint.consent_on,
            "consent_note": joint.consent_note,
            "our_part": joint.our_part,
            "our_part_due_on": joint.our_part_due_on,
        }
        if "lead" in data:
            lead_id = data.pop("lead")
            lead = None
            if lead_id is not None:
                lead = next((body for body in joint.bodies.all() if body.pk == lead_id), None)
                if lead is None:
                    raise serializers.ValidationError({"lead": ["No body of this joint complaint has that id."]})
            arguments["lead"] = lead
        services.record_joint_complaint(joint.case, actor=request.user, **(arguments | data))
        return self._answer(joint)

    @extend_schema(request=JointBodyInSerializer, responses={201: JointComplaintSerializer, **_REFUSED})
    @action(detail=True, methods=["post"])
    def bodies(self, request, pk=None):
        """Add an organisation the complaint is handled with, what it contributes, and whether it leads."""
        joint = self._for_change()
        services.add_joint_body(joint, actor=request.user, **_valid(JointBodyInSerializer, request))
        return self._answer(joint, status.HTTP_201_CREATED)

    @extend_schema(request=OurPartSentInSerializer, responses={200: JointComplaintSerializer, **_REFUSED})
    @action(detail=True, methods=["post"], url_path="our-part-sent", url_name="our-part-sent")
    def our_part_sent(self, request, pk=None):
        """Record the trust's part as sent to the lead body."""
        joint = self._for_change()
        services.record_our_part_sent(joint, actor=request.user, **_valid(OurPartSentInSerializer, request))
        return self._answer(joint)


# --- Contributions -------------------------------------------------------------------------------------------------


class ContributionChaserSerializer(serializers.ModelSerializer):
    sent_by = serializers.SlugRelatedField(source="created_by", slug_field="username", read_only=True)

    class Meta:
        model = Chaser
        fields = ["sent_on", "note", "sent_by"]
        read_only_fields = fields


class ContributionSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    from_division = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    from_body = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the joint complaint's body asked."
    )
    asked_of = serializers.CharField(source="source_name", read_only=True, help_text="Who was asked, in words.")
    asked_user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    chasers = ContributionChaserSerializer(many=True, read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "case",
            "from_division",
            "from_body",
            "asked_user",
            "asked_of",
            "what_is_asked",
            "requested_on",
            "due_on",
            "received_on",
            "what_was_received",
            "chasers",
        ]
        read_only_fields = fields


class ContributionInSerializer(StrictSerializer):
    """Ask a division (and, by username, a colleague there) or a body of the joint complaint: one of the two."""

    case = VisibleCaseField()
    from_division = ActiveCodeField(Division, label="division", required=False, allow_null=True)
    asked_user = UsernameField(required=False, allow_null=True, help_text="A colleague in the division, by name.")
    from_body = serializers.IntegerField(
        required=False, allow_null=True, help_text="The id of a body of the case's joint complaint."
    )
    what_is_asked = LimitedText(max_length=TEXT)
    requested_on = serializers.DateField()
    due_on = serializers.DateField()

    def validate(self, attrs):
        body_id = attrs.get("from_body")
        if body_id is not None:
            body = JointBody.objects.filter(pk=body_id, joint_complaint__case=attrs["case"]).first()
            if body is None:
                raise serializers.ValidationError(
                    {"from_body": ["The case's joint complaint has no body with that id."]}
                )
            attrs["from_body"] = body
        return attrs


class ContributionChaserInSerializer(StrictSerializer):
    sent_on = serializers.DateField(required=False, allow_null=True, help_text="Today if left out.")
    note = LimitedText(max_length=TEXT, required=False, allow_blank=True)


class ContributionReceivedInSerializer(StrictSerializer):
    received_on = serializers.DateField()
    what_was_received = LimitedText(max_length=TEXT)


class ContributionFilter(CaseFilter):
    awaited = django_filters.BooleanFilter(
        field_name="received_on", lookup_expr="isnull", help_text="true: not received yet; false: received."
    )

    class Meta:
        model = Contribution
        fields = ["case", "awaited"]


class ContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contributions asked of other divisions and organisations for cases the caller may see, with their chasers."""

    pagination_class = EscalationPagination
    filterset_class = ContributionFilter
    serializer_class = ContributionSerializer
    queryset = Contribution.objects.none()

    def get_queryset(self):
        return selectors.contributions_visible_to(self.request.user)

    def _answer(self, contribution, status_code=status.HTTP_200_OK):
        return Response(ContributionSerializer(self.get_queryset().get(pk=contribution.pk)).data, status=status_code)

    @extend_schema(
        description="Ask for a contribution by a date. Asking another organisation needs the complainant's consent "
        "to share, recorded on the joint complaint.",
        request=ContributionInSerializer,
        responses={201: ContributionSerializer, **_REFUSED},
    )
    def create(self, request, *args, **kwargs):
        _require(request, Permission.COORDINATE_JOINT_WORK, "ask for contributions")
        data = _valid(ContributionInSerializer, request)
        case = data.pop("case")
        contribution = services.request_contribution(case, actor=request.user, **data)
        return self._answer(contribution, status.HTTP_201_CREATED)

    @extend_schema(request=ContributionChaserInSerializer, responses={201: ContributionSerializer, **_REFUSED})
    @action(detail=True, methods=["post"])
    def chasers(self, request, pk=None):
        """Chase a contribution still awaited: record the chaser sent (today unless another day is given)."""
        contribution = self.get_object()
        _require(request, Permission.COORDINATE_JOINT_WORK, "chase contributions")
        services.chase_contribution(contribution, actor=request.user, **_valid(ContributionChaserInSerializer, request))
        return self._answer(contribution, status.HTTP_201_CREATED)

    @extend_schema(
        request=ContributionReceivedInSerializer,
        responses={200: ContributionSerializer, **_REFUSED},
        description="Record the contribution as received. The colleague asked by name may record their own.",
    )
    @action(detail=True, methods=["post"])
    def received(self, request, pk=None):
        contribution = self.get_object()
        if contribution.asked_user_id != request.user.pk:
            _require(request, Permission.COORDINATE_JOINT_WORK, "record contributions")
        services.record_contribution_received(
            contribution, actor=request.user, **_valid(ContributionReceivedInSerializer, request)
        )
        return self._answer(contribution)

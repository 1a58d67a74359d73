"""The final response API (/api/v1/cases/{reference}/response/...): drafts and versions, their comparison, the
review steps, the regulation 14 checks, sign-off and sending, through the same selectors and services as the pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from palsdesk.accounts.permissions import Permission, can
from palsdesk.api.errors import fields_renamed
from palsdesk.api.pagination import ReferencePagination
from palsdesk.api.serializers import LimitedText, ListedChoiceField, StrictSerializer, VersionField
from palsdesk.cases.selectors import visible_case
from palsdesk.responses import comparison, selectors, services
from palsdesk.responses.models import (
    Element,
    ParagraphPurpose,
    Regulation14Check,
    ResponseReturn,
    ResponseVersion,
    SendMethod,
    Source,
    StandardParagraph,
)

_NOT_FOUND = {404: OpenApiResponse(description="No complaint with that reference that the caller may see.")}
_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot do this (for sign-off: at this complaint's level)."),
    **_NOT_FOUND,
}
_STALE = {409: OpenApiResponse(description="The case, or the draft, changed after it was read; nothing saved.")}


def _complaint(request, reference):
    case = visible_case(request.user, reference)
    if case.kind not in selectors.RESPONSE_KINDS:
        raise Http404("Only a complaint has a final response.")
    return case


def _refuse_unless(allowed: bool, doing: str) -> None:
    if not allowed:
        raise PermissionDenied(f"Your role cannot {doing}.")


def _valid(serializer_class, data) -> dict:
    incoming = serializer_class(data=data)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


# Named schema components: "state", "source" and "method" are common names in other apps' serializers.
@extend_schema_field(
    {"type": "string", "enum": [state.value for state in selectors.State]}, component_name="ResponseStateEnum"
)
class StateField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": Element.values}, component_name="Regulation14ElementEnum")
class ElementField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": Source.values}, component_name="ResponseVersionSourceEnum")
class SourceField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": SendMethod.values}, component_name="ResponseSendMethodEnum")
class SendMethodField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(SendMethod.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": ParagraphPurpose.values}, component_name="StandardParagraphPurposeEnum")
class PurposeField(serializers.CharField):
    pass


# --- Out ------------------------------------------------------------------------------------------------------------


class VersionSummarySerializer(serializers.ModelSerializer):
    source = SourceField(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, help_text="Who saved it.")

    class Meta:
        model = ResponseVersion
        fields = ["number", "source", "word_filename", "is_review_edit", "created_by", "created_at"]
        read_only_fields = fields
        extra_kwargs = {
            "is_review_edit": {"help_text": "Saved by the reviewer while the response was in review."},
            "word_filename": {"help_text": "The Word document it was read from; empty if typed."},
        }


class VersionSerializer(VersionSummarySerializer):
    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "html", "text"]
        read_only_fields = fields
        extra_kwargs = {
            **VersionSummarySerializer.Meta.extra_kwargs,
            "html": {"help_text": "The sanitised letter HTML: p, h2, h3, blockquote, ul, ol, li, strong, em, u, br."},
            "text": {"help_text": "Its plain text, a blank line between paragraphs."},
        }


class CheckSerializer(serializers.ModelSerializer):
    element = ElementField(read_only=True)
    checked_by = serializers.SlugRelatedField(source="modified_by", slug_field="username", read_only=True)
    checked_at = serializers.DateTimeField(source="modified_at", read_only=True)

    class Meta:
        model = Regulation14Check
        fields = ["element", "paragraph", "quote", "checked_by", "checked_at"]
        read_only_fields = fields


class ElementCheckSerializer(serializers.Serializer):
    element = ElementField(source="element.value", read_only=True)
    label = serializers.CharField(source="element.label", read_only=True)
    check = CheckSerializer(read_only=True, allow_null=True, help_text="Null until it is ticked on this version.")


class ReturnSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True, help_text="The version returned.")
    returned_by = serializers.SlugRelatedField(source="created_by", slug_field="username", read_only=True)
    returned_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ResponseReturn
        fields = ["version", "comments", "returned_by", "returned_at"]
        read_only_fields = fields


class ResponseStateSerializer(serializers.Serializer):
    """Where the complaint's current response stands, what it needs, and what the caller may do to it now."""

    reference = serializers.CharField(source="case.reference", read_only=True)
    round = serializers.IntegerField(read_only=True, help_text="1, and one more each time the complaint is reopened.")
    state = StateField(read_only=True)
    latest_version = VersionSummarySerializer(read_only=True, allow_null=True)
    returned = ReturnSerializer(read_only=True, allow_null=True, help_text="The latest return, with its comments.")
    regulation_14 = ElementCheckSerializer(many=True, read_only=True, help_text="The latest version's checks.")
    who_signs = serializers.CharField(read_only=True, help_text="Who may sign it off, from the complaint's grade.")
    sign_off_level = serializers.CharField(read_only=True, allow_null=True, help_text="The grade's; null if ungraded.")
    signed_off_version = serializers.IntegerField(read_only=True, allow_null=True)
    signed_off_by = serializers.CharField(read_only=True, allow_null=True)
    signed_off_at = serializers.DateTimeField(read_only=True, allow_null=True)
    signed_as = serializers.CharField(read_only=True)
    sent_on = serializers.DateField(read_only=True, allow_null=True)
    sent_method = serializers.CharField(read_only=True, help_text="letter or email; empty until sent.")
    case_version = serializers.IntegerField(read_only=True, help_text="Send it back as `version` with a move.")
    may = serializers.DictField(
        child=serializers.BooleanField(), read_only=True, help_text="What the caller may do now."
    )


def _state_of(request, case) -> dict:
    response = selectors.current_response(case)
    state = selectors.state_of(response, case)
    latest = selectors.latest_version(response)
    actions = selectors.actions_for(request.user, case, response, state)
    signed = response is not None and response.is_signed_off
    return {
        "case": case,
        "round": response.round if response else selectors.current_round(case),
        "state": state.value,
        "latest_version": latest,
        "returned": selectors.latest_return(response) if state == selectors.State.RETURNED else None,
        "regulation_14": selectors.element_checks(selectors.checks_of(latest)),
        "who_signs": selectors.who_signs(case),
        "sign_off_level": selectors.sign_off_level_of(case),
        "signed_off_version": response.signed_off_version.number if signed else None,
        "signed_off_by": response.signed_off_by.get_username() if signed else None,
        "signed_off_at": response.signed_off_at if signed else None,
        "signed_as": response.signed_as if response else "",
        "sent_on": response.sent_on if response else None,
        "sent_method": response.sent_method if response else "",
        "case_version": case.version,
        "may": {
            "write": actions.can_draft,
            "submit": actions.can_submit,
            "return": actions.can_return,
            "sign_off": actions.can_sign,
            "send": actions.can_send,
        },
    }


def _state_response(request, case, status_code=status.HTTP_200_OK) -> Response:
    case = visible_case(request.user, case.reference)
    return Response(ResponseStateSerializer(_state_of(request, case)).data, status=status_code)


class PieceSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=[change.value for change in comparison.Change], read_only=True)
    text = serializers.CharField(read_only=True)


class DiffSerializer(serializers.Serializer):
    from_version = serializers.IntegerField(read_only=True)
    to_version = serializers.IntegerField(read_only=True)
    words_added = serializers.IntegerField(read_only=True)
    words_removed = serializers.IntegerField(read_only=True)
    is_same = serializers.BooleanField(read_only=True)
    paragraphs = serializers.ListField(child=PieceSerializer(many=True), read_only=True)
    html = serializers.CharField(
        read_only=True, help_text="The comparison with <ins> and <del>, each change also said in hidden words."
    )


class StandardParagraphSerializer(serializers.ModelSerializer):
    purpose = PurposeField(read_only=True)

    class Meta:
        model = StandardParagraph
        fields = ["id", "title", "purpose", "html", "order"]
        read_only_fields = fields


# --- In -------------------------------------------------------------------------------------------------------------


class DraftInSerializer(StrictSerializer):
    html = LimitedText(
        max_length=services.DRAFT_MAX_HTML_CHARACTERS,
        help_text="The draft as HTML (sanitised to the letter subset: p, h2, h3, blockquote, ul, ol, li, strong, em, "
        "u, br) or as plain paragraphs with a blank line between them.",
    )
    based_on = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The number of the version you started from (0 for none); if another has been saved since, 409.",
    )


class MoveInSerializer(StrictSerializer):
    version = VersionField()


class ReturnInSerializer(StrictSerializer):
    comments = LimitedText(max_length=services.COMMENTS_MAX_CHARACTERS, help_text="For the investigator.")
    version = VersionField()


class ChecksInSerializer(StrictSerializer):
    how_considered = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    conclusions = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    actions = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    ombudsman = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class SignOffInSerializer(StrictSerializer):
    signed_as = LimitedText(
        max_length=services.SIGNED_AS_MAX_CHARACTERS,
        required=False,
        allow_blank=True,
        help_text="Job title, and whom they sign for under a delegation: 'Chief Nurse, for the Chief Executive'.",
    )


class SendingInSerializer(StrictSerializer):
    method = SendMethodField(help_text="How it was sent: letter (by post) or email.")
    sent_on = serializers.DateField(required=False, help_text="The day it was sent; today if not given.")
    version = VersionField()


# --- Views ----------------------------------------------------------------------------------------------------------


class ResponseView(APIView):
    @extend_schema(responses={200: ResponseStateSerializer, **_NOT_FOUND})
    def get(self, request, reference):
        """The complaint's current final response: its state, latest version, checks, sign-off and sending."""
        return _state_response(request, _complaint(request, reference))


class VersionPagination(CursorPagination):
    ordering = ("-number",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class VersionListView(GenericAPIView):
    serializer_class = VersionSerializer
    pagination_class = VersionPagination
    filter_backends = []

    @extend_schema(responses={200: VersionSerializer(many=True), **_NOT_FOUND})
    def get(self, request, reference):
        """Every version of the current response, the latest first, a page at a time (cursor)."""
        response = selectors.current_response(_complaint(request, reference))
        versions = (
            ResponseVersion.objects.none() if response is None else response.versions.select_related("created_by")
        )
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(VersionSerializer(page, many=True).data)

    @extend_schema(request=DraftInSerializer, responses={201: VersionSerializer, **_REFUSED, **_STALE})
    def post(self, request, reference):
        """Save the draft as a new version. (A Word document is uploaded on the draft's page: the API takes JSON.)"""
        case = _complaint(request, reference)
        _refuse_unless(
            can(request.user, Permission.INVESTIGATE) or can(request.user, Permission.REVIEW_RESPONSES),
            "write draft responses",
        )
        data = _valid(DraftInSerializer, request.data)
        with fields_renamed(draft="html"):
            version = services.save_draft(case, actor=request.user, draft=data["html"], based_on=data.get("based_on"))
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH, description="The version's number.")],
        responses={200: VersionSerializer, 404: OpenApiResponse(description="No such complaint or version.")},
    )
    def get(self, request, reference, number):
        """One version of the current response."""
        response = selectors.response_in_round(_complaint(request, reference))
        return Response(VersionSerializer(selectors.version_numbered(response, number)).data)


class DiffView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, description="The older version's number; the one before `to` if not given."),
            OpenApiParameter("to", int, description="The newer version's number; the latest if not given."),
        ],
        responses={
            200: DiffSerializer,
            400: OpenApiResponse(description="A version number that is not one of the response's."),
            404: OpenApiResponse(description="No such complaint, or it has no response yet."),
        },
    )
    def get(self, request, reference):
        """Two versions compared word by word, paragraph by paragraph."""
        response = selectors.response_in_round(_complaint(request, reference))
        versions = {version.number: version for version in selectors.versions_of(response)}
        latest = max(versions)
        problems = {}
        numbers = {}
        for name in ("to", "from"):
            value = request.query_params.get(name, "")
            if value.isdigit() and int(value) in versions:
                numbers[name] = int(value)
            elif value:
                problems[name] = [f"Give a version from 1 to {latest}."]
        if problems:
            return Response(problems, status=status.HTTP_400_BAD_REQUEST)
        numbers.setdefault("to", latest)
        numbers.setdefault("from", numbers["to"] - 1)
        if numbers["from"] not in versions:
            problems["from"] = ["There is only one version, so there is nothing to compare yet."]
        if not problems and numbers["from"] == numbers["to"]:
            problems["from"] = ["Choose two different versions."]
        if problems:
            return Response(problems, status=status.HTTP_400_BAD_REQUEST)
        older, newer = versions[numbers["from"]], versions[numbers["to"]]
        result = selectors.compare_versions(older, newer)
        body = {
            "from_version": older.number,
            "to_version": newer.number,
            "words_added": result.words_added,
            "words_removed": result.words_removed,
            "is_same": result.is_same,
            "paragraphs": [
                [{"change": piece.change.value, "text": piece.text} for piece in paragraph]
                for paragraph in result.paragraphs
            ],
            "html": comparison.as_html(result),
        }
        return Response(DiffSerializer(body).data)


class SubmissionView(APIView):
    @extend_schema(request=MoveInSerializer, responses={200: ResponseStateSerializer, **_REFUSED, **_STALE})
    def post(self, request, reference):
        """Submit the latest draft for review: the complaint moves to response_in_review."""
        case = _complaint(request, reference)
        _refuse_unless(can(request.user, Permission.INVESTIGATE), "submit draft responses")
        data = _valid(MoveInSerializer, request.data)
        case = services.submit_for_review(case, actor=request.user, expected_version=data.get("version"))
        return _state_response(request, case)


class ReturnView(APIView):
    @extend_schema(request=ReturnInSerializer, responses={200: ResponseStateSerializer, **_REFUSED, **_STALE})
    def post(self, request, reference):
        """Return the draft in review to the investigator with comments: it goes to their "My work"."""
        case = _complaint(request, reference)
        _refuse_unless(can(request.user, Permission.REVIEW_RESPONSES), "return draft responses")
        data = _valid(ReturnInSerializer, request.data)
        case = services.return_with_comments(
            case, comments=data["comments"], actor=request.user, expected_version=data.get("version")
        )
        return _state_response(request, case)


class Regulation14View(APIView):
    @extend_schema(responses={200: ElementCheckSerializer(many=True), **_NOT_FOUND})
    def get(self, request, reference):
        """Each element of regulation 14(2), with the paragraph of the latest version ticked for it, if any."""
        case = _complaint(request, reference)
        latest = selectors.latest_version(selectors.current_response(case))
        return Response(ElementCheckSerializer(selectors.element_checks(selectors.checks_of(latest)), many=True).data)

    @extend_schema(
        request=ChecksInSerializer,
        responses={200: ElementCheckSerializer(many=True), **_REFUSED},
        description="Tick elements with the number of the paragraph (1 for the first) that gives each; null unticks "
        "one; elements not sent stay as they are. Only someone who may sign the response off checks it.",
    )
    def post(self, request, reference):
        case = _complaint(request, reference)
        if not selectors.may_sign(request.user, case):
            raise PermissionDenied(
                f"Your role cannot check this response. It is signed off by {selectors.who_signs(case)}."
            )
        data = _valid(ChecksInSerializer, request.data)
        services.record_regulation_14_checks(case, actor=request.user, paragraphs=dict(data))
        latest = selectors.latest_version(selectors.current_response(case))
        return Response(ElementCheckSerializer(selectors.element_checks(selectors.checks_of(latest)), many=True).data)


class SignOffView(APIView):
    @extend_schema(
        request=SignOffInSerializer,
        responses={
            200: ResponseStateSerializer,
            **_REFUSED,
            400: OpenApiResponse(description="A message per regulation 14 element still missing, or bad input."),
        },
    )
    def post(self, request, reference):
        """Sign off the latest version, once every element of regulation 14(2) is ticked."""
        case = _complaint(request, reference)
        if not selectors.may_sign(request.user, case):
            raise PermissionDenied(
                f"Your role cannot sign off this response. It is signed off by {selectors.who_signs(case)}."
            )
        data = _valid(SignOffInSerializer, request.data)
        services.sign_off(case, actor=request.user, signed_as=data.get("signed_as", ""))
        return _state_response(request, case)


class SendingView(APIView):
    @extend_schema(request=SendingInSerializer, responses={200: ResponseStateSerializer, **_REFUSED, **_STALE})
    def post(self, request, reference):
        """Record the signed response as sent: the complaint moves to response_sent (the response clock stops) and
        the signed letter is filed in the communications log as a Word document and a PDF."""
        case = _complaint(request, reference)
        _refuse_unless(can(request.user, Permission.MOVE_CASE), "record responses as sent")
        data = _valid(SendingInSerializer, request.data)
        services.send_response(
            case,
            actor=request.user,
            method=data["method"],
            sent_on=data.get("sent_on"),
            expected_version=data.get("version"),
        )
        return _state_response(request, case)


class StandardParagraphListView(GenericAPIView):
    serializer_class = StandardParagraphSerializer
    pagination_class = ReferencePagination
    filter_backends = []

    @extend_schema(responses={200: StandardParagraphSerializer(many=True)})
    def get(self, request):
        """The standard paragraphs in use, in the order officers see them, to put into drafts."""
        page = self.paginate_queryset(selectors.standard_paragraphs())
        return self.get_paginated_response(StandardParagraphSerializer(page, many=True).data)

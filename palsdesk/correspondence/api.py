"""API for a case's correspondence: the communications log and its files, emails, letters and their templates.

Every endpoint finds the case through cases.selectors.cases_visible_to (404 outside it) and writes through
correspondence.services, so the API refuses what the pages refuse, with the same messages.
"""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from palsdesk.api.parsers import JSONParser
from palsdesk.api.serializers import LimitedText, ListedChoiceField, StrictSerializer, TextCodeField
from palsdesk.cases.selectors import visible_case
from palsdesk.correspondence import merge, selectors, services
from palsdesk.correspondence.models import Attachment, Channel, CorrespondenceEntry, Direction, Letter, LetterTemplate

_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot do this."),
    404: OpenApiResponse(description="No case with that reference that the caller may see (or no such record on it)."),
}
_STALE = {409: OpenApiResponse(description="The letter changed after the `version` given was read; nothing saved.")}
_NOT_FOUND = {404: _REFUSED[404]}


class EntryPagination(CursorPagination):
    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LetterPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# Named schema components: "direction", "channel" and "status" are names other apps' fields have too.
@extend_schema_field({"type": "string", "enum": Direction.values}, component_name="CorrespondenceDirectionEnum")
class DirectionField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(Direction.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": Channel.values}, component_name="CorrespondenceChannelEnum")
class ChannelField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(Channel.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": Letter.Status.values}, component_name="LetterStatusEnum")
class LetterStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(Letter.Status.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": LetterTemplate.Recipient.values}, component_name="LetterRecipientEnum")
class LetterRecipientField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(LetterTemplate.Recipient.choices, **kwargs)


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where the file is downloaded, with the same authentication.")

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size_bytes", "sha256", "created_at", "url"]
        read_only_fields = fields
        extra_kwargs = {"content_type": {"help_text": "The type found in the file itself, never the type claimed."}}

    def get_url(self, attachment) -> str:
        return reverse(
            "api:correspondence-file",
            kwargs={"reference": attachment.entry.case.reference, "attachment_id": attachment.pk},
        )


class EntrySerializer(serializers.ModelSerializer):
    direction = DirectionField(read_only=True)
    channel = ChannelField(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, help_text="Who logged it.")
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CorrespondenceEntry
        fields = [
            "id",
            "direction",
            "channel",
            "occurred_at",
            "sender",
            "recipient",
            "subject",
            "body",
            "message_id",
            "attachments",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class EntryInSerializer(StrictSerializer):
    """A letter, email, call, meeting or text message to file; files may come with it as multipart `attachments`."""

    direction = DirectionField(help_text="in: received; out: sent.")
    channel = ChannelField()
    occurred_at = serializers.DateTimeField(help_text="When it was sent, received or took place.")
    sender = LimitedText(max_length=services.PARTY_MAX_CHARACTERS, required=False, allow_blank=True, default="")
    recipient = LimitedText(max_length=services.PARTY_MAX_CHARACTERS, required=False, allow_blank=True, default="")
    subject = LimitedText(max_length=services.SUBJECT_MAX_CHARACTERS, required=False, allow_blank=True, default="")
    body = LimitedText(max_length=services.BODY_MAX_CHARACTERS, required=False, allow_blank=True, default="")
    message_id = LimitedText(max_length=998, required=False, allow_blank=True, default="", help_text="An email's.")
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Multipart only: the files."
    )


class FilesInSerializer(StrictSerializer):
    attachments = serializers.ListField(child=serializers.FileField(), help_text="The files to add to the entry.")


class EmailInSerializer(StrictSerializer):
    to = serializers.ListField(
        child=serializers.CharField(max_length=254), help_text="The addresses to send to.", allow_empty=True
    )
    subject = LimitedText(max_length=services.SUBJECT_MAX_CHARACTERS, allow_blank=True)
    body = LimitedText(max_length=services.BODY_MAX_CHARACTERS, allow_blank=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Multipart only: files to attach."
    )


class LetterSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = LetterStatusField(read_only=True)
    recipient = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The person on the case it is to.")
    entry = EntrySerializer(read_only=True, allow_null=True, help_text="Once produced: the log entry with its files.")
    parts_to_write = serializers.SerializerMethodField(help_text="What is marked [[ ]] and must be written first.")

    class Meta:
        model = Letter
        fields = [
            "id",
            "template",
            "status",
            "recipient",
            "recipient_name",
            "recipient_address",
            "is_large_print",
            "subject",
            "body",
            "parts_to_write",
            "version",
            "entry",
            "produced_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_parts_to_write(self, letter) -> list[str]:
        return selectors.parts_to_write(letter)


class LetterInSerializer(StrictSerializer):
    template = TextCodeField(max_length=60, help_text="The template's code, such as 'acknowledgement'.")
    recipient = serializers.IntegerField(
        required=False, allow_null=True, help_text="A person on the case; by default, the one the template is for."
    )


class LetterEditSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The letter version you read; if it changed, 409.")
    subject = LimitedText(max_length=services.SUBJECT_MAX_CHARACTERS, allow_blank=True)
    body = LimitedText(max_length=services.BODY_MAX_CHARACTERS, allow_blank=True)
    recipient_name = LimitedText(max_length=services.PARTY_MAX_CHARACTERS, allow_blank=True)
    recipient_address = LimitedText(
        max_length=services.LETTER_ADDRESS_MAX_CHARACTERS, allow_blank=True, required=False, default=""
    )
    is_large_print = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProductionSerializer(StrictSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The letter version you read; if it changed, 409."
    )


class TemplateSerializer(serializers.ModelSerializer):
    recipient = LetterRecipientField(read_only=True)
    merge_fields = serializers.SerializerMethodField(help_text="The merge fields the template uses.")
    problems = serializers.SerializerMethodField(help_text="Merge fields that do not exist, or template code.")

    class Meta:
        model = LetterTemplate
        fields = ["code", "name", "description", "recipient", "subject", "body", "merge_fields", "problems"]
        read_only_fields = fields

    def get_merge_fields(self, template) -> list[str]:
        return merge.fields_used(f"{template.subject}\n{template.body}")

    def get_problems(self, template) -> list[str]:
        return merge.template_problems(f"{template.subject}\n{template.body}")


class LetterCheckSerializer(serializers.Serializer):
    template = serializers.CharField(source="template.code", read_only=True)
    recipient = serializers.IntegerField(source="recipient.pk", read_only=True, allow_null=True, default=None)
    is_large_print = serializers.BooleanField(read_only=True)
    can_generate = serializers.BooleanField(read_only=True)
    template_problems = serializers.ListField(child=serializers.CharField(), read_only=True)
    missing = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Merge fields with no value for this case."
    )


def _valid(serializer_class, data) -> dict:
    incoming = serializer_class(data=data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


# The communications log ----------------------------------------------------------------------------------------------


class EntryListView(GenericAPIView):
    """A case's communications log, newest first (cursor); a post files a new entry, with files if multipart."""

    serializer_class = EntrySerializer
    pagination_class = EntryPagination
    filter_backends = []
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses={200: EntrySerializer(many=True), **_NOT_FOUND})
    def get(self, request, reference):
        case = visible_case(request.user, reference)
        page = self.paginate_queryset(selectors.entries_of(case).select_related("case"))
        return self.get_paginated_response(EntrySerializer(page, many=True).data)

    @extend_schema(
        request={"application/json": EntryInSerializer, "multipart/form-data": EntryInSerializer},
        responses={201: EntrySerializer, **_REFUSED},
    )
    def post(self, request, reference):
        case = visible_case(request.user, reference)
        values = _valid(EntryInSerializer, request.data)
        entry = services.file_correspondence(case, actor=request.user, **values)
        return Response(
            EntrySerializer(selectors.entry_on_case(request.user, case.reference, entry.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class EntryDetailView(APIView):
    @extend_schema(responses={200: EntrySerializer, **_NOT_FOUND})
    def get(self, request, reference, entry_id):
        """One entry of the log, with its files."""
        return Response(EntrySerializer(selectors.entry_on_case(request.user, reference, entry_id)).data)


class EntryFilesView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": FilesInSerializer},
        responses={201: AttachmentSerializer(many=True), **_REFUSED},
    )
    def post(self, request, reference, entry_id):
        """Add files to an entry (multipart `attachments`). Each is checked; one refused file keeps them all out."""
        entry = selectors.entry_on_case(request.user, reference, entry_id)
        values = _valid(FilesInSerializer, request.data)
        stored = services.attach_files(entry, actor=request.user, attachments=values["attachments"])
        for attachment in stored:
            attachment.entry = entry
        return Response(AttachmentSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)


class FileView(APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No file with that id on a case the caller may see."),
        }
    )
    def get(self, request, reference, attachment_id):
        """A file, only to a caller who may see its case: always as an attachment, with its checked type."""
        attachment = selectors.visible_attachment(request.user, attachment_id)
        if attachment.entry.case.reference != reference:
            raise Http404("No such file on a case you can see.")
        services.record_download(attachment, actor=request.user)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.filename,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class EmailView(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request={"application/json": EmailInSerializer, "multipart/form-data": EmailInSerializer},
        responses={
            201: EntrySerializer,
            **_REFUSED,
            400: OpenApiResponse(description="Bad input per field, or in `detail` that the mail server refused it."),
        },
    )
    def post(self, request, reference):
        """Send an email about the case through the mail server and file it, with its Message-ID."""
        case = visible_case(request.user, reference)
        values = _valid(EmailInSerializer, request.data)
        entry = services.send_email(case, actor=request.user, **values)
        return Response(
            EntrySerializer(selectors.entry_on_case(request.user, case.reference, entry.pk)).data,
            status=status.HTTP_201_CREATED,
        )


# Letters -------------------------------------------------------------------------------------------------------------


class TemplateListView(APIView):
    @extend_schema(responses={200: TemplateSerializer(many=True)})
    def get(self, request):
        """The letter templates in use, with the merge fields each uses and any mistakes in them."""
        return Response(TemplateSerializer(selectors.templates_in_use(), many=True).data)


class LetterCheckView(APIView):
    @extend_schema(responses={200: LetterCheckSerializer(many=True), **_NOT_FOUND})
    def get(self, request, reference):
        """Each template checked against this case before a letter is made: its mistakes and the values missing."""
        case = visible_case(request.user, reference)
        parties = selectors.parties_of(case)
        checks = selectors.letter_checks(
            case, templates=list(selectors.templates_in_use()), parties=parties, today=timezone.localdate()
        )
        return Response(LetterCheckSerializer(checks, many=True).data)


class LetterListView(GenericAPIView):
    serializer_class = LetterSerializer
    pagination_class = LetterPagination
    filter_backends = []

    @extend_schema(responses={200: LetterSerializer(many=True), **_NOT_FOUND})
    def get(self, request, reference):
        """The case's letters, newest first (cursor): drafts and those produced."""
        case = visible_case(request.user, reference)
        letters = selectors.letters_of(case).prefetch_related("entry__attachments").select_related("entry__case")
        page = self.paginate_queryset(letters)
        return self.get_paginated_response(LetterSerializer(page, many=True).data)

    @extend_schema(request=LetterInSerializer, responses={201: LetterSerializer, **_REFUSED})
    def post(self, request, reference):
        """Make a draft letter from a template. Unknown merge fields, or values the case lacks, are refused first."""
        case = visible_case(request.user, reference)
        values = _valid(LetterInSerializer, request.data)
        template = selectors.templates_in_use().filter(code=values["template"]).first()
        if template is None:
            raise serializers.ValidationError(
                {"template": [f"There is no letter template '{values['template']}' in use."]}
            )
        recipient = None
        if values.get("recipient") is not None:
            people = {person.pk: person for person in selectors.recipients_of(selectors.parties_of(case))}
            recipient = people.get(values["recipient"])
            if recipient is None:
                raise serializers.ValidationError({"recipient": ["Choose someone on this case to write to."]})
        letter = services.draft_letter(case, actor=request.user, template=template, recipient=recipient)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)


def _letter_with_files(user, reference, letter_id) -> Letter:
    letter = selectors.letter_on_case(user, reference, letter_id)
    if letter.entry_id:
        letter.entry = selectors.entry_on_case(user, reference, letter.entry_id)
    return letter


class LetterDetailView(APIView):
    @extend_schema(responses={200: LetterSerializer, **_NOT_FOUND})
    def get(self, request, reference, letter_id):
        """One letter: the draft, or the letter as produced with its Word and PDF files."""
        return Response(LetterSerializer(_letter_with_files(request.user, reference, letter_id)).data)

    @extend_schema(request=LetterEditSerializer, responses={200: LetterSerializer, **_REFUSED, **_STALE})
    def patch(self, request, reference, letter_id):
        """Save changes to a draft. A produced letter cannot be changed."""
        letter = selectors.letter_on_case(request.user, reference, letter_id)
        values = _valid(LetterEditSerializer, request.data)
        services.edit_letter(letter, actor=request.user, expected_version=values.pop("version"), **values)
        return Response(LetterSerializer(_letter_with_files(request.user, reference, letter_id)).data)


class LetterProductionView(APIView):
    @extend_schema(request=ProductionSerializer, responses={201: LetterSerializer, **_REFUSED, **_STALE})
    def post(self, request, reference, letter_id):
        """Produce the draft as Word and PDF and file them in the communications log."""
        letter = selectors.letter_on_case(request.user, reference, letter_id)
        values = _valid(ProductionSerializer, request.data)
        services.produce_letter(letter, actor=request.user, expected_version=values.get("version"))
        letter = _letter_with_files(request.user, reference, letter_id)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)

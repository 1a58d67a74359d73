"""The meetings API (/api/v1/cases/{reference}/meetings/...): the same selectors and services as the web pages.

A meeting of a case the caller may not see answers 404; a role that may not work on meetings answers 403;
a stale `version` (the meeting's) answers 409.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from palsdesk.accounts.permissions import Permission, can
from palsdesk.api.errors import fields_renamed
from palsdesk.api.serializers import LimitedText, ListedChoiceField, StrictSerializer, UsernameField
from palsdesk.cases.selectors import visible_case
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.meetings import invitations, selectors, services
from palsdesk.meetings.models import (
    AgreedAction,
    AttendeeRole,
    MeetingAttendee,
    RecordingConsent,
    ResolutionMeeting,
    Stage,
)
from palsdesk.people.models import PartyRole

# Named schema components: a bare "role" or "stage" would collide with other fields of those names.


@extend_schema_field({"type": "string", "enum": Stage.values}, component_name="MeetingStageEnum")
class StageField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(Stage.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": AttendeeRole.values}, component_name="AttendeeRoleEnum")
class AttendeeRoleField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(AttendeeRole.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": RecordingConsent.values}, component_name="RecordingConsentEnum")
class RecordingConsentField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(RecordingConsent.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": PartyRole.values}, component_name="CaseRoleEnum")
class CaseRoleField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(PartyRole.choices, **kwargs)


class MeetingAttendeeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.CharField(source="email_address", read_only=True, help_text="Empty when none is known.")
    role = AttendeeRoleField(read_only=True)
    case_role = serializers.SerializerMethodField(help_text="Their role on the case, if they are one of its people.")
    username = serializers.SlugRelatedField(source="user", slug_field="username", read_only=True)
    invited_sequence = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The SEQUENCE of the last invitation, update or cancellation emailed to them; null if none was.",
    )

    class Meta:
        model = MeetingAttendee
        fields = [
            "id",
            "name",
            "email",
            "role",
            "role_description",
            "case_role",
            "username",
            "invited_sequence",
            "invited_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseRoleField(allow_null=True))
    def get_case_role(self, attendee) -> str | None:
        return attendee.party.role if attendee.party_id else None


class AgreedActionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, help_text="A member of staff, or null.")

    class Meta:
        model = AgreedAction
        fields = ["id", "description", "owner", "owner_name", "due_on", "done_on"]
        read_only_fields = fields


class ResolutionMeetingSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    note_taker = serializers.SlugRelatedField(slug_field="username", read_only=True)
    notes_recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    follow_up_sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    recording_consent = RecordingConsentField(read_only=True)
    stage = serializers.SerializerMethodField(help_text="Worked out from the meeting's times and what is recorded.")
    notes_due_on = serializers.SerializerMethodField(help_text="5 of the trust's working days after the meeting.")
    follow_up_due_on = serializers.SerializerMethodField(help_text="10 of the trust's working days after the meeting.")
    attendees = MeetingAttendeeSerializer(many=True, read_only=True)
    actions = AgreedActionSerializer(many=True, read_only=True)
    sequence = serializers.IntegerField(
        read_only=True, help_text="The calendar files' SEQUENCE: one more each time what the invitation says changes."
    )
    version = serializers.IntegerField(read_only=True, help_text="Send it back with a change; a stale one is 409.")

    class Meta:
        model = ResolutionMeeting
        fields = [
            "id",
            "case",
            "purpose",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "agenda",
            "access_needs",
            "organiser",
            "note_taker",
            "recording_consent",
            "stage",
            "cancelled_at",
            "cancellation_reason",
            "attendees",
            "notes",
            "notes_recorded_at",
            "notes_recorded_by",
            "notes_due_on",
            "actions",
            "follow_up_letter",
            "follow_up_due_on",
            "follow_up_sent_on",
            "follow_up_sent_by",
            "sequence",
            "version",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    def _deadlines(self, meeting) -> selectors.Deadlines:
        # The calendar is checked once per response, however many meetings it holds.
        if "calendar" not in self.context:
            self.context["calendar"] = working_day_calendar()
            self.context["now"] = timezone.now()
        return selectors.deadlines_of(meeting, calendar=self.context["calendar"])

    @extend_schema_field(StageField())
    def get_stage(self, meeting) -> str:
        self._deadlines(meeting)
        return meeting.stage_at(self.context["now"]).value

    @extend_schema_field(OpenApiTypes.DATE)
    def get_notes_due_on(self, meeting):
        return self._deadlines(meeting).notes_due_on

    @extend_schema_field(OpenApiTypes.DATE)
    def get_follow_up_due_on(self, meeting):
        return self._deadlines(meeting).follow_up_due_on


# What a client sends ------------------------------------------------------------------------------------------


class MeetingVersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "The meeting's version you read; if it has changed since, 409.")
        super().__init__(**kwargs)


class _MeetingFields(StrictSerializer):
    purpose = LimitedText(max_length=services.PURPOSE_MAX_CHARACTERS)
    starts_at = serializers.DateTimeField(help_text="With its offset; a time without one is read as England's.")
    ends_at = serializers.DateTimeField()
    place = LimitedText(max_length=services.PLACE_MAX_CHARACTERS, required=False, allow_blank=True)
    video_link = LimitedText(max_length=services.VIDEO_LINK_MAX_CHARACTERS, required=False, allow_blank=True)
    agenda = LimitedText(max_length=services.AGENDA_MAX_CHARACTERS, required=False, allow_blank=True)
    access_needs = LimitedText(max_length=services.ACCESS_NEEDS_MAX_CHARACTERS, required=False, allow_blank=True)
    organiser = UsernameField(required=False, help_text="Sends the invitations and the letter; you, if left out.")
    note_taker = UsernameField(help_text="Who writes the notes.")
    recording_consent = RecordingConsentField(required=False)


class MeetingInSerializer(_MeetingFields):
    """A new meeting. The people on the case who are coming are named by their role on it."""

    case_roles = serializers.ListField(
        child=CaseRoleField(),
        required=False,
        help_text="The people on the case who are coming, by their role on it, e.g. ['complainant'].",
    )


class MeetingChangeSerializer(_MeetingFields):
    """A change to the arrangements: fields left out keep their values."""

    version = MeetingVersionField()


class MeetingCancellationSerializer(StrictSerializer):
    reason = LimitedText(max_length=services.REASON_MAX_CHARACTERS)
    version = MeetingVersionField()


class MeetingAttendeeInSerializer(StrictSerializer):
    """Someone coming: a person on the case (case_role), a member of staff (username), or someone named here."""

    case_role = CaseRoleField(required=False)
    username = UsernameField(required=False)
    name = LimitedText(max_length=services.NAME_MAX_CHARACTERS, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    role = AttendeeRoleField(required=False, help_text="Left out: their role on the case, or member of staff.")
    role_description = LimitedText(max_length=200, required=False, allow_blank=True)
    version = MeetingVersionField()


class MeetingNotesSerializer(StrictSerializer):
    notes = LimitedText(max_length=services.NOTES_MAX_CHARACTERS)
    version = MeetingVersionField()


class AgreedActionInSerializer(StrictSerializer):
    description = LimitedText(max_length=services.ACTION_MAX_CHARACTERS)
    owner = UsernameField(required=False, allow_null=True, help_text="A member of staff; or give owner_name.")
    owner_name = LimitedText(max_length=services.NAME_MAX_CHARACTERS, required=False, allow_blank=True)
    due_on = serializers.DateField()
    version = MeetingVersionField()


class AgreedActionChangeSerializer(AgreedActionInSerializer):
    """Fields left out keep their values; done_on marks it done (a date) or not done (null)."""

    description = LimitedText(max_length=services.ACTION_MAX_CHARACTERS, required=False)
    due_on = serializers.DateField(required=False)
    done_on = serializers.DateField(required=False, allow_null=True)


class FollowUpLetterSerializer(StrictSerializer):
    text = LimitedText(max_length=services.LETTER_MAX_CHARACTERS)
    version = MeetingVersionField()


class FollowUpDraftSerializer(StrictSerializer):
    version = MeetingVersionField()


class FollowUpSentSerializer(StrictSerializer):
    sent_on = serializers.DateField(required=False, allow_null=True, help_text="Today if left out.")
    version = MeetingVersionField()


class MeetingInvitationsSentSerializer(serializers.Serializer):
    sent = serializers.ListField(child=serializers.CharField(), help_text="Emailed, with the calendar file.")
    without_email = serializers.ListField(child=serializers.CharField(), help_text="No email address: tell them.")
    failed = serializers.ListField(child=serializers.CharField(), help_text="Not sent, and why: try again later.")
    meeting = ResolutionMeetingSerializer()


# The views ----------------------------------------------------------------------------------------------------

_REFUSED = {
    400: OpenApiResponse(description="Bad input: a message per field, or in `detail` the rule it breaks."),
    403: OpenApiResponse(description="The caller's role cannot work on meetings."),
    404: OpenApiResponse(description="No such case (or meeting on it) that the caller may see."),
}
_STALE = {409: OpenApiResponse(description="The meeting changed after the `version` given was read; nothing saved.")}
_WRITE_ANSWERS = {200: ResolutionMeetingSerializer, **_REFUSED, **_STALE}


class MeetingPagination(CursorPagination):
    ordering = ("-starts_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _valid(serializer_class, request, **kwargs) -> dict:
    incoming = serializer_class(data=request.data, **kwargs)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


def _require_arranging(user) -> None:
    if not can(user, Permission.ARRANGE_MEETINGS):
        raise PermissionDenied("Your role cannot arrange or write up meetings.")


class _OneMeeting(APIView):
    """A view of one meeting of a case: found through the caller's cases (404), then their role checked (403)."""

    def meeting(self, request, reference, meeting_id, *, to_change: bool = True) -> ResolutionMeeting:
        meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
        if to_change:
            _require_arranging(request.user)
        return meeting

    def answer(self, request, meeting, status_code=status.HTTP_200_OK) -> Response:
        return _answer(request, meeting, status_code)


def _answer(request, meeting, status_code=status.HTTP_200_OK) -> Response:
    """The meeting as it is now, read again after the change."""
    fresh = selectors.meeting_of_case(request.user, meeting.case.reference, meeting.pk)
    return Response(ResolutionMeetingSerializer(fresh, context={"request": request}).data, status=status_code)


def _party_with_role(case, role: str):
    parties = list(case.parties.filter(role=role).select_related("person"))
    if not parties:
        raise ValidationError({"case_role": [f"No one on {case.reference} is its {role}."]})
    if len(parties) > 1:
        raise ValidationError(
            {"case_role": [f"{len(parties)} people on {case.reference} are its {role}: add them on the meeting page."]}
        )
    return parties[0]


class MeetingListView(generics.GenericAPIView):
    """The meetings of a case, the latest first; and arranging one."""

    pagination_class = MeetingPagination
    serializer_class = ResolutionMeetingSerializer
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a case
            return ResolutionMeeting.objects.none()
        case = visible_case(self.request.user, self.kwargs["reference"])
        return selectors.with_everything(ResolutionMeeting.objects.filter(case=case))

    @extend_schema(
        description="The case's meetings, the latest first, a page at a time (cursor).",
        responses={200: ResolutionMeetingSerializer(many=True), 404: _REFUSED[404]},
    )
    def get(self, request, reference):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            ResolutionMeetingSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        description="Arrange a resolution meeting on an open complaint or MP letter. Staff and anyone else are added "
        "at .../attendees/; invitations go with .../invitations/.",
        request=MeetingInSerializer,
        responses={
            201: ResolutionMeetingSerializer,
            **_REFUSED,
            400: OpenApiResponse(
                description="Bad input per field (no place or video link, an end before the start, a note-taker who "
                "cannot see the case...), or in `detail` why no meeting can be arranged: not a complaint or MP "
                "letter, or the case is finished."
            ),
        },
    )
    def post(self, request, reference):
        case = visible_case(request.user, reference)
        _require_arranging(request.user)
        data = _valid(MeetingInSerializer, request)
        parties = [_party_with_role(case, role) for role in data.pop("case_roles", [])]
        meeting = services.arrange_meeting(case, actor=request.user, parties=parties, **data)
        return _answer(request, meeting, status.HTTP_201_CREATED)


class MeetingDetailView(_OneMeeting):
    @extend_schema(
        description="One meeting with who is coming, its notes, agreed actions and follow-up letter.",
        responses={200: ResolutionMeetingSerializer, 404: _REFUSED[404]},
    )
    def get(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id, to_change=False)
        return Response(ResolutionMeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(
        description="Change the arrangements; fields left out keep their values. A change to what the invitation "
        "says (when, where, what for, the agenda or organiser) raises `sequence`: send the update at .../invitations/.",
        request=MeetingChangeSerializer,
        responses=_WRITE_ANSWERS,
    )
    def patch(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        changes = _valid(MeetingChangeSerializer, request, partial=True)
        version = changes.pop("version", None)
        services.change_meeting(meeting, actor=request.user, expected_version=version, **changes)
        return self.answer(request, meeting)


def _sent(request, sent: services.InvitationsSent) -> Response:
    meeting = selectors.meeting_of_case(request.user, sent.meeting.case.reference, sent.meeting.pk)
    return Response(
        {
            "sent": sent.sent,
            "without_email": sent.without_email,
            "failed": [f"{name}: {error}" for name, error in sent.failed],
            "meeting": ResolutionMeetingSerializer(meeting, context={"request": request}).data,
        }
    )


class MeetingCancellationView(_OneMeeting):
    @extend_schema(
        description="Cancel the meeting, saying why. Those already invited are emailed the cancellation.",
        request=MeetingCancellationSerializer,
        responses={200: MeetingInvitationsSentSerializer, **_REFUSED, **_STALE},
    )
    def post(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(MeetingCancellationSerializer, request)
        sent = services.cancel_meeting(
            meeting, reason=data["reason"], actor=request.user, expected_version=data.get("version")
        )
        return _sent(request, sent)


class MeetingInvitationsView(_OneMeeting):
    @extend_schema(
        description="Email each attendee with an email address what they have not yet had (the invitation, an "
        "update, or the cancellation), each with a calendar file naming only them.",
        request=None,
        responses={
            200: MeetingInvitationsSentSerializer,
            **_REFUSED,
            400: OpenApiResponse(description="In `detail`: the meeting has started."),
        },
    )
    def post(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        return _sent(request, services.send_invitations(meeting, actor=request.user))


class MeetingCalendarFileView(_OneMeeting):
    @extend_schema(
        description="The meeting's calendar file (iCalendar): METHOD:REQUEST, or METHOD:CANCEL once cancelled.",
        responses={(200, "text/calendar"): OpenApiTypes.STR, 404: _REFUSED[404]},
    )
    def get(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id, to_change=False)
        services.record_download(meeting, what="calendar file", actor=request.user)
        method = "CANCEL" if meeting.is_cancelled else "REQUEST"
        response = HttpResponse(
            invitations.calendar_file(meeting), content_type=f"text/calendar; method={method}; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{invitations.file_name(meeting)}"'
        return response


class MeetingAttendeesView(_OneMeeting):
    @extend_schema(
        description="Add someone: a person on the case (`case_role`), a member of staff (`username`), or someone "
        "named here (`name`, with `email` to send them the invitation). Answers the meeting.",
        request=MeetingAttendeeInSerializer,
        responses={201: ResolutionMeetingSerializer, **_REFUSED, **_STALE},
    )
    def post(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(MeetingAttendeeInSerializer, request)
        party = _party_with_role(meeting.case, data["case_role"]) if data.get("case_role") else None
        user = data.get("username")
        role = data.get("role") or (
            services.role_from_party(party) if party else AttendeeRole.STAFF if user else AttendeeRole.OTHER
        )
        with fields_renamed(user="username", party="case_role"):
            services.add_attendee(
                meeting,
                actor=request.user,
                role=role,
                party=party,
                user=user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                role_description=data.get("role_description", ""),
                expected_version=data.get("version"),
            )
        return self.answer(request, meeting, status.HTTP_201_CREATED)


class MeetingAttendeeView(_OneMeeting):
    @extend_schema(
        description="Take someone off the meeting; if they were invited, they are emailed the cancellation.",
        request=None,
        responses={200: MeetingInvitationsSentSerializer, **_REFUSED},
    )
    def delete(self, request, reference, meeting_id, attendee_id):
        meeting = self.meeting(request, reference, meeting_id)
        attendee = next((a for a in meeting.attendees.all() if a.pk == attendee_id), None)
        if attendee is None:
            raise Http404("No such person on this meeting.")
        return _sent(request, services.remove_attendee(attendee, actor=request.user))


class MeetingNotesView(_OneMeeting):
    @extend_schema(
        description="Record (or correct) the notes of a meeting that has taken place.",
        request=MeetingNotesSerializer,
        responses=_WRITE_ANSWERS,
    )
    def put(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(MeetingNotesSerializer, request)
        services.record_notes(meeting, notes=data["notes"], actor=request.user, expected_version=data.get("version"))
        return self.answer(request, meeting)


class MeetingActionsView(_OneMeeting):
    @extend_schema(
        description="Record an action agreed at the meeting: what, who (a member of staff, or a name) and by when.",
        request=AgreedActionInSerializer,
        responses={201: ResolutionMeetingSerializer, **_REFUSED, **_STALE},
    )
    def post(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(AgreedActionInSerializer, request)
        version = data.pop("version", None)
        services.add_action(meeting, actor=request.user, expected_version=version, **data)
        return self.answer(request, meeting, status.HTTP_201_CREATED)


class MeetingActionView(_OneMeeting):
    @extend_schema(
        description="Change an agreed action, or mark it done (`done_on`) or not done (null). Its owner may mark "
        "it done without the role that arranges meetings.",
        request=AgreedActionChangeSerializer,
        responses={**_WRITE_ANSWERS, 404: OpenApiResponse(description="No such case, meeting or action.")},
    )
    def patch(self, request, reference, meeting_id, action_id):
        meeting = self.meeting(request, reference, meeting_id, to_change=False)
        action = next((a for a in meeting.actions.all() if a.pk == action_id), None)
        if action is None:
            raise Http404("No such action on this meeting.")
        data = _valid(AgreedActionChangeSerializer, request, partial=True)
        version = data.pop("version", None)
        if not (set(data) <= {"done_on"} and action.owner_id == request.user.pk):
            _require_arranging(request.user)
        services.change_action(action, actor=request.user, expected_version=version, **data)
        return self.answer(request, meeting)


class MeetingLetterView(_OneMeeting):
    @extend_schema(
        description="Save the follow-up letter's draft as written.",
        request=FollowUpLetterSerializer,
        responses=_WRITE_ANSWERS,
    )
    def put(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(FollowUpLetterSerializer, request)
        services.save_follow_up_letter(
            meeting, text=data["text"], actor=request.user, expected_version=data.get("version")
        )
        return self.answer(request, meeting)


class MeetingLetterDraftView(_OneMeeting):
    @extend_schema(
        description="Write the follow-up letter's draft afresh from the meeting and its agreed actions.",
        request=FollowUpDraftSerializer,
        responses=_WRITE_ANSWERS,
    )
    def post(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(FollowUpDraftSerializer, request)
        services.draft_follow_up_letter(meeting, actor=request.user, expected_version=data.get("version"))
        return self.answer(request, meeting)


class MeetingLetterSentView(_OneMeeting):
    @extend_schema(
        description="Record the day the follow-up letter was sent; its draft is then kept as sent.",
        request=FollowUpSentSerializer,
        responses=_WRITE_ANSWERS,
    )
    def post(self, request, reference, meeting_id):
        meeting = self.meeting(request, reference, meeting_id)
        data = _valid(FollowUpSentSerializer, request)
        services.record_follow_up_sent(
            meeting, sent_on=data.get("sent_on"), actor=request.user, expected_version=data.get("version")
        )
        return self.answer(request, meeting)

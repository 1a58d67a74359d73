"""API addresses of meetings, under /api/v1/: each case's meetings under the case's own address."""

from django.urls import path

from palsdesk.meetings import api

_CASE = "cases/<str:reference>/meetings/"
_MEETING = f"{_CASE}<int:meeting_id>/"

urlpatterns = [
    path(_CASE, api.MeetingListView.as_view(), name="case-meetings"),
    path(_MEETING, api.MeetingDetailView.as_view(), name="case-meeting"),
    path(f"{_MEETING}cancellation/", api.MeetingCancellationView.as_view(), name="case-meeting-cancellation"),
    path(f"{_MEETING}attendees/", api.MeetingAttendeesView.as_view(), name="case-meeting-attendees"),
    path(f"{_MEETING}attendees/<int:attendee_id>/", api.MeetingAttendeeView.as_view(), name="case-meeting-attendee"),
    path(f"{_MEETING}invitations/", api.MeetingInvitationsView.as_view(), name="case-meeting-invitations"),
    path(f"{_MEETING}invitation.ics", api.MeetingCalendarFileView.as_view(), name="case-meeting-calendar-file"),
    path(f"{_MEETING}notes/", api.MeetingNotesView.as_view(), name="case-meeting-notes"),
    path(f"{_MEETING}actions/", api.MeetingActionsView.as_view(), name="case-meeting-actions"),
    path(f"{_MEETING}actions/<int:action_id>/", api.MeetingActionView.as_view(), name="case-meeting-action"),
    path(f"{_MEETING}follow-up/", api.MeetingLetterView.as_view(), name="case-meeting-follow-up"),
    path(f"{_MEETING}follow-up/draft/", api.MeetingLetterDraftView.as_view(), name="case-meeting-follow-up-draft"),
    path(f"{_MEETING}follow-up/sent/", api.MeetingLetterSentView.as_view(), name="case-meeting-follow-up-sent"),
]

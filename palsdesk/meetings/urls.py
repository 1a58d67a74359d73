"""Web addresses of the meetings pages: the diary, and each case's meetings under the case's own address."""

from django.urls import path

from palsdesk.meetings import views

app_name = "meetings"

_MEETING = "cases/<str:reference>/meetings/<int:meeting_id>/"

urlpatterns = [
    path("meetings/", views.diary, name="diary"),
    path("cases/<str:reference>/meetings/new/", views.arrange, name="arrange"),
    path(_MEETING, views.detail, name="detail"),
    path(f"{_MEETING}change/", views.change, name="change"),
    path(f"{_MEETING}cancel/", views.cancel, name="cancel"),
    path(f"{_MEETING}attendees/", views.add_attendee, name="add_attendee"),
    path(f"{_MEETING}attendees/<int:attendee_id>/remove/", views.remove_attendee, name="remove_attendee"),
    path(f"{_MEETING}invitations/", views.invite, name="invite"),
    path(f"{_MEETING}invitation.ics", views.calendar_file, name="calendar_file"),
    path(f"{_MEETING}notes/", views.notes, name="notes"),
    path(f"{_MEETING}actions/", views.add_action, name="add_action"),
    path(f"{_MEETING}actions/<int:action_id>/progress/", views.action_progress, name="action_progress"),
    path(f"{_MEETING}follow-up/", views.follow_up, name="follow_up"),
    path(f"{_MEETING}follow-up/draft/", views.follow_up_draft, name="follow_up_draft"),
    path(f"{_MEETING}follow-up/sent/", views.follow_up_sent, name="follow_up_sent"),
    path(f"{_MEETING}follow-up.docx", views.follow_up_docx, name="follow_up_docx"),
]

"""Web addresses of the case pages."""

from django.urls import path

from palsdesk.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.log_case, name="log"),
    path("cases/<str:reference>/", views.case_detail, name="detail"),
    path("cases/<str:reference>/edit/", views.edit_details, name="edit"),
    path("cases/<str:reference>/notes/", views.add_note, name="add_note"),
    path("cases/<str:reference>/contacts/", views.log_contact, name="log_contact"),
    path("cases/<str:reference>/move/", views.move, name="move"),
    path("cases/<str:reference>/assignment/", views.assign, name="assign"),
    path("cases/<str:reference>/links/", views.link, name="link"),
    path("cases/<str:reference>/response-date/", views.agree_response_date, name="agree_response_date"),
    path("cases/<str:reference>/extension/", views.agree_extension, name="agree_extension"),
    path("cases/<str:reference>/hold/", views.put_on_hold, name="put_on_hold"),
    path("cases/<str:reference>/hold/end/", views.release_hold, name="release_hold"),
    path("cases/<str:reference>/delay-letter/", views.record_delay_letter, name="record_delay_letter"),
    path("cases/<str:reference>/time-limit/", views.record_time_limit_decision, name="record_time_limit_decision"),
]

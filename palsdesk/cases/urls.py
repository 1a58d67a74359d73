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
]

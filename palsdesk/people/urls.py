"""Web addresses of the pages for people on a case."""

from django.urls import path

from palsdesk.people import views

app_name = "people"

urlpatterns = [
    path("cases/<str:reference>/people/add/", views.add_person, name="add"),
    path("cases/<str:reference>/people/<int:party_id>/", views.edit_person, name="edit"),
    path("cases/<str:reference>/consent/", views.record_consent, name="consent"),
]

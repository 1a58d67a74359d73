"""Web addresses of the grading pages."""

from django.urls import path

from palsdesk.grading import views

app_name = "grading"

urlpatterns = [
    path("cases/<str:reference>/grading/", views.grade_case, name="grade"),
]

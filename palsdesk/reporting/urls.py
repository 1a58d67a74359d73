"""Web addresses of the reports."""

from django.urls import path

from palsdesk.reporting import views

app_name = "reporting"

urlpatterns = [
    path("daily/", views.daily_report, name="daily"),
]

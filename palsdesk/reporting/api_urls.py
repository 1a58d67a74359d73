"""API addresses of reporting, under /api/v1/."""

from django.urls import path

from palsdesk.reporting.returns.api import Ko41aView

urlpatterns: list = [
    path("reports/ko41a/", Ko41aView.as_view(), name="reports-ko41a"),
]

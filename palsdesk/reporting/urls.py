"""Web addresses of the reports."""

from django.urls import path

from palsdesk.reporting import export_views, report_views, views
from palsdesk.reporting.returns import views as returns

app_name = "reporting"

urlpatterns = [
    path("daily/", views.daily_report, name="daily"),
    path("", report_views.reports_index, name="index"),
    path("dashboard/", report_views.dashboard_page, name="dashboard"),
    path("committee/", report_views.committee_index, name="committee_index"),
    path("committee/<str:kind>/", report_views.committee_report_page, name="committee"),
    path("committee/<str:kind>/<str:file_format>/", report_views.committee_download, name="committee_download"),
    path("export/cases.csv", export_views.export_cases, {"file_format": "csv"}, name="export_csv"),
    path("export/cases.xlsx", export_views.export_cases, {"file_format": "excel"}, name="export_excel"),
    path("ko41a/", returns.ko41a_page, name="ko41a"),
    path("ko41a/cases/", returns.ko41a_cases, name="ko41a_cases"),
    path("ko41a/ko41a.<str:file_format>", returns.ko41a_download, name="ko41a_download"),
]

"""Web addresses of the coding pages: a case's issues and outcomes, and the data quality list."""

from django.urls import path

from palsdesk.coding import views

app_name = "coding"

urlpatterns = [
    path("cases/<str:reference>/issues/add/", views.add_issue, name="add_issue"),
    path("cases/<str:reference>/issues/<int:issue_id>/", views.change_issue, name="change_issue"),
    path("cases/<str:reference>/issues/<int:issue_id>/outcome/", views.record_outcome, name="record_outcome"),
    path("cases/<str:reference>/issues/<int:issue_id>/remove/", views.remove_issue, name="remove_issue"),
    path("data-quality/", views.data_quality, name="data_quality"),
]

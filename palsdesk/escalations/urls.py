"""Web addresses of the escalations pages: the co-ordinator's list, and each case's PHSO, CQC and joint work."""

from django.urls import path

from palsdesk.escalations import views

app_name = "escalations"

_PHSO = "cases/<str:reference>/ombudsman/<int:pk>/"

urlpatterns = [
    path("ombudsman-and-cqc/", views.open_list, name="list"),
    path("cases/<str:reference>/ombudsman/new/", views.open_ombudsman_case, name="open_ombudsman"),
    path(_PHSO, views.ombudsman_case, name="ombudsman_case"),
    path(f"{_PHSO}details/", views.change_ombudsman_case, name="change_ombudsman"),
    path(f"{_PHSO}stage/", views.record_stage, name="record_stage"),
    path(f"{_PHSO}requests/new/", views.add_request, name="add_request"),
    path(f"{_PHSO}requests/<int:request_id>/sent/", views.record_request_sent, name="record_request_sent"),
    path(f"{_PHSO}decision/", views.record_decision, name="record_decision"),
    path(f"{_PHSO}recommendations/new/", views.add_recommendation, name="add_recommendation"),
    path(f"{_PHSO}recommendations/<int:recommendation_id>/evidence/", views.record_evidence, name="record_evidence"),
    path(f"{_PHSO}evidence/<int:evidence_id>/answer/", views.record_verdict, name="record_verdict"),
    path(f"{_PHSO}close/", views.close_ombudsman_case, name="close_ombudsman"),
    path("cases/<str:reference>/cqc/new/", views.open_cqc_enquiry, name="open_cqc"),
    path("cases/<str:reference>/cqc/<int:pk>/sent/", views.record_cqc_sent, name="record_cqc_sent"),
    path("cases/<str:reference>/joint/", views.record_joint_complaint, name="joint"),
    path("cases/<str:reference>/joint/bodies/new/", views.add_joint_body, name="add_body"),
    path("cases/<str:reference>/joint/our-part-sent/", views.record_our_part_sent, name="our_part_sent"),
    path("cases/<str:reference>/contributions/new/", views.request_contribution, name="request_contribution"),
    path("cases/<str:reference>/contributions/<int:pk>/chase/", views.chase_contribution, name="chase"),
    path(
        "cases/<str:reference>/contributions/<int:pk>/received/",
        views.record_contribution_received,
        name="contribution_received",
    ),
]

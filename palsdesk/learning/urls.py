"""Web addresses of the learning pages: action plans, their actions and evidence, and "you said, we did"."""

from django.urls import path

from palsdesk.learning import views

app_name = "learning"

urlpatterns = [
    path("action-plans/", views.plan_list, name="plans"),
    path("action-plans/new/", views.raise_plan, name="raise_plan"),
    path("action-plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("action-plans/<int:plan_id>/actions/add/", views.add_action, name="add_action"),
    path("action-plans/actions/", views.action_list, name="actions"),
    path("action-plans/actions/<int:action_id>/", views.action_detail, name="action"),
    path("action-plans/actions/<int:action_id>/change/", views.change_action, name="change_action"),
    path("action-plans/actions/<int:action_id>/status/", views.update_status, name="update_status"),
    path("action-plans/actions/<int:action_id>/evidence/", views.add_evidence, name="add_evidence"),
    path("action-plans/actions/<int:action_id>/wording/", views.write_wording, name="write_wording"),
    path("action-plans/actions/<int:action_id>/wording/approve/", views.approve_wording, name="approve_wording"),
    path("action-plans/actions/<int:action_id>/wording/withdraw/", views.withdraw_wording, name="withdraw_wording"),
    path("action-plans/evidence/<int:evidence_id>/", views.download_evidence, name="evidence"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("you-said-we-did/export.csv", views.export_csv, name="export_csv"),
    path("you-said-we-did/export.html", views.export_html, name="export_html"),
]

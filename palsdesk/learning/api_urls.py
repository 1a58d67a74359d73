"""API addresses of learning, under /api/v1/: action plans, actions, evidence and "you said, we did"."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from palsdesk.learning import api

router = SimpleRouter(trailing_slash=True)
router.register("action-plans", api.ActionPlanViewSet, basename="learning-plan")
router.register("actions", api.ActionViewSet, basename="learning-action")

urlpatterns = [
    *router.urls,
    path("evidence/<int:pk>/file/", api.EvidenceFileView.as_view(), name="learning-evidence-file"),
    path("you-said-we-did/", api.YouSaidWeDidView.as_view(), name="learning-you-said-we-did"),
]

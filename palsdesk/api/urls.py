"""The API's URL map: /api/v1/ resources, the OpenAPI schema at /api/schema/ and its browsable docs at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from palsdesk.cases.api import CaseViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("cases", CaseViewSet, basename="case")

schema_view = SpectacularAPIView.as_view()
docs_view = SpectacularSwaggerSplitView.as_view(url_name="api:schema")

# The API authenticates each request itself (token or session), so the site-wide sign-in redirect
# must not apply: an unauthenticated API call gets 401, not an HTML sign-in page.
for view in [schema_view, docs_view, *(pattern.callback for pattern in router.urls)]:
    view.login_required = False

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", schema_view, name="schema"),
    path("docs/", docs_view, name="docs"),
]

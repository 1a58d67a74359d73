"""The API's URL map: /api/v1/ resources, the OpenAPI schema at /api/schema/ and its browsable docs at /api/docs/."""

from importlib import import_module

from django.urls import URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from palsdesk.api import reference
from palsdesk.cases.api import CaseViewSet
from palsdesk.coding.api import LocalSubjectListView, TaxonomyCodeListView, TaxonomyListView
from palsdesk.grading.api import GradingSchemeView

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("cases", CaseViewSet, basename="case")

reference_urls = [
    path("", reference.ReferenceIndexView.as_view(), name="reference"),
    path("taxonomies/", TaxonomyListView.as_view(), name="reference-taxonomies"),
    path("taxonomies/<str:kind>/<str:year>/codes/", TaxonomyCodeListView.as_view(), name="reference-taxonomy-codes"),
    path("local-subjects/", LocalSubjectListView.as_view(), name="reference-local-subjects"),
    path("grading-scheme/", GradingSchemeView.as_view(), name="reference-grading-scheme"),
    path("divisions/", reference.DivisionListView.as_view(), name="reference-divisions"),
    path("sites/", reference.SiteListView.as_view(), name="reference-sites"),
    path("services/", reference.ServiceListView.as_view(), name="reference-services"),
    path("hold-reasons/", reference.HoldReasonListView.as_view(), name="reference-hold-reasons"),
    path(
        "communication-needs/",
        reference.CommunicationNeedListView.as_view(),
        name="reference-communication-needs",
    ),
]

schema_view = SpectacularAPIView.as_view()
docs_view = SpectacularSwaggerSplitView.as_view(url_name="api:schema")

# Each domain app keeps its own endpoints in <app>/api_urls.py, mounted under /api/v1/.
APPS_WITH_API_URLS = ["correspondence", "responses", "meetings", "escalations", "learning", "reporting"]
app_urls = [pattern for app in APPS_WITH_API_URLS for pattern in import_module(f"palsdesk.{app}.api_urls").urlpatterns]


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        else:
            yield pattern.callback


# The API authenticates each request itself (token or session), so the site-wide sign-in redirect
# must not apply: an unauthenticated API call gets 401, not an HTML sign-in page.
for view in [schema_view, docs_view, *_views([*router.urls, *reference_urls, *app_urls])]:
    view.login_required = False

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include(app_urls)),
    path("v1/reference/", include(reference_urls)),
    path("schema/", schema_view, name="schema"),
    path("docs/", docs_view, name="docs"),
]

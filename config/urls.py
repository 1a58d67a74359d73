"""The site's URL map: staff pages, the admin, sign-in, and the API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from palsdesk.core.views import healthcheck

urlpatterns = [
    path("", include("palsdesk.cases.urls")),
    path("", include("palsdesk.people.urls")),
    path("", include("palsdesk.deadlines.urls")),
    path("", include("palsdesk.grading.urls")),
    path("", include("palsdesk.coding.urls")),
    path("", include("palsdesk.correspondence.urls")),
    path("", include("palsdesk.responses.urls")),
    path("", include("palsdesk.meetings.urls")),
    path("", include("palsdesk.escalations.urls")),
    path("", include("palsdesk.learning.urls")),
    path("reports/", include("palsdesk.reporting.urls")),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("palsdesk.api.urls")),
    path("healthz", healthcheck, name="healthcheck"),
]

"""API addresses of escalations, under /api/v1/."""

urlpatterns: list = []

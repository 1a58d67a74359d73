"""API addresses of reporting, under /api/v1/."""

urlpatterns: list = []

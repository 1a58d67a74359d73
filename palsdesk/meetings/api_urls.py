"""API addresses of meetings, under /api/v1/."""

urlpatterns: list = []

"""API addresses of responses, under /api/v1/."""

urlpatterns: list = []

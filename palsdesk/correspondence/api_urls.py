"""API addresses of correspondence, under /api/v1/."""

urlpatterns: list = []

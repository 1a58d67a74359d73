"""API addresses of learning, under /api/v1/."""

urlpatterns: list = []

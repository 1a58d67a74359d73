"""Web addresses of the learning pages."""

app_name = "learning"

urlpatterns: list = []

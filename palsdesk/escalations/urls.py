"""Web addresses of the escalations pages."""

app_name = "escalations"

urlpatterns: list = []

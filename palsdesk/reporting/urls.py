"""Web addresses of the reports."""

app_name = "reporting"

urlpatterns: list = []

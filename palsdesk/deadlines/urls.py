"""Web addresses of the deadline pages."""

app_name = "deadlines"

urlpatterns: list = []

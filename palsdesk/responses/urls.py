"""Web addresses of the responses pages."""

app_name = "responses"

urlpatterns: list = []

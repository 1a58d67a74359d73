"""Web addresses of the correspondence pages."""

app_name = "correspondence"

urlpatterns: list = []

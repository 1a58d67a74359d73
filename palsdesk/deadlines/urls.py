"""Web addresses of the deadline pages."""

from django.urls import path

from palsdesk.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:day_id>/remove/", views.remove_day, name="remove_day"),
]

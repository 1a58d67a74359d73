"""Web addresses of the correspondence pages."""

from django.urls import path

from palsdesk.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("cases/<str:reference>/correspondence/", views.communications_log, name="log"),
    path("cases/<str:reference>/correspondence/<int:entry_id>/", views.entry_detail, name="entry"),
    path("cases/<str:reference>/files/<int:attachment_id>/", views.download, name="download"),
    path("cases/<str:reference>/email/", views.send_email, name="email"),
    path("cases/<str:reference>/letters/new/", views.new_letter, name="new_letter"),
    path("cases/<str:reference>/letters/<int:letter_id>/", views.letter_detail, name="letter"),
    path("cases/<str:reference>/letters/<int:letter_id>/produce/", views.produce_letter, name="produce_letter"),
]

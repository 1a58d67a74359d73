"""API addresses of correspondence, under /api/v1/: the communications log, files, emails and letters."""

from django.urls import path

from palsdesk.correspondence import api

urlpatterns = [
    path("cases/<str:reference>/correspondence/", api.EntryListView.as_view(), name="correspondence-list"),
    path(
        "cases/<str:reference>/correspondence/<int:entry_id>/",
        api.EntryDetailView.as_view(),
        name="correspondence-detail",
    ),
    path(
        "cases/<str:reference>/correspondence/<int:entry_id>/attachments/",
        api.EntryFilesView.as_view(),
        name="correspondence-attachments",
    ),
    path("cases/<str:reference>/files/<int:attachment_id>/", api.FileView.as_view(), name="correspondence-file"),
    path("cases/<str:reference>/emails/", api.EmailView.as_view(), name="correspondence-email"),
    path("cases/<str:reference>/letter-checks/", api.LetterCheckView.as_view(), name="letter-checks"),
    path("cases/<str:reference>/letters/", api.LetterListView.as_view(), name="letter-list"),
    path("cases/<str:reference>/letters/<int:letter_id>/", api.LetterDetailView.as_view(), name="letter-detail"),
    path(
        "cases/<str:reference>/letters/<int:letter_id>/production/",
        api.LetterProductionView.as_view(),
        name="letter-production",
    ),
    path("letter-templates/", api.TemplateListView.as_view(), name="letter-templates"),
]

"""Web addresses of the responses pages."""

from django.urls import path

from palsdesk.responses import views

app_name = "responses"

urlpatterns = [
    path("cases/<str:reference>/response/draft/", views.draft, name="draft"),
    path("cases/<str:reference>/response/word/", views.upload_word, name="upload_word"),
    path("cases/<str:reference>/response/versions/<int:number>/", views.version, name="version"),
    path("cases/<str:reference>/response/compare/", views.compare, name="compare"),
    path("cases/<str:reference>/response/submit/", views.submit, name="submit"),
    path("cases/<str:reference>/response/return/", views.return_draft, name="return"),
    path("cases/<str:reference>/response/sign-off/", views.sign_off, name="sign_off"),
    path("cases/<str:reference>/response/send/", views.send, name="send"),
    path("response-paragraphs/", views.paragraphs, name="paragraphs"),
    path("response-paragraphs/new/", views.paragraph, name="add_paragraph"),
    path("response-paragraphs/<int:pk>/", views.paragraph, name="change_paragraph"),
]

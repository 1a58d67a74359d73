"""API addresses of responses, under /api/v1/: a complaint's final response, and the standard paragraphs."""

from django.urls import path

from palsdesk.responses import api

_RESPONSE = "cases/<str:reference>/response/"

urlpatterns = [
    path(_RESPONSE, api.ResponseView.as_view(), name="response"),
    path(f"{_RESPONSE}versions/", api.VersionListView.as_view(), name="response-versions"),
    path(f"{_RESPONSE}versions/<int:number>/", api.VersionView.as_view(), name="response-version"),
    path(f"{_RESPONSE}diff/", api.DiffView.as_view(), name="response-diff"),
    path(f"{_RESPONSE}submission/", api.SubmissionView.as_view(), name="response-submission"),
    path(f"{_RESPONSE}return/", api.ReturnView.as_view(), name="response-return"),
    path(f"{_RESPONSE}regulation-14/", api.Regulation14View.as_view(), name="response-regulation-14"),
    path(f"{_RESPONSE}sign-off/", api.SignOffView.as_view(), name="response-sign-off"),
    path(f"{_RESPONSE}sending/", api.SendingView.as_view(), name="response-sending"),
    path("standard-paragraphs/", api.StandardParagraphListView.as_view(), name="standard-paragraphs"),
]

"""Keyset (cursor) pagination: pages cost the same at the millionth case as at the first."""

from rest_framework.pagination import CursorPagination


class CasePagination(CursorPagination):
    ordering = ("-received_on", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TimelinePagination(CursorPagination):
    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

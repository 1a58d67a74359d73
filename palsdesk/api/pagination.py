"""Pagination: keyset (cursor) pages for cases and timelines, numbered pages for the short reference lists."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


# Keyset pages cost the same at the millionth case as at the first.
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


class ReferencePagination(PageNumberPagination):
    """Reference lists (divisions, codes, hold reasons...) are short and read whole: pages by number, with a count."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

from rest_framework.pagination import CursorPagination


class RecordCursorPagination(CursorPagination):
    """Stable order by the internal id, so a partner paging through a list never sees a row twice or misses
    one while others are being edited."""

    ordering = ("id",)
    page_size_query_param = "page_size"
    max_page_size = 500

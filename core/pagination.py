from rest_framework.pagination import CursorPagination

# A queryset annotated with this name is paged by it instead of by id (people ranked by `?search=`).
CURSOR_POSITION = "cursor_position"


class RecordCursorPagination(CursorPagination):
    """Stable order by the internal id, so a partner paging through a list never sees a row twice or misses
    one while others are being edited.

    A ranked list (search) annotates `cursor_position`, one unique integer per row that sorts like
    (-rank, id). It cannot order by ("-rank", "id") directly: DRF's cursor keys on the first ordering field
    only and skips rows of an equal value by an offset capped at 1000, so more than 1000 matches of one rank
    would repeat a page for ever."""

    ordering = ("id",)
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
        if CURSOR_POSITION in queryset.query.annotations:
            return (CURSOR_POSITION,)
        return super().get_ordering(request, queryset, view)

"""The base of every API endpoint: a viewset whose queryset is `visible_to(request.user)` — the same rule as
the admin and the pages, not a copy of it. Authentication, access, pagination, throttling and CSV live in
their own modules (settings.REST_FRAMEWORK names them)."""

from rest_framework import viewsets


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """A read endpoint over one model. Subclasses name `selector`, a function `(user=…) -> QuerySet` that
    applies `visible_to` and the prefetching the serializer needs; an object outside it answers 404."""

    lookup_field = "uid"
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

"""The base of every API endpoint: a viewset whose queryset is `visible_to(request.user)` — the same rule as
the admin and the pages, not a copy of it. Authentication, access, pagination, throttling and CSV live in
their own modules (settings.REST_FRAMEWORK names them)."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.models import ReadKind
from core.services import audit_record, read_log_record


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """A read endpoint over one model. Subclasses name `selector`, a function `(user=…) -> QuerySet` that
    applies `visible_to` and the prefetching the serializer needs; an object outside it answers 404."""

    lookup_field = "uid"
    # Any path segment reaches the view, so a malformed uid ("abc.", "%F0…") gets the API's JSON 404, not
    # Django's HTML one from the URL resolver.
    lookup_value_regex = "[^/]+"
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    # Spreadsheet formats are exports: the whole filtered list in one file (JSON stays paged by cursor).
    export_formats = ("csv", "xlsx")

    def _exporting(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) in self.export_formats

    def paginate_queryset(self, queryset):
        if self._exporting():
            return None
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self._exporting():
            fmt = request.accepted_renderer.format
            response["Content-Disposition"] = f'attachment; filename="{self.basename}.{fmt}"'
            export = {
                "via": "api",
                "list": self.basename,
                "format": fmt,
                "rows": len(response.data),
                "query": request.GET.urlencode(),
            }
            audit_record(actor=request.user, action="kuzet.export", data=export)
            read_log_record(request_or_user=request, what=ReadKind.EXPORT, data=export)
        return response


@contextmanager
def domain_errors_as_400():
    """A service's django ValidationError (a domain rule, `full_clean`) becomes a 400 with its messages,
    keyed by field, or under `non_field_errors` for a rule on the whole record."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from exc


class RecordWriteViewSet(RecordViewSet):
    """A read endpoint that also takes POST (create) and PATCH (update), in the hs shape: the input
    serializer validates, `create_record`/`update_record` call one service, the output serializer
    (`serializer_class`) renders the record as the list shows it, a domain error answers 400.

    There is no PUT (an update names only what it changes) and no DELETE: both answer 405. Deleting stays a
    soft delete in the admin, where an administrator can also restore it."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    input_serializer_class = None

    def create_record(self, *, user, data: dict):
        raise NotImplementedError

    def update_record(self, *, user, instance, data: dict):
        raise NotImplementedError

    def get_serializer_class(self):
        # The browsable API builds its POST and PATCH forms from this, with the form's method.
        if self.request is not None and self.request.method in ("POST", "PATCH", "PUT"):
            return self.input_serializer_class
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        serializer = self.input_serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with domain_errors_as_400():
            record = self.create_record(user=request.user, data=serializer.validated_data)
        return Response(self._render(record), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.input_serializer_class(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        with domain_errors_as_400():
            record = self.update_record(user=request.user, instance=instance, data=serializer.validated_data)
        return Response(self._render(record))

    def _render(self, record) -> dict:
        """The record read back through the selector, so the answer is exactly what GET returns."""
        fresh = self.get_queryset().filter(pk=record.pk).first() or record
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

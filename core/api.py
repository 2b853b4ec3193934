"""The base of every API endpoint: a viewset whose queryset is `visible_to(request.user)` — the same rule as
the admin and the pages, not a copy of it. Authentication, access, pagination, throttling and CSV live in
their own modules (settings.REST_FRAMEWORK names them)."""

import re
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.models import ReadKind
from core.services import audit_record, read_log_record
from core.versioning import LOCK_VERSION, EditConflict


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
    except EditConflict:
        raise  # not a 400: RecordWriteViewSet answers 409
    except DjangoValidationError as exc:
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from exc


class VersionedInputSerializer(serializers.Serializer):
    """The base of an input serializer whose PATCH names the version it started from (core.versioning):
    `lock_version` here, or the `If-Match` header. Ignored on POST."""

    lock_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "PATCH only: the `lock_version` you read (or send it as `If-Match`). A record saved since "
            "answers 409 Conflict with what changed; nothing is saved."
        ),
    )


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        'A change must name the version it was made from: send the header If-Match: "<lock_version>" '
        "(the ETag of the record) or the field lock_version, as read from GET."
    )
    default_code = "precondition_required"


_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')

_CONFLICT = inline_serializer(
    name="EditConflict",
    fields={
        "detail": serializers.CharField(),
        "current_lock_version": serializers.IntegerField(),
        "diff": serializers.ListField(
            child=inline_serializer(
                name="EditConflictField",
                fields={
                    "field": serializers.CharField(),
                    "label": serializers.CharField(),
                    "stored": serializers.CharField(help_text=_("The value stored now.")),
                    "yours": serializers.CharField(help_text=_("The value you sent.")),
                },
            )
        ),
    },
)


def partial_update_schema(*, request, responses):
    """The OpenAPI description of a versioned PATCH: the If-Match header, the ETag, 409 and 428."""
    return extend_schema(
        request=request,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=str(
                    _('"<lock_version>" as read from GET (its ETag header). Or send the field lock_version.')
                ),
            )
        ],
        responses={
            200: responses,
            409: OpenApiResponse(
                _CONFLICT, description=str(_("The record was saved by someone else since; nothing saved."))
            ),
            428: OpenApiResponse(description=str(_("Neither If-Match nor lock_version was sent."))),
        },
    )


class RecordWriteViewSet(RecordViewSet):
    """A read endpoint that also takes POST (create) and PATCH (update), in the hs shape: the input
    serializer validates, `create_record`/`update_record` call one service, the output serializer
    (`serializer_class`) renders the record as the list shows it, a domain error answers 400.

    There is no PUT (an update names only what it changes) and no DELETE: both answer 405. Deleting stays a
    soft delete in the admin, where an administrator can also restore it.

    Concurrent edits (core.versioning): a record's answers carry its `lock_version`, also as the `ETag`
    header; a PATCH names the version it started from (`If-Match` or `lock_version`), else 428; a record
    saved since answers 409 with the current version and what differs, and nothing is saved."""

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
        data = {k: v for k, v in serializer.validated_data.items() if k != LOCK_VERSION}
        with domain_errors_as_400():
            record = self.create_record(user=request.user, data=data)
        return Response(self._render(record), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        header = self._if_match(request)
        serializer = self.input_serializer_class(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        field = data.pop(LOCK_VERSION, None)
        if header is not None and field is not None and header != field:
            raise exceptions.ValidationError(
                {LOCK_VERSION: [_("If-Match and lock_version name different versions.")]}
            )
        expected = header if header is not None else field
        if expected is None:
            raise PreconditionRequired()
        try:
            with domain_errors_as_400():
                record = self.update_record(
                    user=request.user, instance=instance, data={**data, LOCK_VERSION: expected}
                )
        except EditConflict as conflict:
            body = {
                "detail": conflict.text,
                "current_lock_version": conflict.current_lock_version,
                "diff": [row.as_dict() for row in conflict.diff],
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(self._render(record))

    @staticmethod
    def _if_match(request) -> int | None:
        value = request.headers.get("If-Match")
        if value is None:
            return None
        match = _ETAG.match(value)
        if match is None:
            raise exceptions.ParseError(_('If-Match must be one version, as the ETag gives it: "3".'))
        return int(match.group(1))

    def finalize_response(self, request, response, *args, **kwargs):
        # The ETag is the edit version, so a client can PATCH with If-Match what it read.
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in ("retrieve", "create", "partial_update")
            and response.status_code < 300
            and isinstance(data, dict)
            and data.get(LOCK_VERSION) is not None
        ):
            response["ETag"] = f'"{data[LOCK_VERSION]}"'
        return super().finalize_response(request, response, *args, **kwargs)

    def _render(self, record) -> dict:
        """The record read back through the selector, so the answer is exactly what GET returns."""
        fresh = self.get_queryset().filter(pk=record.pk).first() or record
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

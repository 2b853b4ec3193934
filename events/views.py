"""Serving a source's stored file. Uploaded files are never served from MEDIA_URL (config/urls.py serves no
media, in DEBUG either): only here, to a user who may see the source, as a download."""

from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from core.models import ReadKind
from core.services import read_log_record
from events.selectors import source_file_get
from events.validators import detect


class _AnyRenderer(JSONRenderer):
    """Lets any `Accept` through content negotiation: the response is the file, not rendered data (an error,
    such as a refused API key, still comes as JSON)."""

    media_type = "*/*"
    format = None


class SourceFileView(APIView):
    """GET the file of source `uid`: staff through their session, partners with their API key (the API's
    authentication classes). Anyone who may not have it gets 404, the same as for a source that does not
    exist, so its existence is not confirmed. The file comes as an attachment with the type recognised from
    its content and `nosniff`, so a browser never renders it as a page; each download is a read-log entry."""

    permission_classes = [AllowAny]  # who may have the file is the selector's rule: 404, not 403
    renderer_classes = [JSONRenderer, _AnyRenderer]
    http_method_names = ["get", "head", "options"]

    @extend_schema(exclude=True)  # a file, not API data: the sources' `file` field links it
    def get(self, request, uid):
        source = source_file_get(user=request.user, uid=uid)
        file_type = detect(source.file)
        name = source.file.name.rsplit("/", 1)[-1]
        response = FileResponse(
            source.file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=file_type.content_type if file_type else "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        read_log_record(
            request_or_user=request,
            what=ReadKind.EXPORT,
            obj=source,
            data={"via": "source_file", "file": name, "sha256": source.sha256},
        )
        return response

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            raise exc  # the site's plain 404, not a DRF body through a renderer that cannot render one
        return super().handle_exception(exc)

import csv
from io import StringIO

from rest_framework_csv.renderers import CSVRenderer


class FlatCsvRenderer(CSVRenderer):
    """`?format=csv`: nested objects become dotted columns (charges.0.article)."""

    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rendered = super().render(data, accepted_media_type, renderer_context or {})
        if not rendered:
            # An empty page still names its columns; an empty body would also lose its Content-Type (DRF
            # drops the header of an empty response).
            rendered = self._header_only((renderer_context or {}).get("view"))
        return rendered

    @staticmethod
    def _header_only(view) -> bytes:
        fields = list(view.get_serializer().fields) if hasattr(view, "get_serializer") else []
        buffer = StringIO()
        csv.writer(buffer).writerow(fields)
        return buffer.getvalue().encode()

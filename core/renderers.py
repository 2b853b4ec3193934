from rest_framework_csv.renderers import CSVRenderer


class FlatCsvRenderer(CSVRenderer):
    """`?format=csv`: nested objects become dotted columns (charges.0.article)."""

    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        return super().render(data, accepted_media_type, renderer_context)

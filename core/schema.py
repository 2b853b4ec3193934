"""What the OpenAPI document says about authentication, rate limits, pagination and errors, for every
endpoint at once. drf-spectacular finds the extension by import (core.apps.CoreConfig.ready); the hook is
named in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from core.pagination import RecordCursorPagination

ERROR_COMPONENT = "Error"
INVALID_PARAMETERS_COMPONENT = "InvalidParameters"
_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`: how to authenticate."}
}
_PAGING = {"cursor", "format", "page_size"}
_RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before the next request."}
}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.authentication.ApiKeyAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API key issued by a Kuzet administrator (`manage.py create_api_key`), sent as "
                "`Authorization: Bearer <key>`. A partner's key is read-only and sees records released to "
                "partners; a staff key sees what its user sees."
            ),
        }


def _description() -> str:
    authentication = (
        "## Authentication\n\n"
        "Send `Authorization: Bearer <key>` on every request. A request without a key answers 401 with "
        "`WWW-Authenticate: Bearer`; a wrong, revoked or expired key answers 401 with a JSON `detail` saying "
        "which. Signed-in staff may also use their browser session."
    )
    rate_limit = (
        "## Rate limit\n\n"
        f"{settings.API_THROTTLE_RATE} per key (per user for a session). Past it the API answers 429 with a "
        "`Retry-After` header giving the seconds to wait."
    )
    page_size = settings.REST_FRAMEWORK.get("PAGE_SIZE")
    pagination = (
        "## Pagination\n\n"
        f"Lists are cursor-paginated in a stable order, {page_size} rows a page "
        f"unless `page_size` asks for another number (at most {RecordCursorPagination.max_page_size}). "
        "Follow `next` until it is null; a cursor stays valid while records are being edited."
    )
    errors = (
        "## Errors\n\n"
        'Errors are JSON: `{"detail": "…"}`, or for invalid query parameters `{"<parameter>": ["…"]}` '
        "naming each parameter. A record the key may not see answers 404, exactly as one that does not exist."
    )
    intro = settings.SPECTACULAR_SETTINGS.get("DESCRIPTION", "")
    return "\n\n".join([intro, authentication, rate_limit, pagination, errors])


def _error_response(
    description: str, component: str, media_types: list[str], *, example: dict, headers=None
) -> dict:
    """An error answer in JSON, and in each other format the operation renders (`?format=csv` renders its
    errors as CSV too)."""
    content = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}, "example": example}
    }
    for media_type in media_types:
        content.setdefault(media_type, {"schema": {"type": "string"}})
    response = {"description": description, "content": content}
    if headers:
        response["headers"] = headers
    return response


def _media_types(operation: dict) -> list[str]:
    return [
        media_type
        for response in operation.get("responses", {}).values()
        for media_type in response.get("content", {})
    ]


def postprocess_api_errors(result, generator, request, public):
    """Describe the rate limit and pagination in the document's description, and the error answers every
    operation may give (401, 403, 404 for a path with an identifier, 400 for one with query parameters,
    429), unless a view documents its own."""
    result.setdefault("info", {})["description"] = _description()
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        ERROR_COMPONENT,
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    )
    schemas.setdefault(
        INVALID_PARAMETERS_COMPONENT,
        {
            "type": "object",
            "description": "Each invalid parameter (or field) with what is wrong with it.",
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "string"},
                    {"type": "object"},
                ]
            },
        },
    )
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                _document_errors(method, operation)
    return result


def _document_errors(method: str, operation: dict) -> None:
    parameters = {(p.get("in"), p.get("name")) for p in operation.get("parameters", [])}
    media_types = _media_types(operation)
    responses = operation.setdefault("responses", {})

    def add(status: str, description: str, detail, *, component: str = ERROR_COMPONENT, headers=None):
        example = detail if isinstance(detail, dict) else {"detail": detail}
        responses.setdefault(
            status, _error_response(description, component, media_types, example=example, headers=headers)
        )

    add(
        "401",
        "No API key, or a wrong, revoked or expired one.",
        "Invalid or revoked API key.",
        headers=_WWW_AUTHENTICATE,
    )
    add("403", "The key or user may not do this.", "You do not have permission to perform this action.")
    if any(location == "path" for location, _name in parameters):
        add("404", "No such record, or not one this key may see (or an unknown `format`).", "Not found.")
    elif parameters & {("query", "cursor"), ("query", "format")}:
        add("404", "An invalid `cursor`, or an unknown `format`.", "Invalid cursor")
    query = sorted(name for location, name in parameters if location == "query")
    if method != "get" or query:
        # The example names a parameter of this operation (a filter rather than paging, when it has one).
        named = [name for name in query if name not in _PAGING] or query or ["title"]
        invalid = {named[0] if method == "get" else "title": ["Enter a valid value."]}
        add("400", "Invalid parameters or fields.", invalid, component=INVALID_PARAMETERS_COMPONENT)
    add(
        "429",
        "Rate limit reached.",
        "Request was throttled. Expected available in 12 seconds.",
        headers=_RETRY_AFTER,
    )

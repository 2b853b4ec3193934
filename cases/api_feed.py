"""/api/v1/changes/: the delta feed. A partner applies it to its own copy and keeps that copy equal to what
the list endpoints show its key.

The feed is a log of "this record may have changed", written by `core.changes` on every path that writes.
Each entry is served with the record's current state, read for the requesting user, so an entry holds no
stale data. A record the user may see arrives as an `upsert` with the object its list endpoint returns. A
record the user may not see arrives as a `delete`. That covers a deleted record, one whose confidentiality
was raised, one hidden with its person, and one this key never saw. A record that changed several times
within one page is served once, at its latest seq.

A mirror converges for this reason. Every change writes an entry in its own transaction, and seq order is
commit order, so a change committed after a page was read has an entry after that page's cursor. The state
served for an entry is read when the page is served, after the change behind it. So after the last page,
each record the mirror holds is as new as its last change, and each record it dropped is one the key may not
see. Entries are hints ("look again"), not deltas. Repeating or collapsing them cannot make a mirror wrong;
only a missing entry could, and core.changes writes one on every path.
"""

import base64
import binascii
import re

from django.db.models import Max
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from core.models import ChangeLog

# The contract's types: the basenames of the API's endpoints (cases.api_urls), logged by core.changes.
FEED_TYPES = ("person", "assembly", "incident", "detention", "legal-case", "place", "legal-article", "source")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
UPSERT, DELETE = "upsert", "delete"
ACTIONS = (UPSERT, DELETE)
_CURSOR = re.compile(r"v1:(0|[1-9][0-9]{0,18})")


def encode_cursor(seq: int) -> str:
    """An opaque token for "after entry `seq`". It is versioned, so the format can change without
    breaking the cursors partners have stored."""
    return base64.urlsafe_b64encode(f"v1:{seq}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> int:
    """The seq a cursor resumes after. Raises ValueError for anything `encode_cursor` did not make."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise ValueError(token) from None
    match = _CURSOR.fullmatch(text)
    if match is None or encode_cursor(int(match[1])) != token:
        raise ValueError(token)
    return int(match[1])


def feed_viewsets() -> dict[str, type]:
    """{type: viewset} for every endpoint on the API router; the type is the endpoint's basename."""
    from cases.api_urls import router  # the router's module imports this one: read it when asked

    return {basename: viewset for _prefix, viewset, basename in router.registry}


class ChangeDataField(serializers.JSONField):
    """`data`: the object the type's list endpoint returns, or null. The schema names each one (below)."""


class ChangeDataFieldSchema(OpenApiSerializerFieldExtension):
    """In the schema, `data` is any one of the list endpoints' objects (or null), by reference."""

    target_class = ChangeDataField

    def map_serializer_field(self, auto_schema, direction):
        refs = [
            auto_schema.resolve_serializer(viewset.serializer_class, direction).ref
            for viewset in feed_viewsets().values()
        ]
        return {"anyOf": refs, "nullable": True} if refs else {"type": "object", "nullable": True}


class ChangesQuery(serializers.Serializer):
    """The query parameters; an invalid one answers 400 naming it."""

    cursor = serializers.CharField(
        required=False, help_text="The `cursor` of an earlier response; without it, from the beginning."
    )
    page_size = serializers.IntegerField(
        required=False,
        default=DEFAULT_PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=f"Entries per page (default {DEFAULT_PAGE_SIZE}).",
    )

    def validate_cursor(self, value: str) -> int:
        try:
            return decode_cursor(value)
        except ValueError:
            raise serializers.ValidationError(
                _("Not a cursor of this feed: use the `cursor` of an earlier response.")
            ) from None


_ENTRIES = inline_serializer(
    "ChangeEntry",
    many=True,
    fields={
        "seq": serializers.IntegerField(help_text="The entry's position in the feed; increasing."),
        "type": serializers.ChoiceField(
            choices=FEED_TYPES, help_text="The record's type: its list endpoint's name in the singular."
        ),
        "uid": serializers.UUIDField(help_text="The record's `id`, as its endpoints show it."),
        "action": serializers.ChoiceField(
            choices=ACTIONS,
            help_text="`upsert`: store `data` under (type, uid). `delete`: remove (type, uid) if held: the "
            "record was deleted or is no longer visible to this key.",
        ),
        "data": ChangeDataField(
            allow_null=True,
            help_text="For `upsert`, the record as its list endpoint returns it now; null for `delete`.",
        ),
    },
)
_PAGE = inline_serializer(
    "ChangePage",
    fields={
        "results": _ENTRIES,
        "next": serializers.URLField(
            allow_null=True, help_text="This feed after the last entry; null once caught up."
        ),
        "cursor": serializers.CharField(
            help_text="Store it: the same request with `?cursor=` returns only what changed after this page."
        ),
    },
)
_EXAMPLE = {
    "results": [
        {
            "seq": 4180,
            "type": "detention",
            "uid": "0b6f3e36-57b1-4c36-9f2e-9a1f4d1c8a10",
            "action": UPSERT,
            "data": {"id": "0b6f3e36-57b1-4c36-9f2e-9a1f4d1c8a10", "…": "as /api/v1/detentions/ lists it"},
        },
        {
            "seq": 4183,
            "type": "person",
            "uid": "5e0c1d7a-2b8e-4f61-a3a4-7d2b0c9e6f21",
            "action": DELETE,
            "data": None,
        },
    ],
    "next": None,
    "cursor": encode_cursor(4183),
}


class ChangesView(APIView):
    """The delta feed: every create, update and deletion visible to the key, in order."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]  # no CSV: `data` differs per type
    http_method_names = ["get", "head", "options"]

    def check_permissions(self, request):
        # ApiAccess reads a queryset's model permissions for writes; this view writes nothing.
        if request.method not in permissions.SAFE_METHODS and request.user.is_authenticated:
            raise exceptions.MethodNotAllowed(request.method)
        super().check_permissions(request)

    @extend_schema(
        operation_id="changes_list",
        summary="Delta feed",
        description=(
            "Every change to a record visible to the key, in order: apply `results` in order, store "
            "`cursor`, and call again with it (follow `next` until it is null). Start without a cursor to "
            "get everything from the beginning. An entry says that a record may have changed and gives its "
            "current state. `upsert` carries the object its list endpoint returns now. `delete` means that "
            "the key may no longer see the record, or that it was deleted. The same record may appear again "
            "in a later page. A copy kept this way holds exactly what the list endpoints show the key."
        ),
        parameters=[ChangesQuery],
        responses={200: _PAGE},
        examples=[OpenApiExample("A page", value=_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        query = ChangesQuery(data=request.query_params.dict())  # a dict: `?cursor=` is a blank cursor
        query.is_valid(raise_exception=True)
        after, size = query.validated_data.get("cursor", 0), query.validated_data["page_size"]
        viewsets = feed_viewsets()
        rows = ChangeLog.objects.filter(seq__gt=after, type__in=list(viewsets)).order_by("seq")
        entries = list(rows.values_list("seq", "type", "uid")[: size + 1])
        page, more = entries[:size], len(entries) > size
        if not page and after and after > (ChangeLog.objects.aggregate(last=Max("seq"))["last"] or 0):
            raise exceptions.ValidationError({"cursor": [_("This cursor is ahead of the feed.")]})
        latest = {(kind, uid): seq for seq, kind, uid in page}  # a later seq replaces an earlier one
        data = self._current(request, viewsets, latest)
        results = [
            {
                "seq": seq,
                "type": kind,
                "uid": str(uid),
                "action": UPSERT if (kind, uid) in data else DELETE,
                "data": data.get((kind, uid)),
            }
            for (kind, uid), seq in sorted(latest.items(), key=lambda item: item[1])
        ]
        cursor = encode_cursor(page[-1][0] if page else after)
        url = replace_query_param(request.build_absolute_uri(), "cursor", cursor) if more else None
        return Response({"results": results, "next": url, "cursor": cursor})

    @staticmethod
    def _current(request, viewsets: dict, latest: dict) -> dict:
        """{(type, uid): data} of the records of `latest` the user may see, read as the list endpoint reads
        them: its own viewset's queryset and serializer, one query (and its prefetches) per type."""
        by_type: dict[str, list] = {}
        for kind, uid in latest:
            by_type.setdefault(kind, []).append(uid)
        found = {}
        for kind, uids in by_type.items():
            view = viewsets[kind](request=request, format_kwarg=None, action="list", args=(), kwargs={})
            records = list(view.get_queryset().filter(uid__in=uids))
            for record, data in zip(records, view.get_serializer(records, many=True).data, strict=True):
                found[kind, record.uid] = data
        return found

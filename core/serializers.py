"""Serializer pieces every app's API shares: how a record and a reference row present themselves, and how a
related record is named (by uid, never by internal id)."""

import datetime as dt
import uuid

from django.db import models
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import DateCertainty, to_edtf
from core.models import Confidentiality


def local_datetime(value: dt.datetime) -> dt.datetime:
    """`value` in the local time zone, unless that zone's offset then had seconds: Almaty kept local mean
    time (+05:07:48) until 1924, which RFC 3339 and EDTF cannot write, so such old values go out in UTC."""
    local = timezone.localtime(value)
    offset = local.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return value.astimezone(dt.UTC)
    return local


class LocalDateTimeField(serializers.DateTimeField):
    """A date-time written in local time (see `local_datetime`)."""

    def to_representation(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = local_datetime(value)
        return super().to_representation(value)

    def enforce_timezone(self, value):
        # Output only: the value is already in the zone `local_datetime` chose; keep it.
        return value if timezone.is_aware(value) else super().enforce_timezone(value)


def request_user(serializer: serializers.Field):
    """The user a serializer renders for (None outside a request: then nothing confidential is shown)."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(
    serializers.CharField(allow_null=True, help_text="EDTF (ISO 8601-2): 2019-02, 2019-02-27~, 1956?")
)
class EdtfField(serializers.Field):
    """A partial date as EDTF, from the value and its `<name>_precision` (and `<name>_certainty` when the
    model has one). A date-time is read in local time first: a detention at 03:00 in Almaty on the 27th is
    on the 27th, not on the 26th as its UTC value would say."""

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        value = getattr(obj, self.date_field)
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = local_datetime(value)
        precision = getattr(obj, f"{self.date_field}_precision")
        certainty = getattr(obj, f"{self.date_field}_certainty", DateCertainty.EXACT)
        return to_edtf(value, precision, certainty)


class RecordSerializer(serializers.ModelSerializer):
    """Every record: `id` is its uid (the internal id never leaves), `url` its detail endpoint, `updated_at`,
    `confidentiality`. Subclasses declare `url` with their view name. Date-times are in local time."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: LocalDateTimeField,
    }

    id = serializers.UUIDField(source="uid", read_only=True)
    updated_at = LocalDateTimeField(read_only=True)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, read_only=True)


class ReferenceSerializer(serializers.ModelSerializer):
    """Reference data (places, legal articles): the same envelope as a record. It has no confidentiality of
    its own; every signed-in role reads it, so it says `public`."""

    id = serializers.UUIDField(source="uid", read_only=True)
    updated_at = LocalDateTimeField(read_only=True)
    confidentiality = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=[Confidentiality.PUBLIC]))
    def get_confidentiality(self, obj) -> str:
        return Confidentiality.PUBLIC.value


@extend_schema_field(OpenApiTypes.UUID)
class UidRelatedField(serializers.SlugRelatedField):
    """Input: a related row named by its uid. For a record, only rows the requesting user may see can be
    linked (`visible_to`): any other uid is answered like an unknown one."""

    default_error_messages = {
        "does_not_exist": "Unknown uid: {value}.",
        "invalid": "Not a valid UUID.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "uid")
        # A text box in the browsable API: a <select> of every person would be slow and print their names.
        kwargs.setdefault("style", {"base_template": "input.html"})
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request_user(self))
        return queryset

    def to_internal_value(self, data):
        try:
            uid = uuid.UUID(str(data))
        except (TypeError, ValueError, AttributeError):
            self.fail("invalid")
        return super().to_internal_value(uid)

    def to_representation(self, obj):
        return str(obj.uid)


@extend_schema_field(OpenApiTypes.STR)
class CodeRelatedField(serializers.SlugRelatedField):
    """Input: a reference row (group tag, cause, treatment) named by its stable code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class UidOrCodeRelatedField(UidRelatedField):
    """Input: a reference row by uid or by code (a legal article: `cc-405` or its uid)."""

    default_error_messages = {"does_not_exist": "Unknown uid or code: {value}.", "invalid": "Invalid value."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            if "\x00" in data:  # PostgreSQL refuses NUL in text: no row can have it
                self.fail("does_not_exist", value=data.replace("\x00", "\\x00"))
            try:
                return self.get_queryset().get(code=data)
            except self.get_queryset().model.DoesNotExist:
                self.fail("does_not_exist", value=data)

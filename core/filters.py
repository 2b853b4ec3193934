"""What every API list filters on, and the filter pieces several apps share (django-filter).

A bad value answers 400 naming the parameter, `{"place": ["…"]}`: DjangoFilterBackend raises the form's
errors as a DRF ValidationError keyed by parameter name. A filter that resolves a value to a row (a place,
a legal article, a tag) does so in its form field, so an unknown value is a 400 as well, never a 500 and never
a silently ignored parameter.
"""

import datetime as dt
import uuid

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.models import Confidentiality

# Region → city → district → site: a filter on a place reaches this many levels below it.
PLACE_TREE_DEPTH = 4


class RecordFilterSet(django_filters.FilterSet):
    """Filters of every record list: `confidentiality` and `updated_since`.

    `updated_since` is inclusive (a partner resuming from the last `updated_at` it holds may see that row
    again, but never misses one) and also matches a record whose own rows changed — a person's names or
    consents, a case's charges or sentences (`child_relations`) — since those are part of its
    representation. For an exact copy, deletions included, partners use the delta feed /api/v1/changes/."""

    child_relations: tuple[str, ...] = ()

    confidentiality = django_filters.ChoiceFilter(choices=Confidentiality.choices)
    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        label=_("Changed at or after this ISO 8601 date-time"),
    )

    def filter_updated_since(self, queryset, name, value):
        value = _utc(value)
        condition = Q(updated_at__gte=value)
        for relation in self.child_relations:
            rel = queryset.model._meta.get_field(relation)
            changed = rel.related_model._base_manager.filter(updated_at__gte=value)
            condition |= Q(pk__in=changed.values(rel.field.attname))
        return queryset.filter(condition)


class ReferenceFilterSet(django_filters.FilterSet):
    """Reference data (places, articles) has no confidentiality; it is filtered by change time only."""

    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        label=_("Changed at or after this ISO 8601 date-time"),
    )

    def filter_updated_since(self, queryset, name, value):
        return queryset.filter(updated_at__gte=_utc(value))


def _utc(value: dt.datetime) -> dt.datetime:
    # ISO 8601 allows any offset up to ±23:59; PostgreSQL refuses one beyond ±15:59. The instant is the same.
    return value.astimezone(dt.UTC)


class UidOrCodeField(forms.ModelChoiceField):
    """A row given by its uid or by its stable `code`: `?article=cc-405` and `?article=<uuid>` both work."""

    default_error_messages = {"invalid_choice": _("Unknown uid or code: %(value)s.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if "\x00" in value:  # PostgreSQL cannot even compare a string holding NUL
            raise forms.ValidationError(
                _("Null characters are not allowed."), code="null_characters_not_allowed"
            )
        try:
            lookup = {"uid": uuid.UUID(value)}
        except ValueError:
            lookup = {"code": value}
        try:
            return self.queryset.get(**lookup)
        except self.queryset.model.DoesNotExist:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


@extend_schema_field(OpenApiTypes.STR)
class UidOrCodeFilter(django_filters.ModelChoiceFilter):
    """A reference row (place, article, tag) by uid or code; unknown → 400."""

    field_class = UidOrCodeField


class UidField(forms.ModelChoiceField):
    """A row given by its uid; a malformed uid and an unknown one are both a 400 naming the parameter.

    Rendered as a text input in the browsable API: listing every row in a <select> would be slow, and for
    people it would print names."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid_uid": _("“%(value)s” is not a valid UUID."),
        "invalid_choice": _("Unknown uid: %(value)s."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        try:
            uid = uuid.UUID(value)
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid_uid"], code="invalid", params={"value": value}
            ) from None
        try:
            return self.queryset.get(uid=uid)
        except self.queryset.model.DoesNotExist:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


@extend_schema_field(OpenApiTypes.UUID)
class UidFilter(django_filters.ModelChoiceFilter):
    """Filter on a related record by uid. Its `queryset` should be what the user may see (a callable taking
    the request), so that an invisible record answers like an unknown one."""

    field_class = UidField


def place_tree_q(path: str, place) -> Q:
    """Rows whose `path` (a foreign key to Place) is `place` or any place below it: a region includes its
    cities, a city its districts and sites. One subquery on the place table; it takes the model from the
    instance, so people (which may not import events) can use it too."""
    tree = Q(pk=place.pk)
    hop = "parent"
    for _level in range(PLACE_TREE_DEPTH - 1):
        tree |= Q(**{hop: place})
        hop = f"{hop}__parent"
    return Q(**{f"{path}__in": type(place)._default_manager.filter(tree).values("pk")})

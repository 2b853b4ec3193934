"""/api/v1/places/, /assemblies/, /incidents/, /sources/: serializers, filters and viewsets of events."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core.api import RecordViewSet, RecordWriteViewSet, VersionedInputSerializer, partial_update_schema
from core.filters import (
    RecordFilterSet,
    ReferenceFilterSet,
    UidFilter,
    UidOrCodeFilter,
    place_tree_q,
)
from core.models import Confidentiality
from core.serializers import (
    CodeRelatedField,
    EdtfField,
    RecordSerializer,
    ReferenceSerializer,
    UidRelatedField,
)
from events.models import (
    Assembly,
    AssemblyKind,
    AssemblyOutcome,
    CauseTag,
    Incident,
    IncidentKind,
    Place,
    PlaceKind,
    Reliability,
    Source,
    SourceKind,
)
from events.selectors import assembly_list, incident_list, place_list, source_list
from events.services import assembly_create, assembly_update

# --- Serializers ------------------------------------------------------------------------------------------


class PlaceSerializer(ReferenceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:place-detail", lookup_field="uid")
    name = serializers.CharField(source="name_en", read_only=True)
    parent = serializers.UUIDField(source="parent.uid", read_only=True, allow_null=True)
    parent_name = serializers.CharField(source="parent.name_en", read_only=True, allow_null=True)

    class Meta:
        model = Place
        fields = (
            *("id", "url", "updated_at", "confidentiality", "code", "kind", "name"),
            *("name_en", "name_ru", "name_kk", "parent", "parent_name", "latitude", "longitude"),
        )


class AssemblySerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assembly-detail", lookup_field="uid")
    place = serializers.UUIDField(source="place.uid", read_only=True)
    place_name = serializers.CharField(source="place.name_en", read_only=True)
    starts_at_edtf = EdtfField("starts_at")
    causes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sources = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = Assembly
        fields = (
            *("id", "url", "updated_at", "lock_version", "confidentiality", "title", "kind"),
            *("starts_at", "starts_at_precision", "starts_at_edtf", "ends_at"),
            *("place", "place_name", "address", "organisers", "causes", "participants_low"),
            *("participants_high", "notification", "outcome", "reported_detainees"),
            *("reported_detainees_note", "description", "sources"),
        )


class IncidentSerializer(RecordSerializer):
    """`assembly` is null when there is none or when the requesting user may not see it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:incident-detail", lookup_field="uid")
    place = serializers.UUIDField(source="place.uid", read_only=True, allow_null=True)
    place_name = serializers.CharField(source="place.name_en", read_only=True, allow_null=True)
    assembly = serializers.UUIDField(source="assembly.uid", read_only=True, allow_null=True)
    starts_on_edtf = EdtfField("starts_on")
    sources = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = Incident
        fields = (
            *("id", "url", "updated_at", "confidentiality", "kind", "title"),
            *("starts_on", "starts_on_precision", "starts_on_edtf", "ends_on"),
            *("place", "place_name", "assembly", "description", "sources"),
        )


class SourceSerializer(RecordSerializer):
    """Metadata of a source. `web_url` is where it was published; `file` links the stored file only when
    the source is public (otherwise null, for everyone); `sha256` identifies the stored file always, so a
    copy can be proven identical without the file leaving the system. Free-text notes stay inside."""

    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="uid")
    web_url = serializers.CharField(source="url", read_only=True)
    file = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = (
            *("id", "url", "updated_at", "confidentiality", "kind", "title", "web_url"),
            *("published_on", "reliability", "sha256", "file"),
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, source) -> str | None:
        if not source.file or source.confidentiality != Confidentiality.PUBLIC:
            return None
        url = reverse("events:source-file", args=[source.uid])  # MEDIA_URL is not served (events.views)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AssemblyInputSerializer(VersionedInputSerializer, serializers.ModelSerializer):
    """What POST and PATCH take: `place` is a place uid, `causes` cause codes, `sources` source uids (only
    sources the user may see; PATCH keeps links to others)."""

    place = UidRelatedField(queryset=Place.objects.all())
    causes = CodeRelatedField(queryset=CauseTag.objects.all(), many=True, required=False)
    sources = UidRelatedField(queryset=Source.objects.all(), many=True, required=False)

    class Meta:
        model = Assembly
        fields = (
            *("title", "kind", "starts_at", "starts_at_precision", "ends_at", "place", "address"),
            *("organisers", "causes", "participants_low", "participants_high", "notification", "outcome"),
            *("reported_detainees", "reported_detainees_note", "description", "sources", "confidentiality"),
            "lock_version",
        )


# --- Filters ----------------------------------------------------------------------------------------------

_PLACE_HELP = _("Place uid or code; a region includes its cities, a city its districts and sites")


class PlaceFilterSet(ReferenceFilterSet):
    kind = django_filters.ChoiceFilter(choices=PlaceKind.choices)
    parent = UidFilter(queryset=Place.objects.all(), label=_("Parent place uid"))
    place = UidOrCodeFilter(queryset=Place.objects.all(), method="filter_place", label=_PLACE_HELP)

    class Meta:
        model = Place
        fields = ()

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_tree_q("pk", value))


class AssemblyFilterSet(RecordFilterSet):
    starts_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")
    place = UidOrCodeFilter(queryset=Place.objects.all(), method="filter_place", label=_PLACE_HELP)
    kind = django_filters.ChoiceFilter(choices=AssemblyKind.choices)
    outcome = django_filters.ChoiceFilter(choices=AssemblyOutcome.choices)
    cause = UidOrCodeFilter(queryset=CauseTag.objects.all(), field_name="causes", label=_("Cause code"))

    class Meta:
        model = Assembly
        fields = ()

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_tree_q("place", value))


class IncidentFilterSet(RecordFilterSet):
    starts_from = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")
    place = UidOrCodeFilter(queryset=Place.objects.all(), method="filter_place", label=_PLACE_HELP)
    assembly = UidFilter(queryset=lambda request: Assembly.objects.visible_to(getattr(request, "user", None)))
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices)

    class Meta:
        model = Incident
        fields = ()

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_tree_q("place", value))


class SourceFilterSet(RecordFilterSet):
    published_from = django_filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_to = django_filters.DateFilter(field_name="published_on", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    reliability = django_filters.ChoiceFilter(choices=Reliability.choices)

    class Meta:
        model = Source
        fields = ()


# --- Viewsets ---------------------------------------------------------------------------------------------


class PlaceViewSet(RecordViewSet):
    """Places: region → city → district → site."""

    selector = place_list
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet


@extend_schema_view(
    create=extend_schema(request=AssemblyInputSerializer, responses={201: AssemblySerializer}),
    partial_update=partial_update_schema(request=AssemblyInputSerializer, responses=AssemblySerializer),
)
class AssemblyViewSet(RecordWriteViewSet):
    """Assemblies. Partners read; staff with a write key or a session create (POST) and update (PATCH)."""

    selector = assembly_list
    serializer_class = AssemblySerializer
    input_serializer_class = AssemblyInputSerializer
    filterset_class = AssemblyFilterSet

    def create_record(self, *, user, data):
        return assembly_create(user=user, **data)

    def update_record(self, *, user, instance, data):
        return assembly_update(user=user, assembly=instance, **data)


class IncidentViewSet(RecordViewSet):
    """Incidents: internet shutdowns, blocking, expulsion of monitors, obstruction of journalists …"""

    selector = incident_list
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet


class SourceViewSet(RecordViewSet):
    """Sources: metadata, and the file only when the source is public."""

    selector = source_list
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

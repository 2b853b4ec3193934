"""/api/v1/people/: people, redacted by consent (people.disclosure), searchable under any spelling."""

import django_filters
from django.db.models import BigIntegerField, ExpressionWrapper, F, Value
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from core import roles
from core.api import RecordWriteViewSet, VersionedInputSerializer, partial_update_schema
from core.filters import RecordFilterSet, UidOrCodeFilter, place_tree_q
from core.models import ReadKind
from core.pagination import CURSOR_POSITION
from core.serializers import CodeRelatedField, EdtfField, RecordSerializer, UidRelatedField, request_user
from core.services import read_log_record
from people import disclosure
from people.models import Gender, GroupTag, Person, PersonName
from people.search import RANK_EXACT, person_search
from people.selectors import person_list
from people.services import person_create, person_update

# The Place model belongs to events, which people may not import; the foreign key knows it.
_places = Person._meta.get_field("home_place").related_model._default_manager

# Withheld when the identity is not disclosed. `name` then carries the pseudonym.
IDENTITY_FIELDS = (
    "full_name",
    "names",
    "birth_date",
    "birth_date_precision",
    "birth_date_certainty",
    "birth_date_edtf",
    "occupation",
    "notes",
    "contact_details",
)
# Withheld when a consent allows initials only.
NAME_FIELDS = ("full_name", "names")


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ("text", "script", "kind")


class PersonSerializer(RecordSerializer):
    """A person as the API shows them to the requesting user.

    Redaction (people.disclosure): for a user outside staff, a person without an active `partners` consent
    has `identity_disclosed: false`, `name` is the stable pseudonym ("Person K-00042") and every identity
    field — `full_name`, `names`, `birth_date*`, `occupation`, `notes`, `contact_details` — is present with
    the value null (never absent, so every row and every CSV has the same columns). A consent that allows
    initials only gives `name` = the initials, with `full_name` and `names` null. `contact_details` is null
    for anyone but staff, consent or not. Gender, home place and groups stay: reports count by them.
    """

    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="uid")
    name = serializers.CharField(source="full_name", read_only=True)
    identity_disclosed = serializers.BooleanField(read_only=True, default=True)
    full_name = serializers.CharField(read_only=True, allow_null=True)
    names = PersonNameSerializer(many=True, read_only=True, allow_null=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    birth_date_precision = serializers.CharField(read_only=True, allow_null=True)
    birth_date_certainty = serializers.CharField(read_only=True, allow_null=True)
    birth_date_edtf = EdtfField("birth_date", allow_null=True)
    home_place = serializers.UUIDField(source="home_place.uid", read_only=True, allow_null=True)
    home_place_name = serializers.CharField(source="home_place.name_en", read_only=True, allow_null=True)
    groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    occupation = serializers.CharField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True, allow_null=True)
    contact_details = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "url",
            "updated_at",
            "lock_version",
            "confidentiality",
            "name",
            "identity_disclosed",
            *IDENTITY_FIELDS[:6],
            "gender",
            "home_place",
            "home_place_name",
            "groups",
            *IDENTITY_FIELDS[6:],
        )

    def to_representation(self, person):
        data = super().to_representation(person)
        user = request_user(self)
        disclosed = disclosure.identity_disclosed(person, user=user)
        data["identity_disclosed"] = disclosed
        data["name"] = disclosure.display_name(person, user=user)
        withheld = IDENTITY_FIELDS if not disclosed else ()
        if disclosed and not disclosure.full_name_allowed(person, user=user):
            withheld = NAME_FIELDS
        for key in withheld:
            data[key] = None
        if user is None or not roles.is_case_staff(user):
            data["contact_details"] = None
        return data


class PersonInputSerializer(VersionedInputSerializer, serializers.ModelSerializer):
    """What POST and PATCH take. `aliases` adds spellings (existing names are kept); `groups` are group tag
    codes and replace the person's groups; `home_place` is a place uid."""

    aliases = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, help_text=_("Spellings to add.")
    )
    home_place = UidRelatedField(queryset=_places.all(), required=False, allow_null=True)
    groups = CodeRelatedField(queryset=GroupTag.objects.all(), many=True, required=False)

    class Meta:
        model = Person
        fields = (
            "full_name",
            "aliases",
            "birth_date",
            "birth_date_precision",
            "birth_date_certainty",
            "gender",
            "home_place",
            "occupation",
            "groups",
            "contact_details",
            "notes",
            "confidentiality",
            "lock_version",
        )


class PersonFilterSet(RecordFilterSet):
    child_relations = ("names", "consents")

    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Any spelling of a name, in any script; best match first"),
    )
    place = UidOrCodeFilter(
        queryset=_places.all(),
        method="filter_place",
        label=_("Home place uid or code (a region includes its cities)"),
    )
    group = UidOrCodeFilter(queryset=GroupTag.objects.all(), field_name="groups", label=_("Group tag code"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices)

    class Meta:
        model = Person
        fields = ()

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_tree_q("home_place", value))

    def filter_search(self, queryset, name, value):
        # Outside staff only people whose full name may be shown are searched by name: a hit on a
        # pseudonymised person would tell who hides behind the pseudonym.
        user = getattr(self.request, "user", None)
        searchable = disclosure.disclosed_people(queryset, user=user, full_name=True)
        return person_search(searchable, value, closer_first=False).annotate(
            **{CURSOR_POSITION: search_position()}
        )


def search_position() -> ExpressionWrapper:
    """(-rank, id) as one unique integer, the cursor's position (core.pagination explains why). Exact while
    ids stay below 2**40."""
    return ExpressionWrapper(
        (Value(RANK_EXACT) - F("rank")) * Value(2**40) + F("id"), output_field=BigIntegerField()
    )


@extend_schema_view(
    create=extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer}),
    partial_update=partial_update_schema(request=PersonInputSerializer, responses=PersonSerializer),
)
class PersonViewSet(RecordWriteViewSet):
    """People. Partners read; staff with a write key or a session create (POST) and update (PATCH)."""

    selector = person_list
    serializer_class = PersonSerializer
    input_serializer_class = PersonInputSerializer
    filterset_class = PersonFilterSet

    def retrieve(self, request, *args, **kwargs):
        """One person, logged in the read log (a list or a search is not: it reads no one person's record)."""
        person = self.get_object()
        read_log_record(request_or_user=request, what=ReadKind.PERSON_API, obj=person)
        return Response(self.get_serializer(person).data)

    def create_record(self, *, user, data):
        return person_create(user=user, **data)

    def update_record(self, *, user, instance, data):
        return person_update(user=user, person=instance, **data)

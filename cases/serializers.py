"""How detentions, legal cases and legal articles appear in the API, and what their POST and PATCH take.

A detention or case names its person by uid only, never by name: the person's own representation carries
the name or the pseudonym (people.disclosure), so a change of consent changes the person, not the detention.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import (
    Appeal,
    Charge,
    Detention,
    Hearing,
    LegalArticle,
    LegalCase,
    Sentence,
    Treatment,
)
from core.api import VersionedInputSerializer
from core.serializers import (
    CodeRelatedField,
    EdtfField,
    RecordSerializer,
    ReferenceSerializer,
    UidOrCodeRelatedField,
    UidRelatedField,
)
from events.models import Assembly, Place, Source
from people.models import Person


class LegalArticleSerializer(ReferenceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:legal-article-detail", lookup_field="uid")
    name = serializers.CharField(source="name_en", read_only=True)
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = LegalArticle
        fields = (
            *("id", "url", "updated_at", "confidentiality", "code", "law", "number", "part"),
            *("citation", "name", "name_en", "name_ru", "name_kk"),
        )


class DetentionSerializer(RecordSerializer):
    """`assembly` is null when there is none or when the requesting user may not see it; `sources` lists
    only the sources the user may see."""

    url = serializers.HyperlinkedIdentityField(view_name="api:detention-detail", lookup_field="uid")
    person = serializers.UUIDField(source="person.uid", read_only=True)
    assembly = serializers.UUIDField(source="assembly.uid", read_only=True, allow_null=True)
    detained_at_edtf = EdtfField("detained_at")
    place = serializers.UUIDField(source="place.uid", read_only=True, allow_null=True)
    place_name = serializers.CharField(source="place.name_en", read_only=True, allow_null=True)
    treatment = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sources = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = Detention
        fields = (
            *("id", "url", "updated_at", "lock_version", "confidentiality", "person", "assembly"),
            *("detained_at", "detained_at_precision", "detained_at_certainty", "detained_at_edtf"),
            *("released_at", "place", "place_name", "location", "authority", "held_at"),
            *("procedural_status", "detention_type", "whereabouts", "treatment", "lawyer_access"),
            *("outcome", "verification", "notes", "sources"),
        )


class ChargeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    article = serializers.UUIDField(source="article.uid", read_only=True)
    article_code = serializers.CharField(source="article.code", read_only=True)
    article_citation = serializers.CharField(source="article.citation", read_only=True)

    class Meta:
        model = Charge
        fields = ("id", "article", "article_code", "article_citation", "charged_on", "status")


class SentenceSerializer(serializers.ModelSerializer):
    """`ends_on` is computed (term minus custody credit); `expected_end` is what to rely on: a lawyer's
    `ends_on_override` when there is one, else `ends_on`."""

    id = serializers.UUIDField(source="uid", read_only=True)
    decided_on_edtf = EdtfField("decided_on")
    expected_end = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Sentence
        fields = (
            *("id", "court", "decided_on", "decided_on_precision", "decided_on_edtf", "kind"),
            *("term_years", "term_months", "term_days", "amount", "currency", "starts_on"),
            *("custody_credit_days", "ends_on", "ends_on_override", "expected_end"),
            *("appeal_deadline", "appeal_outcome", "status"),
        )


class HearingSerializer(serializers.ModelSerializer):
    """A court sitting; `sources` lists only the sources the requesting user may see."""

    id = serializers.UUIDField(source="uid", read_only=True)
    held_at_edtf = EdtfField("held_at")
    sources = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = Hearing
        fields = (
            *("id", "held_at", "held_at_precision", "held_at_certainty", "held_at_edtf", "kind"),
            *("court", "judge", "outcome", "notes", "sources"),
        )


class AppealSerializer(serializers.ModelSerializer):
    """An appeal; `sentence` is the id of the sentence appealed (null: the case as a whole)."""

    id = serializers.UUIDField(source="uid", read_only=True)
    sentence = serializers.UUIDField(source="sentence.uid", read_only=True, allow_null=True)
    filed_on_edtf = EdtfField("filed_on")
    decided_on_edtf = EdtfField("decided_on")
    sources = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = Appeal
        fields = (
            *("id", "sentence", "instance", "court", "filed_by", "filed_on", "filed_on_precision"),
            *("filed_on_edtf", "decided_on", "decided_on_precision", "decided_on_edtf", "outcome"),
            *("notes", "sources"),
        )


class LegalCaseSerializer(RecordSerializer):
    """A case with its live charges, sentences, hearings and appeals nested; `detentions` and `sources` (the
    case's, a hearing's, an appeal's) list only what the requesting user may see."""

    url = serializers.HyperlinkedIdentityField(view_name="api:legal-case-detail", lookup_field="uid")
    person = serializers.UUIDField(source="person.uid", read_only=True)
    detentions = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    sources = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    charges = ChargeSerializer(many=True, read_only=True)
    sentences = SentenceSerializer(many=True, read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta:
        model = LegalCase
        fields = (
            *("id", "url", "updated_at", "lock_version", "confidentiality", "person", "kind", "number"),
            "court",
            *("judge", "prosecutor", "opened_on", "status", "detentions", "notes", "sources"),
            *("charges", "sentences", "hearings", "appeals"),
        )


# --- Input ------------------------------------------------------------------------------------------------


class DetentionInputSerializer(VersionedInputSerializer, serializers.ModelSerializer):
    """What POST and PATCH take. On POST, `person` (a uid) or `new_person_name` (creates the person), as on
    the assembly page; `assembly`, `place` and `sources` are uids, `treatment` treatment codes."""

    person = UidRelatedField(queryset=Person.objects.all(), required=False)
    new_person_name = serializers.CharField(max_length=300, required=False, write_only=True)
    assembly = UidRelatedField(queryset=Assembly.objects.all(), required=False, allow_null=True)
    place = UidRelatedField(queryset=Place.objects.all(), required=False, allow_null=True)
    treatment = CodeRelatedField(queryset=Treatment.objects.all(), many=True, required=False)
    sources = UidRelatedField(queryset=Source.objects.all(), many=True, required=False)

    class Meta:
        model = Detention
        fields = (
            *("person", "new_person_name", "assembly", "detained_at", "detained_at_precision"),
            *("detained_at_certainty", "released_at", "place", "location", "authority", "held_at"),
            *("procedural_status", "detention_type", "whereabouts", "treatment", "lawyer_access"),
            *("outcome", "verification", "notes", "sources", "confidentiality", "lock_version"),
        )

    def validate(self, attrs):
        # The assembly page's rule (cases.forms.DetaineeRowForm), with its messages.
        new_name = (attrs.get("new_person_name") or "").strip()
        if self.instance is not None:
            if "new_person_name" in attrs:
                raise serializers.ValidationError(
                    {"new_person_name": [_("Only when recording a detention.")]}
                )
            return attrs
        if not attrs.get("person") and not new_name:
            raise serializers.ValidationError({"person": [_("Pick a person or type the name of a new one.")]})
        if attrs.get("person") and new_name:
            raise serializers.ValidationError(
                {"new_person_name": [_("Either pick a person or type a new name, not both.")]}
            )
        return attrs


class ChargeInputSerializer(serializers.ModelSerializer):
    """A charge: `article` by uid or code (`cc-405`). With `id`, the case's existing charge is updated."""

    id = serializers.UUIDField(source="uid", required=False)
    article = UidOrCodeRelatedField(queryset=LegalArticle.objects.all())

    class Meta:
        model = Charge
        fields = ("id", "article", "charged_on", "status")


class SentenceInputSerializer(serializers.ModelSerializer):
    """A sentence; the credit, end and appeal deadline are computed. With `id`, an existing one is updated."""

    id = serializers.UUIDField(source="uid", required=False)

    class Meta:
        model = Sentence
        fields = (
            *("id", "court", "decided_on", "decided_on_precision", "kind", "term_years", "term_months"),
            *("term_days", "amount", "currency", "starts_on", "ends_on_override", "appeal_outcome"),
            "status",
        )


class LegalCaseInputSerializer(VersionedInputSerializer, serializers.ModelSerializer):
    """What POST and PATCH take. `charges` and `sentences`, when given, are the complete lists: a row with
    the `id` of an existing one updates it, a row without `id` adds one, one left out is removed (a soft
    delete, restorable in the admin). `person`, `detentions` and `sources` are uids."""

    person = UidRelatedField(queryset=Person.objects.all())
    detentions = UidRelatedField(queryset=Detention.objects.all(), many=True, required=False)
    sources = UidRelatedField(queryset=Source.objects.all(), many=True, required=False)
    charges = ChargeInputSerializer(many=True, required=False)
    sentences = SentenceInputSerializer(many=True, required=False)

    class Meta:
        model = LegalCase
        fields = (
            *("person", "kind", "number", "court", "judge", "prosecutor", "opened_on", "status"),
            *("detentions", "notes", "sources", "confidentiality", "charges", "sentences"),
            "lock_version",
        )

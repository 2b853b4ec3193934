"""/api/v1/detentions/, /legal-cases/, /legal-articles/: filters and viewsets (serializers in serializers.py).

A filter that reaches into other records (a detention's legal cases, a case's detentions) looks only at the
records the requesting user may see: filtering must not reveal what listing would not.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from cases.choices import (
    Authority,
    CaseKind,
    CaseStatus,
    DetentionOutcome,
    Law,
    ProceduralStatus,
    SentenceKind,
    Verification,
)
from cases.models import Charge, Detention, LegalArticle, LegalCase, Sentence, Treatment
from cases.selectors import detention_list, legal_article_list, legal_case_list
from cases.serializers import (
    DetentionInputSerializer,
    DetentionSerializer,
    LegalArticleSerializer,
    LegalCaseInputSerializer,
    LegalCaseSerializer,
)
from cases.services import detention_record, detention_update, legal_case_create, legal_case_update
from core.api import RecordViewSet, RecordWriteViewSet, partial_update_schema
from core.filters import RecordFilterSet, ReferenceFilterSet, UidFilter, UidOrCodeFilter, place_tree_q
from events.models import Assembly, Place
from people.models import GroupTag, Person

_PLACE_HELP = _("Place uid or code; a region includes its cities, a city its districts and sites")
_ARTICLE_HELP = _("Legal article uid or code (e.g. cc-405)")


def _user(filterset):
    return getattr(filterset.request, "user", None)


def _visible_people(request):
    return Person.objects.visible_to(getattr(request, "user", None))


def _visible_assemblies(request):
    return Assembly.objects.visible_to(getattr(request, "user", None))


def _detentions_in_place(user, place) -> Q:
    """Detentions at `place` or below it; a detention with no place of its own counts where its assembly
    was (the assembly page leaves the place to the assembly's)."""
    assemblies = Assembly.objects.visible_to(user).filter(place_tree_q("place", place))
    return place_tree_q("place", place) | Q(place__isnull=True, assembly__in=assemblies)


def _cases_of_detentions(detentions) -> Q:
    through = LegalCase.detentions.through.objects.filter(detention__in=detentions)
    return Q(pk__in=through.values("legalcase_id"))


class DetentionFilterSet(RecordFilterSet):
    detained_from = django_filters.DateFilter(field_name="detained_at", lookup_expr="date__gte")
    detained_to = django_filters.DateFilter(field_name="detained_at", lookup_expr="date__lte")
    place = UidOrCodeFilter(queryset=Place.objects.all(), method="filter_place", label=_PLACE_HELP)
    assembly = UidFilter(queryset=_visible_assemblies, label=_("Assembly uid"))
    person = UidFilter(queryset=_visible_people, label=_("Person uid"))
    procedural_status = django_filters.ChoiceFilter(choices=ProceduralStatus.choices)
    outcome = django_filters.ChoiceFilter(choices=DetentionOutcome.choices)
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    authority = django_filters.ChoiceFilter(choices=Authority.choices)
    group = UidOrCodeFilter(
        queryset=GroupTag.objects.all(), field_name="person__groups", label=_("Group tag")
    )
    treatment = UidOrCodeFilter(
        queryset=Treatment.objects.all(), field_name="treatment", label=_("Treatment")
    )
    article = UidOrCodeFilter(
        queryset=LegalArticle.objects.all(), method="filter_article", label=_ARTICLE_HELP
    )
    sentence_kind = django_filters.ChoiceFilter(choices=SentenceKind.choices, method="filter_sentence_kind")

    class Meta:
        model = Detention
        fields = ()

    def filter_place(self, queryset, name, value):
        return queryset.filter(_detentions_in_place(_user(self), value))

    def _of_cases(self, queryset, cases):
        through = LegalCase.detentions.through.objects.filter(legalcase__in=cases)
        return queryset.filter(pk__in=through.values("detention_id"))

    def filter_article(self, queryset, name, value):
        charged = Charge.objects.live().filter(article=value).values("legal_case_id")
        return self._of_cases(queryset, LegalCase.objects.visible_to(_user(self)).filter(pk__in=charged))

    def filter_sentence_kind(self, queryset, name, value):
        sentenced = Sentence.objects.live().filter(kind=value).values("legal_case_id")
        return self._of_cases(queryset, LegalCase.objects.visible_to(_user(self)).filter(pk__in=sentenced))


class LegalCaseFilterSet(RecordFilterSet):
    child_relations = ("charges", "sentences")

    opened_from = django_filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_to = django_filters.DateFilter(field_name="opened_on", lookup_expr="lte")
    decided_from = django_filters.DateFilter(
        method="filter_decided", label=_("A sentence decided on or after")
    )
    decided_to = django_filters.DateFilter(
        method="filter_decided", label=_("A sentence decided on or before")
    )
    article = UidOrCodeFilter(
        queryset=LegalArticle.objects.all(), method="filter_article", label=_ARTICLE_HELP
    )
    sentence_kind = django_filters.ChoiceFilter(choices=SentenceKind.choices, method="filter_sentence_kind")
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    person = UidFilter(queryset=_visible_people, label=_("Person uid"))
    group = UidOrCodeFilter(
        queryset=GroupTag.objects.all(), field_name="person__groups", label=_("Group tag")
    )
    place = UidOrCodeFilter(queryset=Place.objects.all(), method="filter_place", label=_PLACE_HELP)
    assembly = UidFilter(queryset=_visible_assemblies, method="filter_assembly", label=_("Assembly uid"))

    class Meta:
        model = LegalCase
        fields = ()

    def filter_decided(self, queryset, name, value):
        # One sentence must fall in the whole range, so both bounds are applied together, once.
        bounds = self.form.cleaned_data
        if name == "decided_to" and bounds.get("decided_from"):
            return queryset
        sentences = Sentence.objects.live()
        if bounds.get("decided_from"):
            sentences = sentences.filter(decided_on__gte=bounds["decided_from"])
        if bounds.get("decided_to"):
            sentences = sentences.filter(decided_on__lte=bounds["decided_to"])
        return queryset.filter(pk__in=sentences.values("legal_case_id"))

    def filter_article(self, queryset, name, value):
        return queryset.filter(pk__in=Charge.objects.live().filter(article=value).values("legal_case_id"))

    def filter_sentence_kind(self, queryset, name, value):
        return queryset.filter(pk__in=Sentence.objects.live().filter(kind=value).values("legal_case_id"))

    def filter_place(self, queryset, name, value):
        detentions = Detention.objects.visible_to(_user(self)).filter(
            _detentions_in_place(_user(self), value)
        )
        return queryset.filter(_cases_of_detentions(detentions))

    def filter_assembly(self, queryset, name, value):
        detentions = Detention.objects.visible_to(_user(self)).filter(assembly=value)
        return queryset.filter(_cases_of_detentions(detentions))


class LegalArticleFilterSet(ReferenceFilterSet):
    law = django_filters.ChoiceFilter(choices=Law.choices)
    number = django_filters.CharFilter()

    class Meta:
        model = LegalArticle
        fields = ()


class LegalArticleViewSet(RecordViewSet):
    """Articles of the Criminal Code (CC) and the Administrative Offences Code (AOC)."""

    selector = legal_article_list
    serializer_class = LegalArticleSerializer
    filterset_class = LegalArticleFilterSet


@extend_schema_view(
    create=extend_schema(request=DetentionInputSerializer, responses={201: DetentionSerializer}),
    partial_update=partial_update_schema(request=DetentionInputSerializer, responses=DetentionSerializer),
)
class DetentionViewSet(RecordWriteViewSet):
    """Detentions. Partners read; staff with a write key or a session create (POST) and update (PATCH)."""

    selector = detention_list
    serializer_class = DetentionSerializer
    input_serializer_class = DetentionInputSerializer
    filterset_class = DetentionFilterSet

    def create_record(self, *, user, data):
        return detention_record(user=user, **data)

    def update_record(self, *, user, instance, data):
        return detention_update(user=user, detention=instance, **data)


@extend_schema_view(
    create=extend_schema(request=LegalCaseInputSerializer, responses={201: LegalCaseSerializer}),
    partial_update=partial_update_schema(request=LegalCaseInputSerializer, responses=LegalCaseSerializer),
)
class LegalCaseViewSet(RecordWriteViewSet):
    """Legal cases with their charges and sentences. Partners read; staff with a write key or a session
    create (POST) and update (PATCH), charges and sentences included."""

    selector = legal_case_list
    serializer_class = LegalCaseSerializer
    input_serializer_class = LegalCaseInputSerializer
    filterset_class = LegalCaseFilterSet

    def create_record(self, *, user, data):
        return legal_case_create(user=user, **data)

    def update_record(self, *, user, instance, data):
        return legal_case_update(user=user, legal_case=instance, **data)

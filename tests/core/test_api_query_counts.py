"""Queries per list request do not grow with the page: the same count for 10 rows as for 100, each row with
the related rows its representation shows (names, consents, tags, links, charges, sentences)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import LegalArticle, Treatment
from core.models import Confidentiality
from events.models import CauseTag, Place, PlaceKind
from people.models import GroupTag
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    DetentionFactory,
    HearingFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC = Confidentiality.PUBLIC


def _person():
    person = PersonFactory(confidentiality=PUBLIC, aliases=["Тестов Тест"], home_place=Place.objects.first())
    person.groups.add(*GroupTag.objects.all()[:2])
    ConsentRecordFactory(person=person)
    return person


def _source():
    return SourceFactory(confidentiality=PUBLIC)


def _assembly():
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    assembly.causes.add(*CauseTag.objects.all()[:2])
    assembly.sources.add(_source())
    return assembly


def _incident():
    incident = IncidentFactory(confidentiality=PUBLIC, assembly=_assembly(), place=Place.objects.first())
    incident.sources.add(_source())
    return incident


def _detention():
    detention = DetentionFactory(
        person=_person(), assembly=_assembly(), place=Place.objects.first(), confidentiality=PUBLIC
    )
    detention.treatment.add(*Treatment.objects.all()[:2])
    detention.sources.add(_source())
    return detention


def _legal_case():
    detention = _detention()
    legal_case = LegalCaseFactory(person=detention.person, confidentiality=PUBLIC)
    legal_case.detentions.add(detention)
    legal_case.sources.add(_source())
    ChargeFactory(legal_case=legal_case, article=LegalArticle.objects.first())
    sentence = SentenceFactory(legal_case=legal_case, starts_on=dt.date(2019, 6, 1), term_years=1)
    HearingFactory(legal_case=legal_case).sources.add(_source())
    AppealFactory(legal_case=legal_case, sentence=sentence).sources.add(_source())
    return legal_case


def _place(n=[0]):  # noqa: B006 - a counter across calls
    n[0] += 1
    return PlaceFactory(code=f"qc-district-{n[0]}", kind=PlaceKind.DISTRICT, parent=Place.objects.first())


def _article(n=[0]):  # noqa: B006
    n[0] += 1
    return LegalArticleFactory(code=f"qc-{n[0]}", number=f"9{n[0]}")


MAKERS = {
    "people": (_person, None),
    "assemblies": (_assembly, None),
    "incidents": (_incident, None),
    "detentions": (_detention, None),
    "legal-cases": (_legal_case, None),
    "sources": (_source, None),
    "places": (_place, Place),
    "legal-articles": (_article, LegalArticle),
}


def _count(client, path, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {**params, "page_size": 100})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def _fill(endpoint, rows: int):
    make, model = MAKERS[endpoint]
    existing = model.objects.count() if model else 0
    for _ in range(max(rows - existing, 0)):
        make()


@pytest.mark.parametrize("endpoint", MAKERS)
@pytest.mark.parametrize("persona", ["partner", "lawyer"])
def test_list_queries_do_not_grow_with_page_size(
    endpoint, persona, request, api_client_for, django_assert_num_queries
):
    client = api_client_for(request.getfixturevalue(persona))
    # Reference data is seeded: only the rows made here are listed, by their change time.
    params = {"updated_since": (timezone.now() - dt.timedelta(seconds=1)).isoformat()}
    path = f"/api/v1/{endpoint}/"
    make = MAKERS[endpoint][0]
    for _ in range(10):
        make()
    client.get(path, params)  # warm-up: the key's last-used stamp is written once a minute
    small, rows_small = _count(client, path, params)
    assert rows_small == 10
    for _ in range(90):
        make()
    with django_assert_num_queries(small):
        response = client.get(path, {**params, "page_size": 100})
    assert len(response.json()["results"]) == 100


QUERIES = {  # the pinned count for a page of a list, partner key (auth + roles + main query + prefetches)
    "people": 6,
    "assemblies": 5,
    "incidents": 5,
    "detentions": 6,
    "legal-cases": 11,  # charges, sentences, hearings + sources, appeals + sources, detentions, sources
    "sources": 3,
    "places": 3,
    "legal-articles": 3,
}


@pytest.mark.parametrize("endpoint", MAKERS)
def test_list_query_count_is_pinned(endpoint, partner, api_client_for, django_assert_num_queries):
    client = api_client_for(partner)
    if endpoint not in ("places", "legal-articles"):
        _fill(endpoint, 3)
    client.get(f"/api/v1/{endpoint}/")
    with django_assert_num_queries(QUERIES[endpoint]):
        client.get(f"/api/v1/{endpoint}/", {"page_size": 100})

"""cases.views.PersonSearchView (/search/): any spelling, filters, visibility, a bounded query count."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from cases.choices import ProceduralStatus, SentenceKind, SentenceStatus
from core.models import Confidentiality
from events.models import PlaceKind
from people.models import GroupTag
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:person-search")


def _names(response) -> list[str]:
    return [person.full_name for person in response.context["page"].object_list]


@pytest.fixture
def as_monitor(client, monitor):
    client.force_login(monitor)
    return client


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL, {"q": "Testov"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_non_staff_get_403(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, {"q": "Testov"}).status_code == 403


def test_cyrillic_query_finds_latin_entry_and_back(as_monitor):
    PersonFactory(full_name="Karatayev Daniyar")
    PersonFactory(full_name="Жаксыбеков Ерлан")
    response = as_monitor.get(URL, {"q": "Каратаев Данияр"})
    assert response.status_code == 200
    assert _names(response) == ["Karatayev Daniyar"]
    assert _names(as_monitor.get(URL, {"q": "Zhaksybekov"})) == ["Жаксыбеков Ерлан"]
    assert "Karatayev Daniyar" in as_monitor.get(URL, {"q": "Каратаев"}).content.decode()


def test_another_monitors_restricted_person_is_never_shown(as_monitor, other_monitor):
    hidden = PersonFactory(
        full_name="Karatayev Daniyar", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    PersonFactory(full_name="Karatayev Timur")
    assert _names(as_monitor.get(URL, {"q": "Karatayev"})) == ["Karatayev Timur"]
    detail = reverse("cases:person-detail", args=[hidden.uid])
    assert as_monitor.get(detail).status_code == 404


def test_shows_latest_detention_and_status(as_monitor):
    city = PlaceFactory(name_en="Testgrad")
    person = PersonFactory(full_name="Karatayev Daniyar")
    DetentionFactory(person=person, detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC))
    latest = DetentionFactory(
        person=person, place=city, detained_at=dt.datetime(2019, 5, 9, 6, 0, tzinfo=dt.UTC)
    )
    CustodyPeriodFactory(detention=latest, started_on=dt.date(2019, 5, 9), ended_on=None)
    response = as_monitor.get(URL, {"q": "Karatayev"})
    row = response.context["page"].object_list[0]
    assert row.standing.latest_detention == latest
    assert row.standing.status == "held"
    html = response.content.decode()
    assert "2019-05-09" in html and "Testgrad" in html and "Held" in html


def test_serving_sentence_is_the_status(as_monitor):
    person = PersonFactory(full_name="Karatayev Daniyar")
    DetentionFactory(person=person)
    SentenceFactory(legal_case=LegalCaseFactory(person=person), status=SentenceStatus.SERVING)
    row = as_monitor.get(URL, {"q": "Karatayev"}).context["page"].object_list[0]
    assert row.standing.status == "serving"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="near matches need pg_trgm")
def test_near_match_is_marked_possible(as_monitor):
    PersonFactory(full_name="Жунусов Арман")
    response = as_monitor.get(URL, {"q": "Жүнісов"})
    assert _names(response) == ["Жунусов Арман"]
    assert "possible — verify" in response.content.decode()


def test_exact_match_is_not_marked_possible(as_monitor):
    PersonFactory(full_name="Karatayev Daniyar")
    assert "possible — verify" not in as_monitor.get(URL, {"q": "Karatayev"}).content.decode()


@pytest.fixture
def two_people():
    region = PlaceFactory(code="test-region", name_en="Testregion", kind=PlaceKind.REGION)
    city = PlaceFactory(code="test-city-in-region", name_en="Testcity", parent=region)
    elsewhere = PlaceFactory(code="test-city-elsewhere", name_en="Othercity")
    first = PersonFactory(full_name="Karatayev Daniyar")
    second = PersonFactory(full_name="Karatayev Timur")
    DetentionFactory(
        person=first,
        place=city,
        detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC),
        procedural_status=ProceduralStatus.SUSPECT,
    )
    DetentionFactory(person=second, place=elsewhere, detained_at=dt.datetime(2019, 6, 9, 6, 0, tzinfo=dt.UTC))
    article = LegalArticleFactory(code="cc-test-405", number="405")
    case = LegalCaseFactory(person=first)
    ChargeFactory(legal_case=case, article=article)
    SentenceFactory(legal_case=case, kind=SentenceKind.RESTRICTION_OF_LIBERTY)
    tag = GroupTag.objects.create(code="test-journalist", name_en="Journalist")
    second.groups.add(tag)
    return {"region": region, "city": city, "article": article, "tag": tag}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Karatayev Daniyar", "Karatayev Timur"]),
        ({"place": "region"}, ["Karatayev Daniyar"]),  # a region includes its cities
        ({"place": "city"}, ["Karatayev Daniyar"]),
        ({"detained_from": "2019-03-01"}, ["Karatayev Timur"]),
        ({"detained_to": "2019-03-01"}, ["Karatayev Daniyar"]),
        ({"procedural_status": "suspect"}, ["Karatayev Daniyar"]),
        ({"article": "article"}, ["Karatayev Daniyar"]),
        ({"sentence_kind": "restriction_of_liberty"}, ["Karatayev Daniyar"]),
        ({"sentence_kind": "imprisonment"}, []),
        ({"group": "tag"}, ["Karatayev Timur"]),
    ],
)
def test_filters_narrow_results(as_monitor, two_people, params, expected):
    query = {"q": "Karatayev"}
    for name, value in params.items():
        query[name] = two_people[value].pk if value in two_people else value
    assert _names(as_monitor.get(URL, query)) == expected


def test_filter_alone_lists_people(as_monitor, two_people):
    assert _names(as_monitor.get(URL, {"group": two_people["tag"].pk})) == ["Karatayev Timur"]


@pytest.mark.parametrize(
    "params",
    [
        {"place": "999999"},
        {"place": "not-a-number"},
        {"detained_from": "27.02.2019x"},
        {"procedural_status": "tortured"},
        {"sentence_kind": "death"},
        {"detained_from": "2019-05-01", "detained_to": "2019-01-01"},
    ],
)
def test_bad_filter_value_shows_an_error(as_monitor, params):
    response = as_monitor.get(URL, {"q": "Karatayev", **params})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["page"] is None
    assert 'class="errorlist' in response.content.decode()


def test_paginates_by_25(as_monitor):
    for n in range(27):
        PersonFactory(full_name=f"Karatayev Testname{n}")
    first = as_monitor.get(URL, {"q": "Karatayev"})
    assert len(first.context["page"].object_list) == 25
    second = as_monitor.get(URL, {"q": "Karatayev", "page": 2})
    assert len(second.context["page"].object_list) == 2
    assert "page=2" in first.content.decode()


def _people_with_history(count: int):
    for n in range(count):
        person = PersonFactory(full_name=f"Karatayev Testname{n}")
        detention = DetentionFactory(person=person, place=PlaceFactory())
        CustodyPeriodFactory(detention=detention)
        SentenceFactory(legal_case=LegalCaseFactory(person=person))


def test_query_count_does_not_grow_with_results(client, monitor, django_assert_num_queries):
    client.force_login(monitor)
    _people_with_history(5)
    with django_assert_num_queries(QUERIES) as captured:
        response = client.get(URL, {"q": "Karatayev"})
    assert len(response.context["page"].object_list) == 5
    _people_with_history(20)
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(URL, {"q": "Karatayev"})
    assert len(response.context["page"].object_list) == 25


# session + user + roles, set_config on PostgreSQL, the best matches' names (re-ranking by spelling), count,
# page, 4 prefetches (detentions, custody periods, cases, sentences), the filter form's three choice lists
# (place, article, group).
QUERIES = 14 if connection.vendor == "postgresql" else 13


def test_post_is_405(as_monitor):
    assert as_monitor.post(URL, {"q": "Karatayev"}).status_code == 405


def test_layout_has_search_box_language_switcher_and_vendored_htmx(as_monitor):
    html = as_monitor.get(URL).content.decode()
    assert 'id="topbar-q"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert "/static/kuzet/vendor/htmx.min.js" in html and "//unpkg" not in html and "cdn" not in html.lower()


def test_language_switch_shows_the_page_in_russian(as_monitor):
    response = as_monitor.post(reverse("set_language"), {"language": "ru", "next": URL})
    assert response.status_code == 302
    assert as_monitor.get(URL).content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="ru">' in as_monitor.get(URL).content.decode()

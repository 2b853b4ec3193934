"""/api/v1/changes/: the delta feed's shape and schema, its cursor and `next`, what each key sees in it, and
the queries a page costs. The mirror test is in test_changes_mirror.py."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.api_feed import FEED_TYPES, decode_cursor, encode_cursor, feed_viewsets
from core.changes import tracked_types
from core.models import ChangeLog, Confidentiality
from tests.cases import feed_reader as feed
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    DetentionFactory,
    HearingFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC, PARTNERS, INTERNAL = Confidentiality.PUBLIC, Confidentiality.PARTNERS, Confidentiality.INTERNAL
QUERIES_PER_PAGE = 25


@pytest.fixture
def place():
    return PlaceFactory(code="test-city-feed", name_en="Testcity")


@pytest.fixture
def partner_client(partner, api_client_for):
    return api_client_for(partner)


@pytest.fixture
def staff_client(monitor, api_client_for):
    return api_client_for(monitor)


# --- Contract -------------------------------------------------------------------------------------------


def test_every_endpoint_is_a_feed_type_and_every_feed_type_is_logged():
    assert set(feed_viewsets()) == set(FEED_TYPES) == tracked_types()


def test_an_entry_carries_the_object_the_list_endpoint_returns(partner_client):
    cursor = feed.now()
    assembly = AssemblyFactory(confidentiality=PUBLIC, title="Testrally on the square")
    assembly.sources.add(SourceFactory(confidentiality=PUBLIC))

    response = feed.get(partner_client, cursor=cursor)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "next", "cursor"}
    entry = feed.entry(body["results"], assembly.uid)
    assert set(entry) == {"seq", "type", "uid", "action", "data"}
    assert (entry["type"], entry["action"]) == ("assembly", "upsert")
    listed = feed.listed(partner_client, "assemblies")[str(assembly.uid)]
    assert json.dumps(entry["data"]) == json.dumps(listed)  # same keys, same order, same values


def test_without_a_cursor_the_feed_starts_from_the_beginning(partner_client):
    first = ChangeLog.objects.order_by("seq").first()  # the places and articles the migrations seeded

    body = feed.get(partner_client, page_size=1).json()

    assert [(e["seq"], e["type"], e["uid"]) for e in body["results"]] == [
        (first.seq, first.type, str(first.uid))
    ]
    assert decode_cursor(body["cursor"]) == first.seq


def test_next_walks_the_pages_and_is_null_once_caught_up(partner_client, place):
    cursor = feed.now()
    assemblies = [AssemblyFactory(confidentiality=PUBLIC, place=place) for _ in range(5)]

    first = feed.get(partner_client, cursor=cursor, page_size=2).json()
    second = partner_client.get(first["next"], HTTP_ACCEPT="application/json").json()
    third = partner_client.get(second["next"], HTTP_ACCEPT="application/json").json()

    pages = [first, second, third]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert [e["uid"] for page in pages for e in page["results"]] == [str(a.uid) for a in assemblies]
    assert "page_size=2" in first["next"]
    assert f"cursor={first['cursor']}" in first["next"]
    assert third["next"] is None
    assert decode_cursor(third["cursor"]) == ChangeLog.objects.aggregate(last=Max("seq"))["last"]


def test_a_page_that_ends_exactly_at_the_last_entry_is_caught_up(partner_client, place):
    cursor = feed.now()
    AssemblyFactory(confidentiality=PUBLIC, place=place), AssemblyFactory(confidentiality=PUBLIC, place=place)

    body = feed.get(partner_client, cursor=cursor, page_size=2).json()

    assert len(body["results"]) == 2
    assert body["next"] is None


def test_a_later_call_with_the_cursor_returns_only_what_changed_since(partner_client, place):
    before = AssemblyFactory(confidentiality=PUBLIC, place=place)
    _entries, cursor = feed.drain(partner_client)
    caught_up = feed.get(partner_client, cursor=cursor).json()

    after = AssemblyFactory(confidentiality=PUBLIC, place=place)
    body = feed.get(partner_client, cursor=cursor).json()

    assert caught_up == {"results": [], "next": None, "cursor": cursor}
    assert [e["uid"] for e in body["results"]] == [str(after.uid)]
    assert str(before.uid) not in json.dumps(body)


def test_a_record_changed_several_times_in_one_page_comes_once_at_its_latest_seq(partner_client, place):
    cursor = feed.now()
    assembly = AssemblyFactory(confidentiality=PUBLIC, title="Testrally 1", place=place)
    other = AssemblyFactory(confidentiality=PUBLIC, place=place)
    assembly.title = "Testrally 2"
    assembly.save()

    results = feed.get(partner_client, cursor=cursor).json()["results"]

    latest = ChangeLog.objects.filter(uid=assembly.uid).aggregate(last=Max("seq"))["last"]
    assert [(e["uid"], e["seq"]) for e in results] == [
        (str(other.uid), ChangeLog.objects.get(uid=other.uid).seq),
        (str(assembly.uid), latest),
    ]
    assert results[1]["data"]["title"] == "Testrally 2"


@pytest.mark.parametrize(
    "params",
    [{"cursor": "not-a-cursor"}, {"cursor": ""}, {"cursor": "djE6LTE"}, {"cursor": encode_cursor(10**12)}],
    ids=["garbage", "empty", "negative", "ahead"],
)
def test_a_bad_cursor_answers_400_naming_it(params, partner_client):
    response = feed.get(partner_client, **params)

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


@pytest.mark.parametrize("page_size", ["0", "1001", "ten", "-5"])
def test_a_bad_page_size_answers_400_naming_it(page_size, partner_client):
    response = feed.get(partner_client, page_size=page_size)

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_no_key_answers_401_and_a_user_without_a_role_403(outsider, api_client_for):
    from rest_framework.test import APIClient

    assert feed.get(APIClient()).status_code == 401
    assert feed.get(api_client_for(outsider)).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_feed_is_read_only(method, monitor, api_client_for):
    client = api_client_for(monitor, "write")

    assert getattr(client, method)(feed.URL, {}, format="json").status_code == 405


def test_the_schema_documents_the_feed(staff_client):
    schema = staff_client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    operation = schema["paths"]["/api/v1/changes/"]["get"]
    page = schema["components"]["schemas"]["ChangePage"]
    entry = schema["components"]["schemas"]["ChangeEntry"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ChangePage"
    )
    assert {p["name"] for p in operation["parameters"]} == {"cursor", "page_size"}
    assert set(page["required"]) == {"results", "next", "cursor"}
    assert set(entry["required"]) == {"seq", "type", "uid", "action", "data"}
    refs = {ref["$ref"].rsplit("/", 1)[1] for ref in entry["properties"]["data"]["anyOf"]}
    assert {"Person", "Assembly", "Detention", "LegalCase"} <= refs


# --- What each key sees ---------------------------------------------------------------------------------


def test_a_partner_and_staff_see_different_things(partner_client, staff_client):
    cursor = feed.now()
    released = AssemblyFactory(confidentiality=PARTNERS)
    internal = AssemblyFactory(confidentiality=INTERNAL)

    partner = feed.get(partner_client, cursor=cursor).json()["results"]
    staff = feed.get(staff_client, cursor=cursor).json()["results"]

    assert feed.entry(partner, released.uid)["action"] == "upsert"
    assert feed.entry(partner, internal.uid) == {
        "seq": feed.entry(staff, internal.uid)["seq"],
        "type": "assembly",
        "uid": str(internal.uid),
        "action": "delete",
        "data": None,
    }
    assert feed.entry(staff, internal.uid)["action"] == "upsert"
    assert feed.entry(staff, internal.uid)["data"]["confidentiality"] == "internal"


def test_a_record_raised_to_internal_arrives_as_a_delete_for_the_partner(partner_client, staff_client):
    person = PersonFactory(confidentiality=PARTNERS)
    detention = DetentionFactory(person=person, confidentiality=PARTNERS)
    _entries, cursor = feed.drain(partner_client)

    person.confidentiality = INTERNAL
    person.save()

    partner = {e["uid"]: e for e in feed.get(partner_client, cursor=cursor).json()["results"]}
    staff = {e["uid"]: e for e in feed.get(staff_client, cursor=cursor).json()["results"]}
    assert partner[str(person.uid)]["action"] == partner[str(detention.uid)]["action"] == "delete"
    assert staff[str(person.uid)]["action"] == staff[str(detention.uid)]["action"] == "upsert"


def test_consent_withdrawn_sends_the_person_under_their_pseudonym(partner_client):
    person = PersonFactory(confidentiality=PARTNERS, full_name="Testova Aizhan")
    consent = ConsentRecordFactory(person=person, given_on=dt.date(2024, 1, 10))
    entries, cursor = feed.drain(partner_client)
    assert feed.entry(entries, person.uid)["data"]["name"] == "Testova Aizhan"

    consent.withdrawn_on = dt.date(2025, 1, 10)
    consent.save()

    (entry,) = feed.get(partner_client, cursor=cursor).json()["results"]
    assert entry["action"] == "upsert"
    assert entry["data"]["name"] == f"Person K-{person.pk:05d}"
    assert entry["data"]["full_name"] is None
    assert "Testova" not in json.dumps(entry)


# --- Query count ----------------------------------------------------------------------------------------


def _records(groups: int) -> int:
    """`groups` × five records of five types, each with what its representation reads (names, consent,
    links, charges), then saved once more: the cursor returned is before those saves, so the page holds
    exactly one entry per record."""
    place, records = PlaceFactory(code="test-city-count", name_en="Testcity"), []
    for index in range(groups):
        person = PersonFactory(confidentiality=PUBLIC, aliases=[f"Testov {index}"], home_place=place)
        ConsentRecordFactory(person=person)
        assembly = AssemblyFactory(confidentiality=PUBLIC, place=place)
        source = SourceFactory(confidentiality=PUBLIC)
        assembly.sources.add(source)
        detention = DetentionFactory(person=person, assembly=assembly, place=place, confidentiality=PUBLIC)
        legal_case = LegalCaseFactory(person=person, confidentiality=PUBLIC)
        legal_case.detentions.add(detention)
        ChargeFactory(legal_case=legal_case)
        sentence = SentenceFactory(legal_case=legal_case)
        HearingFactory(legal_case=legal_case).sources.add(source)
        AppealFactory(legal_case=legal_case, sentence=sentence).sources.add(source)
        records += [person, assembly, source, detention, legal_case]
    cursor = feed.now()
    for record in records:
        record.save(update_fields=["updated_at"])
    return cursor


def _feed_queries(client, groups: int) -> tuple[int, int]:
    cursor = _records(groups)
    with CaptureQueriesContext(connection) as queries:
        body = feed.get(client, cursor=cursor, page_size=5 * groups).json()
    assert {entry["action"] for entry in body["results"]} == {"upsert"}
    return len(body["results"]), len(queries)


def test_a_page_costs_the_same_queries_for_20_entries_as_for_100(partner, api_client_for):
    few, few_queries = _feed_queries(api_client_for(partner), 4)  # a new key each: each records its use
    many, many_queries = _feed_queries(api_client_for(partner), 20)

    assert (few, many) == (20, 100)
    assert few_queries == many_queries == QUERIES_PER_PAGE


def test_the_queries_of_a_page_of_100_entries(partner_client, django_assert_num_queries):
    cursor = _records(20)

    # The key with its user, the key's last use (written at most once a minute), the user's roles, the
    # entries (4); then per type the records, each with the prefetches of its list endpoint: person with
    # names, consents, groups (4); assembly with causes, sources (3); source (1); detention with assembly,
    # treatment, sources (4); legal case with charges, sentences, hearings and their sources, appeals and
    # theirs, detentions, sources (9).
    with django_assert_num_queries(QUERIES_PER_PAGE):
        feed.get(partner_client, cursor=cursor, page_size=100)


def test_staff_read_the_feed_with_their_session_in_the_browsable_api(monitor, session_client_for):
    client = session_client_for(monitor)
    cursor = feed.now()
    AssemblyFactory(confidentiality=INTERNAL, title="Testrally for staff")

    body = client.get(feed.URL, {"cursor": cursor}, HTTP_ACCEPT="application/json").json()
    page = client.get(feed.URL, {"cursor": cursor, "format": "api"})

    assert "upsert" in {entry["action"] for entry in body["results"]}
    assert page.status_code == 200
    assert "Testrally for staff" in page.content.decode()

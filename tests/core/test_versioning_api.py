"""Concurrent edits over the API: a record's answers carry `lock_version` and an ETag; a PATCH names the
version it started from (If-Match or `lock_version`), else 428; a stale one is 409 with the diff."""

import pytest
from django.urls import reverse

from cases.models import Detention
from core.models import Confidentiality
from tests.cases.factories import DetentionFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _url(detention):
    return f"/api/v1/detentions/{detention.uid}/"


def test_a_record_carries_its_version_and_etag(lawyer, api_client_for):
    detention = DetentionFactory()
    Detention.objects.filter(pk=detention.pk).update(lock_version=4)
    response = api_client_for(lawyer).get(_url(detention))
    assert response.status_code == 200
    assert response.json()["lock_version"] == 4
    assert response["ETag"] == '"4"'


def test_a_patch_with_if_match_saves_and_answers_the_next_version(lawyer, api_client_for):
    detention = DetentionFactory(location="Police station 1")
    client = api_client_for(lawyer, "write")
    etag = client.get(_url(detention))["ETag"]

    response = client.patch(
        _url(detention), {"location": "Police station 2"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.content
    assert response.json()["lock_version"] == 2
    assert response["ETag"] == '"2"'
    detention.refresh_from_db()
    assert (detention.location, detention.lock_version) == ("Police station 2", 2)


def test_a_patch_with_the_lock_version_field_saves(lawyer, api_client_for):
    detention = DetentionFactory(location="Police station 1")
    response = api_client_for(lawyer, "write").patch(
        _url(detention), {"location": "Police station 2", "lock_version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    detention.refresh_from_db()
    assert (detention.location, detention.lock_version) == ("Police station 2", 2)


def test_a_stale_patch_is_409_with_the_current_version_and_the_diff(lawyer, monitor, api_client_for):
    detention = DetentionFactory(location="Police station 1")
    first, second = api_client_for(monitor, "write"), api_client_for(lawyer, "write")
    etag = second.get(_url(detention))["ETag"]
    assert (
        first.patch(
            _url(detention), {"location": "Police station 2"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )

    response = second.patch(
        _url(detention), {"location": "Police station 3", "notes": "x"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Someone else (monitor) saved this detention at ")
    assert body["detail"].endswith("Your changes were not saved.")
    assert body["current_lock_version"] == 2
    assert body["diff"] == [
        {
            "field": "location",
            "label": "Where exactly",
            "stored": "Police station 2",
            "yours": "Police station 3",
        },
        {"field": "notes", "label": "Notes", "stored": "—", "yours": "x"},
    ]
    detention.refresh_from_db()
    assert (detention.location, detention.notes, detention.lock_version) == ("Police station 2", "", 2)


def test_a_patch_without_a_version_is_428_and_writes_nothing(lawyer, api_client_for):
    detention = DetentionFactory(location="Police station 1")
    response = api_client_for(lawyer, "write").patch(_url(detention), {"location": "X"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    detention.refresh_from_db()
    assert (detention.location, detention.lock_version) == ("Police station 1", 1)


@pytest.mark.parametrize(("header", "field"), [('"abc"', None), ('"1"', 2)])
def test_an_unreadable_or_contradictory_version_is_400(lawyer, api_client_for, header, field):
    detention = DetentionFactory(location="Police station 1")
    data = {"location": "X", **({"lock_version": field} if field else {})}
    response = api_client_for(lawyer, "write").patch(
        _url(detention), data, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 400
    detention.refresh_from_db()
    assert detention.location == "Police station 1"


def test_an_outsider_still_gets_404_not_428(monitor, other_monitor, api_client_for):
    hidden = DetentionFactory(
        person=PersonFactory(), confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    response = api_client_for(monitor, "write").patch(_url(hidden), {"notes": "x"}, format="json")
    assert response.status_code == 404


def test_the_schema_documents_the_precondition(client):
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    patch = schema.json()["paths"]["/api/v1/detentions/{uid}/"]["patch"]
    assert {"409", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])

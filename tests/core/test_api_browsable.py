"""The browsable API (`?format=api`) renders every endpoint, list and detail, for staff signed in through the
session (with the POST and PATCH forms of the writable endpoints) and for a partner key."""

import pytest

from core.models import Confidentiality
from tests.cases.factories import ChargeFactory, DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "people",
    "assemblies",
    "incidents",
    "detentions",
    "legal-cases",
    "places",
    "legal-articles",
    "sources",
]


@pytest.fixture
def records():
    person = PersonFactory(confidentiality=Confidentiality.PUBLIC)
    ConsentRecordFactory(person=person)
    assembly = AssemblyFactory(confidentiality=Confidentiality.PUBLIC)
    detention = DetentionFactory(person=person, assembly=assembly, confidentiality=Confidentiality.PUBLIC)
    legal_case = LegalCaseFactory(person=person, confidentiality=Confidentiality.PUBLIC)
    legal_case.detentions.add(detention)
    ChargeFactory(legal_case=legal_case)
    IncidentFactory(confidentiality=Confidentiality.PUBLIC, assembly=assembly)
    SourceFactory(confidentiality=Confidentiality.PUBLIC)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_staff_session_browses_every_endpoint(endpoint, records, lawyer, session_client_for):
    client = session_client_for(lawyer)
    response = client.get(f"/api/v1/{endpoint}/", {"format": "api"})
    assert response.status_code == 200
    assert b"<html" in response.content
    writable = endpoint in ("people", "assemblies", "detentions", "legal-cases")
    assert (b'id="post-object-form"' in response.content) == writable
    first = client.get(f"/api/v1/{endpoint}/").json()["results"][0]
    assert client.get(f"/api/v1/{endpoint}/{first['id']}/", {"format": "api"}).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_partner_browses_every_endpoint_without_forms(endpoint, records, partner, api_client_for):
    response = api_client_for(partner).get(f"/api/v1/{endpoint}/", {"format": "api"})
    assert response.status_code == 200
    assert b'id="post-object-form"' not in response.content

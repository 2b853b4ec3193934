"""Filters every list shares, and the error contract of every filter: a bad value answers 400 with
`{"<parameter>": ["message"]}`. Each endpoint's own filters are tested with its API (tests/<app>/)."""

import datetime as dt

import django_filters
import pytest
import time_machine

from cases.api_urls import router
from core.models import Confidentiality
from tests.cases.factories import ChargeFactory, LegalCaseFactory
from tests.events.factories import SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

LISTS = {prefix: viewset for prefix, viewset, _basename in router.registry}
FREE_TEXT = (django_filters.CharFilter,)  # any text is a valid search or number


def _params():
    for prefix, viewset in LISTS.items():
        for name, filter_ in viewset.filterset_class.base_filters.items():
            if not isinstance(filter_, FREE_TEXT):
                yield prefix, name


@pytest.mark.parametrize("value", ["no-such-value-&-bad", "nul\x00inside"])
@pytest.mark.parametrize(("endpoint", "param"), list(_params()))
def test_bad_filter_value_is_400_naming_the_parameter(endpoint, param, value, partner, api_client_for):
    response = api_client_for(partner).get(f"/api/v1/{endpoint}/", {param: value})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [param]
    assert isinstance(body[param], list)
    assert body[param][0]


def test_several_bad_filters_are_all_named(partner, api_client_for):
    response = api_client_for(partner).get(
        "/api/v1/detentions/",
        {"detained_from": "27.02.2019", "place": "atlantis", "updated_since": "yesterday"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detained_from", "place", "updated_since"}


def test_every_list_has_updated_since_and_records_have_confidentiality():
    for prefix, viewset in LISTS.items():
        filters = viewset.filterset_class.base_filters
        assert "updated_since" in filters, prefix
        if prefix not in ("places", "legal-articles"):
            assert "confidentiality" in filters, prefix


def test_updated_since_returns_rows_changed_at_or_after(partner, api_client_for):
    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False):
        SourceFactory(confidentiality=Confidentiality.PUBLIC, title="Old")
    with time_machine.travel(dt.datetime(2024, 3, 1, tzinfo=dt.UTC), tick=False):
        SourceFactory(confidentiality=Confidentiality.PUBLIC, title="New")
    client = api_client_for(partner)
    for since, titles in (
        ("2024-02-01T00:00:00Z", ["New"]),
        ("2024-03-01T05:00:00+05:00", ["New"]),  # inclusive
        ("2023-12-31T00:00:00Z", ["Old", "New"]),
        ("2025-01-01T00:00:00Z", []),
    ):
        rows = client.get("/api/v1/sources/", {"updated_since": since}).json()["results"]
        assert [r["title"] for r in rows] == titles, since


def test_confidentiality_filter(lawyer, api_client_for):
    SourceFactory(confidentiality=Confidentiality.PUBLIC, title="Open")
    SourceFactory(confidentiality=Confidentiality.INTERNAL, title="Inside")
    rows = api_client_for(lawyer).get("/api/v1/sources/", {"confidentiality": "internal"}).json()["results"]
    assert [r["title"] for r in rows] == ["Inside"]


def test_csv_of_a_filtered_list(partner, api_client_for):
    SourceFactory(confidentiality=Confidentiality.PUBLIC, title="Open", kind="video")
    SourceFactory(confidentiality=Confidentiality.PUBLIC, title="Other", kind="media")
    response = api_client_for(partner).get("/api/v1/sources/", {"kind": "video", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert len(lines) == 2
    assert "Open" in lines[1]


def test_updated_since_sees_a_change_of_a_persons_consent(partner, api_client_for):
    """The representation changes with the person's own rows (a consent turns the pseudonym into a name)."""
    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False):
        person = PersonFactory(confidentiality=Confidentiality.PARTNERS)
        PersonFactory(confidentiality=Confidentiality.PARTNERS)
    client = api_client_for(partner)
    assert client.get("/api/v1/people/", {"updated_since": "2024-02-01T00:00:00Z"}).json()["results"] == []
    with time_machine.travel(dt.datetime(2024, 3, 1, tzinfo=dt.UTC), tick=False):
        ConsentRecordFactory(person=person)
    rows = client.get("/api/v1/people/", {"updated_since": "2024-02-01T00:00:00Z"}).json()["results"]
    assert [(r["id"], r["name"]) for r in rows] == [(str(person.uid), person.full_name)]


def test_updated_since_sees_a_change_of_a_charge(partner, api_client_for):
    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False):
        legal_case = LegalCaseFactory(
            person=PersonFactory(confidentiality=Confidentiality.PUBLIC),
            confidentiality=Confidentiality.PUBLIC,
        )
        charge = ChargeFactory(legal_case=legal_case)
    with time_machine.travel(dt.datetime(2024, 3, 1, tzinfo=dt.UTC), tick=False):
        charge.status = "dropped"
        charge.save()
    rows = api_client_for(partner).get("/api/v1/legal-cases/", {"updated_since": "2024-02-01T00:00:00Z"})
    assert [r["id"] for r in rows.json()["results"]] == [str(legal_case.uid)]


@pytest.mark.parametrize("endpoint", ["sources", "places"])
def test_updated_since_with_any_iso_offset(endpoint, partner, api_client_for):
    # +19:12 is valid ISO 8601 but beyond what PostgreSQL accepts: the instant is compared in UTC.
    response = api_client_for(partner).get(
        f"/api/v1/{endpoint}/", {"updated_since": "2024-01-01T23:02:24+19:12"}
    )
    assert response.status_code == 200

"""/api/v1/places/, /assemblies/, /incidents/, /sources/: representation, filters, and assembly writes."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from core.models import AuditEntry, Confidentiality
from events.models import Assembly, CauseTag, Place
from events.services import source_fingerprint
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db

PUBLIC = Confidentiality.PUBLIC


def _ids(client, endpoint, **params):
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def almaty():
    return Place.objects.get(code="almaty")


# --- Places ------------------------------------------------------------------------------------------------


def test_place_names_its_parent(partner, api_client_for, almaty):
    row = api_client_for(partner).get(f"/api/v1/places/{almaty.uid}/").json()
    assert row["name"] == almaty.name_en
    assert row["kind"] == almaty.kind
    assert row["confidentiality"] == "public"
    if almaty.parent_id:
        assert row["parent"] == str(almaty.parent.uid)


def test_places_within_a_region(partner, api_client_for):
    region = Place.objects.get(code="almaty-region")
    city = PlaceFactory(code="test-town", kind="city", parent=region)
    site = PlaceFactory(code="test-square", kind="site", parent=city)
    ids = set(_ids(api_client_for(partner), "places", place="almaty-region"))
    assert {str(region.uid), str(city.uid), str(site.uid)} <= ids
    assert str(Place.objects.get(code="astana").uid) not in ids
    assert _ids(api_client_for(partner), "places", parent=str(city.uid)) == [str(site.uid)]


# --- Assemblies --------------------------------------------------------------------------------------------


def test_assembly_representation(partner, api_client_for, almaty):
    source = SourceFactory(confidentiality=PUBLIC)
    hidden = SourceFactory(confidentiality=Confidentiality.INTERNAL)
    assembly = AssemblyFactory(
        confidentiality=PUBLIC,
        place=almaty,
        starts_at=dt.datetime(2019, 2, 27, 3, 0, tzinfo=dt.UTC),  # 09:00 in Almaty
        starts_at_precision="day",
    )
    assembly.causes.add(CauseTag.objects.get(code="political"))
    assembly.sources.add(source, hidden)
    row = api_client_for(partner).get(f"/api/v1/assemblies/{assembly.uid}/").json()
    assert row["place"] == str(almaty.uid)
    assert row["place_name"] == almaty.name_en
    assert row["starts_at_edtf"] == "2019-02-27"
    assert row["causes"] == ["political"]
    assert row["sources"] == [str(source.uid)]  # not the internal one


def test_edtf_of_a_datetime_is_the_local_day(partner, api_client_for):
    # 20:00 UTC on the 26th is 02:00 on the 27th in Almaty (UTC+6 in 2019): the assembly was on the 27th.
    assembly = AssemblyFactory(
        confidentiality=PUBLIC,
        starts_at=dt.datetime(2019, 2, 26, 20, 0, tzinfo=dt.UTC),
        starts_at_precision="day",
    )
    assert (
        api_client_for(partner).get(f"/api/v1/assemblies/{assembly.uid}/").json()["starts_at_edtf"]
        == "2019-02-27"
    )


def test_assembly_filters(partner, api_client_for, almaty):
    region = Place.objects.get(code="almaty-region")
    in_city = AssemblyFactory(
        confidentiality=PUBLIC,
        place=almaty,
        kind="picket",
        starts_at=dt.datetime(2019, 2, 27, 6, tzinfo=dt.UTC),
    )
    in_region_town = AssemblyFactory(
        confidentiality=PUBLIC,
        place=PlaceFactory(code="test-town", kind="city", parent=region),
        starts_at=dt.datetime(2019, 3, 5, 6, tzinfo=dt.UTC),
    )
    elsewhere = AssemblyFactory(
        confidentiality=PUBLIC,
        place=Place.objects.get(code="astana"),
        starts_at=dt.datetime(2019, 6, 9, 6, tzinfo=dt.UTC),
    )
    elsewhere.causes.add(CauseTag.objects.get(code="political"))
    client = api_client_for(partner)
    # Almaty is a city of republican significance, not part of Almaty Region.
    assert _ids(client, "assemblies", place=str(region.uid)) == [str(in_region_town.uid)]
    assert _ids(client, "assemblies", place="almaty") == [str(in_city.uid)]
    assert _ids(client, "assemblies", kind="picket") == [str(in_city.uid)]
    assert _ids(client, "assemblies", cause="political") == [str(elsewhere.uid)]
    assert _ids(client, "assemblies", starts_from="2019-03-01", starts_to="2019-03-31") == [
        str(in_region_town.uid)
    ]
    assert _ids(client, "assemblies", starts_to="2019-02-27") == [str(in_city.uid)]


# --- Incidents and sources ---------------------------------------------------------------------------------


def test_incident_hides_an_assembly_the_user_may_not_see(partner, lawyer, api_client_for):
    internal = AssemblyFactory(confidentiality=Confidentiality.INTERNAL)
    incident = IncidentFactory(confidentiality=PUBLIC, assembly=internal)
    assert api_client_for(partner).get(f"/api/v1/incidents/{incident.uid}/").json()["assembly"] is None
    assert api_client_for(lawyer).get(f"/api/v1/incidents/{incident.uid}/").json()["assembly"] == str(
        internal.uid
    )


def test_incident_filters(partner, api_client_for):
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    shutdown = IncidentFactory(
        confidentiality=PUBLIC,
        place=Place.objects.get(code="temirtau"),
        assembly=assembly,
        starts_on=dt.date(2019, 2, 16),
    )
    expulsion = IncidentFactory(
        confidentiality=PUBLIC, kind="expulsion_of_monitors", starts_on=dt.date(2019, 6, 9)
    )
    client = api_client_for(partner)
    assert _ids(client, "incidents", place="karaganda-region") == [str(shutdown.uid)]
    assert _ids(client, "incidents", assembly=str(assembly.uid)) == [str(shutdown.uid)]
    assert _ids(client, "incidents", kind="expulsion_of_monitors") == [str(expulsion.uid)]
    assert _ids(client, "incidents", starts_from="2019-06-01") == [str(expulsion.uid)]
    hidden = AssemblyFactory(confidentiality=Confidentiality.INTERNAL)
    response = client.get("/api/v1/incidents/", {"assembly": str(hidden.uid)})
    assert response.status_code == 400  # an assembly the key may not see is unknown to it
    assert list(response.json()) == ["assembly"]


def test_source_file_only_when_public(partner, api_client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    public = SourceFactory(confidentiality=PUBLIC)
    shared = SourceFactory(confidentiality=Confidentiality.PARTNERS)
    for source in (public, shared):
        source.file.save("statement.txt", ContentFile(b"court statement"), save=False)
        source_fingerprint(source=source)
        source.save()
    client = api_client_for(partner)
    public_row = client.get(f"/api/v1/sources/{public.uid}/").json()
    shared_row = client.get(f"/api/v1/sources/{shared.uid}/").json()
    assert public_row["file"] == f"http://testserver/files/sources/{public.uid}/file/"
    assert shared_row["file"] is None
    assert shared_row["sha256"] == public_row["sha256"] == public.sha256 != ""
    assert "notes" not in shared_row


def test_source_filters(partner, api_client_for):
    video = SourceFactory(confidentiality=PUBLIC, kind="video", published_on=dt.date(2019, 2, 27))
    SourceFactory(
        confidentiality=PUBLIC, kind="media", published_on=dt.date(2019, 1, 1), reliability="doubtful"
    )
    client = api_client_for(partner)
    assert _ids(client, "sources", kind="video") == [str(video.uid)]
    assert _ids(client, "sources", published_from="2019-02-01") == [str(video.uid)]
    assert len(_ids(client, "sources", reliability="doubtful")) == 1


# --- Assembly writes ---------------------------------------------------------------------------------------


def _payload(**extra):
    return {
        "title": "Test rally on the square",
        "starts_at": "2019-02-27T11:00:00+06:00",
        "place": str(Place.objects.get(code="almaty").uid),
        "causes": ["political"],
        "participants_low": 50,
        "participants_high": 100,
        "confidentiality": "partners",
        **extra,
    }


def test_monitor_creates_an_assembly(monitor, api_client_for):
    source = SourceFactory(confidentiality=Confidentiality.INTERNAL)
    response = api_client_for(monitor, "write").post(
        "/api/v1/assemblies/", _payload(sources=[str(source.uid)]), format="json"
    )
    assert response.status_code == 201, response.content
    assembly = Assembly.objects.get(uid=response.json()["id"])
    assert assembly.title == "Test rally on the square"
    assert assembly.created_by == monitor
    assert list(assembly.causes.values_list("code", flat=True)) == ["political"]
    assert list(assembly.sources.all()) == [source]
    assert response.json()["sources"] == [str(source.uid)]
    assert AuditEntry.objects.filter(action="kuzet.assembly.created", object_uid=assembly.uid).exists()


def test_model_validation_is_applied_as_in_the_admin(monitor, api_client_for):
    client = api_client_for(monitor, "write")
    response = client.post(
        "/api/v1/assemblies/", _payload(participants_low=500, participants_high=10), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Constraint “assembly_participants_range” is violated."]}
    response = client.post(
        "/api/v1/assemblies/", _payload(ends_at="2019-02-26T10:00:00+06:00"), format="json"
    )
    assert response.status_code == 400
    assert not Assembly.objects.filter(title="Test rally on the square").exists()


def test_update_keeps_links_the_editor_cannot_see(monitor, other_monitor, session_client_for):
    assembly = AssemblyFactory(confidentiality=PUBLIC, title="Old title")
    restricted = SourceFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    visible = SourceFactory(confidentiality=PUBLIC)
    assembly.sources.add(restricted)
    response = session_client_for(monitor).patch(
        f"/api/v1/assemblies/{assembly.uid}/",
        {"title": "New title", "sources": [str(visible.uid)]},
        format="json",
        HTTP_IF_MATCH=f'"{assembly.lock_version}"',
    )
    assert response.status_code == 200, response.content
    assembly.refresh_from_db()
    assert assembly.title == "New title"
    assert set(assembly.sources.all()) == {restricted, visible}
    assert response.json()["sources"] == [str(visible.uid)]


def test_cannot_link_a_source_one_may_not_see(monitor, other_monitor, api_client_for):
    restricted = SourceFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    response = api_client_for(monitor, "write").post(
        "/api/v1/assemblies/", _payload(sources=[str(restricted.uid)]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["sources"]


def test_partner_and_read_key_may_not_write(partner, lawyer, api_client_for):
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    for client in (api_client_for(partner), api_client_for(lawyer, "read")):
        assert client.post("/api/v1/assemblies/", _payload(), format="json").status_code == 403
        response = client.patch(f"/api/v1/assemblies/{assembly.uid}/", {"title": "X"}, format="json")
        assert response.status_code == 403
    assembly.refresh_from_db()
    assert assembly.title != "X"


def test_wrong_methods(monitor, api_client_for):
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    incident = IncidentFactory(confidentiality=PUBLIC)
    client = api_client_for(monitor, "write")
    assert client.delete(f"/api/v1/assemblies/{assembly.uid}/").status_code == 405
    assert client.put(f"/api/v1/assemblies/{assembly.uid}/", _payload(), format="json").status_code == 405
    assert client.post("/api/v1/incidents/", {"title": "x"}, format="json").status_code == 405
    assert (
        client.patch(f"/api/v1/incidents/{incident.uid}/", {"title": "x"}, format="json").status_code == 405
    )
    assert client.post("/api/v1/places/", {"code": "x"}, format="json").status_code in (403, 405)


def test_any_iso_offset_is_accepted_on_write(monitor, api_client_for):
    # +19:12 is valid ISO 8601 but beyond what PostgreSQL accepts: the value is stored as the same instant.
    response = api_client_for(monitor, "write").post(
        "/api/v1/assemblies/", _payload(starts_at="2019-02-28T01:12:00+19:12"), format="json"
    )
    assert response.status_code == 201, response.content
    assert Assembly.objects.get(uid=response.json()["id"]).starts_at == dt.datetime(
        2019, 2, 27, 6, tzinfo=dt.UTC
    )

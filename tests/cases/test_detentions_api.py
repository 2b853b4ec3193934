"""/api/v1/detentions/: representation, filters and writes."""

import datetime as dt

import pytest

from cases.models import Detention, LegalArticle, Treatment
from core.models import AuditEntry, Confidentiality
from events.models import Place
from people.models import GroupTag, Person
from tests.cases.factories import ChargeFactory, DetentionFactory, LegalCaseFactory, SentenceFactory
from tests.events.factories import AssemblyFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC = Confidentiality.PUBLIC


def _person(**fields):
    return PersonFactory(confidentiality=PUBLIC, **fields)


def _detention(**fields):
    fields.setdefault("person", _person())
    return DetentionFactory(confidentiality=PUBLIC, **fields)


def _ids(client, **params):
    response = client.get("/api/v1/detentions/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_detention_names_the_person_by_uid_only(partner, api_client_for):
    person = _person(full_name="Testov Berik")
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    source, hidden = SourceFactory(confidentiality=PUBLIC), SourceFactory()
    detention = _detention(
        person=person,
        assembly=assembly,
        place=Place.objects.get(code="almaty"),
        detained_at=dt.datetime(2019, 2, 27, 6, 30, tzinfo=dt.UTC),
        detained_at_precision="day",
        detained_at_certainty="approximate",
    )
    detention.treatment.add(Treatment.objects.get(code="phone-seized"))
    detention.sources.add(source, hidden)
    client = api_client_for(partner)
    row = client.get(f"/api/v1/detentions/{detention.uid}/").json()
    assert row["person"] == str(person.uid)
    assert row["assembly"] == str(assembly.uid)
    assert row["place_name"] == "Almaty"
    assert row["detained_at_edtf"] == "2019-02-27~"
    assert row["treatment"] == ["phone-seized"]
    assert row["sources"] == [str(source.uid)]
    assert "Testov" not in str(row)
    # A consent given later changes the person's representation, never the detention's.
    ConsentRecordFactory(person=person)
    again = client.get(f"/api/v1/detentions/{detention.uid}/").json()
    assert {k: v for k, v in again.items() if k != "updated_at"} == {
        k: v for k, v in row.items() if k != "updated_at"
    }


def test_detentions_of_a_person_without_consent_still_list_and_count(partner, api_client_for):
    person = _person()
    _detention(person=person)
    _detention(person=person)
    assert len(_ids(api_client_for(partner), person=str(person.uid))) == 2


# --- Filters -----------------------------------------------------------------------------------------------


def test_date_range(partner, api_client_for):
    early = _detention(detained_at=dt.datetime(2019, 2, 27, 6, tzinfo=dt.UTC))
    late = _detention(detained_at=dt.datetime(2019, 6, 9, 6, tzinfo=dt.UTC))
    client = api_client_for(partner)
    assert _ids(client, detained_from="2019-06-01") == [str(late.uid)]
    assert _ids(client, detained_to="2019-02-27") == [str(early.uid)]
    assert _ids(client, detained_from="2019-02-28", detained_to="2019-06-08") == []


def test_date_range_uses_the_local_day(partner, api_client_for):
    # 21:00 UTC on 26 February is 03:00 on the 27th in Almaty.
    night = _detention(detained_at=dt.datetime(2019, 2, 26, 21, tzinfo=dt.UTC))
    assert _ids(api_client_for(partner), detained_from="2019-02-27", detained_to="2019-02-27") == [
        str(night.uid)
    ]


def test_place_region_includes_cities_and_assembly_place(partner, api_client_for):
    region = Place.objects.get(code="karaganda-region")
    district = PlaceFactory(code="test-district", kind="district", parent=Place.objects.get(code="temirtau"))
    in_city = _detention(place=Place.objects.get(code="karaganda"))
    in_district = _detention(place=district)
    at_assembly = _detention(
        assembly=AssemblyFactory(confidentiality=PUBLIC, place=Place.objects.get(code="balkhash"))
    )
    _detention(place=Place.objects.get(code="almaty"))
    client = api_client_for(partner)
    expected = {str(in_city.uid), str(in_district.uid), str(at_assembly.uid)}
    assert set(_ids(client, place=str(region.uid))) == expected
    assert set(_ids(client, place="karaganda-region")) == expected
    assert _ids(client, place="temirtau") == [str(in_district.uid)]


def test_assembly_person_status_outcome_group_treatment(partner, api_client_for):
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    journalist = _person()
    journalist.groups.add(GroupTag.objects.get(code="journalist"))
    first = _detention(assembly=assembly, procedural_status="witness_protected", outcome="fined")
    second = _detention(person=journalist, procedural_status="suspect", authority="national_security")
    second.treatment.add(Treatment.objects.get(code="beaten"))
    client = api_client_for(partner)
    assert _ids(client, assembly=str(assembly.uid)) == [str(first.uid)]
    assert _ids(client, person=str(journalist.uid)) == [str(second.uid)]
    assert _ids(client, procedural_status="witness_protected") == [str(first.uid)]
    assert _ids(client, outcome="fined") == [str(first.uid)]
    assert _ids(client, authority="national_security") == [str(second.uid)]
    assert _ids(client, group="journalist") == [str(second.uid)]
    assert _ids(client, treatment="beaten") == [str(second.uid)]


def test_article_and_sentence_kind_through_visible_cases(partner, api_client_for):
    charged = _detention()
    through_hidden_case = _detention()
    article = LegalArticle.objects.get(code="cc-405-2")
    for detention, level in ((charged, PUBLIC), (through_hidden_case, Confidentiality.INTERNAL)):
        legal_case = LegalCaseFactory(person=detention.person, confidentiality=level)
        legal_case.detentions.add(detention)
        ChargeFactory(legal_case=legal_case, article=article)
        SentenceFactory(legal_case=legal_case, kind="restriction_of_liberty")
    client = api_client_for(partner)
    assert _ids(client, article="cc-405-2") == [str(charged.uid)]
    assert _ids(client, article=str(article.uid)) == [str(charged.uid)]
    assert _ids(client, sentence_kind="restriction_of_liberty") == [str(charged.uid)]
    assert _ids(client, sentence_kind="fine") == []


def test_bad_values_name_the_parameter(partner, api_client_for):
    hidden_person = PersonFactory(confidentiality=Confidentiality.INTERNAL)
    client = api_client_for(partner)
    for param, value in (
        ("detained_from", "27/02/2019"),
        ("place", "atlantis"),
        ("person", "not-a-uid"),
        ("person", str(hidden_person.uid)),  # invisible is unknown
        ("procedural_status", "hero"),
        ("article", "cc-999"),
    ):
        response = client.get("/api/v1/detentions/", {param: value})
        assert response.status_code == 400, (param, value)
        assert list(response.json()) == [param]


# --- Writes ------------------------------------------------------------------------------------------------


def _payload(**extra):
    return {"detained_at": "2019-02-27T12:00:00+06:00", "held_at": "Almaly district police", **extra}


def test_monitor_records_a_detention_of_a_known_person(monitor, api_client_for):
    person = _person()
    assembly = AssemblyFactory(confidentiality=PUBLIC)
    response = api_client_for(monitor, "write").post(
        "/api/v1/detentions/",
        _payload(person=str(person.uid), assembly=str(assembly.uid), treatment=["beaten", "phone-seized"]),
        format="json",
    )
    assert response.status_code == 201, response.content
    detention = Detention.objects.get(uid=response.json()["id"])
    assert (detention.person, detention.assembly, detention.created_by) == (person, assembly, monitor)
    assert set(detention.treatment.values_list("code", flat=True)) == {"beaten", "phone-seized"}
    assert AuditEntry.objects.filter(action="kuzet.detention.created", object_uid=detention.uid).exists()


def test_monitor_records_a_detention_of_a_new_person(monitor, api_client_for):
    response = api_client_for(monitor, "write").post(
        "/api/v1/detentions/", _payload(new_person_name="Testova Madina"), format="json"
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(uid=response.json()["person"])
    assert person.full_name == "Testova Madina"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "person"),
        ({"new_person_name": "Testova Madina", "person": "PERSON"}, "new_person_name"),
        ({"person": "PERSON", "released_at": "2019-02-26T12:00:00+06:00"}, "non_field_errors"),
        ({"person": "PERSON", "procedural_status": "hero"}, "procedural_status"),
        ({"person": "PERSON", "treatment": ["levitated"]}, "treatment"),
    ],
)
def test_invalid_detention_is_400_and_writes_nothing(monitor, api_client_for, extra, field):
    person = _person()
    extra = {k: (str(person.uid) if v == "PERSON" else v) for k, v in extra.items()}
    before = (Detention.objects.count(), Person.objects.count())
    response = api_client_for(monitor, "write").post("/api/v1/detentions/", _payload(**extra), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert (Detention.objects.count(), Person.objects.count()) == before


def test_cannot_record_a_detention_of_a_person_one_may_not_see(monitor, other_monitor, api_client_for):
    hidden = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    response = api_client_for(monitor, "write").post(
        "/api/v1/detentions/", _payload(person=str(hidden.uid)), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["person"]


def test_update_a_detention(lawyer, session_client_for):
    detention = _detention(outcome="unknown")
    response = session_client_for(lawyer).patch(
        f"/api/v1/detentions/{detention.uid}/",
        {"outcome": "admin_arrest", "released_at": "2019-03-05T10:00:00+06:00", "treatment": ["no-lawyer"]},
        format="json",
        HTTP_IF_MATCH=f'"{detention.lock_version}"',
    )
    assert response.status_code == 200, response.content
    detention.refresh_from_db()
    assert detention.outcome == "admin_arrest"
    assert detention.released_at == dt.datetime(2019, 3, 5, 4, tzinfo=dt.UTC)
    assert list(detention.treatment.values_list("code", flat=True)) == ["no-lawyer"]
    assert response.json()["outcome"] == "admin_arrest"


def test_update_refuses_a_release_before_the_detention(lawyer, api_client_for):
    detention = _detention()
    response = api_client_for(lawyer, "write").patch(
        f"/api/v1/detentions/{detention.uid}/",
        {"released_at": "2019-01-01T10:00:00+06:00", "lock_version": detention.lock_version},
        format="json",
    )
    assert response.status_code == 400
    detention.refresh_from_db()
    assert detention.released_at is None


def test_new_person_name_only_on_create(lawyer, api_client_for):
    detention = _detention()
    response = api_client_for(lawyer, "write").patch(
        f"/api/v1/detentions/{detention.uid}/", {"new_person_name": "Testov X"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["new_person_name"]


def test_partner_read_key_and_invisible(partner, lawyer, monitor, other_monitor, api_client_for):
    detention = _detention()
    for client in (api_client_for(partner), api_client_for(lawyer, "read")):
        assert (
            client.post(
                "/api/v1/detentions/", _payload(person=str(detention.person.uid)), format="json"
            ).status_code
            == 403
        )
        assert (
            client.patch(f"/api/v1/detentions/{detention.uid}/", {"notes": "x"}, format="json").status_code
            == 403
        )
    hidden = DetentionFactory(
        person=_person(), confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    response = api_client_for(monitor, "write").patch(
        f"/api/v1/detentions/{hidden.uid}/", {"notes": "x"}, format="json"
    )
    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.notes == ""


def test_wrong_methods(lawyer, api_client_for):
    detention = _detention()
    client = api_client_for(lawyer, "write")
    assert client.put(f"/api/v1/detentions/{detention.uid}/", _payload(), format="json").status_code == 405
    assert client.delete(f"/api/v1/detentions/{detention.uid}/").status_code == 405
    assert client.patch("/api/v1/detentions/", {}, format="json").status_code == 405


def test_a_date_time_whose_local_offset_has_seconds_is_written_in_utc(partner, api_client_for):
    # Before 1924 Almaty kept local mean time (+05:07:48), which RFC 3339 cannot write.
    old = _detention(detained_at=dt.datetime(1916, 7, 17, 6, 0, tzinfo=dt.UTC))
    recent = _detention(detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC))
    client = api_client_for(partner)
    old_row = client.get(f"/api/v1/detentions/{old.uid}/").json()
    assert old_row["detained_at"] == "1916-07-17T06:00:00Z"
    assert old_row["detained_at_edtf"] == "1916-07-17T06:00+00:00"
    assert (
        client.get(f"/api/v1/detentions/{recent.uid}/").json()["detained_at"] == "2019-02-27T12:00:00+06:00"
    )

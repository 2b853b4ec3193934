"""/api/v1/people/: representation and consent redaction, filters, search, and writes."""

import datetime as dt

import pytest

from core.models import AuditEntry, Confidentiality
from events.models import Place
from people.models import GroupTag, Person
from tests.events.factories import PlaceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

PARTNERS = Confidentiality.PARTNERS
IDENTITY = ("full_name", "names", "birth_date", "birth_date_edtf", "occupation", "notes", "contact_details")


@pytest.fixture
def almaty_region():
    region = Place.objects.get(code="almaty-region")
    return region


def _rows(client, **params):
    response = client.get("/api/v1/people/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _person(**fields):
    defaults = {
        "full_name": "Testov Arman",
        "confidentiality": PARTNERS,
        "birth_date": dt.date(1980, 1, 1),
        "birth_date_precision": "year",
        "birth_date_certainty": "approximate",
        "occupation": "engineer",
        "notes": "met at the court",
        "contact_details": "+7 700 000 0000",
    }
    return PersonFactory(**{**defaults, **fields})


# --- Representation and redaction -------------------------------------------------------------------------


def test_partner_sees_a_consenting_person_in_full_except_contacts(partner, api_client_for):
    person = _person(aliases=["Тестов Арман"])
    person.groups.add(GroupTag.objects.get(code="journalist"))
    ConsentRecordFactory(person=person)
    row = api_client_for(partner).get(f"/api/v1/people/{person.uid}/").json()
    assert row["id"] == str(person.uid)
    assert row["url"].endswith(f"/api/v1/people/{person.uid}/")
    assert row["name"] == row["full_name"] == "Testov Arman"
    assert row["identity_disclosed"] is True
    assert {n["text"] for n in row["names"]} == {"Testov Arman", "Тестов Арман"}
    assert row["birth_date_edtf"] == "1980~"
    assert row["groups"] == ["journalist"]
    assert row["notes"] == "met at the court"
    assert row["contact_details"] is None  # never to partners


def test_partner_sees_a_person_without_consent_as_a_pseudonym(partner, api_client_for):
    person = _person()
    person.groups.add(GroupTag.objects.get(code="journalist"))
    row = api_client_for(partner).get(f"/api/v1/people/{person.uid}/").json()
    assert row["name"] == f"Person K-{person.pk:05d}"
    assert row["identity_disclosed"] is False
    for key in IDENTITY:
        assert key in row
        assert row[key] is None, key
    assert row["groups"] == ["journalist"]  # still counted by group


def test_withdrawn_consent_hides_the_identity_again(partner, api_client_for):
    person = _person()
    consent = ConsentRecordFactory(person=person, given_on=dt.date(2020, 1, 1))
    client = api_client_for(partner)
    assert client.get(f"/api/v1/people/{person.uid}/").json()["name"] == "Testov Arman"
    consent.withdrawn_on = dt.date(2021, 1, 1)
    consent.save()
    assert client.get(f"/api/v1/people/{person.uid}/").json()["name"] == f"Person K-{person.pk:05d}"


def test_consent_for_initials_only(partner, api_client_for):
    person = _person(full_name="Testova Dana")
    ConsentRecordFactory(person=person, full_name_allowed=False)
    row = api_client_for(partner).get(f"/api/v1/people/{person.uid}/").json()
    assert row["name"] == "T. D."
    assert row["full_name"] is None
    assert row["names"] is None


def test_staff_see_everything(lawyer, api_client_for):
    person = _person()
    row = api_client_for(lawyer).get(f"/api/v1/people/{person.uid}/").json()
    assert row["name"] == "Testov Arman"
    assert row["contact_details"] == "+7 700 000 0000"
    assert row["identity_disclosed"] is True


def test_csv_has_the_same_columns_with_and_without_consent(partner, api_client_for):
    ConsentRecordFactory(person=_person(full_name="Testov Consented"))
    _person(full_name="Testov Hidden")
    response = api_client_for(partner).get("/api/v1/people/", {"format": "csv"})
    text = response.content.decode()
    assert "Testov Consented" in text
    assert "Testov Hidden" not in text
    header = text.splitlines()[0].split(",")
    assert {"name", "full_name", "identity_disclosed", "contact_details"} <= set(header)


# --- Filters and search ------------------------------------------------------------------------------------


def test_place_filter_includes_the_cities_of_a_region(partner, api_client_for, almaty_region):
    city = PlaceFactory(code="test-town", kind="city", parent=almaty_region)
    district = PlaceFactory(code="test-town-district", kind="district", parent=city)
    in_region = _person(full_name="Testov Region", home_place=almaty_region)
    in_city = _person(full_name="Testov City", home_place=city)
    in_district = _person(full_name="Testov District", home_place=district)
    _person(full_name="Testov Elsewhere", home_place=Place.objects.get(code="astana"))
    client = api_client_for(partner)
    by_region = {r["id"] for r in _rows(client, place=str(almaty_region.uid))}
    assert by_region == {str(in_region.uid), str(in_city.uid), str(in_district.uid)}
    assert {r["id"] for r in _rows(client, place="test-town")} == {str(in_city.uid), str(in_district.uid)}


def test_group_and_gender_filters(partner, api_client_for):
    journalist = _person(gender="female")
    journalist.groups.add(GroupTag.objects.get(code="journalist"))
    _person(gender="male")
    client = api_client_for(partner)
    assert [r["id"] for r in _rows(client, group="journalist")] == [str(journalist.uid)]
    assert [r["id"] for r in _rows(client, gender="female")] == [str(journalist.uid)]


def test_bad_filter_values_name_the_parameter(partner, api_client_for):
    response = api_client_for(partner).get(
        "/api/v1/people/", {"place": "atlantis", "group": "x", "gender": "y"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"place", "group", "gender"}


def test_search_finds_across_scripts_best_first(lawyer, api_client_for):
    near = PersonFactory(full_name="Zhumagulovich Serik Testov")
    cyrillic = PersonFactory(full_name="Жумагулов Болат")
    PersonFactory(full_name="Abishev Erlan")
    client = api_client_for(lawyer)
    assert [r["id"] for r in _rows(client, search="Zhumagulov")] == [str(cyrillic.uid), str(near.uid)]
    latin = PersonFactory(full_name="Zhumagulov Bolat")
    assert [r["id"] for r in _rows(client, search="Жумагулов Болат")] == [str(cyrillic.uid), str(latin.uid)]


def test_search_by_partner_finds_only_people_whose_name_may_be_shown(partner, api_client_for):
    shown = PersonFactory(full_name="Zhumagulov Bolat", confidentiality=PARTNERS)
    ConsentRecordFactory(person=shown)
    PersonFactory(full_name="Zhumagulov Nurlan", confidentiality=PARTNERS)  # no consent
    initials = PersonFactory(full_name="Zhumagulov Daniyar", confidentiality=PARTNERS)
    ConsentRecordFactory(person=initials, full_name_allowed=False)
    rows = _rows(api_client_for(partner), search="Жумагулов")
    assert [r["id"] for r in rows] == [str(shown.uid)]


def test_search_pages_are_stable_across_ranks(lawyer, api_client_for):
    """More matches than a page, two ranks: every match exactly once, exact ones first, each rank by id."""
    partial = [PersonFactory(full_name=f"Zhumagulovich Test{i}") for i in range(7)]
    exact = [PersonFactory(full_name=f"Zhumagulov Test{i}") for i in range(5)]
    client = api_client_for(lawyer)
    seen, url = [], "/api/v1/people/?search=Zhumagulov&page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == [str(p.uid) for p in exact] + [str(p.uid) for p in partial]


def test_search_without_letters_matches_nobody(lawyer, api_client_for):
    PersonFactory()
    assert _rows(api_client_for(lawyer), search="123") == []


# --- Writes ------------------------------------------------------------------------------------------------


def test_staff_key_with_write_scope_creates_a_person(monitor, api_client_for):
    response = api_client_for(monitor, "write").post(
        "/api/v1/people/",
        {
            "full_name": "Testova  Aliya",
            "aliases": ["Тестова Алия"],
            "groups": ["journalist"],
            "home_place": str(Place.objects.get(code="astana").uid),
            "birth_date": "1975-01-01",
            "birth_date_precision": "year",
            "confidentiality": "partners",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(uid=response.json()["id"])
    assert person.full_name == "Testova Aliya"
    assert person.created_by == monitor
    assert set(person.names.values_list("text", flat=True)) == {"Testova Aliya", "Тестова Алия"}
    assert list(person.groups.values_list("code", flat=True)) == ["journalist"]
    assert "testova" in person.search_key
    assert response.json()["name"] == "Testova Aliya"
    assert AuditEntry.objects.filter(action="kuzet.person.created", object_uid=person.uid).exists()


def test_session_staff_update_a_person(lawyer, session_client_for):
    person = _person(confidentiality=Confidentiality.INTERNAL)
    response = session_client_for(lawyer).patch(
        f"/api/v1/people/{person.uid}/",
        {"full_name": "Testov Arman Serikuly", "aliases": ["Тестов Арман"], "occupation": "teacher"},
        format="json",
        HTTP_IF_MATCH=f'"{person.lock_version}"',
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.full_name == "Testov Arman Serikuly"
    assert person.occupation == "teacher"
    assert person.notes == "met at the court"  # untouched
    names = set(person.names.filter(is_deleted=False).values_list("text", flat=True))
    assert {"Testov Arman", "Testov Arman Serikuly", "Тестов Арман"} <= names
    assert response.json()["occupation"] == "teacher"


def test_invalid_data_is_400_and_writes_nothing(monitor, api_client_for):
    person = _person()
    client = api_client_for(monitor, "write")
    before = Person.objects.count()
    response = client.post("/api/v1/people/", {"full_name": "Ok", "gender": "dragon"}, format="json")
    assert response.status_code == 400
    assert "gender" in response.json()
    response = client.post("/api/v1/people/", {"full_name": "   "}, format="json")
    assert response.status_code == 400
    assert "full_name" in response.json()
    assert Person.objects.count() == before
    response = client.patch(f"/api/v1/people/{person.uid}/", {"home_place": "not-a-uid"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["home_place"]


def test_partner_may_not_write(partner, api_client_for):
    person = _person()
    client = api_client_for(partner)
    assert client.post("/api/v1/people/", {"full_name": "Testov New"}, format="json").status_code == 403
    assert client.patch(f"/api/v1/people/{person.uid}/", {"notes": "x"}, format="json").status_code == 403
    person.refresh_from_db()
    assert person.notes == "met at the court"


def test_read_scope_staff_key_may_not_write(lawyer, api_client_for):
    person = _person()
    client = api_client_for(lawyer, "read")
    assert client.post("/api/v1/people/", {"full_name": "Testov New"}, format="json").status_code == 403
    assert client.patch(f"/api/v1/people/{person.uid}/", {"notes": "x"}, format="json").status_code == 403


def test_staff_cannot_update_a_person_they_may_not_see(monitor, other_monitor, api_client_for):
    hidden = _person(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    response = api_client_for(monitor, "write").patch(
        f"/api/v1/people/{hidden.uid}/", {"notes": "x"}, format="json"
    )
    assert response.status_code == 404


def test_put_and_delete_are_not_allowed(lawyer, api_client_for):
    person = _person()
    client = api_client_for(lawyer, "write")
    assert client.put(f"/api/v1/people/{person.uid}/", {"full_name": "X"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/people/{person.uid}/").status_code == 405
    assert Person.objects.filter(pk=person.pk, is_deleted=False).exists()

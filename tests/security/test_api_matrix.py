"""The permission matrix through /api/v1/: every role × every endpoint × list / detail / create / patch /
delete, with the exact status each answers, written out (not computed from core/roles.py).

Staff write with a key of the `write` scope (a session works the same; its CSRF rule is in test_csrf.py),
the partner with its read key. The record is at `partners` level so that every role that may read it sees
it; who sees which level is tests/core/test_api_visibility_matrix.py's subject, guessing hidden ids is
test_idor.py's. A refused write leaves the database as it was; an allowed one changed it."""

import pytest

from cases.models import Detention, LegalArticle, LegalCase
from core.models import Confidentiality
from events.models import Assembly, Incident, Place, Source
from people.models import Person
from tests.cases.factories import DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

ACTIONS = ("list", "detail", "create", "patch", "delete")

# endpoint: {role: (list, detail, create, patch, delete)}. Anonymous: 401. A partner reads, never writes.
# Staff write what their role may add and change in the admin; DELETE is not offered (405) to a role that
# may delete in the admin, and refused (403) to one that may not — deleting is the admin's soft delete.
_CASE_RECORD = {
    "anonymous": (401, 401, 401, 401, 401),
    "partner": (200, 200, 403, 403, 403),
    "monitor": (200, 200, 201, 200, 405),
    "lawyer": (200, 200, 201, 200, 405),
    "analyst": (200, 200, 403, 403, 403),
    "administrator": (200, 200, 201, 200, 405),
}
_READ_ONLY_RECORD = {  # incidents and sources: written in the admin only
    "anonymous": (401, 401, 401, 401, 401),
    "partner": (200, 200, 403, 403, 403),
    "monitor": (200, 200, 405, 405, 405),
    "lawyer": (200, 200, 405, 405, 405),
    "analyst": (200, 200, 403, 403, 403),
    "administrator": (200, 200, 405, 405, 405),
}
_REFERENCE = {  # places and legal articles: administrators edit them in the admin
    "anonymous": (401, 401, 401, 401, 401),
    "partner": (200, 200, 403, 403, 403),
    "monitor": (200, 200, 403, 403, 403),
    "lawyer": (200, 200, 403, 403, 403),
    "analyst": (200, 200, 403, 403, 403),
    "administrator": (200, 200, 405, 405, 405),
}
EXPECTED = {
    "people": _CASE_RECORD,
    "assemblies": _CASE_RECORD,
    "detentions": _CASE_RECORD,
    "legal-cases": {**_CASE_RECORD, "monitor": (200, 200, 403, 403, 403)},  # monitors read cases
    "incidents": _READ_ONLY_RECORD,
    "sources": _READ_ONLY_RECORD,
    "places": _REFERENCE,
    "legal-articles": _REFERENCE,
}

PARTNERS = {"confidentiality": Confidentiality.PARTNERS}


def _person(**fields):
    person = PersonFactory(**{**PARTNERS, **fields})
    ConsentRecordFactory(person=person)
    return person


# endpoint: (model, the record, a create payload, a PATCH change (field, value))
def _setup(endpoint: str):
    match endpoint:
        case "people":
            return Person, _person(), {"full_name": "Apiova Dana"}, ("full_name", "Apiova Changed")
        case "assemblies":
            place = str(Place.objects.get(code="almaty").uid)
            payload = {"title": "Api rally", "starts_at": "2019-02-27T11:00:00+06:00", "place": place}
            return Assembly, AssemblyFactory(**PARTNERS), payload, ("title", "Changed rally")
        case "detentions":
            payload = {"new_person_name": "Apiov Nurlan", "detained_at": "2019-02-27T12:00:00+06:00"}
            record = DetentionFactory(person=_person(), **PARTNERS)
            return Detention, record, payload, ("notes", "changed notes")
        case "legal-cases":
            record = LegalCaseFactory(person=_person(), **PARTNERS)
            payload = {"person": str(_person().uid), "kind": "criminal", "number": "API-1"}
            return LegalCase, record, payload, ("number", "API-CHANGED")
        case "incidents":
            return Incident, IncidentFactory(**PARTNERS), {"title": "x"}, ("title", "Changed")
        case "sources":
            return Source, SourceFactory(**PARTNERS), {"title": "x"}, ("title", "Changed")
        case "places":
            return Place, Place.objects.get(code="almaty"), {"code": "x"}, ("name_en", "Changed")
        case "legal-articles":
            return LegalArticle, LegalArticle.objects.first(), {"code": "x"}, ("name_en", "Changed")
    raise AssertionError(endpoint)


@pytest.fixture
def api_as(request, api_client_for):
    """A DRF client for the role: no credentials for anonymous, the partner's read key, a staff member's
    write key."""
    from rest_framework.test import APIClient

    def make(role: str):
        if role == "anonymous":
            return APIClient()
        return api_client_for(request.getfixturevalue(role), "read" if role == "partner" else "write")

    return make


def test_every_api_endpoint_is_in_the_matrix():
    from cases.api_urls import router

    assert {prefix for prefix, _viewset, _basename in router.registry} == set(EXPECTED)


@pytest.mark.parametrize(("endpoint", "role"), [(e, r) for e in EXPECTED for r in ROLES])
def test_api_list_detail_create_patch_delete(endpoint, role, api_as):
    expected = dict(zip(ACTIONS, EXPECTED[endpoint][role], strict=True))
    model, record, payload, (field, value) = _setup(endpoint)
    client = api_as(role)
    base = f"/api/v1/{endpoint}/"
    detail = f"{base}{record.uid}/"
    count = model._base_manager.count()
    original = getattr(record, field)

    got = {
        "list": client.get(base).status_code,
        "detail": client.get(detail).status_code,
    }
    response = client.post(base, payload, format="json")
    got["create"] = response.status_code
    assert model._base_manager.count() == count + (1 if response.status_code == 201 else 0)
    record.refresh_from_db()
    version = getattr(record, "lock_version", 1)
    response = client.patch(detail, {field: value}, format="json", HTTP_IF_MATCH=f'"{version}"')
    got["patch"] = response.status_code
    record.refresh_from_db()
    assert getattr(record, field) == (value if response.status_code == 200 else original)
    got["delete"] = client.delete(detail).status_code
    record.refresh_from_db()

    assert got == expected
    assert not getattr(record, "is_deleted", False)
    for status_code in got.values():
        assert status_code != 500

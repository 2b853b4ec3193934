"""Who sees which record through /api/v1/: every persona × every endpoint × a record at each confidentiality
level, deleted or not. A record a persona may not see is absent from the list and its detail answers 404
(never 403: its existence is not confirmed); anonymous requests answer 401."""

import pytest

from cases.models import LegalArticle
from core.models import Confidentiality
from events.models import Place
from tests.cases.factories import DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _owner():
    """A public, consenting person: a detention's or case's own level then decides its visibility."""
    person = PersonFactory(confidentiality=Confidentiality.PUBLIC)
    ConsentRecordFactory(person=person)
    return person


RECORD_ENDPOINTS = {
    "people": PersonFactory,
    "assemblies": AssemblyFactory,
    "incidents": IncidentFactory,
    "sources": SourceFactory,
    "detentions": lambda **kw: DetentionFactory(person=_owner(), **kw),
    "legal-cases": lambda **kw: LegalCaseFactory(person=_owner(), **kw),
}

# level: (fields, creator persona or None, who sees it while live)
STAFF = {"monitor", "lawyer", "analyst", "administrator"}
LEVELS = {
    "public": ({"confidentiality": Confidentiality.PUBLIC}, None, STAFF | {"partner"}),
    "partners": ({"confidentiality": Confidentiality.PARTNERS}, None, STAFF | {"partner"}),
    "internal": ({"confidentiality": Confidentiality.INTERNAL}, None, STAFF),
    "restricted_by_monitor": (
        {"confidentiality": Confidentiality.RESTRICTED},
        "monitor",
        {"monitor", "administrator"},
    ),
    "restricted_by_other": (
        {"confidentiality": Confidentiality.RESTRICTED},
        "other_monitor",
        {"administrator"},
    ),
}

# persona, how it authenticates
PERSONAS = [
    ("partner", "key"),
    ("monitor", "session"),
    ("lawyer", "key"),
    ("analyst", "session"),
    ("administrator", "session"),
    ("administrator", "key"),
]


@pytest.fixture
def client_as(request, api_client_for, session_client_for):
    def make(persona: str, how: str):
        user = request.getfixturevalue(persona)
        return api_client_for(user) if how == "key" else session_client_for(user)

    return make


def _make_records(endpoint: str, request) -> dict[str, tuple]:
    """Every level, live and deleted: {uid: (level, deleted)}. The consent-less person is the 'partners'
    person without consent; another 'partners' person with consent shows that consent does not change
    who sees a record, only how it is named."""
    made = {}
    factory = RECORD_ENDPOINTS[endpoint]
    for level, (fields, creator, _seen_by) in LEVELS.items():
        for deleted in (False, True):
            extra = dict(fields, is_deleted=deleted)
            if creator:
                extra["created_by"] = request.getfixturevalue(creator)
            record = factory(**extra)
            made[str(record.uid)] = (level, deleted)
    if endpoint == "people":
        consenting = PersonFactory(confidentiality=Confidentiality.PARTNERS)
        ConsentRecordFactory(person=consenting)
        made[str(consenting.uid)] = ("partners", False)
    return made


def _visible(made: dict, persona: str) -> set[str]:
    return {uid for uid, (level, deleted) in made.items() if not deleted and persona in LEVELS[level][2]}


def _list_ids(client, endpoint: str) -> set[str]:
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 500})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", RECORD_ENDPOINTS)
@pytest.mark.parametrize(("persona", "how"), PERSONAS)
def test_list_and_detail_show_exactly_what_the_persona_may_see(endpoint, persona, how, client_as, request):
    made = _make_records(endpoint, request)
    client = client_as(persona, how)
    expected = _visible(made, persona)
    # Owners of detentions and cases are listed among people too; only the records made here are compared.
    assert _list_ids(client, endpoint) & set(made) == expected
    for uid, (level, deleted) in made.items():
        response = client.get(f"/api/v1/{endpoint}/{uid}/")
        want = 200 if uid in expected else 404
        assert response.status_code == want, (level, deleted, response.content)


def test_partner_sees_person_without_consent_only_under_the_pseudonym(partner, api_client_for):
    consenting = PersonFactory(confidentiality=Confidentiality.PARTNERS, full_name="Consentova Aigerim")
    ConsentRecordFactory(person=consenting)
    hidden = PersonFactory(confidentiality=Confidentiality.PARTNERS, full_name="Noconsentova Dana")
    response = api_client_for(partner).get("/api/v1/people/", {"page_size": 500})
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[str(consenting.uid)]["name"] == "Consentova Aigerim"
    assert rows[str(hidden.uid)]["name"] == f"Person K-{hidden.pk:05d}"
    assert rows[str(hidden.uid)]["full_name"] is None


@pytest.mark.parametrize("endpoint", [*RECORD_ENDPOINTS, "places", "legal-articles"])
def test_anonymous_gets_401_on_list_and_detail(endpoint, client):
    if endpoint in RECORD_ENDPOINTS:
        uid = RECORD_ENDPOINTS[endpoint](confidentiality=Confidentiality.PUBLIC).uid
    else:
        uid = (Place if endpoint == "places" else LegalArticle).objects.first().uid
    assert client.get(f"/api/v1/{endpoint}/").status_code == 401
    response = client.get(f"/api/v1/{endpoint}/{uid}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("endpoint", ["places", "legal-articles"])
@pytest.mark.parametrize(("persona", "how"), PERSONAS)
def test_reference_data_is_read_by_every_role(endpoint, persona, how, client_as):
    client = client_as(persona, how)
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 5})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert client.get(f"/api/v1/{endpoint}/{first['id']}/").status_code == 200


@pytest.mark.parametrize("endpoint", [*RECORD_ENDPOINTS, "places", "legal-articles"])
def test_user_without_a_role_sees_nothing(endpoint, outsider, api_client_for):
    # A key of an account with no role (e.g. a partner's role removed) is refused like no key at all.
    response = api_client_for(outsider).get(f"/api/v1/{endpoint}/")
    assert response.status_code == 403


@pytest.mark.parametrize("segment", ["not-a-uuid", "abc.", "%F0%B9%BC%8D."])
def test_malformed_uid_is_a_json_404(segment, partner, api_client_for):
    response = api_client_for(partner).get(f"/api/v1/people/{segment}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"

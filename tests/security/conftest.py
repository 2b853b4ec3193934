"""What the security tests share: a signed-in client per role, and one record of each kind made by someone
else (so no role sees it as its own), at `internal` — the level every staff role sees and partners do not."""

import pytest
from django.test import Client

from core.models import Confidentiality
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    HearingFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

# Every role the matrix covers. "partner" is the partner persona: an API key in the API, a signed-in
# non-staff user in the admin and the pages.
ROLES = ("anonymous", "partner", "monitor", "lawyer", "analyst", "administrator")


@pytest.fixture
def client_as(request):
    """`client_as(role)`: a test client signed in as the role's persona (anonymous: not signed in)."""

    def make(role: str, **client_kwargs) -> Client:
        client = Client(**client_kwargs)
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return make


@pytest.fixture
def records(other_monitor):
    """One live `internal` record of each case model, made by `other_monitor`, linked as in real use."""
    internal = {"confidentiality": Confidentiality.INTERNAL, "created_by": other_monitor}
    person = PersonFactory(full_name="Matrixova Aliya", aliases=["Matrixova A."], **internal)
    assembly = AssemblyFactory(title="Matrix rally", **internal)
    detention = DetentionFactory(person=person, assembly=assembly, notes="matrix notes", **internal)
    legal_case = LegalCaseFactory(person=person, number="MX-1", **internal)
    sentence = SentenceFactory(legal_case=legal_case)
    return {
        "person": person,
        "personname": person.names.first(),
        "consentrecord": ConsentRecordFactory(person=person),
        "assembly": assembly,
        "incident": IncidentFactory(title="Matrix shutdown", **internal),
        "source": SourceFactory(title="Matrix article", **internal),
        "detention": detention,
        "custodyperiod": CustodyPeriodFactory(detention=detention),
        "legalcase": legal_case,
        "charge": ChargeFactory(legal_case=legal_case),
        "sentence": sentence,
        "hearing": HearingFactory(legal_case=legal_case),
        "appeal": AppealFactory(legal_case=legal_case, sentence=sentence),
    }

"""schemathesis over the whole OpenAPI document, against the app in-process (WSGI): every operation, with a
staff key that may write and with a partner's key, answers no 5xx and only what the document says — its
status codes, content types, headers and response schemas.

Bounded in time: a few examples per operation and generation mode (`MAX_EXAMPLES`), no deadline, no
example database."""

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.models import Confidentiality
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _seed(user) -> dict[str, str]:
    """A few records at each level partners may see and one they may not, with what hangs off them; returns
    one visible record's uid per endpoint, for the detail operations."""
    region = PlaceFactory(code="test-region", name_en="Testregion", kind="region")
    city = PlaceFactory(code="test-city", name_en="Testcity", kind="city", parent=region)
    article = LegalArticleFactory()
    uids = {"places": city.uid, "legal-articles": article.uid}
    for level in (Confidentiality.PUBLIC, Confidentiality.PARTNERS, Confidentiality.INTERNAL):
        assembly = AssemblyFactory(place=city, confidentiality=level, created_by=user)
        incident = IncidentFactory(place=city, confidentiality=level, created_by=user)
        source = SourceFactory(confidentiality=level, created_by=user)
        consenting = PersonFactory(
            full_name="Testova Aigerim", aliases=["Тестова Айгерим"], confidentiality=level, created_by=user
        )
        ConsentRecordFactory(person=consenting, given_on=dt.date(2020, 1, 1))
        anonymous = PersonFactory(full_name="Testov Marat", confidentiality=level, created_by=user)
        for person in (consenting, anonymous):
            detention = DetentionFactory(
                person=person, assembly=assembly, place=city, confidentiality=level, created_by=user
            )
            CustodyPeriodFactory(detention=detention)
            legal_case = LegalCaseFactory(person=person, confidentiality=level, created_by=user)
            legal_case.detentions.add(detention)
            ChargeFactory(legal_case=legal_case, article=article)
            SentenceFactory(legal_case=legal_case, term_days=10, starts_on=dt.date(2019, 3, 1))
        if level == Confidentiality.PARTNERS:
            uids.update(
                {
                    "people": consenting.uid,
                    "assemblies": assembly.uid,
                    "incidents": incident.uid,
                    "detentions": detention.uid,
                    "legal-cases": legal_case.uid,
                    "sources": source.uid,
                }
            )
    return {endpoint: str(uid) for endpoint, uid in uids.items()}


@pytest.fixture
def api_keys(lawyer, partner, api_key_for) -> dict[str, str]:
    return {"staff": api_key_for(lawyer, "write"), "partner": api_key_for(partner)}


@pytest.fixture
def seeded(db, lawyer) -> dict[str, str]:
    return _seed(lawyer)


def _endpoint(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def _exercise(operation, mode: GenerationMode, *, keys: dict[str, str], seeded: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: a failure here is reproducible
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for key in keys.values():
            headers = {"Authorization": f"Bearer {key}"}
            # A savepoint per request: a database error in one (a 500) must not abort the test's transaction
            # and fail every request after it on PostgreSQL.
            with transaction.atomic():
                case.call_and_validate(headers=headers, checks=CHECKS)
            uid = seeded.get(_endpoint(operation.path))
            if case.path_parameters and uid and mode == GenerationMode.POSITIVE:
                # A random uid only ever meets a 404: read (or update) a record that exists too.
                known = operation.Case(
                    path_parameters=dict.fromkeys(case.path_parameters, uid),
                    query=case.query,
                    body=case.body,
                    media_type=case.media_type,
                )
                with transaction.atomic():
                    known.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.fixture
def _connection_kept_open():
    """Django closes the database connection when a request ends; the test's transaction needs it open, so
    the WSGI app is called as Django's test client calls it, without that."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_connection_kept_open")
def test_every_operation_answers_as_documented_for_staff_and_partners(settings, api_keys, seeded):
    """schemathesis' pytest plugin cannot load a schema from a fixture under pytest 9 (it rewrites a node
    attribute pytest no longer has), so this test draws each operation's cases from its strategies itself."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_THROTTLE_RATE = "100000/minute"  # hundreds of requests a minute, on purpose
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16  # every list and detail endpoint, the feed and the writes

    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _exercise(operation, mode, keys=api_keys, seeded=seeded)
            except (Exception, BaseExceptionGroup) as exc:  # gather every operation's failures, then report
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)

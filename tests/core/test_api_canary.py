"""A canary: a person released to partners without their consent, with a distinctive name in two scripts,
a birth date, contact details and notes. None of it may appear in any response body a partner can get —
any endpoint, list or detail, JSON, CSV or the browsable API, search and filters included — while the
person's detentions and cases still appear, naming them by uid and pseudonym only."""

import datetime as dt
import json
import re
from html import escape
from urllib.parse import quote, quote_plus

import pytest
from django.urls import Resolver404, resolve

from cases.models import LegalArticle
from core.models import Confidentiality
from tests.cases.factories import ChargeFactory, DetentionFactory, LegalCaseFactory, SentenceFactory
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canarytestova Zhuldyz"
CANARY_ALIAS = "Канарытестова Жулдыз"
CANARY_PHONE = "+7 701 555 0199"
CANARY_BIRTH = dt.date(1961, 7, 19)
# Every fragment that would identify her: the names in both scripts, their skeleton keys, the contact
# details, the birth date in the forms the API writes dates, and her free-text notes and occupation.
FORBIDDEN = [
    "canarytestova",
    "канарытестова",
    "canaritestova",
    "kanaritestova",
    "zhuldyz",
    "жулдыз",
    "juldiz",
    "701 555 0199",
    "1961-07-19",
    "1961-07",
    "secret-notes-marker",
    "secret-occupation-marker",
    "c. k.",  # not even her initials: the consent that would allow them was withdrawn
]
LISTS = [
    "people",
    "assemblies",
    "incidents",
    "detentions",
    "legal-cases",
    "places",
    "legal-articles",
    "sources",
]
FORMATS = ["json", "csv", "api"]


@pytest.fixture
def canary(monitor):
    person = PersonFactory(
        full_name=CANARY_NAME,
        aliases=[CANARY_ALIAS],
        confidentiality=Confidentiality.PARTNERS,
        birth_date=CANARY_BIRTH,
        birth_date_precision="day",
        contact_details=f"phone {CANARY_PHONE}",
        notes="secret-notes-marker",
        occupation="secret-occupation-marker",
    )
    # Consents that do not count: withdrawn, deleted, and one for another scope.
    ConsentRecordFactory(
        person=person, given_on=dt.date(2019, 1, 1), withdrawn_on=dt.date(2019, 6, 1), full_name_allowed=False
    )
    ConsentRecordFactory(person=person, given_on=dt.date(2019, 1, 1), is_deleted=True)
    ConsentRecordFactory(person=person, scope="un", given_on=dt.date(2019, 1, 1))
    assembly = AssemblyFactory(confidentiality=Confidentiality.PUBLIC)
    source = SourceFactory(confidentiality=Confidentiality.PUBLIC)
    detention = DetentionFactory(person=person, assembly=assembly, confidentiality=Confidentiality.PARTNERS)
    detention.sources.add(source)
    legal_case = LegalCaseFactory(person=person, confidentiality=Confidentiality.PUBLIC, number="2-405/19")
    legal_case.detentions.add(detention)
    ChargeFactory(legal_case=legal_case, article=LegalArticle.objects.get(code="cc-405-2"))
    SentenceFactory(legal_case=legal_case, starts_on=dt.date(2019, 6, 1), term_years=1)
    IncidentFactory(confidentiality=Confidentiality.PUBLIC, assembly=assembly)
    return person


def _urls_in(body: bytes) -> set[str]:
    """The API paths a JSON body links to (its `url`, `next` …), without their query."""
    found = re.findall(r"http://testserver(/api/v1/[^\s\"'<>,?]*)", body.decode())
    return set(found)


def _without(body: bytes, text: str) -> bytes:
    """`body` without `text` in the forms a response can echo it: as is, URL-encoded, JSON-escaped."""
    decoded = body.decode("utf-8", "replace")
    for form in {text, quote(text), quote_plus(text), json.dumps(text)[1:-1], escape(text)}:
        decoded = decoded.replace(form, "")
    return decoded.encode()


def _assert_clean(url: str, body: bytes):
    text = body.decode("utf-8", "replace").lower()
    for fragment in FORBIDDEN:
        assert fragment not in text, f"{fragment!r} leaked in {url}"


def test_canary_never_appears_in_any_partner_response(canary, partner, api_client_for):
    client = api_client_for(partner)
    # Crawl: every list, and every detail any body links to, in every format.
    queue = [f"/api/v1/{name}/" for name in LISTS]
    feed = "/api/v1/changes/"
    try:
        resolve(feed)
        queue.append(feed)
    except Resolver404:
        pass
    seen: set[str] = set()
    details = 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        for fmt in FORMATS:
            response = client.get(path, {"format": fmt, "page_size": 500})
            if path == feed and fmt != "json" and response.status_code == 404:
                continue  # the feed is JSON only
            assert response.status_code == 200, (path, fmt, response.status_code)
            _assert_clean(f"{path}?format={fmt}", response.content)
            if fmt == "json":
                queue.extend(_urls_in(response.content) - seen)
        details += 1
    assert details > 20  # the crawl really reached the details

    # Her detention and case are there, naming her by uid; her own row by the pseudonym.
    detentions = client.get("/api/v1/detentions/").json()["results"]
    assert [d["person"] for d in detentions] == [str(canary.uid)]
    person = client.get(f"/api/v1/people/{canary.uid}/").json()
    assert person["name"] == f"Person K-{canary.pk:05d}"


@pytest.mark.parametrize("query", [CANARY_NAME, CANARY_ALIAS, "Canarytestova", "Kanaritestova", "Жулдыз"])
def test_partner_cannot_find_the_canary_by_name(canary, partner, api_client_for, query):
    """A search hit on the pseudonymised row would tell who it is: no hit at all, in any format."""
    client = api_client_for(partner)
    for fmt in FORMATS:
        response = client.get("/api/v1/people/", {"search": query, "format": fmt})
        assert response.status_code == 200
        # The browsable API shows the partner's own query back (URL, filter form): not the database's data.
        _assert_clean(f"search={query}", _without(response.content, query))
    assert client.get("/api/v1/people/", {"search": query}).json()["results"] == []


def test_filters_and_errors_do_not_echo_the_canary(canary, partner, api_client_for):
    client = api_client_for(partner)
    for params in (
        {"person": str(canary.uid)},
        {"person": CANARY_NAME},
        {"place": CANARY_NAME},
        {"article": CANARY_ALIAS},
    ):
        response = client.get("/api/v1/detentions/", params)
        assert response.status_code in (200, 400)
        # A bad value is echoed back in the error: that is the partner's own text, not the database's.
        body = response.content
        for value in params.values():
            body = _without(body, value)
        _assert_clean(str(params), body)


def test_options_and_root_do_not_leak(canary, partner, api_client_for):
    client = api_client_for(partner)
    for path in ["/api/v1/", *(f"/api/v1/{name}/" for name in LISTS), f"/api/v1/people/{canary.uid}/"]:
        response = client.options(path)
        assert response.status_code == 200
        _assert_clean(f"OPTIONS {path}", response.content)


def test_staff_do_see_the_canary(canary, lawyer, api_client_for):
    """The control: the same requests as staff do show her, so the partner test is not vacuous."""
    client = api_client_for(lawyer)
    person = client.get(f"/api/v1/people/{canary.uid}/").json()
    assert person["name"] == CANARY_NAME
    assert {n["text"] for n in person["names"]} == {CANARY_NAME, CANARY_ALIAS}
    assert person["contact_details"] == f"phone {CANARY_PHONE}"
    assert person["birth_date_edtf"] == "1961-07-19"
    assert client.get("/api/v1/people/", {"search": "Kanaritestova"}).json()["results"][0]["id"] == str(
        canary.uid
    )

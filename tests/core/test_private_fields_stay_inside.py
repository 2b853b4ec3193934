"""The fields encrypted at rest that are private (a person's home address and private notes, a detention's
private notes) never leave the system: no API response in any format (staff included), no delta-feed entry,
no admin export, no dossier PDF and no report file holds them. The admin shows them only to a user who may
change the record. (The full dump `export_all` carries them: tests/exchange/test_dump_private_fields.py.)"""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import Confidentiality
from reports.compiling import compile_report
from tests.cases.factories import DetentionFactory
from tests.events.factories import AssemblyFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.reports.factories import ReportFactory, definition

pytestmark = pytest.mark.django_db

ADDRESS = "Secretstreet 12"
PERSON_NOTE = "person-private-marker"
DETENTION_NOTE = "detention-private-marker"
SECRETS = (ADDRESS, PERSON_NOTE, DETENTION_NOTE)


@pytest.fixture
def person(monitor):
    person = PersonFactory(
        full_name="Privatova Aliya",
        home_address=ADDRESS,
        private_notes=PERSON_NOTE,
        confidentiality=Confidentiality.PUBLIC,
        created_by=monitor,
    )
    ConsentRecordFactory(person=person, scope="un")
    ConsentRecordFactory(person=person, scope="partners")
    assembly = AssemblyFactory(confidentiality=Confidentiality.PUBLIC)
    DetentionFactory(
        person=person,
        assembly=assembly,
        private_notes=DETENTION_NOTE,
        confidentiality=Confidentiality.PUBLIC,
        created_by=monitor,
    )
    return person


def _text(content: bytes, kind: str = "") -> str:
    if content[:4] == b"%PDF":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content[:2] == b"PK":  # xlsx
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    return content.decode("utf-8", "replace")


def _assert_clean(where: str, content: bytes):
    text = _text(content)
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} left the system through {where}"


@pytest.mark.parametrize("who", ["administrator", "lawyer", "partner"])
def test_no_api_response_or_feed_entry_holds_them(person, who, request, api_client_for):
    client = api_client_for(request.getfixturevalue(who))
    detention = person.detentions.get()
    paths = [
        "/api/v1/people/",
        f"/api/v1/people/{person.uid}/",
        "/api/v1/detentions/",
        f"/api/v1/detentions/{detention.uid}/",
        "/api/v1/changes/",
    ]
    seen = 0
    for path in paths:
        for fmt in ("json", "csv", "xlsx", "api"):
            if path.startswith("/api/v1/changes/") and fmt in ("csv", "xlsx"):
                continue
            response = client.get(path, {"format": fmt})
            assert response.status_code == 200, (path, fmt)
            _assert_clean(f"{path}?format={fmt}", response.content)
            seen += str(person.uid) in response.content.decode("utf-8", "replace") or fmt == "xlsx"
    assert seen  # the person was there, without the private fields


def test_no_admin_export_holds_them(person, client, administrator):
    client.force_login(administrator)
    for model in ("people/person", "cases/detention"):
        for fmt in ("csv", "xlsx", "json"):
            app, name = model.split("/")
            response = client.get(reverse(f"admin:{app}_{name}_export", args=[fmt]))
            assert response.status_code == 200
            _assert_clean(f"the {model} {fmt} export", response.content)
    rows = json.loads(client.get(reverse("admin:people_person_export", args=["json"])).content)
    assert rows and not {"home_address", "private_notes", "contact_details"} & set(rows[0])


def test_no_admin_list_shows_or_searches_them(person, client, administrator):
    client.force_login(administrator)
    listing = client.get(reverse("admin:people_person_changelist"))
    assert person.full_name in listing.content.decode()
    _assert_clean("the person list", listing.content)
    found = client.get(reverse("admin:people_person_changelist"), {"q": PERSON_NOTE})
    assert person.full_name not in found.content.decode()  # ciphertext cannot be searched


def test_the_person_page_does_not_show_them(person, client, lawyer):
    """Private notes are for the people who edit the record, in the admin; the history page is read more
    widely (and is what the dossier prints)."""
    client.force_login(lawyer)
    response = client.get(reverse("cases:person-detail", args=[person.uid]))
    assert response.status_code == 200 and "Privatova" in response.content.decode()
    _assert_clean("the person page", response.content)


def test_the_dossier_pdf_does_not_hold_them(person, client, lawyer):
    client.force_login(lawyer)
    response = client.get(reverse("cases:person-dossier", args=[person.uid]))
    assert response.status_code == 200
    assert "Privatova" in _text(response.content)
    _assert_clean("the dossier PDF", response.content)


def test_no_report_file_holds_them(person):
    compiled = compile_report(report=ReportFactory(definition=definition("un-wgad"), person=person))
    assert compiled.files
    for compiled_file in compiled.files:
        if compiled_file.kind == "docx":
            from docx import Document

            doc = Document(io.BytesIO(compiled_file.content))
            content = "\n".join(p.text for p in doc.paragraphs).encode()
        else:
            content = compiled_file.content
        _assert_clean(f"the report's {compiled_file.kind}", content)


def test_the_admin_shows_them_only_to_who_may_change_the_record(person, client, monitor, analyst):
    detention = person.detentions.get()
    client.force_login(monitor)
    page = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert ADDRESS in page and PERSON_NOTE in page
    page = client.get(reverse("admin:cases_detention_change", args=[detention.pk])).content.decode()
    assert DETENTION_NOTE in page

    client.force_login(analyst)  # may view, not change
    for url in (
        reverse("admin:people_person_change", args=[person.pk]),
        reverse("admin:cases_detention_change", args=[detention.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        _assert_clean(url, response.content)

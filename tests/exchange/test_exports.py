"""Exports of lists: every admin changelist as CSV, XLSX and JSON (its filters, search and the user's
visibility applied), every API list as ?format=csv|xlsx|json through the API's serializers (so consent
redaction is the API's), each recorded in the audit log."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry, Confidentiality
from tests.cases.factories import DetentionFactory
from tests.events.factories import SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def detentions(other_monitor):
    fined = DetentionFactory.create_batch(3, outcome="fined")
    released = DetentionFactory(outcome="released")
    hidden = DetentionFactory(
        outcome="fined", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    return fined, released, hidden


def test_admin_export_applies_the_filters_and_visibility(client, monitor, detentions):
    fined, _released, _hidden = detentions
    client.force_login(monitor)
    url = reverse("admin:cases_detention_export", args=["csv"])
    response = client.get(url, {"outcome__exact": "fined"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="detentions.csv"'
    rows = _csv_rows(response.content)
    assert sorted(r["uid"] for r in rows) == sorted(str(d.uid) for d in fined)
    assert {r["outcome"] for r in rows} == {"Fined"}
    assert rows[0]["person"] in {d.person.full_name for d in fined}
    entry = AuditEntry.objects.get(action="kuzet.export")
    assert entry.actor == monitor
    assert entry.data == {
        "via": "admin",
        "list": "cases.detention",
        "format": "csv",
        "rows": 3,
        "query": "outcome__exact=fined",
    }


def test_admin_export_xlsx_and_json_match_the_search(client, monitor, detentions):
    target = PersonFactory(full_name="Ерлан Жумабеков")
    client.force_login(monitor)
    # The admin's search finds any spelling, and the export is what it found.
    xlsx = client.get(reverse("admin:people_person_export", args=["xlsx"]), {"q": "Zhumabekov"})
    rows = _xlsx_rows(xlsx.content)
    assert "contact_details" not in rows[0] and "search_key" not in rows[0]
    uid = rows[0].index("uid")
    assert [r[uid] for r in rows[1:]] == [str(target.uid)]
    response = client.get(reverse("admin:people_person_export", args=["json"]), {"q": "Zhumabekov"})
    data = json.loads(response.content)
    assert [d["full_name"] for d in data] == [target.full_name]


def test_changelist_links_to_its_exports_with_the_filters(client, monitor, detentions):
    client.force_login(monitor)
    page = client.get(reverse("admin:cases_detention_changelist"), {"outcome__exact": "fined"})
    assert reverse("admin:cases_detention_export", args=["xlsx"]) + "?outcome__exact=fined" in page.text


def test_admin_export_refuses_a_user_without_access_and_an_unknown_format(client, staff_outsider, monitor):
    client.force_login(staff_outsider)
    assert client.get(reverse("admin:cases_detention_export", args=["csv"])).status_code == 403
    client.force_login(monitor)
    assert client.get(reverse("admin:cases_detention_export", args=["pdf"])).status_code == 404
    assert not AuditEntry.objects.filter(action="kuzet.export").exists()


def test_a_formula_in_a_name_is_exported_as_text(client, monitor):
    PersonFactory(full_name='=HYPERLINK("http://example.org")')
    client.force_login(monitor)
    rows = _csv_rows(client.get(reverse("admin:people_person_export", args=["csv"])).content)
    assert rows[0]["full_name"].startswith("'=")


def test_api_xlsx_export_is_the_whole_filtered_list_redacted_as_the_api(partner, api_client_for):
    consenting = PersonFactory(confidentiality=Confidentiality.PARTNERS)
    ConsentRecordFactory(person=consenting)
    silent = PersonFactory(confidentiality=Confidentiality.PARTNERS)
    PersonFactory(confidentiality=Confidentiality.INTERNAL)  # not for partners
    client = api_client_for(partner)
    json_page = client.get("/api/v1/people/").json()["results"]
    response = client.get("/api/v1/people/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(response.content)
    header = rows[0]
    by_uid = {r[header.index("id")]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_uid) == {str(consenting.uid), str(silent.uid)}
    assert by_uid[str(silent.uid)]["full_name"] is None
    assert by_uid[str(silent.uid)]["name"] == next(p["name"] for p in json_page if p["id"] == str(silent.uid))
    assert by_uid[str(silent.uid)]["name"] != silent.full_name
    assert by_uid[str(consenting.uid)]["full_name"] == consenting.full_name
    entry = AuditEntry.objects.get(action="kuzet.export")
    assert entry.data["via"] == "api" and entry.data["rows"] == 2 and entry.data["format"] == "xlsx"


def test_api_csv_export_is_not_paged(monitor, api_client_for):
    SourceFactory.create_batch(60, kind="video")
    SourceFactory.create_batch(2, kind="media")
    response = api_client_for(monitor).get("/api/v1/sources/", {"kind": "video", "format": "csv"})
    rows = _csv_rows(response.content)
    assert len(rows) == 60 and {r["kind"] for r in rows} == {"video"}
    assert response["Content-Disposition"] == 'attachment; filename="source.csv"'


def test_admin_export_with_an_invalid_filter_answers_400(client, monitor):
    client.force_login(monitor)
    response = client.get(reverse("admin:cases_detention_export", args=["csv"]), {"detained_at__gte": "x"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="kuzet.export").exists()

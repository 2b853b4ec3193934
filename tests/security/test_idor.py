"""IDOR probes: a user who knows (or guesses) the uid or the integer id of a record they may not see learns
nothing. Another monitor's `restricted` records are probed by a monitor (session and key) and a partner; an
`internal` record by a partner. Every URL that takes an id answers exactly as for an id that does not exist
(404; the admin's own "doesn't exist" redirect), with no trace of the record's name or uid in the body; the
lists and exports leave the rows out.

Already covered elsewhere, not repeated here: the API's list/detail per level (tests/core/
test_api_visibility_matrix.py), the admin change/delete/history pages and choices of a hidden person
(tests/core/test_admin_pages.py), report pages of a hidden person for a monitor (tests/reports/
test_report_pages.py)."""

import datetime as dt
import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Confidentiality
from exchange.models import ImportBatch
from reports.models import Intervention, Report, ReportStatus
from tests.cases.factories import DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import PersonFactory
from tests.reports.flow import PDF, definition

pytestmark = pytest.mark.django_db

API = {
    "person": "people",
    "assembly": "assemblies",
    "incident": "incidents",
    "source": "sources",
    "detention": "detentions",
    "legalcase": "legal-cases",
}
ADMIN = {
    "person": "people_person",
    "assembly": "events_assembly",
    "incident": "events_incident",
    "source": "events_source",
    "detention": "cases_detention",
    "legalcase": "cases_legalcase",
}


def _make(level: str, creator):
    """One record of each kind at `level`, each with a name that must never reach a user who may not see
    it. A detention and a case hang off a public person, so that their own level decides."""
    fields = {"confidentiality": level, "created_by": creator}
    tag = "Hiddenova" if level == Confidentiality.RESTRICTED else "Internova"
    owner = PersonFactory(confidentiality=Confidentiality.PUBLIC, full_name="Publicov Owner")
    return {
        "person": PersonFactory(full_name=f"{tag} Zarina", **fields),
        "assembly": AssemblyFactory(title=f"{tag} rally", **fields),
        "incident": IncidentFactory(title=f"{tag} shutdown", **fields),
        "source": SourceFactory(title=f"{tag} article", **fields),
        "detention": DetentionFactory(person=owner, notes=f"{tag} notes", **fields),
        "legalcase": LegalCaseFactory(person=owner, number=f"{tag}-1", **fields),
    }


@pytest.fixture
def hidden(other_monitor):
    """Another monitor's restricted records: `monitor` and the partner must not learn they exist."""
    return _make(Confidentiality.RESTRICTED, other_monitor)


@pytest.fixture
def internal(other_monitor):
    """Internal records: every staff role sees them, a partner never."""
    return _make(Confidentiality.INTERNAL, other_monitor)


@pytest.fixture
def probers(monitor, partner, api_key_for):
    """Who probes the restricted records: the monitor by session and by a write key, the partner by key."""
    session = Client()
    session.force_login(monitor)
    return {
        "monitor session": session,
        "monitor key": Client(HTTP_AUTHORIZATION=f"Bearer {api_key_for(monitor, 'write')}"),
        "partner key": Client(HTTP_AUTHORIZATION=f"Bearer {api_key_for(partner)}"),
    }


def _secrets(record) -> list[str]:
    text = getattr(record, "full_name", None) or getattr(record, "title", None)
    text = text or getattr(record, "number", None) or record.notes
    return [text.split()[0].split("-")[0], str(record.uid)]


def _assert_unrevealed(response, record, status=404):
    assert response.status_code == status, response.content[:300]
    body = response.content.decode(errors="replace")
    for secret in _secrets(record):
        assert secret not in body


def _assert_like_a_missing_api_record(client, endpoint, record):
    missing = client.get(f"/api/v1/{endpoint}/{uuid.uuid4()}/")
    response = client.get(f"/api/v1/{endpoint}/{record.uid}/")
    _assert_unrevealed(response, record)
    assert response.json() == missing.json()


@pytest.mark.parametrize("kind", API)
@pytest.mark.parametrize("prober", ["monitor session", "monitor key", "partner key"])
def test_api_detail_patch_and_formats_of_a_restricted_record_are_404(kind, prober, hidden, probers):
    record, client, endpoint = hidden[kind], probers[prober], API[kind]
    url = f"/api/v1/{endpoint}/{record.uid}/"
    _assert_like_a_missing_api_record(client, endpoint, record)
    _assert_unrevealed(client.get(f"/api/v1/{endpoint}/{record.uid}.json"), record)
    _assert_unrevealed(client.get(url, {"format": "csv"}), record)
    # A PATCH answers as for a missing uid: 404, or the 403/405 any uid gets when the key may not write there.
    patch = {"data": '{"notes": "x"}', "content_type": "application/json", "HTTP_IF_MATCH": '"1"'}
    missing = client.patch(f"/api/v1/{endpoint}/{uuid.uuid4()}/", **patch)
    patched = client.patch(url, **patch)
    _assert_unrevealed(patched, record, status=missing.status_code)
    assert patched.json() == missing.json()
    lock_version = getattr(record, "lock_version", 1)
    record.refresh_from_db()
    assert getattr(record, "lock_version", 1) == lock_version


@pytest.mark.parametrize("kind", API)
def test_api_detail_of_an_internal_record_is_404_for_a_partner(kind, internal, probers):
    _assert_like_a_missing_api_record(probers["partner key"], API[kind], internal[kind])


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("prober", ["monitor session", "monitor key", "partner key"])
def test_api_lists_and_exports_leave_the_hidden_rows_out(fmt, prober, hidden, internal, probers):
    client = probers[prober]
    for kind, endpoint in API.items():
        response = client.get(f"/api/v1/{endpoint}/", {"format": fmt, "page_size": 500})
        assert response.status_code == 200
        body = response.content if fmt == "xlsx" else response.content.decode()
        rows = [hidden[kind]] + ([internal[kind]] if prober == "partner key" else [])
        for record in rows:
            for secret in _secrets(record):
                if fmt == "xlsx":
                    assert secret.encode() not in _xlsx_text(body)
                else:
                    assert secret not in body, (endpoint, fmt)


def _xlsx_text(data: bytes) -> bytes:
    """The shared strings and sheets of an XLSX file (a zip), where its cell text lives."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))


def test_the_change_feed_gives_no_content_of_the_hidden_records(hidden, internal, probers):
    """By design (cases/api_feed.py) the feed names every changed record, and one the key may not see comes
    as a bare `delete` (so a mirror drops a record hidden since): its uid and type, nothing of its content.
    That a hidden record exists and changed is thus visible to any key; its data is not."""
    for prober in ("monitor key", "partner key"):
        response = probers[prober].get("/api/v1/changes/", {"page_size": 1000})
        hidden_records = list(hidden.values()) + (list(internal.values()) if prober == "partner key" else [])
        entries = {entry["uid"]: entry for entry in response.json()["results"]}
        for record in hidden_records:
            entry = entries.get(str(record.uid))
            assert entry is None or (entry["action"], entry["data"]) == ("delete", None)
            assert _secrets(record)[0] not in response.content.decode()


def _page_urls(hidden):
    person, assembly = hidden["person"], hidden["assembly"]
    return {
        "person history": reverse("cases:person-detail", args=[person.uid]),
        "dossier PDF": reverse("cases:person-dossier", args=[person.uid]),
        "assembly page": reverse("cases:assembly-detail", args=[assembly.uid]),
        "fast entry": reverse("cases:assembly-record", args=[assembly.uid]),
        "fast entry row": reverse("cases:assembly-record-row", args=[assembly.uid]) + "?index=1",
    }


@pytest.mark.parametrize(
    "page", ["person history", "dossier PDF", "assembly page", "fast entry", "fast entry row"]
)
def test_pages_of_a_restricted_record_are_404(page, hidden, probers):
    url = _page_urls(hidden)[page]
    record = hidden["assembly" if "assembly" in page or "fast" in page else "person"]
    _assert_unrevealed(probers["monitor session"].get(url), record)
    if page == "fast entry":
        data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "Testov Probe"}
        _assert_unrevealed(probers["monitor session"].post(url, data), record)
        assert not hidden["assembly"].detentions.exists()


def test_search_suggest_and_dashboard_never_name_a_restricted_person(hidden, probers):
    client = probers["monitor session"]
    for url in (
        reverse("cases:person-search") + "?q=Zarina",
        reverse("cases:person-suggest") + "?q=Zarina",
        reverse("cases:person-duplicates"),
        reverse("cases:dashboard"),
    ):
        _assert_unrevealed(client.get(url), hidden["person"], status=200)


def test_merging_with_a_restricted_person_is_404_and_merges_nothing(hidden, probers):
    mine = PersonFactory(full_name="Hiddenov Zarin")
    response = probers["monitor session"].post(
        reverse("cases:person-duplicates"),
        {"first": mine.uid, "second": hidden["person"].uid, "keep": mine.uid},
    )
    _assert_unrevealed(response, hidden["person"])
    hidden["person"].refresh_from_db()
    assert not hidden["person"].is_deleted


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hidden_report(hidden, media):
    """An individual communication about the restricted person, compiled, with an intervention sent."""
    report = Report.objects.create(
        definition=definition("un-wgad"),
        person=hidden["person"],
        period_start=dt.date(2019, 2, 1),
        period_end=dt.date(2019, 2, 28),
        status=ReportStatus.SENT,
    )
    report.pdf_file.save("report.pdf", ContentFile(PDF), save=False)
    report.compiled_at = timezone.now()
    report.save()
    Intervention.objects.create(
        report=report, recipient=report.definition.recipient, channel="portal", sent_on=dt.date(2019, 3, 5)
    )
    return report


def test_report_pages_files_and_actions_about_a_restricted_person_are_404(hidden_report, hidden, probers):
    client = probers["monitor session"]
    uid = hidden_report.uid
    for url in (
        reverse("reports:report-detail", args=[uid]),
        reverse("reports:report-file", args=[uid, "pdf"]),
        reverse("reports:report-file", args=[uid, "pdf"]) + "?download=1",
    ):
        _assert_unrevealed(client.get(url), hidden["person"])
    for name in ("approve", "retry", "recompile", "send", "submit"):
        _assert_unrevealed(client.post(reverse(f"reports:report-{name}", args=[uid])), hidden["person"])
    intervention = hidden_report.interventions.get()
    response = client.post(
        reverse("reports:intervention-response", args=[intervention.uid]), {"response": "pledged"}
    )
    _assert_unrevealed(response, hidden["person"])
    intervention.refresh_from_db()
    assert intervention.response != "pledged"
    assert Report.objects.filter(person=hidden["person"]).count() == 1


def test_report_list_and_queue_form_never_name_a_restricted_person(hidden_report, hidden, lawyer):
    client = Client()
    client.force_login(lawyer)
    _assert_unrevealed(client.get(reverse("reports:report-list")), hidden["person"], status=200)
    queue = reverse("reports:report-queue")
    page = client.get(queue, {"definition": "un-wgad", "person": hidden["person"].uid})
    assert "Hiddenova" not in page.content.decode()
    response = client.post(
        queue,
        {
            "definition": "un-wgad",
            "person": hidden["person"].uid,
            "period_start": "2019-01-01",
            "period_end": "2019-03-31",
        },
    )
    assert response.status_code == 200  # the form again, with an error: no report queued
    assert "Hiddenova" not in response.content.decode()
    assert Report.objects.filter(person=hidden["person"]).count() == 1


def _admin_answer(client, url, pk):
    """What the admin answers, minus the id: its status, redirect and message."""
    response = client.get(url, follow=True)
    messages = [str(m).replace(str(pk), "ID") for m in (response.context or {}).get("messages", [])]
    return (response.status_code, response.redirect_chain, messages), response.content.decode()


@pytest.mark.parametrize("kind", ADMIN)
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_admin_urls_of_a_restricted_record_answer_as_for_a_missing_id(kind, page, hidden, probers):
    """The integer id is guessable; each admin page by id answers as for an id no row has."""
    client, record = probers["monitor session"], hidden[kind]
    missing_pk = record.pk + 10_000
    answer, body = _admin_answer(client, reverse(f"admin:{ADMIN[kind]}_{page}", args=[record.pk]), record.pk)
    missing, _body = _admin_answer(
        client, reverse(f"admin:{ADMIN[kind]}_{page}", args=[missing_pk]), missing_pk
    )
    assert answer == missing
    for secret in _secrets(record):
        assert secret not in body
    posted = client.post(reverse(f"admin:{ADMIN[kind]}_delete", args=[record.pk]), {"post": "yes"})
    posted_missing = client.post(reverse(f"admin:{ADMIN[kind]}_delete", args=[missing_pk]), {"post": "yes"})
    assert posted.status_code == posted_missing.status_code
    record.refresh_from_db()
    assert not record.is_deleted


@pytest.mark.parametrize("kind", ADMIN)
def test_the_admin_version_history_of_a_restricted_record_answers_as_for_a_missing_id(kind, hidden, probers):
    """The restore page of an earlier version (core.history_admin), by record id and version id."""
    client, record = probers["monitor session"], hidden[kind]
    version = record.history.latest("history_id").history_id
    name = f"admin:{ADMIN[kind]}_simple_history"
    answer, body = _admin_answer(client, reverse(name, args=[record.pk, version]), record.pk)
    missing, _body = _admin_answer(
        client, reverse(name, args=[record.pk + 10_000, version]), record.pk + 10_000
    )
    assert answer == missing
    assert _secrets(record)[0] not in body
    posted = client.post(reverse(name, args=[record.pk, version]), {"post": "yes"})
    assert posted.status_code in (302, 403, 404)
    record.refresh_from_db()
    assert not record.is_deleted


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_admin_lists_and_exports_leave_the_hidden_rows_out(fmt, hidden, probers):
    client = probers["monitor session"]
    for kind, name in ADMIN.items():
        listing = client.get(reverse(f"admin:{name}_changelist"))
        _assert_unrevealed(listing, hidden[kind], status=200)
        export = client.get(reverse(f"admin:{name}_export", args=[fmt]))
        assert export.status_code == 200
        body = _xlsx_text(export.content) if fmt == "xlsx" else export.content
        for secret in _secrets(hidden[kind]):
            assert secret.encode() not in body, (kind, fmt)


def test_admin_report_and_intervention_pages_about_a_restricted_person_answer_as_missing(
    hidden_report, hidden, probers, other_monitor, administrator
):
    """Reports and interventions have no confidentiality of their own: an individual communication is as
    secret as the person it is about. (Before reports/admin.py filtered them, any monitor read the report
    list of the admin with the restricted person's name.) Who may see the person still sees them."""
    client = probers["monitor session"]
    intervention = hidden_report.interventions.get()
    for user in (other_monitor, administrator):
        allowed = Client()
        allowed.force_login(user)
        assert "Hiddenova Zarina" in allowed.get(reverse("admin:reports_report_changelist")).content.decode()
        page = allowed.get(reverse("admin:reports_intervention_change", args=[intervention.pk]))
        assert page.status_code == 200
    for name, pk in (("reports_report", hidden_report.pk), ("reports_intervention", intervention.pk)):
        listing = client.get(reverse(f"admin:{name}_changelist"))
        _assert_unrevealed(listing, hidden["person"], status=200)
        assert str(hidden_report.uid) not in listing.content.decode()
        answer, body = _admin_answer(client, reverse(f"admin:{name}_change", args=[pk]), pk)
        missing, _body = _admin_answer(
            client, reverse(f"admin:{name}_change", args=[pk + 10_000]), pk + 10_000
        )
        assert answer == missing
        assert "Hiddenova" not in body


def test_another_monitors_import_upload_answers_404(other_monitor, monitor, probers):
    batch = ImportBatch.objects.create(
        file_name="hiddenova-list.csv", sha256="0" * 64, status="pending", created_by=other_monitor
    )
    response = probers["monitor session"].get(reverse("admin:exchange_importbatch_review", args=[batch.pk]))
    assert response.status_code == 404
    assert "hiddenova" not in response.content.decode()


def test_the_file_of_a_restricted_source_is_404(hidden, internal, probers, media):
    """Source files are served only through /files/sources/<uid>/file/ (events.views), to who may see the
    source; a partner only the file of a public source."""
    for record in (hidden["source"], internal["source"]):
        record.file.save("statement.pdf", ContentFile(PDF))
    for prober in ("monitor session", "monitor key", "partner key"):
        missing = probers[prober].get(reverse("events:source-file", args=[uuid.uuid4()]))
        response = probers[prober].get(reverse("events:source-file", args=[hidden["source"].uid]))
        _assert_unrevealed(response, hidden["source"])
        assert response.content == missing.content
    response = probers["partner key"].get(reverse("events:source-file", args=[internal["source"].uid]))
    _assert_unrevealed(response, internal["source"])

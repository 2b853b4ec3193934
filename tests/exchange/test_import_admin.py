"""The admin's "Import detentions" page: upload → mapping of unknown headers → dry-run report → confirm, and
the "Revert selected imports" action. Only staff who may add detentions use it; each sees their own
uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Detention
from exchange.models import ImportBatch, ImportStatus
from people.models import Person
from tests.exchange.sheets import as_csv, as_xlsx, broken, generate

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:exchange_importbatch_import")


def _review(pk):
    return reverse("admin:exchange_importbatch_review", args=[pk])


def _upload(client, data: bytes, name: str):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def test_upload_dry_run_then_confirm(client, monitor):
    sheet = generate(rows=30, seed=3)
    client.force_login(monitor)
    response = _upload(client, as_xlsx(sheet), "февраль.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == _review(batch.pk)
    assert batch.status == ImportStatus.PENDING and bytes(batch.content)

    page = client.get(_review(batch.pk))
    assert page.status_code == 200
    assert "30 new detentions, 0 updated, 0 unchanged, 0 errors. Dry run: nothing was written." in page.text
    assert 'name="confirm"' in page.text
    assert not Detention.objects.exists() and not Person.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING

    # A confirmation that does not carry this file's hash only shows the report again.
    client.post(_review(batch.pk), {"confirm": "1", "sha256": "0" * 64})
    assert not Detention.objects.exists()

    response = client.post(_review(batch.pk), {"confirm": "1", "sha256": batch.sha256})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:exchange_importbatch_change", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and batch.content in (b"", memoryview(b""))
    assert batch.counts["detentions_created"] == 30 == Detention.objects.count()
    assert set(Detention.objects.values_list("created_by", flat=True)) == {monitor.pk}
    # The batch is no longer pending: its review page is gone.
    assert client.get(_review(batch.pk)).status_code == 404


def test_bad_rows_are_listed_and_cannot_be_confirmed(client, monitor):
    bad = broken(generate(rows=500, seed=8))
    client.force_login(monitor)
    _upload(client, as_csv(bad), "bad.csv")
    batch = ImportBatch.objects.get()
    page = client.get(_review(batch.pk))
    assert "14 rows have errors" in page.text
    quote = "&#x27;"
    assert (
        f"row 9, {quote}detained_at{quote} (Дата задержания): {quote}31.02.2019{quote} is not a date"
        in page.text
    )
    assert 'name="confirm"' not in page.text
    client.post(_review(batch.pk), {"confirm": "1", "sha256": batch.sha256})
    assert not Detention.objects.exists()


def test_unknown_headers_go_through_the_mapping_step(client, monitor):
    client.force_login(monitor)
    data = "Фамилия и имя;Когда;Город\nАхметов Серик;03.2019;Алматы\n".encode()
    _upload(client, data, "list.csv")
    batch = ImportBatch.objects.get()
    page = client.get(_review(batch.pk))
    assert "Unknown column(s): &#x27;Фамилия и имя&#x27;, &#x27;Когда&#x27;" in page.text
    response = client.post(_review(batch.pk), {"mapping": "1", "h0": "full_name", "h1": "detained_at"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping == {"Фамилия и имя": "full_name", "Когда": "detained_at"}
    page = client.get(_review(batch.pk))
    assert "1 new detentions" in page.text


def test_discard_drops_the_upload(client, monitor):
    client.force_login(monitor)
    _upload(client, "ФИО;Дата\nАхметов Серик;2019\n".encode(), "a.csv")
    batch = ImportBatch.objects.get()
    client.post(_review(batch.pk), {"discard": "1"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED and not bytes(batch.content)


def test_unreadable_file_is_refused_with_a_message(client, monitor):
    client.force_login(monitor)
    response = _upload(client, b"PK\x03\x04 not really a workbook", "broken.xlsx")
    assert response.status_code == 200
    assert "cannot be opened" in response.text
    assert not ImportBatch.objects.exists()


def test_another_monitor_does_not_see_my_upload(client, monitor, other_monitor):
    client.force_login(monitor)
    _upload(client, "ФИО;Дата\nАхметов Серик;2019\n".encode(), "a.csv")
    batch = ImportBatch.objects.get()
    client.force_login(other_monitor)
    assert client.get(_review(batch.pk)).status_code == 404


def test_analyst_may_not_import(client, analyst):
    client.force_login(analyst)
    assert client.get(UPLOAD).status_code == 403


def test_partner_is_sent_to_the_login(client, partner):
    client.force_login(partner)
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_revert_action(client, monitor):
    client.force_login(monitor)
    _upload(client, as_csv(generate(rows=12, seed=5)), "a.csv")
    batch = ImportBatch.objects.get()
    client.post(_review(batch.pk), {"confirm": "1", "sha256": batch.sha256})
    assert Detention.objects.live().count() == 12
    changelist = reverse("admin:exchange_importbatch_changelist")
    assert "Import detentions" in client.get(changelist).text
    client.post(changelist, {"action": "revert_selected", "_selected_action": [batch.pk]})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REVERTED
    assert Detention.objects.live().count() == 0 and Person.objects.live().count() == 0


def test_the_import_page_counts_what_it_wrote(client, monitor):
    client.force_login(monitor)
    _upload(client, "ФИО;Дата задержания;Город\nАхметов Серик;2019;Алматы\n".encode(), "a.csv")
    batch = ImportBatch.objects.get()
    client.post(_review(batch.pk), {"confirm": "1", "sha256": batch.sha256})
    page = client.get(reverse("admin:exchange_importbatch_change", args=[batch.pk]))
    assert "cases.detention created: 1, people.person created: 1" in page.text

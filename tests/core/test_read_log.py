"""The read log (issue 7, item 2): every read of a person's record, a dossier, a report file or an export
leaves one row saying who read what, when, from where; a refused read leaves none; administrators filter it
by user and by person; nobody changes or deletes a row, not even in SQL on PostgreSQL."""

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import AppendOnlyError, Confidentiality, ReadKind, ReadLogEntry
from core.services import read_log_record
from tests.people.factories import PersonFactory
from tests.reports.test_report_pages import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _only_entry() -> ReadLogEntry:
    entries = list(ReadLogEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def _assert_recent(entry: ReadLogEntry) -> None:
    assert timezone.now() - entry.at < dt.timedelta(minutes=1)


# --- A row for each read path ------------------------------------------------------------------------------


def test_the_person_page_is_logged_with_who_what_when_and_where(client, monitor):
    person = PersonFactory()
    client.force_login(monitor)
    path = reverse("cases:person-detail", args=[person.uid])
    assert client.get(path, REMOTE_ADDR="203.0.113.7").status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.username, entry.what) == (monitor, "monitor", ReadKind.PERSON_PAGE)
    assert (entry.object_type, entry.object_uid, entry.person_uid) == (
        "people.person",
        person.uid,
        person.uid,
    )
    assert (entry.path, entry.remote_addr, entry.api_key) == (path, "203.0.113.7", None)
    _assert_recent(entry)


def test_an_outsider_s_404_writes_no_row(client, monitor, other_monitor):
    hidden = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    client.force_login(monitor)
    assert client.get(reverse("cases:person-detail", args=[hidden.uid])).status_code == 404
    assert client.get(reverse("cases:person-dossier", args=[hidden.uid])).status_code == 404
    assert client.get(reverse("admin:people_person_change", args=[hidden.pk])).status_code == 302
    assert not ReadLogEntry.objects.exists()


def test_the_person_in_the_admin_is_logged(client, lawyer):
    person = PersonFactory()
    client.force_login(lawyer)
    assert client.get(reverse("admin:people_person_changelist")).status_code == 200  # a list is no read
    assert not ReadLogEntry.objects.exists()
    response = client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.what, entry.person_uid) == (lawyer, ReadKind.PERSON_ADMIN, person.uid)
    # Only administrators read the log, so only they get the link to it.
    assert b"Who looked at this person" not in response.content


def test_a_person_over_the_api_is_logged_with_the_key(partner, api_client_for):
    person = PersonFactory(confidentiality=Confidentiality.PUBLIC)
    client = api_client_for(partner)
    assert client.get("/api/v1/people/", {"search": person.full_name}).status_code == 200
    assert not ReadLogEntry.objects.exists()  # a search reads no one person's record
    assert client.get(f"/api/v1/people/{person.uid}/").status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.what, entry.person_uid) == (partner, ReadKind.PERSON_API, person.uid)
    assert entry.api_key is not None and entry.api_key.user == partner
    hidden = PersonFactory(confidentiality=Confidentiality.INTERNAL)
    assert client.get(f"/api/v1/people/{hidden.uid}/").status_code == 404
    assert ReadLogEntry.objects.count() == 1


def test_the_dossier_pdf_is_logged(client, lawyer):
    person = PersonFactory()
    client.force_login(lawyer)
    assert client.get(reverse("cases:person-dossier", args=[person.uid])).status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.what, entry.person_uid) == (lawyer, ReadKind.DOSSIER_PDF, person.uid)


def test_a_report_file_is_logged_with_its_subject(client, analyst, media):
    person = PersonFactory()
    report = make_report(person=person)
    client.force_login(analyst)
    response = client.get(reverse("reports:report-file", args=[report.uid, "xlsx"]), {"download": "1"})
    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.what) == (analyst, ReadKind.REPORT_FILE)
    assert (entry.object_type, entry.object_uid, entry.person_uid) == (
        "reports.report",
        report.uid,
        person.uid,
    )
    assert entry.data == {"kind": "xlsx", "version": 1}
    # A file the report does not have is a 404 and no read.
    assert client.get(reverse("reports:report-file", args=[report.uid, "docx"])).status_code == 404
    assert ReadLogEntry.objects.count() == 1


def test_an_admin_export_is_logged_with_its_list_filters_and_count(client, monitor):
    PersonFactory.create_batch(2, confidentiality=Confidentiality.PUBLIC)
    PersonFactory(confidentiality=Confidentiality.INTERNAL)
    client.force_login(monitor)
    url = reverse("admin:people_person_export", args=["csv"])
    assert client.get(url, {"confidentiality__exact": "public"}).status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.what, entry.person_uid) == (monitor, ReadKind.EXPORT, None)
    assert entry.data == {
        "via": "admin",
        "list": "people.person",
        "format": "csv",
        "rows": 2,
        "query": "confidentiality__exact=public",
    }


def test_an_api_export_is_logged(partner, api_client_for):
    PersonFactory.create_batch(3, confidentiality=Confidentiality.PUBLIC)
    response = api_client_for(partner).get("/api/v1/people/", {"format": "csv"})
    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.what, entry.api_key.user) == (partner, ReadKind.EXPORT, partner)
    assert (entry.data["via"], entry.data["list"], entry.data["rows"]) == ("api", "person", 3)


def test_the_full_dump_is_logged(tmp_path):
    PersonFactory()
    call_command("export_all", str(tmp_path / "dump"), stdout=io.StringIO())
    entry = _only_entry()
    assert (entry.user, entry.what, entry.data["via"]) == (None, ReadKind.EXPORT, "export_all")
    assert entry.data["counts"]["people.person"] == 1


def test_an_unknown_kind_is_refused_and_writes_nothing(monitor):
    with pytest.raises(ValueError, match="Unknown read kind"):
        read_log_record(request_or_user=monitor, what="peeked")
    assert not ReadLogEntry.objects.exists()


# --- The administrators' view ------------------------------------------------------------------------------


def test_administrators_see_who_looked_at_a_person_in_the_last_30_days(
    client, administrator, monitor, lawyer
):
    person, other = PersonFactory(), PersonFactory()
    with time_machine.travel(timezone.now() - dt.timedelta(days=40)):
        old = read_log_record(request_or_user=monitor, what=ReadKind.PERSON_PAGE, obj=person)
    recent = read_log_record(request_or_user=lawyer, what=ReadKind.DOSSIER_PDF, obj=person)
    read_log_record(request_or_user=monitor, what=ReadKind.PERSON_PAGE, obj=other)
    client.force_login(administrator)

    page = client.get(reverse("admin:people_person_change", args=[person.pk]))
    link = f"{reverse('admin:core_readlogentry_changelist')}?person={person.uid}&amp;days=30"
    assert link.encode() in page.content

    changelist = reverse("admin:core_readlogentry_changelist")
    # The administrator's own opening of the person's page above is a read too.
    own = ReadLogEntry.objects.get(user=administrator)
    response = client.get(changelist, {"person": str(person.uid), "days": "30"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own, recent]
    response = client.get(changelist, {"person": str(person.uid)})
    assert list(response.context["cl"].result_list) == [own, recent, old]
    response = client.get(changelist, {"user__id__exact": str(monitor.pk)})
    assert {e.person_uid for e in response.context["cl"].result_list} == {person.uid, other.uid}
    # A person filter that is not a uid is refused clearly, not treated as "everyone".
    response = client.get(changelist, {"person": "not-a-uid"})
    assert response.status_code == 302 and "e=1" in response["Location"]


@pytest.mark.parametrize("role", ["monitor", "lawyer", "analyst"])
def test_only_administrators_read_the_log(client, role, request):
    entry = read_log_record(request_or_user=request.getfixturevalue(role), what=ReadKind.PERSON_PAGE)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:core_readlogentry_changelist")).status_code == 403
    assert client.get(reverse("admin:core_readlogentry_change", args=[entry.pk])).status_code == 403


def test_the_admin_offers_no_add_change_or_delete(client, administrator):
    entry = read_log_record(request_or_user=administrator, what=ReadKind.PERSON_PAGE, person_uid=uuid.uuid4())
    client.force_login(administrator)
    assert client.get(reverse("admin:core_readlogentry_add")).status_code == 403
    assert client.get(reverse("admin:core_readlogentry_delete", args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:core_readlogentry_change", args=[entry.pk]), {"what": "export"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.what == ReadKind.PERSON_PAGE


# --- Append-only -------------------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_an_entry(monitor):
    entry = read_log_record(request_or_user=monitor, what=ReadKind.PERSON_PAGE, person_uid=uuid.uuid4())
    entry.what = ReadKind.EXPORT
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ReadLogEntry.objects.filter(pk=entry.pk).update(what=ReadKind.EXPORT)
    with pytest.raises(AppendOnlyError):
        ReadLogEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.what == ReadKind.PERSON_PAGE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (SQLite: the ORM)")
def test_postgresql_refuses_to_change_or_delete_an_entry_in_sql(monitor):
    entry = read_log_record(request_or_user=monitor, what=ReadKind.PERSON_PAGE, person_uid=uuid.uuid4())
    for sql in (
        "UPDATE core_readlogentry SET what = 'export' WHERE id = %s",
        "DELETE FROM core_readlogentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.what == ReadKind.PERSON_PAGE


def test_administrators_search_the_log_by_person_uid_or_username(client, administrator, monitor, lawyer):
    person_uid = uuid.uuid4()
    looked = read_log_record(request_or_user=monitor, what=ReadKind.PERSON_PAGE, person_uid=person_uid)
    other = read_log_record(request_or_user=lawyer, what=ReadKind.PERSON_PAGE, person_uid=uuid.uuid4())
    client.force_login(administrator)
    changelist = reverse("admin:core_readlogentry_changelist")
    assert list(client.get(changelist, {"q": str(person_uid)}).context["cl"].result_list) == [looked]
    assert list(client.get(changelist, {"q": "lawyer"}).context["cl"].result_list) == [other]
    response = client.get(changelist, {"q": "not-a-uid"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []

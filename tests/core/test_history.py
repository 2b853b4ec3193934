"""The field-level history of case data (core.history): every path that writes a record leaves a version with
who, when, from where and the values before and after; the admin shows it and an administrator restores an
earlier version; nobody else learns of a record they may not see."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases.models import Detention
from config.celery import app as celery_app
from core.history import Via, current_origin, history_origin, record_restore_version, version_changes
from core.models import ApiKey, AuditEntry, Confidentiality
from core.services import record_restore, record_soft_delete
from events.models import Assembly
from people.models import Person
from tests.admin_forms import form_data, without_templates
from tests.cases.factories import DetentionFactory
from tests.exchange.sheets import as_csv, generate
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _versions(record):
    """The record's versions, oldest first."""
    return list(type(record).history.filter(id=record.pk).order_by("history_date", "history_id"))


def _changes(newer, older) -> dict:
    return {c.field: (c.old, c.new) for c in version_changes(newer, older)}


def _url(record, page, *args):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[record.pk, *args])


def test_an_api_write_with_a_key_records_the_key_its_user_and_the_change(lawyer, api_key_for):
    from rest_framework.test import APIClient

    detention = DetentionFactory(notes="Before", created_by=lawyer)
    key = api_key_for(lawyer, "write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = client.patch(
        f"/api/v1/detentions/{detention.uid}/",
        {"notes": "After"},
        format="json",
        HTTP_IF_MATCH=f'"{detention.lock_version}"',
    )

    assert response.status_code == 200, response.content
    *_, before, after = _versions(detention)
    assert (after.history_type, after.via, after.history_user) == ("~", Via.API, lawyer)
    assert after.api_key == ApiKey.objects.get(prefix=key.partition(".")[0])
    assert after.request_path == f"/api/v1/detentions/{detention.uid}/"
    assert _changes(after, before)["notes"] == ("Before", "After")


def test_an_admin_edit_records_the_admin_path_and_the_editor(monitor, client):
    person = PersonFactory(full_name="Testova Aigerim", occupation="Teacher", created_by=monitor)
    client.force_login(monitor)
    url = _url(person, "change")
    data = without_templates(form_data(client.get(url)))
    data["occupation"] = ["Test engineer"]

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    *_, before, after = _versions(person)
    assert (after.via, after.request_path, after.history_user, after.api_key) == (
        Via.ADMIN,
        url,
        monitor,
        None,
    )
    assert _changes(after, before)["occupation"] == ("Teacher", "Test engineer")


def test_an_admin_bulk_delete_and_restore_leave_a_version_per_record(monitor, administrator, client):
    people = [PersonFactory(created_by=monitor), PersonFactory(created_by=monitor)]
    changelist = reverse("admin:people_person_changelist")
    client.force_login(monitor)
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"},
    )
    client.force_login(administrator)
    client.post(
        f"{changelist}?record_status=deleted",
        {"action": "restore_selected", "_selected_action": [p.pk for p in people]},
    )

    for person in people:
        *_, before, deleted, restored = _versions(person)
        assert (deleted.via, deleted.history_user, deleted.request_path) == (Via.ADMIN, monitor, changelist)
        assert _changes(deleted, before)["is_deleted"] == (False, True)
        assert (restored.history_user, restored.is_deleted) == (administrator, False)


def test_a_soft_delete_and_restore_by_a_service_are_versions(monitor, administrator):
    detention = DetentionFactory(created_by=monitor)

    with history_origin(via=Via.PAGE, path="/detentions/x/", user=monitor):
        record_soft_delete(record=detention, user=monitor)
    record_restore(record=detention, user=administrator)

    created, deleted, restored = _versions(detention)
    assert [v.history_type for v in (created, deleted, restored)] == ["+", "~", "~"]
    assert (deleted.is_deleted, deleted.deleted_by, deleted.via, deleted.history_user) == (
        True,
        monitor,
        Via.PAGE,
        monitor,
    )
    # Outside any request or command the origin says so (here: pytest, a script).
    assert (restored.is_deleted, restored.via) == (False, Via.SHELL)


def test_a_merge_on_the_duplicates_page_leaves_a_version_of_every_record_it_moves(monitor, client):
    keep = PersonFactory(full_name="Zhumagulov Bolat", occupation="", created_by=monitor)
    merge = PersonFactory(full_name="Jumagulov Bolat", occupation="Test engineer", created_by=monitor)
    detention = DetentionFactory(person=merge, created_by=monitor)
    url = reverse("cases:person-duplicates")
    client.force_login(monitor)

    response = client.post(url, {"first": keep.uid, "second": merge.uid, "keep": keep.uid})

    assert response.status_code == 302
    *_, moved = _versions(detention)
    assert (moved.person_id, moved.via, moved.request_path, moved.history_user) == (
        keep.pk,
        Via.PAGE,
        url,
        monitor,
    )
    *_, before, after = _versions(keep)
    assert _changes(after, before)["occupation"] == ("", "Test engineer")
    assert _versions(merge)[-1].is_deleted is True


def test_the_import_command_records_its_user_and_name(tmp_path, monitor):
    path = tmp_path / "detentions.csv"
    path.write_bytes(as_csv(generate(rows=6, seed=3)))

    call_command("import_detentions", str(path), "--user", "monitor", stdout=io.StringIO())

    versions = Detention.history.all()
    assert versions.count() == Detention.objects.count() > 0
    assert set(versions.values_list("via", "request_path", "history_user")) == {
        (Via.IMPORT, "import_detentions detentions.csv", monitor.pk)
    }
    assert set(Person.history.values_list("via", flat=True)) == {Via.IMPORT}


@celery_app.task(name="tests.core.history_probe")
def _history_probe(detention_id: int) -> None:
    detention = Detention.objects.get(pk=detention_id)
    detention.notes = "Written by a task"
    detention.save()


def test_a_celery_task_write_names_the_task_and_the_caller_gets_its_origin_back(monitor):
    detention = DetentionFactory(created_by=monitor)

    with history_origin(via=Via.PAGE, path="/detentions/x/", user=monitor):
        _history_probe.apply(args=[detention.pk])  # runs here, with the task signals a worker sends
        after_task = current_origin()

    version = _versions(detention)[-1]
    assert (version.notes, version.via, version.request_path) == (
        "Written by a task",
        Via.TASK,
        "tests.core.history_probe",
    )
    assert (after_task.via, after_task.path, after_task.user) == (Via.PAGE, "/detentions/x/", monitor)


def test_a_dump_load_writes_the_first_version_of_every_record_it_loads(tmp_path, monitor):
    from tests.exchange.test_export_all_command import _empty_the_records

    detention = DetentionFactory(created_by=monitor)
    call_command("export_all", str(tmp_path / "dump"), stdout=io.StringIO())
    _empty_the_records()

    call_command("import_all", str(tmp_path / "dump"), stdout=io.StringIO())

    loaded = Detention.objects.get(uid=detention.uid)
    version = Detention.history.get(uid=detention.uid, via=Via.IMPORT)
    assert (version.history_type, version.id, version.person_id) == ("+", loaded.pk, loaded.person_id)
    assert Person.history.filter(via=Via.IMPORT).count() == Person.objects.count() > 0


def test_generated_synthetic_data_has_a_first_version_of_every_row():
    call_command("generate_synthetic", people=3, seed=5, stdout=io.StringIO(), stderr=io.StringIO())

    for model in (Person, Detention, Assembly):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0
    # The assemblies' counts are filled in once the detentions exist: a second version each.
    assert Assembly.history.filter(history_type="~").count() == Assembly.objects.count()


def test_the_history_table_holds_encrypted_fields_as_ciphertext(monitor):
    person = PersonFactory(created_by=monitor)
    person.home_address = "Test street 1, flat 2"
    person.private_notes = "Testnote: fears for the family"
    person.contact_details = "+7 700 000 00 00"
    person.save()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT home_address, private_notes, contact_details FROM people_historicalperson "
            "WHERE id = %s ORDER BY history_id DESC",
            [person.pk],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in stored)
    assert not any("Test" in value or "+7" in value for value in stored)
    latest = _versions(person)[-1]
    assert (latest.home_address, latest.private_notes) == (
        "Test street 1, flat 2",
        "Testnote: fears for the family",
    )


def _edited_detention(monitor):
    detention = DetentionFactory(notes="First account", authority="police", created_by=monitor)
    with history_origin(via=Via.PAGE, path="/detentions/edit/", user=monitor):
        detention.notes = "Second account"
        detention.authority = "special_forces"
        detention.save()
    return detention


def test_the_history_page_shows_who_from_where_and_each_change(monitor, administrator, client):
    detention = _edited_detention(monitor)
    client.force_login(administrator)

    page = client.get(_url(detention, "history")).content.decode()

    assert "First account" in page and "Second account" in page
    assert "<strong>Detaining authority:</strong> police &rarr; special_forces" in page
    assert "/detentions/edit/" in page and "monitor" in page


def test_the_history_page_shows_the_changes_of_the_rows_edited_on_the_record_page(
    monitor, administrator, client
):
    person = PersonFactory(full_name="Testova Aigerim", created_by=monitor)
    name = person.names.create(text="Testova Aygerim", kind="alias", created_by=monitor)
    with history_origin(via=Via.PAGE, path="/people/edit/", user=monitor):
        name.text = "Testova Aigerym"
        name.save()
    client.force_login(administrator)

    page = client.get(_url(person, "history")).content.decode()

    assert "<strong>Name:</strong> Testova Aygerim &rarr; Testova Aigerym" in page
    assert "/people/edit/" in page


def test_an_administrator_restores_an_earlier_version(monitor, administrator, client):
    detention = _edited_detention(monitor)
    first = _versions(detention)[0]
    lock_version = Detention.objects.get(pk=detention.pk).lock_version
    client.force_login(administrator)
    url = _url(detention, "simple_history", first.history_id)

    preview = client.get(url)
    response = client.post(url)

    assert preview.status_code == 200
    assert "Restore this version" in preview.content.decode()
    assert response.status_code == 302
    assert response["Location"] == _url(detention, "change")
    detention.refresh_from_db()
    assert (detention.notes, detention.authority) == ("First account", "police")
    assert detention.lock_version == lock_version + 1
    restored = _versions(detention)[-1]
    assert (restored.via, restored.history_user) == (Via.ADMIN, administrator)
    assert restored.history_change_reason == f"restored version {first.history_id}"
    entry = AuditEntry.objects.get(action="kuzet.detention.version_restored")
    assert (entry.actor, entry.object_uid) == (administrator, detention.uid)
    assert sorted(entry.data["fields"]) == ["authority", "notes"]


def test_a_monitor_sees_the_history_but_may_not_restore(monitor, client):
    detention = _edited_detention(monitor)
    first = _versions(detention)[0]
    client.force_login(monitor)
    url = _url(detention, "simple_history", first.history_id)

    assert client.get(_url(detention, "history")).status_code == 200
    preview = client.get(url)
    assert preview.status_code == 200
    assert "Restore this version" not in preview.content.decode()
    assert client.post(url).status_code == 403
    detention.refresh_from_db()
    assert detention.notes == "Second account"


def test_a_user_who_may_view_but_not_change_gets_403(monitor, analyst, client):
    detention = _edited_detention(monitor)
    client.force_login(analyst)

    assert client.get(_url(detention, "history")).status_code == 403
    assert (
        client.get(_url(detention, "simple_history", _versions(detention)[0].history_id)).status_code == 403
    )
    assert (
        client.post(_url(detention, "simple_history", _versions(detention)[0].history_id)).status_code == 403
    )


def test_a_user_who_may_not_see_the_record_learns_nothing(monitor, other_monitor, client):
    person = PersonFactory(
        full_name="Hiddenova Zarina", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    version = _versions(person)[0]
    client.force_login(monitor)

    for response in (
        client.get(_url(person, "history"), follow=True),
        client.get(_url(person, "simple_history", version.history_id), follow=True),
        client.post(_url(person, "simple_history", version.history_id), follow=True),
    ):
        assert response.redirect_chain == [(reverse("admin:index"), 302)]
        assert "Hiddenova" not in response.content.decode()


def test_a_version_of_another_record_is_404(monitor, administrator, client):
    detention, other = _edited_detention(monitor), DetentionFactory(created_by=monitor)
    client.force_login(administrator)

    response = client.get(_url(detention, "simple_history", _versions(other)[0].history_id))

    assert response.status_code == 404


def test_the_restore_service_refuses_a_non_administrator_and_writes_nothing(monitor):
    detention = _edited_detention(monitor)
    count = Detention.history.count()

    with pytest.raises(PermissionDenied):
        record_restore_version(record=detention, version=_versions(detention)[0], user=monitor)

    assert Detention.history.count() == count
    assert not AuditEntry.objects.filter(action="kuzet.detention.version_restored").exists()


def test_the_history_page_costs_the_same_queries_for_2_versions_as_for_20(
    monitor, administrator, client, django_assert_num_queries
):
    detention = _edited_detention(monitor)
    client.force_login(administrator)
    url = _url(detention, "history")
    client.get(url)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(18):
        detention.notes = f"Account {n}"
        detention.released_at = detention.detained_at + dt.timedelta(hours=n + 1)
        detention.save()
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# One per many-to-many field (shared with, sources, treatment) reads every version's links at once.
HISTORY_PAGE_QUERIES = 14


def test_a_restored_name_is_found_under_it_at_once(administrator):
    """Restoring an earlier full name refreshes the search key, as an edit through the services does."""
    from people.search import person_search

    person = PersonFactory(full_name="Testbekova Aigerim")
    first = _versions(person)[0]
    Person.objects.filter(pk=person.pk).update(full_name="Otherova Dana", search_key="")

    record_restore_version(record=Person.objects.get(pk=person.pk), version=first, user=administrator)

    assert Person.objects.get(pk=person.pk).full_name == "Testbekova Aigerim"
    assert list(person_search(Person.objects.all(), "Тестбекова Айгерим")) == [person]


def test_sharing_a_record_and_its_links_are_versions(monitor, other_monitor, administrator, client):
    """Who a restricted record was shared with, and its sources and treatment, are history like any field."""
    detention = DetentionFactory(created_by=monitor, confidentiality=Confidentiality.RESTRICTED)

    detention.shared_with.add(other_monitor)

    before, after = _versions(detention)[-2:]
    assert _changes(after, before) == {"shared_with": ("", f"user #{other_monitor.pk}")}
    client.force_login(administrator)
    page = client.get(_url(detention, "history")).content.decode()
    assert f"user #{other_monitor.pk}" in page


@pytest.mark.parametrize("end", ["owner", "target"])
def test_a_link_made_from_either_end_is_a_version_of_the_record(end):
    from cases.models import Treatment

    detention = DetentionFactory()
    beaten = Treatment.objects.create(code="test-beaten", name_en="Beaten (test)")
    linked = detention.treatment if end == "owner" else beaten.detentions

    linked.add(beaten if end == "owner" else detention)
    added = _versions(detention)[-1]
    linked.clear()
    cleared = _versions(detention)[-1]

    assert _changes(added, _versions(detention)[-3]) == {"treatment": ("", f"treatment #{beaten.pk}")}
    assert _changes(cleared, added) == {"treatment": (f"treatment #{beaten.pk}", "")}

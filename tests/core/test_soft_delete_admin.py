"""Delete in the admin only hides: the row stays, restorable by an administrator, even when other records
point to it (their PROTECT does not stop a soft delete)."""

import pytest
from django.urls import reverse

from cases.models import Detention
from core.models import AuditEntry
from events.models import Assembly
from people.models import Person, PersonName
from people.selectors import person_filter_by_name
from tests.admin_forms import form_data, inline_prefix, without_templates
from tests.cases.factories import CustodyPeriodFactory, DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory
from tests.people.factories import PersonFactory


def _person(user):
    """A person other rows point to: names, a detention, a legal case."""
    person = PersonFactory(full_name="Testova Aigerim", created_by=user)
    DetentionFactory(person=person, created_by=user)
    LegalCaseFactory(person=person, created_by=user)
    return person


def _detention(user):
    detention = DetentionFactory(created_by=user)
    CustodyPeriodFactory(detention=detention)
    LegalCaseFactory(person=detention.person).detentions.add(detention)
    return detention


def _assembly(user):
    assembly = AssemblyFactory(title="Testrally at the akimat", created_by=user)
    DetentionFactory(assembly=assembly, created_by=user)
    return assembly


RECORDS = {Person: _person, Detention: _detention, Assembly: _assembly}


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _listed(client, model, **params):
    return set(client.get(_url(model, "changelist"), params).context["cl"].result_list)


def _assert_hidden_by(record, user):
    row = type(record).objects.get(pk=record.pk)
    assert row.is_deleted is True
    assert row.deleted_by == user
    assert row.deleted_at is not None
    entry = AuditEntry.objects.get(object_uid=record.uid, action=f"kuzet.{record._meta.model_name}.deleted")
    assert entry.actor == user


@pytest.mark.django_db
@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_the_delete_page_only_hides_a_record_that_others_point_to(model, monitor, client):
    record = RECORDS[model](monitor)
    client.force_login(monitor)

    confirmation = client.get(_url(model, "delete", record.pk))
    response = client.post(_url(model, "delete", record.pk), {"post": "yes"})

    assert confirmation.status_code == 200
    assert "protected" not in confirmation.content.decode()
    assert response.status_code == 302
    assert response["Location"] == _url(model, "changelist")
    _assert_hidden_by(record, monitor)
    assert record not in _listed(client, model)


@pytest.mark.django_db
@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_the_delete_selected_action_only_hides_the_records(model, monitor, client):
    records = [RECORDS[model](monitor), RECORDS[model](monitor)]
    client.force_login(monitor)

    response = client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in records], "post": "yes"},
    )

    assert response.status_code == 302
    for record in records:
        _assert_hidden_by(record, monitor)
    assert _listed(client, model) & set(records) == set()


@pytest.mark.django_db
def test_records_pointing_to_a_deleted_person_stay_as_they_were(monitor, client):
    person = _person(monitor)
    client.force_login(monitor)
    client.post(_url(Person, "delete", person.pk), {"post": "yes"})

    detention, legal_case = person.detentions.get(), person.legal_cases.get()
    assert (detention.is_deleted, legal_case.is_deleted) == (False, False)
    assert PersonName.objects.filter(person=person, is_deleted=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_an_administrator_lists_deleted_records_and_restores_them(model, monitor, administrator, client):
    record = RECORDS[model](monitor)
    client.force_login(monitor)
    client.post(_url(model, "delete", record.pk), {"post": "yes"})

    client.force_login(administrator)
    assert record not in _listed(client, model)
    assert _listed(client, model, record_status="deleted") == {record}
    response = client.post(
        f"{_url(model, 'changelist')}?record_status=deleted",
        {"action": "restore_selected", "_selected_action": [record.pk], "index": 0},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["1 record restored."]
    record.refresh_from_db()
    assert (record.is_deleted, record.deleted_by, record.deleted_at) == (False, None, None)
    entry = AuditEntry.objects.get(object_uid=record.uid, action=f"kuzet.{model._meta.model_name}.restored")
    assert entry.actor == administrator
    client.force_login(monitor)
    assert record in _listed(client, model)


@pytest.mark.django_db
def test_a_monitor_gets_no_restore_action_and_cannot_list_deleted_records(monitor, client):
    person = _person(monitor)
    client.force_login(monitor)
    client.post(_url(Person, "delete", person.pk), {"post": "yes"}, follow=True)  # reads "was deleted"

    page = client.get(_url(Person, "changelist"), {"record_status": "deleted"})
    actions = [name for name, _label in page.context["action_form"].fields["action"].choices]
    response = client.post(
        f"{_url(Person, 'changelist')}?record_status=deleted",
        {"action": "restore_selected", "_selected_action": [person.pk], "index": 0},
        follow=True,
    )

    assert "delete_selected" in actions
    assert "restore_selected" not in actions
    assert person not in page.context["cl"].result_list
    assert "Testova Aigerim" not in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == ["No action selected."]
    person.refresh_from_db()
    assert person.is_deleted is True


@pytest.mark.django_db
def test_deleting_a_name_on_the_person_page_only_hides_it(monitor, client):
    person = PersonFactory(full_name="Testova Aigerim", created_by=monitor, aliases=["Qwertova Zhanna"])
    alias = person.names.get(text="Qwertova Zhanna")
    client.force_login(monitor)
    page = client.get(_url(Person, "change", person.pk))
    prefix = inline_prefix(page, PersonName)
    data = without_templates(form_data(page))
    alias_id = next(
        name
        for name, value in data.items()
        if name.startswith(prefix) and name.endswith("-id") and value == [str(alias.pk)]
    )
    data[alias_id.replace("-id", "-DELETE")] = ["on"]

    response = client.post(_url(Person, "change", person.pk), data)

    assert response.status_code == 302
    _assert_hidden_by(alias, monitor)
    assert person.names.filter(is_deleted=False).get().text == "Testova Aigerim"
    assert not person_filter_by_name(Person.objects.filter(pk=person.pk), "Qwertova").exists()
    assert "Qwertova" not in client.get(_url(Person, "change", person.pk)).content.decode()

"""Concurrent edits in the admin (core.versioning.VersionedModelForm): two monitors open the same detention;
the second save is refused with the message and a table of what is stored now beside what was typed, and
the typed values stay in the form."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Detention
from tests.admin_forms import form_data
from tests.cases.factories import CustodyPeriodFactory, DetentionFactory

pytestmark = pytest.mark.django_db


def _url(detention):
    return reverse("admin:cases_detention_change", args=[detention.pk])


def _opened(user, detention):
    client = Client()
    client.force_login(user)
    response = client.get(_url(detention))
    assert response.status_code == 200
    return client, form_data(response)


def test_the_change_page_carries_the_version_it_was_opened_at(monitor):
    detention = DetentionFactory()
    Detention.objects.filter(pk=detention.pk).update(lock_version=7)
    _client, data = _opened(monitor, detention)
    assert data["opened_lock_version"] == ["7"]


def test_the_second_save_is_refused_with_the_diff_and_keeps_what_was_typed(monitor, other_monitor):
    detention = DetentionFactory(location="Police station 1", notes="")
    first, first_data = _opened(other_monitor, detention)
    second, second_data = _opened(monitor, detention)

    first_data["location"] = ["Police station 2"]
    assert first.post(_url(detention), first_data).status_code == 302

    second_data["location"] = ["Police station 3"]
    second_data["notes"] = ["Beaten on arrest"]
    response = second.post(_url(detention), second_data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else (other_monitor) saved this detention at" in page
    assert "Your changes were not saved." in page
    assert "<tr><td>Where exactly</td><td>Police station 2</td><td>Police station 3</td></tr>" in page
    assert "<tr><td>Notes</td><td>—</td><td>Beaten on arrest</td></tr>" in page
    kept = form_data(response)
    assert kept["location"] == ["Police station 3"]
    assert kept["notes"] == ["Beaten on arrest"]
    detention.refresh_from_db()
    assert (detention.location, detention.notes, detention.lock_version) == ("Police station 2", "", 2)

    # Saving the refused form again, after reading the table, is a knowing choice: it goes through.
    assert kept["opened_lock_version"] == ["2"]
    assert second.post(_url(detention), kept).status_code == 302
    detention.refresh_from_db()
    assert (detention.location, detention.notes, detention.lock_version) == (
        "Police station 3",
        "Beaten on arrest",
        3,
    )


def test_an_inline_row_edited_by_both_is_refused(monitor, other_monitor):
    detention = DetentionFactory()
    CustodyPeriodFactory(detention=detention, facility="")
    first, first_data = _opened(other_monitor, detention)
    second, second_data = _opened(monitor, detention)
    prefix = next(k for k in first_data if k.endswith("-0-id")).removesuffix("-0-id")

    first_data[f"{prefix}-0-facility"] = ["IVS Almaty"]
    assert first.post(_url(detention), first_data).status_code == 302
    second_data[f"{prefix}-0-facility"] = ["SIZO 1"]
    response = second.post(_url(detention), second_data)

    assert response.status_code == 200
    assert "Your changes were not saved." in response.content.decode()
    assert form_data(response)[f"{prefix}-0-facility"] == ["SIZO 1"]
    assert detention.custody_periods.get().facility == "IVS Almaty"


def test_the_bulk_delete_and_restore_actions_move_the_versions(monitor, administrator):
    detentions = [DetentionFactory(), DetentionFactory()]
    client = Client()
    client.force_login(administrator)
    changelist = reverse("admin:cases_detention_changelist")
    selected = [str(d.pk) for d in detentions]

    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )
    assert response.status_code == 302
    assert [d.lock_version for d in Detention.objects.filter(pk__in=selected)] == [2, 2]

    response = client.post(
        f"{changelist}?record_status=deleted", {"action": "restore_selected", "_selected_action": selected}
    )
    assert response.status_code == 302
    assert [(d.is_deleted, d.lock_version) for d in Detention.objects.filter(pk__in=selected)] == [
        (False, 3),
        (False, 3),
    ]


def test_a_save_that_loses_the_race_for_the_lock_is_refused_with_the_message(monitor, monkeypatch):
    """Another editor's save lands between this request reading the record and locking it: the page
    reloads with the message, nothing of this save is written, and no error page."""
    from django.contrib import admin

    detention = DetentionFactory(location="Police station 1")
    client, data = _opened(monitor, detention)
    model_admin = admin.site._registry[Detention]
    read = type(model_admin).get_object

    def read_then_someone_saves(self, request, object_id, from_field=None):
        record = read(self, request, object_id, from_field)
        Detention.objects.filter(pk=record.pk).update(location="Police station 2", lock_version=2)
        return record

    monkeypatch.setattr(type(model_admin), "get_object", read_then_someone_saves)
    response = client.post(_url(detention), data, follow=True)

    assert response.redirect_chain == [(_url(detention), 302)]
    assert "after you opened it. Your changes were not saved." in response.content.decode()
    detention.refresh_from_db()
    assert (detention.location, detention.lock_version) == ("Police station 2", 2)

"""cases.views.PersonDuplicatesView (/people/duplicates/): compare possible duplicates, merge one pair."""

import pytest
from django.urls import reverse

from cases.models import Detention
from core.models import AuditEntry, Confidentiality
from people.models import Person
from tests.cases.factories import DetentionFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:person-duplicates")


@pytest.fixture
def pair():
    keep = PersonFactory(full_name="Жумагулов Болат")
    merge = PersonFactory(full_name="Zhumagulov Bolat")
    DetentionFactory(person=merge)
    return keep, merge


def _post(client, keep, merge, chosen=None):
    return client.post(URL, {"first": keep.uid, "second": merge.uid, "keep": (chosen or keep).uid})


def test_lists_pairs_side_by_side(client, monitor, pair):
    client.force_login(monitor)

    response = client.get(URL)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [[side["person"].full_name for side in row["sides"]] for row in rows] == [
        ["Жумагулов Болат", "Zhumagulov Bolat"]
    ]
    assert [side["detentions"] for side in rows[0]["sides"]] == [0, 1]
    assert "same name key" in response.content.decode()


def test_query_count_is_bounded(client, monitor, django_assert_max_num_queries):
    for n in range(10):
        PersonFactory(full_name=f"Zhumagulov Ta{'bdfglmnprtv'[n]}ov")
        PersonFactory(full_name=f"Jumagulov Ta{'bdfglmnprtv'[n]}ov")
    client.force_login(monitor)

    with django_assert_max_num_queries(12):
        response = client.get(URL)

    assert len(response.context["rows"]) == 10


def test_merge_moves_everything_and_redirects_to_the_kept_person(client, monitor, pair):
    keep, merge = pair
    client.force_login(monitor)

    response = _post(client, keep, merge)

    assert response.status_code == 302
    assert response.url == reverse("cases:person-detail", kwargs={"uid": keep.uid})
    merge.refresh_from_db()
    assert merge.is_deleted
    assert Detention.objects.get().person == keep
    assert AuditEntry.objects.filter(action="kuzet.person.merged", object_uid=keep.uid).exists()


def test_the_second_can_be_the_one_kept(client, monitor, pair):
    keep, merge = pair
    client.force_login(monitor)

    response = _post(client, keep, merge, chosen=merge)

    assert response.url == reverse("cases:person-detail", kwargs={"uid": merge.uid})
    assert Person.objects.get(pk=keep.pk).is_deleted
    assert not Person.objects.get(pk=merge.pk).is_deleted


def test_keep_outside_the_pair_is_refused(client, monitor, pair):
    keep, merge = pair
    client.force_login(monitor)

    response = _post(client, keep, merge, chosen=PersonFactory(full_name="Testov Serik"))

    assert response.status_code == 302
    assert response.url == URL
    assert not Person.objects.filter(is_deleted=True).exists()


def test_user_who_cannot_see_a_person_gets_404(client, monitor, other_monitor, pair):
    keep, merge = pair
    Person.objects.filter(pk=merge.pk).update(
        confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    client.force_login(monitor)

    assert client.get(URL).context["rows"] == []
    assert _post(client, keep, merge).status_code == 404
    assert not Person.objects.filter(is_deleted=True).exists()


def test_user_who_may_see_but_not_change_gets_403(client, analyst, pair):
    keep, merge = pair
    client.force_login(analyst)

    assert client.get(URL).status_code == 200
    assert _post(client, keep, merge).status_code == 403
    assert not Person.objects.filter(is_deleted=True).exists()


def test_partner_gets_403_and_anonymous_goes_to_login(client, partner):
    assert client.get(URL).status_code == 302
    client.force_login(partner)
    assert client.get(URL).status_code == 403


def test_wrong_method_gets_405(client, monitor):
    client.force_login(monitor)
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405

"""cases.views.AssemblyRecordView (/assemblies/<uid>/record/) and PersonSuggestView (/people/suggest/):
fast entry of detentions at an assembly — all rows in one transaction, an error keeps every row as typed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Detention
from cases.services import AssemblyRowError, assembly_detentions_record
from core.models import AuditEntry, Confidentiality
from people.models import Person
from tests.cases.factories import DetentionFactory
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _url(assembly):
    return reverse("cases:assembly-record", args=[assembly.uid])


@pytest.fixture
def as_monitor(client, monitor):
    client.force_login(monitor)
    return client


@pytest.fixture
def assembly():
    return AssemblyFactory(title="Testrally", place=PlaceFactory(name_en="Testgrad"))


def _post_data(rows, total=10):
    data = {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "200",
    }
    for index in range(total):
        row = {
            "procedural_status": "unknown",
            "outcome": "unknown",
            **(rows[index] if index < len(rows) else {}),
        }
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def _counts():
    return Person.objects.count(), Detention.objects.count(), AuditEntry.objects.count()


def test_get_shows_ten_empty_rows(as_monitor, assembly):
    response = as_monitor.get(_url(assembly))
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 10
    assert 'src="/static/kuzet/fast_entry.js"' in response.content.decode()


def test_rows_param_adds_rows(as_monitor, assembly):
    assert as_monitor.get(_url(assembly) + "?rows=20").context["formset"].total_form_count() == 20


def test_three_rows_are_recorded(as_monitor, monitor, assembly):
    existing = PersonFactory(full_name="Karatayev Daniyar")
    response = as_monitor.post(
        _url(assembly),
        _post_data(
            [
                {
                    "name": "Жұмағұлов Ерлан",
                    "time": "14:30",
                    "held_at": "Testdistrict police",
                    "procedural_status": "administrative",
                    "outcome": "admin_arrest",
                },
                {"name": "Toiken Saniya", "time": "2019-02-28 09:15"},
                {"name": "Karatayev Daniyar", "person": str(existing.uid), "outcome": "released"},
            ]
        ),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("cases:assembly-detail", args=[assembly.uid]), 302)]
    assert "3 detentions recorded." in response.content.decode()
    detentions = list(Detention.objects.filter(assembly=assembly).order_by("id"))
    assert len(detentions) == 3
    first, second, third = detentions
    for detention in detentions:
        detention.refresh_from_db()
        assert detention.place == assembly.place and detention.created_by == monitor
    created = first.person
    assert created.full_name == "Жұмағұлов Ерлан" and created.created_by == monitor
    assert "jumagulov" in created.search_key.split()
    assert list(created.names.values_list("text", flat=True)) == ["Жұмағұлов Ерлан"]
    assert first.held_at == "Testdistrict police"
    assert (first.procedural_status, first.outcome) == ("administrative", "admin_arrest")
    assert first.detained_at_precision == "time"
    assert first.detained_at.astimezone(dt.UTC).date() == dt.date(2019, 2, 27)
    assert second.person.full_name == "Toiken Saniya"
    assert third.person == existing and third.outcome == "released"
    assert Person.objects.filter(full_name="Karatayev Daniyar").count() == 1
    assert AuditEntry.objects.filter(action="kuzet.detention.created").count() == 3
    assert AuditEntry.objects.filter(action="kuzet.assembly.detentions_recorded").count() == 1


def test_time_of_day_is_on_the_assembly_date_in_local_time(as_monitor, assembly):
    as_monitor.post(_url(assembly), _post_data([{"name": "Testov Test", "time": "18:05"}]))
    detention = Detention.objects.get(assembly=assembly)
    local = timezone.localtime(detention.detained_at)
    assert (local.date(), local.hour, local.minute) == (timezone.localtime(assembly.starts_at).date(), 18, 5)


def test_empty_time_takes_the_assembly_start(as_monitor, assembly):
    as_monitor.post(_url(assembly), _post_data([{"name": "Testov Test"}]))
    detention = Detention.objects.get(assembly=assembly)
    assert detention.detained_at == assembly.starts_at
    assert detention.detained_at_precision == assembly.starts_at_precision


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ({"time": "15:00", "held_at": "Testfacility"}, "Type a name or pick a suggested person."),
        ({"name": "Testova Testa", "time": "half past three"}, "Enter a time as HH:MM"),
        (
            {"name": "Testova Testa", "person": "00000000-0000-0000-0000-000000000000"},
            "This person was not found",
        ),
    ],
)
def test_an_error_row_keeps_every_row_and_writes_nothing(as_monitor, assembly, bad_row, message):
    before = _counts()
    response = as_monitor.post(
        _url(assembly),
        _post_data(
            [
                {"name": "Testuly Birinshi", "held_at": "Testdistrict police"},
                bad_row,
                {"name": "Testuly Ushinshi"},
            ]
        ),
    )

    assert response.status_code == 200
    assert _counts() == before
    formset = response.context["formset"]
    assert not formset.forms[0].errors and not formset.forms[2].errors
    assert message in " ".join(formset.forms[1].errors.as_text().splitlines())
    html = response.content.decode()
    row = html[html.index('id="row-1"') : html.index('id="row-2"')]
    assert message in row
    for typed in ['value="Testuly Birinshi"', 'value="Testdistrict police"', 'value="Testuly Ushinshi"']:
        assert typed in html, typed
    for key, value in bad_row.items():
        if key != "person":
            assert f'value="{value}"' in row


def test_a_row_the_service_refuses_raises_its_index_and_writes_nothing(monitor, assembly):
    """What the view relies on to put a service error next to its row (the form catches every case the
    browser can send, so this is driven through the service)."""
    before = _counts()
    rows = [
        {"new_person_name": "Testuly Birinshi", "detained_at": assembly.starts_at},
        {"new_person_name": "  ", "detained_at": assembly.starts_at},
    ]
    with pytest.raises(AssemblyRowError, match=r"A person needs at least a name\.") as raised:
        assembly_detentions_record(user=monitor, assembly=assembly, rows=rows)
    assert raised.value.index == 1
    assert _counts() == before


def test_picked_person_user_may_not_see_is_refused(as_monitor, assembly, other_monitor):
    hidden = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    before = _counts()
    response = as_monitor.post(_url(assembly), _post_data([{"name": "x", "person": str(hidden.uid)}]))
    assert response.status_code == 200 and _counts() == before


def test_analyst_gets_403(client, analyst, assembly):
    client.force_login(analyst)
    assert client.get(_url(assembly)).status_code == 403
    assert client.post(_url(assembly), _post_data([{"name": "Testov Test"}])).status_code == 403
    assert not Detention.objects.exists()


def test_outsider_monitor_gets_404_for_restricted_assembly(client, monitor, other_monitor):
    hidden = AssemblyFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    client.force_login(monitor)
    assert client.get(_url(hidden)).status_code == 404
    assert client.post(_url(hidden), _post_data([{"name": "Testov Test"}])).status_code == 404


def test_anonymous_is_sent_to_login(client, assembly):
    response = client.get(_url(assembly))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_put_is_405(as_monitor, assembly):
    assert as_monitor.put(_url(assembly)).status_code == 405


# --- /people/suggest/ ---------------------------------------------------------------------------------


def _suggest(client, q):
    return client.get(reverse("cases:person-suggest"), {"q": q})


def test_suggest_finds_cyrillic_person_by_latin_query(as_monitor):
    person = PersonFactory(full_name="Жұмағұлов Ерлан", birth_date=dt.date(1990, 5, 1))
    DetentionFactory(
        person=person,
        place=PlaceFactory(name_en="Testgrad"),
        detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC),
    )
    response = _suggest(as_monitor, "Zhumagulov")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-person-uid="{person.uid}"' in html and "Жұмағұлов Ерлан" in html
    assert "1990" in html and "Testgrad" in html


def test_suggest_never_shows_another_monitors_restricted_person(as_monitor, other_monitor):
    PersonFactory(
        full_name="Жұмағұлов Ерлан", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    assert "data-person-uid" not in _suggest(as_monitor, "Zhumagulov").content.decode()


def test_suggest_lists_at_most_five(as_monitor):
    for n in range(7):
        PersonFactory(full_name=f"Testenko Vasyl{'a' * n}")
    assert _suggest(as_monitor, "Testenko").content.decode().count("data-person-uid") == 5


def test_suggest_short_query_is_empty(as_monitor):
    PersonFactory(full_name="Testenko Vasyl")
    assert "data-person-uid" not in _suggest(as_monitor, "T").content.decode()


def test_suggest_query_count_is_bounded(as_monitor, django_assert_max_num_queries):
    for n in range(7):
        DetentionFactory(person=PersonFactory(full_name=f"Testenko Vasyl{'a' * n}"))
    with django_assert_max_num_queries(6):
        _suggest(as_monitor, "Testenko")


def test_suggest_partner_gets_403(client, partner):
    client.force_login(partner)
    assert _suggest(client, "Testenko").status_code == 403


def test_suggest_post_is_405(as_monitor):
    assert as_monitor.post(reverse("cases:person-suggest"), {"q": "Testenko"}).status_code == 405

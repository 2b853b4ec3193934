"""cases.views.AssemblyRecordView (/assemblies/<uid>/record/), AssemblyRecordRowView (…/record/row/) and
PersonSuggestView (/people/suggest/): fast entry of detentions at an assembly — all rows in one transaction;
an error, "Add rows" and "Fill rows" (pasted names) all come back with every row as typed."""

import datetime as dt

import pytest
from django.db import connection
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


def _post_data(rows, total=10, **extra):
    data = {
        **extra,
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


def test_suggest_marks_only_a_near_match_as_possible(as_monitor):
    exact = PersonFactory(full_name="Жунусов Арман")
    near = PersonFactory(full_name="Жүнісов Арман")
    html = _suggest(as_monitor, "Zhunusov").content.decode()
    assert f'data-person-uid="{exact.uid}"' in html
    exact_item = html[html.index(str(exact.uid)) : html.index("</li>", html.index(str(exact.uid)))]
    assert "possible — verify" not in exact_item
    if connection.vendor == "postgresql":  # the trigram tier exists only there
        assert html.index(str(exact.uid)) < html.index(str(near.uid))
        near_item = html[html.index(str(near.uid)) : html.index("</li>", html.index(str(near.uid)))]
        assert "possible — verify" in near_item
    else:
        assert str(near.uid) not in html


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


# Session, user, roles, set_config (PostgreSQL), the best matches' names (re-ranking by spelling), the
# five people, their detentions.
SUGGEST_QUERIES = 7 if connection.vendor == "postgresql" else 6


def test_suggest_query_count_does_not_grow_with_matches(as_monitor, django_assert_num_queries):
    for n in range(7):
        DetentionFactory(person=PersonFactory(full_name=f"Testenko Vasyl{'a' * n}"))
    with django_assert_num_queries(SUGGEST_QUERIES):
        _suggest(as_monitor, "Testenko")
    for n in range(7, 20):
        DetentionFactory(person=PersonFactory(full_name=f"Testenko Vasyl{'a' * n}"))
    with django_assert_num_queries(SUGGEST_QUERIES):
        _suggest(as_monitor, "Testenko")


def test_suggest_partner_gets_403(client, partner):
    client.force_login(partner)
    assert _suggest(client, "Testenko").status_code == 403


def test_suggest_post_is_405(as_monitor):
    assert as_monitor.post(reverse("cases:person-suggest"), {"q": "Testenko"}).status_code == 405


# --- Keeping what was typed: the error path, "Add rows", pasted names ------------------------------------

TYPED = [
    {
        "name": "Testuly Birinshi",
        "time": "14:30",
        "held_at": "Testdistrict police",
        "procedural_status": "administrative",
        "outcome": "admin_arrest",
    },
    {"name": "Testova Ekinshi", "time": "half past three", "held_at": "Testfacility"},
]


def _row_html(html, index):
    start = html.index(f'id="row-{index}"')
    end = html.find("</tr>", start)
    return html[start:end]


def _assert_row_shows(html, index, row):
    """The row's inputs carry what was typed, and its selects have the typed option selected."""
    cell = _row_html(html, index)
    for key, value in row.items():
        if key in ("procedural_status", "outcome"):
            assert f'<option value="{value}" selected>' in cell, (index, key)
        else:
            assert f'value="{value}"' in cell, (index, key)


def _resubmit(response, **extra):
    """POST back the re-rendered form exactly as the page shows it (what pressing "Save all" sends)."""
    formset = response.context["formset"]
    data = {form_field.html_name: form_field.value() for form_field in formset.management_form}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    return data | extra


def test_the_error_path_keeps_every_typed_value_and_the_picked_person(as_monitor, assembly):
    picked = PersonFactory(full_name="Karatayev Daniyar")
    rows = [*TYPED, {"name": "Karatayev Daniyar", "person": str(picked.uid), "outcome": "released"}]
    before = _counts()
    response = as_monitor.post(_url(assembly), _post_data(rows, action="save"))

    assert response.status_code == 200 and _counts() == before
    html = response.content.decode()
    for index, row in enumerate(rows):
        _assert_row_shows(html, index, row)
    assert "Enter a time as HH:MM" in _row_html(html, 1)
    assert "row-error" in html[html.rindex("<tr", 0, html.index('id="row-1"')) : html.index('id="row-1"')]
    assert "Enter a time" not in _row_html(html, 0) + _row_html(html, 2)


def test_add_rows_keeps_every_typed_value_adds_ten_rows_and_saves_nothing(as_monitor, assembly):
    before = _counts()
    response = as_monitor.post(_url(assembly), _post_data(TYPED, total=3, action="add_rows"))

    assert response.status_code == 200 and _counts() == before
    formset = response.context["formset"]
    assert formset.total_form_count() == 13 and not formset.is_bound
    html = response.content.decode()
    for index, row in enumerate(TYPED):
        _assert_row_shows(html, index, row)
    assert 'name="form-TOTAL_FORMS" value="13"' in html and 'id="row-12"' in html
    # Nothing was validated: the bad time is only reported when the rows are saved.
    assert "Enter a time" not in html and "errorlist" not in html


def test_rows_kept_by_add_rows_are_saved_unchanged(as_monitor, assembly):
    """Re-rendered rows carry their values as initial data; saved untouched, they still count as filled."""
    rows = [TYPED[0], {"name": "Testova Ekinshi", "time": "09:15"}]
    response = as_monitor.post(_url(assembly), _post_data(rows, total=2, action="add_rows"))
    saved = as_monitor.post(_url(assembly), _resubmit(response, action="save"))

    assert saved.status_code == 302
    detentions = Detention.objects.filter(assembly=assembly).select_related("person").order_by("id")
    assert [d.person.full_name for d in detentions] == ["Testuly Birinshi", "Testova Ekinshi"]
    assert (detentions[0].held_at, detentions[0].outcome) == ("Testdistrict police", "admin_arrest")


PASTED = "  Testov Aidar \n\nTestova Bota\r\nTestov  Aidar\n testova bota \n\tЖұмағұлов Ерлан\n"


def test_paste_fills_the_nameless_rows_then_adds_rows_and_saves_nothing(as_monitor, assembly):
    rows = [
        {"time": "12:30", "held_at": "Testdistrict police"},  # details typed first, no name yet
        {"name": "Testuly Birinshi"},
    ]
    before = _counts()
    response = as_monitor.post(_url(assembly), _post_data(rows, total=3, action="paste", pasted_names=PASTED))

    assert response.status_code == 200 and _counts() == before
    assert [form.initial.get("name") for form in response.context["formset"].forms] == [
        "Testov Aidar",
        "Testuly Birinshi",
        "Testova Bota",
        "Жұмағұлов Ерлан",
    ]
    html = response.content.decode()
    _assert_row_shows(html, 0, {"name": "Testov Aidar", "time": "12:30", "held_at": "Testdistrict police"})
    assert 'name="form-TOTAL_FORMS" value="4"' in html
    assert "3 names put in the rows: check the rows, then save." in html
    paste_box = html[html.index("<textarea") : html.index("</textarea>")]
    assert "Testov" not in paste_box  # placed names leave the box, so saving does not paste them twice


def test_pasted_rows_are_saved_with_one_more_click(as_monitor, assembly):
    response = as_monitor.post(_url(assembly), _post_data([], total=2, action="paste", pasted_names=PASTED))
    saved = as_monitor.post(_url(assembly), _resubmit(response, action="save"), follow=True)

    assert "3 detentions recorded." in saved.content.decode()
    names = Detention.objects.filter(assembly=assembly).values_list("person__full_name", flat=True)
    assert sorted(names) == sorted(["Testov Aidar", "Testova Bota", "Жұмағұлов Ерлан"])


def test_save_with_names_still_in_the_paste_box_fills_rows_instead_of_dropping_them(as_monitor, assembly):
    before = _counts()
    response = as_monitor.post(
        _url(assembly), _post_data([TYPED[0]], total=1, action="save", pasted_names="Testova Bota")
    )
    assert response.status_code == 200 and _counts() == before
    assert [form.initial.get("name") for form in response.context["formset"].forms] == [
        "Testuly Birinshi",
        "Testova Bota",
    ]


def test_names_beyond_the_row_limit_stay_in_the_paste_box(as_monitor, assembly):
    pasted = "\n".join(f"Testov Number{n}" for n in range(205))
    response = as_monitor.post(_url(assembly), _post_data([], total=1, action="paste", pasted_names=pasted))

    assert response.context["formset"].total_form_count() == 200
    html = response.content.decode()
    paste_box = html[html.index("<textarea") : html.index("</textarea>")]
    assert "Testov Number199" not in paste_box
    assert all(f"Testov Number{n}" in paste_box for n in range(200, 205))
    assert "At most 200 rows can be saved at once" in html
    assert not Detention.objects.exists()


def test_paste_through_htmx_returns_the_form_alone(as_monitor, assembly):
    response = as_monitor.post(
        _url(assembly),
        _post_data([], total=1, action="paste", pasted_names="Testova Bota\nTestov Aidar"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<form") and 'id="fast-entry-form"' in html and "<html" not in html
    assert 'value="Testova Bota"' in html and 'name="form-TOTAL_FORMS" value="2"' in html


def test_a_paste_that_is_too_long_keeps_the_rows_and_says_why(as_monitor, assembly):
    response = as_monitor.post(
        _url(assembly), _post_data([TYPED[0]], total=1, action="paste", pasted_names="x" * 100_001)
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Detention.objects.exists()
    assert "Ensure this value has at most 100000 characters" in html
    _assert_row_shows(html, 0, TYPED[0])


# Session, user, the user's roles, the assembly and its causes (assembly_get), the user's and the groups'
# permissions (cases.add_detention); nothing per row, since rows kept as typed are not validated.
PAGE_QUERIES = 7


def test_get_and_add_rows_query_counts_are_pinned(as_monitor, assembly, django_assert_num_queries):
    with django_assert_num_queries(PAGE_QUERIES):
        as_monitor.get(_url(assembly))
    rows = [TYPED[0], {"name": "Testova Bota", "person": str(PersonFactory().uid)}] * 10
    with django_assert_num_queries(PAGE_QUERIES):
        as_monitor.post(_url(assembly), _post_data(rows, total=20, action="add_rows"))


# --- /assemblies/<uid>/record/row/ ------------------------------------------------------------------------


def _row_url(assembly, **params):
    return reverse("cases:assembly-record-row", args=[assembly.uid]), params


def test_row_endpoint_returns_one_empty_row_at_the_index(as_monitor, assembly, django_assert_num_queries):
    url, params = _row_url(assembly, index=12)
    with django_assert_num_queries(PAGE_QUERIES):
        response = as_monitor.get(url, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr") == 1 and 'id="row-12"' in html and "<td>13</td>" in html
    for field in ("name", "person", "time", "held_at", "procedural_status", "outcome"):
        assert f'name="form-12-{field}"' in html, field
    assert 'id="suggest-form-12"' in html and "data-suggest" in html
    assert '<option value="unknown" selected>' in html and "errorlist" not in html


@pytest.mark.parametrize("index", ["", "abc", "-1", "200"])
def test_row_endpoint_refuses_a_bad_index(as_monitor, assembly, index):
    url, _params = _row_url(assembly)
    assert as_monitor.get(url, {"index": index}).status_code == 400


def test_row_endpoint_access(client, analyst, monitor, other_monitor, assembly):
    url, params = _row_url(assembly, index=0)
    assert client.get(url, params).status_code == 302  # to the login page
    client.force_login(analyst)
    assert client.get(url, params).status_code == 403
    client.force_login(monitor)
    hidden = AssemblyFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    hidden_url, _params = _row_url(hidden)
    assert client.get(hidden_url, params).status_code == 404
    assert client.post(url, params).status_code == 405

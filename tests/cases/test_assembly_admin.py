"""The assembly's admin page records its detainees in one save: existing people picked by id, new people typed
by name. The POST is built from the page itself (its form, its inline prefix and empty row), as the browser
builds it; one bad row refuses the whole save, with the error on that row."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Detention, Treatment
from core.models import AuditEntry
from people.models import Person, PersonName
from tests.admin_forms import form_data, inline_prefix, inline_row, without_templates
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory

ROWS = 20
EXISTING = 5  # rows 0-4 pick a known person; rows 5-19 type a new one
GIVEN_NAMES = ("Arman", "Bolat", "Daulet", "Yerlan", "Galym", "Zhandos", "Kairat", "Marat", "Nurlan")
GIVEN_NAMES += ("Olzhas", "Rustem", "Serik", "Timur", "Ulan", "Zhanibek")
NEW_NAMES = [f"Testuly {given}" for given in GIVEN_NAMES]  # fake surname, one new person per row


@pytest.fixture
def assembly(monitor):
    place = PlaceFactory(code="test-oral", name_en="Testoral")
    return AssemblyFactory(title="Testrally at the akimat", place=place, created_by=monitor)


@pytest.fixture
def known_people(monitor):
    return [PersonFactory(created_by=monitor) for _ in range(EXISTING)]


@pytest.fixture
def treatments():
    return [
        Treatment.objects.get_or_create(code=code, defaults={"name_en": code})[0]
        for code in ("force-at-arrest", "phone-seized")
    ]


def _page_and_rows(client, assembly, rows):
    """GET the page, then a POST of it with `rows` detainee rows: {index: {field: value}}."""
    url = reverse("admin:events_assembly_change", args=[assembly.pk])
    page = client.get(url)
    prefix = inline_prefix(page, Detention)
    shown = form_data(page)
    data = {k: v for k, v in without_templates(shown).items() if not k.startswith(f"{prefix}-")}
    data.update({f"{prefix}-TOTAL_FORMS": [str(len(rows))], f"{prefix}-INITIAL_FORMS": ["0"]})
    for key in ("MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{prefix}-{key}"] = shown[f"{prefix}-{key}"]
    for index, fields in rows.items():
        data.update(inline_row(shown, prefix, index))
        data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return url, prefix, data


def _row(index, *, person="", new_person_name="", treatments=()):
    return {
        "person": str(person),
        "new_person_name": new_person_name,
        "detained_at_0": "2019-02-27",
        "detained_at_1": f"11:{index:02d}",
        "held_at": "Testoral city police",
        "procedural_status": "administrative",
        "treatment": [str(t.pk) for t in treatments],
        "outcome": "fined" if index % 2 else "admin_arrest",
    }


def _twenty_rows(known_people, treatments):
    rows = {i: _row(i, person=p.pk, treatments=treatments) for i, p in enumerate(known_people)}
    for i, name in enumerate(NEW_NAMES, start=EXISTING):
        rows[i] = _row(i, new_person_name=name, treatments=treatments[:1])
    return rows


@pytest.mark.django_db
def test_twenty_detainees_are_recorded_in_one_save(assembly, known_people, treatments, monitor, client):
    client.force_login(monitor)
    url, _prefix, data = _page_and_rows(client, assembly, _twenty_rows(known_people, treatments))

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_assembly_changelist")
    detentions = list(Detention.objects.filter(assembly=assembly).select_related("person"))
    assert len(detentions) == ROWS
    by_name = {d.person.full_name: d for d in detentions}
    assert set(by_name) == {p.full_name for p in known_people} | set(NEW_NAMES)
    for detention in detentions:
        assert detention.created_by == monitor
        assert detention.place == assembly.place
        assert detention.held_at == "Testoral city police"
        assert detention.procedural_status == "administrative"
    first_new = by_name[NEW_NAMES[0]]
    assert first_new.detained_at == timezone.make_aware(dt.datetime(2019, 2, 27, 11, EXISTING))
    assert first_new.outcome == "fined"
    assert list(first_new.treatment.all()) == treatments[:1]
    assert set(by_name[known_people[0].full_name].treatment.all()) == set(treatments)

    new_people = Person.objects.filter(full_name__in=NEW_NAMES)
    assert new_people.count() == len(NEW_NAMES)
    for person in new_people:
        assert person.created_by == monitor
        assert person.search_key != ""
        assert list(person.names.values_list("text", "kind")) == [(person.full_name, "official")]

    audit = AuditEntry.objects.filter(actor=monitor)
    assert set(audit.filter(action="kuzet.detention.created").values_list("object_uid", flat=True)) == {
        d.uid for d in detentions
    }
    assert set(audit.filter(action="kuzet.person.created").values_list("object_uid", flat=True)) == set(
        new_people.values_list("uid", flat=True)
    )
    assert audit.filter(action="kuzet.assembly.updated", object_uid=assembly.uid).count() == 1


BAD_ROWS = {
    "neither_person_nor_name": (
        {"person": "", "new_person_name": ""},
        "person",
        "Pick a person or type the name of a new one.",
    ),
    "both_person_and_name": (
        {"new_person_name": "Testuly Extra"},  # the person is added in the test
        "new_person_name",
        "Either pick a person or type a new name, not both.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_ROWS)
def test_one_bad_row_refuses_the_whole_save_with_the_error_on_that_row(
    case, assembly, known_people, treatments, monitor, client
):
    fields, field, message = BAD_ROWS[case]
    rows = _twenty_rows(known_people, treatments)
    rows[12] = {**_row(12), **fields}
    if case == "both_person_and_name":
        rows[12]["person"] = str(known_people[0].pk)
    client.force_login(monitor)
    url, prefix, data = _page_and_rows(client, assembly, rows)
    before = {model: model.objects.count() for model in (Person, PersonName, Detention, AuditEntry)}

    response = client.post(url, data)

    assert response.status_code == 200
    (formset,) = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix]
    assert formset.errors[12] == {field: [message]}
    assert [i for i, errors in enumerate(formset.errors) if errors] == [12]
    assert message in response.content.decode()
    assert {model: model.objects.count() for model in before} == before
    assert not Person.objects.filter(full_name__in=NEW_NAMES).exists()

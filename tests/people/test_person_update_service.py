"""people.services.person_update: the fields given change, spellings accumulate, the key follows; an invalid
change writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from people.models import GroupTag, Person
from people.selectors import person_filter_by_name
from people.services import PersonError, person_create, person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(monitor):
    return person_create(user=monitor, full_name="Testov Arman", notes="first note")


def test_changes_the_given_fields_only(person, lawyer):
    before = person.updated_at
    person_update(user=lawyer, person=person, occupation="driver", birth_date=dt.date(1970, 5, 1))
    person.refresh_from_db()
    assert (person.occupation, person.birth_date, person.notes) == (
        "driver",
        dt.date(1970, 5, 1),
        "first note",
    )
    assert person.updated_at > before
    entry = AuditEntry.objects.get(action="kuzet.person.updated", object_uid=person.uid)
    assert entry.actor == lawyer
    assert entry.data == {"fields": ["birth_date", "occupation"]}


def test_new_full_name_keeps_the_old_spelling_searchable(person, lawyer):
    person_update(user=lawyer, person=person, full_name="Тестов Арман", aliases=["Testov Armanzhan"])
    person.refresh_from_db()
    names = set(person.names.filter(is_deleted=False).values_list("text", flat=True))
    assert names == {"Testov Arman", "Тестов Арман", "Testov Armanzhan"}
    for query in ("Testov Arman", "Тестов", "Armanzhan"):
        assert list(person_filter_by_name(Person.objects.all(), query)) == [person]


def test_groups_replace_and_move_updated_at(person, lawyer):
    person.groups.add(GroupTag.objects.get(code="journalist"))
    before = Person.objects.get(pk=person.pk).updated_at
    person_update(user=lawyer, person=person, groups=[GroupTag.objects.get(code="blogger")])
    person.refresh_from_db()
    assert list(person.groups.values_list("code", flat=True)) == ["blogger"]
    assert person.updated_at > before


def test_nothing_changed_writes_nothing(person, lawyer):
    before = person.updated_at
    person_update(user=lawyer, person=person, notes="first note", aliases=["Testov Arman"])
    person.refresh_from_db()
    assert person.updated_at == before
    assert not AuditEntry.objects.filter(action="kuzet.person.updated").exists()


def test_invalid_field_writes_nothing(person, lawyer):
    with pytest.raises(ValidationError) as error:
        person_update(user=lawyer, person=person, gender="dragon", aliases=["Testov New"])
    assert "gender" in error.value.message_dict
    person.refresh_from_db()
    assert person.gender == "unknown"
    assert not person.names.filter(text="Testov New").exists()


def test_empty_name_is_refused(person, lawyer):
    with pytest.raises(PersonError, match=r"A person needs at least a name\."):
        person_update(user=lawyer, person=person, full_name="  ")
    person.refresh_from_db()
    assert person.full_name == "Testov Arman"

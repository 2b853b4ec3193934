import pytest

from core.models import AuditEntry
from people.models import Person, PersonName
from people.selectors import person_filter_by_name
from people.services import PersonError, person_create, person_name_add

pytestmark = pytest.mark.django_db


def test_a_new_person_is_findable_under_another_spelling_at_once(monitor):
    person = person_create(user=monitor, full_name="  Тестова   Сания ", aliases=["Testova Saniya"])
    assert person.full_name == "Тестова Сания"
    assert set(person.names.values_list("text", flat=True)) == {"Тестова Сания", "Testova Saniya"}
    assert person.created_by == monitor
    assert list(person_filter_by_name(Person.objects.all(), "Saniia Testova")) == [person]
    assert AuditEntry.objects.filter(
        action="kuzet.person.created", object_uid=person.uid, actor=monitor
    ).exists()


def test_an_empty_name_is_refused_and_nothing_is_written(monitor):
    with pytest.raises(PersonError, match=r"A person needs at least a name\."):
        person_create(user=monitor, full_name="   ")
    assert Person.objects.count() == 0
    assert PersonName.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_spelling_already_recorded_is_not_added_twice(monitor):
    person = person_create(user=monitor, full_name="Testov Marat")
    first = person_name_add(user=monitor, person=person, text="Тестов Марат")
    again = person_name_add(user=monitor, person=person, text="Тестов  Марат")
    assert first == again
    assert person.names.count() == 2


def test_a_latin_j_read_as_short_i_still_finds_the_cyrillic_name(monitor):
    person = person_create(user=monitor, full_name="Тестова Юлия")
    assert list(person_filter_by_name(Person.objects.all(), "Julia Testova")) == [person]

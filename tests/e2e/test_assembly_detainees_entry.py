"""A monitor records detainees on an assembly's admin page in a real browser: new people typed by name,
an existing person picked through the autocomplete, one save."""

import pytest

from cases.models import Detention
from people.models import Person
from tests.conftest import PASSWORD
from tests.events.factories import AssemblyFactory
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_monitor_records_three_detainees_in_one_save(page, live_server, login, monitor):
    assembly = AssemblyFactory(title="Test rally at the party office")
    known = PersonFactory(full_name="Testbekov Kairat", aliases=["Тестбеков Кайрат"])

    login(monitor, PASSWORD)
    page.goto(f"{live_server.url}/admin/events/assembly/{assembly.pk}/change/")
    rows = page.locator("#detentions-group tr.form-row:not(.empty-form)")

    page.fill("#id_detentions-0-new_person_name", "Testova Aigerim")
    page.fill("#id_detentions-0-held_at", "Test district police")
    page.select_option("#id_detentions-0-procedural_status", "witness_protected")
    page.select_option("#id_detentions-0-outcome", "released")

    page.fill("#id_detentions-1-new_person_name", "Testov Nurlan")
    page.select_option("#id_detentions-1-outcome", "admin_arrest")

    # The existing person, found by a Latin spelling of the name recorded in Cyrillic.
    rows.nth(2).locator(".field-person .select2-selection").click()
    page.fill(".select2-container--open .select2-search__field", "Testbekov")
    page.locator(".select2-results__option", has_text="Testbekov Kairat").click()
    page.select_option("#id_detentions-2-outcome", "released")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    detentions = Detention.objects.filter(assembly=assembly)
    assert detentions.count() == 3
    assert set(detentions.values_list("person__full_name", flat=True)) == {
        "Testova Aigerim",
        "Testov Nurlan",
        "Testbekov Kairat",
    }
    assert detentions.get(person=known).outcome == "released"
    assert Person.objects.get(full_name="Testova Aigerim").created_by == monitor


def test_a_row_with_neither_person_nor_name_shows_its_error_and_saves_nothing(
    page, live_server, login, monitor
):
    assembly = AssemblyFactory(title="Test picket")

    login(monitor, PASSWORD)
    page.goto(f"{live_server.url}/admin/events/assembly/{assembly.pk}/change/")
    page.fill("#id_detentions-0-new_person_name", "Testova Dana")
    page.fill("#id_detentions-1-held_at", "Test police station")  # a row with no person at all
    page.click("input[name=_continue]")

    page.wait_for_selector(".errornote")
    assert page.locator("text=Pick a person or type the name of a new one.").is_visible()
    assert page.input_value("#id_detentions-0-new_person_name") == "Testova Dana"
    assert not Detention.objects.exists()
    assert not Person.objects.filter(full_name="Testova Dana").exists()

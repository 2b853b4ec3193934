"""A monitor records three detentions at an assembly through the fast entry page in a real browser: two
new people typed by name, one existing person picked from the suggestions, one save."""

import datetime as dt
from pathlib import Path

import pytest

from cases.models import Detention
from events.models import Assembly
from people.models import Person
from tests.conftest import PASSWORD
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"


def test_monitor_records_three_detentions_through_fast_entry(page, live_server, login, monitor):
    # Shaped like a demo assembly: a dispersed rally with a reported count "more than 100".
    assembly = AssemblyFactory(
        title="Testrally on Testsquare",
        place=PlaceFactory(name_en="Testgrad"),
        starts_at=dt.datetime(2022, 1, 5, 6, 0, tzinfo=dt.UTC),
        outcome="dispersed",
        reported_detainees=100,
        reported_detainees_note="more than 100",
    )
    known = PersonFactory(full_name="Жұмағұлов Ерлан")
    ARTIFACTS.mkdir(exist_ok=True)

    login(monitor, PASSWORD)
    page.goto(f"{live_server.url}/assemblies/{assembly.uid}/record/")
    page.wait_for_selector("h1:has-text('Record detentions at Testrally on Testsquare')")

    page.fill("#id_form-0-name", "Testova Aigerim")
    page.fill("#id_form-0-time", "12:30")
    page.fill("#id_form-0-held_at", "Testdistrict police")
    page.select_option("#id_form-0-outcome", "admin_arrest")

    page.fill("#id_form-1-name", "Testov Nurlan")
    page.select_option("#id_form-1-procedural_status", "administrative")

    # Typed in Latin, found under its Cyrillic name, picked from the suggestions.
    page.locator("#id_form-2-name").press_sequentially("Zhumagulov", delay=30)
    suggestion = page.locator("#suggest-form-2 button.suggestion", has_text="Жұмағұлов Ерлан")
    suggestion.wait_for()
    page.screenshot(path=str(ARTIFACTS / "fast-entry-suggestions.png"), full_page=True)
    suggestion.click()
    assert page.input_value("#id_form-2-person") == str(known.uid)
    assert page.input_value("#id_form-2-name") == "Жұмағұлов Ерлан"
    page.screenshot(path=str(ARTIFACTS / "fast-entry-filled.png"), full_page=True)

    page.click("button[type=submit]:has-text('Save all')")
    page.wait_for_selector("text=3 detentions recorded.")
    assert page.url.endswith(f"/assemblies/{assembly.uid}/")
    rows = page.locator("tr.detainee")
    assert rows.count() == 3
    listed = rows.all_inner_texts()
    for name in ("Testova Aigerim", "Testov Nurlan", "Жұмағұлов Ерлан"):
        assert any(name in row for row in listed), name
    assert "reported more than 100, named 3" in page.inner_text("#reported-named")
    page.screenshot(path=str(ARTIFACTS / "assembly-page.png"), full_page=True)

    assembly = Assembly.objects.get(pk=assembly.pk)
    assert Detention.objects.filter(assembly=assembly).count() == 3
    assert Detention.objects.filter(assembly=assembly, person=known).count() == 1
    assert Person.objects.filter(full_name="Жұмағұлов Ерлан").count() == 1

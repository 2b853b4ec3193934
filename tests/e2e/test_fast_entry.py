"""A monitor records three detentions at an assembly through the fast entry page in a real browser: two
new people typed by name, one existing person picked from the suggestions, one save; then the demo monitor
pastes names, adds a row, recovers from an error without retyping, and finds a new detainee in Cyrillic."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cases.demo import demo_load, demo_uid
from cases.models import Detention
from events.models import Assembly
from people.models import Person
from tests.conftest import PASSWORD
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"
DEMO_PASSWORD = "demo-password-for-e2e-42"


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


def test_demo_monitor_pastes_names_fixes_an_error_and_finds_a_detainee_in_cyrillic(
    page, live_server, login, reference_data
):
    """Issue 5, item 4, end to end on the demo data: paste three names (one of them a demo person, picked
    from the suggestions), fill a field, add a row, save with one invalid row, see the error beside it with
    everything kept, fix it, save; then find one of the new detainees by a Cyrillic spelling and read the
    detention in the history. "Fill rows" and "Add rows" must not reload the page (nothing typed is lost)."""
    demo_load(password=DEMO_PASSWORD)
    monitor = get_user_model().objects.get(username="demo-monitor")
    assembly = Assembly.objects.get(uid=demo_uid("assembly/2019-02-27-almaty"))
    toyken = Person.objects.get(uid=demo_uid("person/toyken"))
    ARTIFACTS.mkdir(exist_ok=True)

    login(monitor, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/assemblies/{assembly.uid}/record/")
    page.wait_for_selector("h1:has-text('Record detentions at')")
    page.evaluate("window.kuzetNotReloaded = true")

    page.fill("#id_form-0-held_at", "Testdistrict police")  # typed before the paste: must survive it
    page.fill("#id_pasted_names", "Nurgaliyev Timur\n\n  Saniya Toyken \nTestova Aigerim\nNurgaliyev Timur\n")
    page.click("button:has-text('Fill rows')")
    page.wait_for_selector("text=3 names put in the rows")
    assert [page.input_value(f"#id_form-{n}-name") for n in range(4)] == [
        "Nurgaliyev Timur",
        "Saniya Toyken",
        "Testova Aigerim",
        "",
    ]
    assert page.input_value("#id_form-0-held_at") == "Testdistrict police"
    assert page.input_value("#id_pasted_names") == ""

    # The pasted demo name is an existing person: pick her from the suggestions instead of a new one.
    page.locator("#id_form-1-name").press("End")
    page.locator("#id_form-1-name").press_sequentially(" ")
    suggestion = page.locator("#suggest-form-1 button.suggestion", has_text="Saniya Toyken")
    suggestion.wait_for()
    suggestion.click()
    assert page.input_value("#id_form-1-person") == str(toyken.uid)

    page.fill("#id_form-0-time", "12:30")
    page.select_option("#id_form-0-outcome", "admin_arrest")
    page.fill("#id_form-2-time", "half past three")  # the invalid row

    rows_before = page.locator("tr.row").count()
    page.click("button:has-text('Add rows')")
    page.wait_for_selector(f"#row-{rows_before}")
    assert page.locator("tr.row").count() == rows_before + 1
    assert page.input_value("#id_form-TOTAL_FORMS") == str(rows_before + 1)
    assert page.input_value("#id_form-0-time") == "12:30"
    assert page.evaluate("window.kuzetNotReloaded === true")
    page.fill(f"#id_form-{rows_before}-name", "Testov Bakyt")
    page.screenshot(path=str(ARTIFACTS / "fast-entry-pasted.png"), full_page=True)

    page.click("button[type=submit]:has-text('Save all')")
    page.wait_for_selector("#row-2 .errorlist")
    assert "Enter a time as HH:MM" in page.inner_text("#row-2")
    assert page.locator(".errorlist").count() == 1
    assert page.input_value("#id_form-0-name") == "Nurgaliyev Timur"
    assert page.input_value("#id_form-0-held_at") == "Testdistrict police"
    assert page.input_value("#id_form-0-time") == "12:30"
    assert page.input_value("#id_form-0-outcome") == "admin_arrest"
    assert page.input_value("#id_form-1-person") == str(toyken.uid)
    assert page.input_value("#id_form-2-time") == "half past three"
    assert page.input_value(f"#id_form-{rows_before}-name") == "Testov Bakyt"
    assert not Detention.objects.filter(assembly=assembly, person__full_name="Nurgaliyev Timur").exists()
    page.screenshot(path=str(ARTIFACTS / "fast-entry-error.png"), full_page=True)

    page.fill(f"#id_form-{rows_before}-name", "")  # on second thought, only three
    page.fill("#id_form-2-time", "13:05")
    page.click("button[type=submit]:has-text('Save all')")
    page.wait_for_selector("text=3 detentions recorded.")
    assert page.url.endswith(f"/assemblies/{assembly.uid}/")
    assert Detention.objects.filter(assembly=assembly, person=toyken).count() == 1
    assert Person.objects.filter(full_name="Saniya Toyken").count() == 1

    # Typed in Latin, found by a Cyrillic spelling from the search box every page has.
    page.fill("#topbar-q", "Нургалиев Тимур")
    page.press("#topbar-q", "Enter")
    result = page.locator("tr.result", has_text="Nurgaliyev Timur")
    result.wait_for()
    assert "2019-02-27" in result.inner_text()
    page.screenshot(path=str(ARTIFACTS / "fast-entry-search.png"), full_page=True)
    result.locator("a").first.click()
    page.wait_for_selector("h1:has-text('Nurgaliyev Timur')")
    detention = page.locator("li.detention")
    assert detention.count() == 1
    assert "Testdistrict police" in detention.inner_text()
    assert "2019-02-27" in detention.inner_text()
    page.screenshot(path=str(ARTIFACTS / "fast-entry-history.png"), full_page=True)


def test_without_javascript_paste_and_add_rows_keep_what_was_typed(browser, live_server, monitor):
    """The same page with JavaScript off: "Fill rows" and "Add rows" post the form and it comes back with
    every value typed; the rows then save."""
    assembly = AssemblyFactory(title="Testpicket", place=PlaceFactory(name_en="Testgrad"))
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Almaty", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", monitor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        page.goto(f"{live_server.url}/assemblies/{assembly.uid}/record/")

        page.fill("#id_form-0-held_at", "Testdistrict police")
        page.fill("#id_pasted_names", "Testova Aigerim\n\nTestov Nurlan\nTestova Aigerim")
        page.click("button:has-text('Fill rows')")
        page.wait_for_selector("text=2 names put in the rows")
        assert page.input_value("#id_form-0-name") == "Testova Aigerim"
        assert page.input_value("#id_form-0-held_at") == "Testdistrict police"
        assert page.input_value("#id_form-1-name") == "Testov Nurlan"

        page.fill("#id_form-1-time", "09:15")
        page.select_option("#id_form-1-outcome", "released")
        page.click("button:has-text('Add rows')")
        page.wait_for_selector("#row-19")
        assert page.input_value("#id_form-0-name") == "Testova Aigerim"
        assert page.input_value("#id_form-1-time") == "09:15"
        assert page.input_value("#id_form-1-outcome") == "released"
        page.screenshot(path=str(ARTIFACTS / "fast-entry-no-javascript.png"), full_page=True)

        page.click("button[type=submit]:has-text('Save all')")
        page.wait_for_selector("text=2 detentions recorded.")
    finally:
        context.close()
    saved = Detention.objects.filter(assembly=assembly).select_related("person").order_by("id")
    assert [(d.person.full_name, d.held_at, d.outcome) for d in saved] == [
        ("Testova Aigerim", "Testdistrict police", "unknown"),
        ("Testov Nurlan", "", "released"),
    ]

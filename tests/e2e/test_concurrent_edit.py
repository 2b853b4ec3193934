"""Two monitors open the same detention in the admin of a real Chromium, each in their own browser; both
edit it; the first saves; the second save is refused with the message and the table of what is stored now
beside what they typed, and what they typed is still in the form."""

from pathlib import Path

import pytest

from cases.models import Detention
from core.models import Confidentiality
from tests.cases.factories import DetentionFactory
from tests.conftest import PASSWORD
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"


def _signed_in(browser, live_server, user):
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Almaty")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return context, page


def test_the_second_monitor_to_save_a_detention_is_refused_with_the_diff(
    browser, live_server, monitor, other_monitor
):
    # Internal: every monitor sees it.
    detention = DetentionFactory(
        person=PersonFactory(full_name="Testova Aigerim"),
        location="Testdistrict police",
        notes="",
        confidentiality=Confidentiality.INTERNAL,
    )
    url = f"{live_server.url}/admin/cases/detention/{detention.pk}/change/"
    ARTIFACTS.mkdir(exist_ok=True)
    first_context, first = _signed_in(browser, live_server, other_monitor)
    second_context, second = _signed_in(browser, live_server, monitor)
    try:
        for page in (first, second):
            page.goto(url)
            page.wait_for_selector("#detention_form")

        first.fill("#id_location", "Testcity remand centre")
        second.fill("#id_location", "Testdistrict court cells")
        second.fill("#id_notes", "Bruises on both arms, seen by the lawyer")

        first.click("input[name=_continue]")
        first.wait_for_selector("ul.messagelist li.success")

        second.click("input[name=_continue]")
        second.wait_for_selector("table.version-conflict")
        errors = second.locator("ul.errorlist.nonfield").inner_text()
        assert "Someone else (other_monitor) saved this detention at" in errors
        assert "Your changes were not saved." in errors
        rows = second.locator("table.version-conflict tr").all_inner_texts()
        assert "Where exactly\tTestcity remand centre\tTestdistrict court cells" in rows
        assert "Notes\t—\tBruises on both arms, seen by the lawyer" in rows
        # Nothing typed is lost.
        assert second.input_value("#id_location") == "Testdistrict court cells"
        assert second.input_value("#id_notes") == "Bruises on both arms, seen by the lawyer"
        second.screenshot(path=str(ARTIFACTS / "concurrent-edit.png"), full_page=True)
    finally:
        first_context.close()
        second_context.close()

    stored = Detention.objects.get(pk=detention.pk)
    assert (stored.location, stored.notes, stored.lock_version) == ("Testcity remand centre", "", 2)

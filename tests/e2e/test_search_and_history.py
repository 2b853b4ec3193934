"""A monitor finds a person entered in Latin by a Cyrillic spelling, from the search box every page has, and
reads the history in a real browser."""

import datetime as dt
from pathlib import Path

import pytest

from tests.cases.factories import CustodyPeriodFactory, DetentionFactory
from tests.conftest import PASSWORD
from tests.events.factories import PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"


def test_monitor_searches_cyrillic_and_opens_history(page, live_server, login, monitor):
    person = PersonFactory(full_name="Karatayev Daniyar")
    detention = DetentionFactory(
        person=person,
        place=PlaceFactory(name_en="Testgrad"),
        detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC),
        held_at="Testdistrict police",
    )
    CustodyPeriodFactory(detention=detention, started_on=dt.date(2019, 2, 27), ended_on=dt.date(2019, 3, 1))
    ARTIFACTS.mkdir(exist_ok=True)

    login(monitor, PASSWORD)
    page.goto(f"{live_server.url}/search/")
    page.fill("#topbar-q", "Каратаев Данияр")
    page.press("#topbar-q", "Enter")
    result = page.locator("tr.result", has_text="Karatayev Daniyar")
    result.wait_for()
    assert "2019-02-27" in result.inner_text()
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)

    result.locator("a").click()
    page.wait_for_selector("h1:has-text('Karatayev Daniyar')")
    detention_item = page.locator("li.detention")
    assert "Testdistrict police" in detention_item.inner_text()
    assert "Testgrad" in detention_item.inner_text()
    assert page.locator("#days-in-custody").inner_text() == "3"
    page.screenshot(path=str(ARTIFACTS / "person-history.png"), full_page=True)

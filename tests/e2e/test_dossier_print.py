"""A lawyer prints the person page (navigation, search and buttons gone, black on white) and downloads the
dossier PDF from it, in a real browser."""

import datetime as dt
from pathlib import Path

import pytest

from tests.cases.factories import (
    AppealFactory,
    DetentionFactory,
    HearingFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.conftest import PASSWORD
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"


def test_lawyer_prints_the_history_and_downloads_the_dossier(page, live_server, login, lawyer):
    person = PersonFactory(full_name="Жүнісов Болатхан")
    DetentionFactory(person=person, held_at="Testdistrict police")
    case = LegalCaseFactory(person=person, number="TEST-0405")
    sentence = SentenceFactory(legal_case=case, term_years=1)
    HearingFactory(legal_case=case, judge="Judge Testova")
    AppealFactory(legal_case=case, sentence=sentence, decided_on=dt.date(2019, 8, 1), outcome="upheld")
    ARTIFACTS.mkdir(exist_ok=True)
    login(lawyer, PASSWORD)
    page.goto(f"{live_server.url}/people/{person.uid}/")
    page.wait_for_selector("h1:has-text('Жүнісов Болатхан')")

    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.locator("#download-dossier").is_visible()
    assert page.locator("li.hearing").is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    page.screenshot(path=str(ARTIFACTS / "person-history-print.png"), full_page=True)

    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.click("#download-dossier")
    download = download_info.value
    assert download.suggested_filename == "dossier-Zhunisov-Bolatkhan.pdf"
    target = ARTIFACTS / "dossier-e2e.pdf"
    download.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF-")

"""An analyst queues a report in the browser, watches it reach review (a real worker, or in-process without
a broker), previews the PDF, approves it and sends it by e-mail. The real compiler."""

import datetime as dt
from pathlib import Path

import pytest

from reports.models import Intervention, Report, ReportStatus
from tests.cases.factories import DetentionFactory
from tests.conftest import PASSWORD
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.reports.flow import RECIPIENTS, definition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_analyst_queues_reviews_approves_and_sends_a_report(
    page, live_server, login, analyst, celery_worker, media, mailoutbox, reference_data
):
    definition("un-sr-foaa", recipients=RECIPIENTS)
    city = PlaceFactory(code="test-e2e-city", name_en="Testcity E2E")
    rally = AssemblyFactory(place=city, starts_at=dt.datetime(2019, 2, 27, 5, 0, tzinfo=dt.UTC))
    for hour in (6, 7):
        DetentionFactory(
            assembly=rally, place=city, detained_at=dt.datetime(2019, 2, 27, hour, 0, tzinfo=dt.UTC)
        )
    ARTIFACTS.mkdir(exist_ok=True)

    login(analyst, PASSWORD)
    page.goto(f"{live_server.url}/search/")
    page.click("nav.topbar-nav >> text=Reports")
    page.wait_for_selector("h1:has-text('Reports')")
    page.click("#queue-report")
    page.select_option("#id_definition", "un-sr-foaa")
    page.fill("#id_period_start", "2019-02-01")
    page.fill("#id_period_end", "2019-02-28")
    page.click("button[type=submit]:has-text('Queue')")

    # The page polls while the report is queued or compiling.
    page.wait_for_selector("#report-status:has-text('In review')", timeout=120_000)
    report = Report.objects.get()
    assert (report.status, report.version) == (ReportStatus.REVIEW, 1)
    preview = page.locator("#report-preview")
    assert preview.get_attribute("src") == f"/reports/{report.uid}/files/pdf/"
    pdf = page.request.get(f"{live_server.url}/reports/{report.uid}/files/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.wait_for_timeout(1000)  # let the frame draw the PDF before the screenshot
    page.screenshot(path=str(ARTIFACTS / "report-review.png"), full_page=True)

    page.click("#approve")
    page.wait_for_selector("#report-status:has-text('Approved')")
    assert page.locator("#id_subject").input_value()  # the proposed subject, editable
    page.click("#send-email")
    page.wait_for_selector("#report-status:has-text('Sent')")
    page.screenshot(path=str(ARTIFACTS / "report-sent.png"), full_page=True)

    [email] = mailoutbox
    assert email.to == RECIPIENTS.splitlines()
    assert any(name.endswith(".pdf") for name, _content, _type in email.attachments)
    intervention = Intervention.objects.get()
    assert (intervention.report_id, intervention.channel) == (report.pk, "email")
    assert "Awaiting reply" in page.locator("#interventions").inner_text()

    page.click("a:has-text('Reports')")
    page.wait_for_selector("#reports")
    assert "Sent" in page.locator("#reports tbody tr").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "reports-list.png"), full_page=True)

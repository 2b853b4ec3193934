"""The Content-Security-Policy in a real browser (issue 7, item 4): every page, the admin and the API
reference work with no inline script and no inline style, and Chromium reports no violation of the policy."""

import datetime as dt

import pytest

from tests.conftest import PASSWORD
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def violations(page):
    """What Chromium reports against the policy: its console error, and the DOM's violation event (which
    also catches what a page's own script tried to inject)."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: page error: {error}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


def test_pages_admin_and_api_docs_run_without_policy_violations(
    page, live_server, login, administrator, violations, reference_data
):
    person = PersonFactory(full_name="Testova Aigerim")
    assembly = AssemblyFactory(
        title="Testrally on Testsquare",
        place=PlaceFactory(name_en="Testgrad"),
        starts_at=dt.datetime(2022, 1, 5, 6, 0, tzinfo=dt.UTC),
    )
    base = live_server.url

    login(administrator, PASSWORD)
    for url, landmark in [
        ("/dashboard/", "h1"),
        ("/search/?q=Testova", "text=Testova Aigerim"),
        (f"/people/{person.uid}/", "h1:has-text('Testova Aigerim')"),
        (f"/assemblies/{assembly.uid}/", "h1:has-text('Testrally on Testsquare')"),
        ("/reports/", "h1"),
        (f"/admin/people/person/{person.pk}/change/", "#person_form"),
        ("/api/v1/docs/", ".api-content h1:has-text('Kuzet partner API')"),
        ("/api/v1/docs/swagger/", ".swagger-ui .info"),
    ]:
        page.goto(f"{base}{url}")
        page.wait_for_selector(landmark)

    # The fast entry page's own script and htmx's suggestions, driven as a monitor drives them.
    page.goto(f"{base}/assemblies/{assembly.uid}/record/")
    page.locator("#id_form-0-name").press_sequentially("Testova", delay=30)
    page.locator("#suggest-form-0 button.suggestion", has_text="Testova Aigerim").wait_for()

    # Redoc's footer always shows Redocly's logo from their CDN; the policy blocking it is wanted: the API
    # reference makes no request outside this site.
    violations = [v for v in violations if "cdn.redoc.ly" not in v]
    assert violations == [], "\n".join(violations)

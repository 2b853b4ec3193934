"""Two-factor authentication in a real browser (issue 7, item 3): a new monitor logs in, sets up an
authenticator (the test reads the key the page shows, as a person types it into an app, and computes the
code), sees the recovery codes once, reaches the dashboard; logs out, and logs in again with a code. No page
breaks the Content-Security-Policy on the way."""

import time
from base64 import b32decode
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.core.two_factor_helpers import code_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(__file__).parent / "artifacts"


def _password_login(page, user):
    page.wait_for_selector("#id_username")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_a_new_monitor_enrols_then_signs_in_with_a_code(settings, page, live_server, monitor, reference_data):
    settings.REQUIRE_2FA = True
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = live_server.url

    page.goto(f"{base}/dashboard/")
    _password_login(page, monitor)
    page.wait_for_selector("h1:has-text('Set up two-factor authentication')")
    assert page.url == f"{base}/account/two-factor/enrol/?next=%2Fdashboard%2F"
    assert page.locator(".two-factor-qr-box svg").is_visible()
    key = b32decode(page.inner_text("#two-factor-secret").replace(" ", "")).hex()
    page.screenshot(path=str(ARTIFACTS / "two-factor-enrol.png"), full_page=True)

    page.fill("#id_code", "000000")
    page.click("input[type=submit]")
    page.wait_for_selector("text=That code does not match.")
    page.fill("#id_code", code_for(key))
    page.click("input[type=submit]")

    page.wait_for_selector("h1:has-text('Your recovery codes')")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert page.locator("button[data-print]").is_visible()
    page.click("text=I have saved these codes: continue")
    page.wait_for_selector("h1")
    assert page.url == f"{base}/dashboard/"

    page.click(".topbar .user button[type=submit]")  # Log out
    page.wait_for_selector("text=Logged out")
    page.goto(f"{base}/dashboard/")
    _password_login(page, monitor)
    page.wait_for_selector("h1:has-text('Enter your code')")
    # The enrolment's code may not be used twice: the app's next one (30 s on) is within the tolerance.
    page.fill("#id_code", code_for(key, at=time.time() + 30))
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    assert page.locator(".topbar .username").inner_text() == "monitor"
    assert violations == []

"""The two-factor pages: enrolment end to end (QR code and key, first code, recovery codes shown once), the
code after the password (wrong codes refused with a message, throttled, counted by django-axes), recovery
codes that work once, and new recovery codes only with a current code."""

import datetime as dt
import re
from base64 import b32decode

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry
from tests.core.two_factor_helpers import authenticator, code_for, verify

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
VERIFY = reverse("two_factor:verify")
ENROL = reverse("two_factor:enrol")
STATUS = reverse("two_factor:status")
CODES = reverse("two_factor:recovery-codes")
WRONG = (
    "That code is not right. Enter the current 6-digit code from your authenticator app (check that the "
    "phone's clock is right), or one of your recovery codes."
)


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.REQUIRE_2FA = True


def _secret_on(page) -> str:
    """The key as the enrolment page shows it for typing into an app, back in hex."""
    shown = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    return b32decode(shown.replace(" ", "")).hex()


def _errors(response) -> list[str]:
    return response.context["form"].errors.get("code", [])


def test_enrolment_end_to_end(monitor, client):
    client.force_login(monitor)
    start = client.get(reverse("cases:dashboard"))
    assert start["Location"] == f"{ENROL}?next=%2Fdashboard%2F"

    page = client.get(start["Location"])
    key = _secret_on(page)
    assert page.status_code == 200
    assert '<svg width="' in page.content.decode()  # the QR code, drawn on the server
    assert client.get(start["Location"]).context["secret"] == page.context["secret"]  # a reload keeps it

    wrong = client.post(ENROL, {"code": "000000", "next": "/dashboard/"})
    assert _errors(wrong) == [
        "That code does not match. Scan the QR code again (or check the key you typed) and enter the code "
        "your app shows now."
    ]
    assert not TOTPDevice.objects.filter(user=monitor).exists()

    confirmed = client.post(ENROL, {"code": code_for(key), "next": "/dashboard/"})
    assert confirmed["Location"] == CODES
    shown = client.get(CODES)
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=monitor).values_list("token", flat=True))
    assert all(code in shown.content.decode() for code in codes)

    done = client.post(CODES)
    assert done["Location"] == "/dashboard/"
    assert client.get(CODES)["Location"] == STATUS  # shown once only
    assert client.get(reverse("cases:dashboard")).status_code == 200
    device = TOTPDevice.objects.get(user=monitor)
    assert (device.confirmed, device.key) == (True, key)
    entry = AuditEntry.objects.get(action="kuzet.two_factor.enrolled")
    assert (entry.actor, entry.data) == (monitor, {"user_id": monitor.pk, "username": "monitor"})


def test_a_password_alone_cannot_replace_an_authenticator(monitor, client):
    device = authenticator(monitor)
    client.force_login(monitor)

    page = client.get(ENROL)
    posted = client.post(ENROL, {"code": "123456"})

    assert page["Location"] == f"{VERIFY}?next=%2F"
    assert posted["Location"] == f"{VERIFY}?next=%2F"
    assert list(TOTPDevice.objects.filter(user=monitor)) == [device]


def test_a_verified_user_going_to_enrolment_is_sent_to_the_status_page(monitor, client):
    device = authenticator(monitor)
    client.force_login(monitor)
    verify(client, device)

    assert client.get(ENROL)["Location"] == STATUS


def test_a_user_without_an_authenticator_is_sent_from_the_code_page_to_enrolment(monitor, client):
    client.force_login(monitor)

    assert client.get(f"{VERIFY}?next=/search/")["Location"] == f"{ENROL}?next=%2Fsearch%2F"


def test_the_code_after_the_password_opens_the_pages(monitor, client):
    device = authenticator(monitor)
    client.force_login(monitor)

    page = client.get(f"{VERIFY}?next=/search/")
    response = client.post(VERIFY, {"code": code_for(device.key), "next": "/search/"})

    assert page.status_code == 200
    assert response["Location"] == "/search/"
    assert client.get("/search/").status_code == 200


def test_a_next_to_another_site_is_ignored(monitor, client):
    device = authenticator(monitor)
    client.force_login(monitor)

    response = client.post(VERIFY, {"code": code_for(device.key), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_with_a_message_then_throttled(monitor, client):
    device = authenticator(monitor)
    client.force_login(monitor)

    with time_machine.travel(NOW, tick=False) as clock:
        wrong = client.post(VERIFY, {"code": "000000"})
        too_soon = client.post(VERIFY, {"code": code_for(device.key)})
        clock.shift(dt.timedelta(seconds=2))
        in_time = client.post(VERIFY, {"code": code_for(device.key), "next": "/search/"})

    assert wrong.status_code == 200
    assert _errors(wrong) == [WRONG]
    assert WRONG.replace("'", "&#x27;") in wrong.content.decode()
    assert _errors(too_soon) == ["Too many wrong codes. Wait 1 second before trying again."]
    assert in_time["Location"] == "/search/"


def test_wrong_codes_count_as_failed_logins_and_lock_the_account_out(settings, monitor, client):
    """Five wrong codes (each after the device's wait) end the session and lock the account out from this
    address as five wrong passwords do."""
    authenticator(monitor)
    client.force_login(monitor)

    with time_machine.travel(NOW, tick=False) as clock:
        responses = []
        for _ in range(settings.AXES_FAILURE_LIMIT):
            responses.append(client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR="203.0.113.7"))
            clock.shift(dt.timedelta(seconds=60))

    assert [r.status_code for r in responses] == [200] * 4 + [429]
    assert "This account is locked" in responses[-1].content.decode()
    assert AccessAttempt.objects.get(username="monitor").failures_since_start == 5
    assert client.get(reverse("cases:dashboard"))["Location"].startswith(reverse("admin:login"))


def test_a_recovery_code_works_once_and_only_once(monitor, client, django_user_model):
    authenticator(monitor, recovery_codes=["abcd2345", "efgh6723"])
    client.force_login(monitor)

    used = client.post(VERIFY, {"code": "ABCD 2345", "next": "/search/"}, follow=True)
    assert used.redirect_chain == [("/search/", 302)]
    assert [str(m) for m in used.context["messages"]] == [
        "You used a recovery code: 1 is left. Make new ones on your two-factor page."
    ]
    client.logout()
    client.force_login(monitor)
    again = client.post(VERIFY, {"code": "abcd2345"})

    assert _errors(again) == [WRONG]
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]


def test_the_status_page_shows_the_authenticator_and_the_codes_left(monitor, client):
    device = authenticator(monitor, recovery_codes=["abcd2345", "efgh6723", "ijkl2345"])
    client.force_login(monitor)
    verify(client, device)

    page = client.get(STATUS)

    assert page.context["device"] == device
    assert page.context["recovery_codes_left"] == 3
    assert "3 codes" in page.content.decode()


def test_the_status_page_offers_enrolment_when_not_set_up(settings, monitor, client):
    settings.REQUIRE_2FA = False
    client.force_login(monitor)

    page = client.get(STATUS)

    assert page.context["device"] is None
    assert "This server does not require it" in page.content.decode()
    assert ENROL in page.content.decode()


def test_new_recovery_codes_need_a_current_code(monitor, client):
    device = authenticator(monitor, recovery_codes=["abcd2345", "efgh6723"])
    client.force_login(monitor)

    with time_machine.travel(NOW, tick=False) as clock:
        verify(client, device)
        clock.shift(dt.timedelta(seconds=30))  # a code is accepted once: the next one comes 30 s later
        wrong = client.post(STATUS, {"code": "000000"})
        clock.shift(dt.timedelta(seconds=2))
        recovery = client.post(STATUS, {"code": "efgh6723"})
        clock.shift(dt.timedelta(seconds=4))
        unchanged = set(StaticToken.objects.values_list("token", flat=True))
        right = client.post(STATUS, {"code": code_for(device.key)})
        codes = client.get(CODES).context["codes"]
        continued = client.post(CODES)

    assert _errors(wrong)[0].startswith("That code is not right.")
    assert _errors(recovery) == [
        "That code is not right. Enter the current 6-digit code from your authenticator app (check that the "
        "phone's clock is right)."
    ]
    assert unchanged == {"abcd2345", "efgh6723"}
    assert right["Location"] == CODES
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert len(codes) == 10
    assert not {"abcd2345", "efgh6723"} & set(codes)
    assert continued["Location"] == STATUS
    regenerated = AuditEntry.objects.get(action="kuzet.two_factor.recovery_codes_regenerated")
    assert regenerated.actor == monitor


def test_the_pages_need_a_login(client):
    for url in (STATUS, VERIFY, ENROL, CODES):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url

"""Login lockout (django-axes, issue 7 item 3): after AXES_FAILURE_LIMIT (5) wrong passwords for one
username from one address, that username is refused from that address for AXES_COOLOFF_TIME (30 minutes),
with a clear message on the login page; an administrator lifts it in the admin; other addresses and other
users still log in. The login page is the admin's (LOGIN_URL)."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.core.test_translations import compile_locale, served_locale_paths

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ADDRESS = "203.0.113.7"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def served_translations(settings, tmp_path):
    """The committed .po files, compiled, as test_translations serves them."""
    settings.LOCALE_PATHS = served_locale_paths(compile_locale(tmp_path))


def _login(client, username, password, address=ADDRESS):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def _fail(client, username, times, address=ADDRESS):
    return [_login(client, username, "not-the-password", address) for _ in range(times)]


def _signed_in_as(client):
    response = client.get("/admin/", REMOTE_ADDR=ADDRESS)
    return response.wsgi_request.user.get_username() if response.status_code == 200 else None


def test_the_limit_and_cool_off_are_five_failures_and_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME


def test_four_failures_show_the_login_form_and_the_right_password_still_works(client, monitor):
    responses = _fail(client, "monitor", 4)

    assert [r.status_code for r in responses] == [200] * 4
    assert "Please enter the correct username and password" in responses[-1].text
    assert _login(client, "monitor", PASSWORD).status_code == 302
    assert _signed_in_as(client) == "monitor"


def test_the_fifth_failure_locks_the_account_with_a_clear_message(client, monitor):
    *_, fifth = _fail(client, "monitor", 5)

    assert fifth.status_code == 429
    assert "<title>Too many failed logins | Kuzet</title>" in fifth.text
    assert "This account is locked after 5 failed login attempts from your address." in fifth.text
    assert "Try again in 30 min, or ask an administrator to unlock it." in fifth.text
    assert reverse("admin:login") in fifth.text


def test_a_locked_account_is_refused_even_with_the_right_password(client, monitor):
    _fail(client, "monitor", 5)

    response = _login(client, "monitor", PASSWORD)

    assert response.status_code == 429
    assert "This account is locked" in response.text
    assert _signed_in_as(client) is None


def test_the_lockout_message_is_translated(client, monitor, served_translations):
    _fail(client, "monitor", 4)

    response = client.post(
        LOGIN,
        {"username": "monitor", "password": "not-the-password"},
        REMOTE_ADDR=ADDRESS,
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 429
    assert "Учётная запись заблокирована после 5 неудачных попыток входа с вашего адреса." in response.text
    assert "Попробуйте снова через 30 мин." in response.text


def test_the_lockout_is_per_username_and_address(client, monitor, lawyer):
    _fail(client, "monitor", 5)

    assert _login(client, "lawyer", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "monitor", PASSWORD, address="198.51.100.20").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, monitor):
    with time_machine.travel(NOW, tick=False) as clock:
        _fail(client, "monitor", 5)
        clock.shift(dt.timedelta(minutes=29))
        assert _login(client, "monitor", PASSWORD).status_code == 429
        # A failure during the lockout restarts it (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT); the
        # right password above counted as a failure too.
        clock.shift(dt.timedelta(minutes=31))
        assert _login(client, "monitor", PASSWORD).status_code == 302
        assert _signed_in_as(client) == "monitor"


def test_a_successful_login_clears_earlier_failures(client, monitor):
    _fail(client, "monitor", 4)
    _login(client, "monitor", PASSWORD)
    client.logout()

    assert [r.status_code for r in _fail(client, "monitor", 4)] == [200] * 4


def test_passwords_are_not_stored_in_the_attempt_log(client, monitor):
    _fail(client, "monitor", 2)

    attempt = AccessAttempt.objects.get(username="monitor", ip_address=ADDRESS)
    assert attempt.failures_since_start == 2
    assert "not-the-password" not in attempt.post_data


def test_an_administrator_unlocks_an_account_in_the_admin(client, monitor, administrator):
    _fail(client, "monitor", 5)
    attempt = AccessAttempt.objects.get(username="monitor", ip_address=ADDRESS)
    admin_client = client.__class__()
    admin_client.force_login(administrator)

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "monitor" in listing.text
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="monitor").exists()
    assert _login(client, "monitor", PASSWORD).status_code == 302


def test_a_monitor_cannot_unlock_accounts(client, monitor, lawyer):
    _fail(client, "lawyer", 5)
    attempt = AccessAttempt.objects.get(username="lawyer")
    client.force_login(monitor)

    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_session_from_the_login_form_reaches_the_api(client, monitor):
    """The API's session authentication accepts a login that went through django-axes' backend."""
    assert _login(client, "monitor", PASSWORD).status_code == 302

    response = client.get(reverse("api:api-root"), HTTP_ACCEPT="application/json", REMOTE_ADDR=ADDRESS)

    assert response.status_code == 200


def test_api_keys_are_not_subject_to_the_login_lockout(client, partner_key, monitor):
    _fail(client, "monitor", 5)

    response = client.get(
        reverse("api:api-root"), HTTP_AUTHORIZATION=f"Bearer {partner_key}", HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200


def test_behind_a_proxy_the_lockout_keys_on_the_clients_address(client, monitor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def through_proxy(password, forwarded_for):
        return client.post(
            LOGIN,
            {"username": "monitor", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    # The client may put anything in front; the proxy appends the address it saw.
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        last = through_proxy("not-the-password", f"{spoofed}, {ADDRESS}")

    assert last.status_code == 429
    assert AccessAttempt.objects.get(username="monitor").ip_address == ADDRESS
    assert through_proxy(PASSWORD, "198.51.100.20").status_code == 302

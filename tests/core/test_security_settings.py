"""HTTP hardening and login settings (issue 7, items 3 and 4): `check --deploy` reports nothing under
production settings; every response carries the security headers and the Content-Security-Policy; sessions
end after idle time; passwords are hashed with Argon2 and must pass Django's validators; errors show no
details."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


# --- check --deploy -----------------------------------------------------------------------------------------


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a process started as production starts: DEBUG off, a long random
    SECRET_KEY, ALLOWED_HOSTS set, and none of the test run's relaxations (SECURE_SSL_REDIRECT=0, and the
    DJANGO_ALLOW_ASYNC_UNSAFE that the e2e tests set for Playwright once they are collected)."""
    relaxations = ("SECURE_", "SESSION_", "CSRF_", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if not key.startswith(relaxations)}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "p7Qz-w9Vb!x3Lr$2Tk8#Nc5Hf0Jm@4Ys6Ue1Ga&Dq9Wo-Zi7Xv2Bn8Mc3Kt5Rl0Sh",
            "ALLOWED_HOSTS": "kuzet.example.org",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **overrides,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = _check_deploy()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_report_a_missing_https_redirect():
    """The command above really checks: switching HTTPS off is reported."""
    result = _check_deploy(SECURE_SSL_REDIRECT="0")

    assert result.returncode != 0
    assert "security.W008" in result.stderr


# --- Headers on every response type -------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("secret detail of the failure: person 42 at Tole bi 15")


def _plain(request):
    return HttpResponse("plain")


urlpatterns = [
    path("boom/", _boom),
    path("plain/", _plain),
]


def _policy(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def _assert_hardened(response, *, style_src="'self'"):
    directives = _policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == style_src
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def responses(db, client, monitor, partner_key):
    """One response of each kind the app gives: its pages, the admin, the API (JSON, CSV, the docs), the
    login redirect, the lockout and the not-found page."""
    anonymous = Client()
    staff = Client()
    staff.force_login(monitor)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {partner_key}")
    return {
        "login redirect": anonymous.get(reverse("cases:dashboard")),
        "admin login": anonymous.get(reverse("admin:login")),
        "page": staff.get(reverse("cases:dashboard")),
        "admin": staff.get(reverse("admin:index")),
        "api json": api.get(reverse("api:person-list"), HTTP_ACCEPT="application/json"),
        "api csv": api.get(reverse("api:person-list") + "?format=csv"),
        "api swagger": staff.get(reverse("api:swagger")),
        "api swagger script": staff.get(reverse("api:swagger") + "?script="),
        "not found": staff.get("/no-such-page/"),
    }


def test_every_kind_of_response_carries_the_security_headers(responses):
    expected = {
        "login redirect": 302,
        "admin login": 200,
        "page": 200,
        "admin": 200,
        "api json": 200,
        "api csv": 200,
        "api swagger": 200,
        "api swagger script": 200,
        "not found": 404,
    }
    assert {name: r.status_code for name, r in responses.items()} == expected
    for response in responses.values():
        _assert_hardened(response)
    assert "<script>" not in responses["api swagger"].text


@pytest.mark.django_db
def test_only_the_redoc_page_allows_inline_styles_and_a_blob_worker(client, monitor):
    client.force_login(monitor)

    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    _assert_hardened(response, style_src="'self' 'unsafe-inline'")
    assert _policy(response)["worker-src"] == "'self' blob:"
    assert "<script>" not in response.text


@pytest.mark.django_db
def test_https_responses_carry_hsts_for_a_year_with_subdomains(client, monitor):
    client.force_login(monitor)

    response = client.get(reverse("cases:dashboard"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("admin:login"))

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"


@pytest.mark.django_db
def test_behind_a_proxy_its_https_header_is_trusted(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get(reverse("admin:login"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_the_proxy_header_is_read_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_PROXY_SSL_HEADER)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FP",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.strip().splitlines()[-1] == "('HTTP_X_FP', 'https')", result.stderr


# --- No stack traces ----------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_an_exception_in_a_view_gives_the_plain_500_page():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    for detail in ("Traceback", "RuntimeError", "person 42", "Tole bi", "settings", "boom"):
        assert detail not in response.text
    _assert_hardened(response)


@pytest.mark.urls(__name__)
def test_a_missing_page_gives_the_plain_404_page(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "nothing-here" not in response.text
    assert "urlpatterns" not in response.text


# --- Sessions -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_ends_after_thirty_idle_minutes(client, monitor):
    url = reverse("cases:dashboard")
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(monitor)
        # Each request renews the session: an hour of work, a request every 20 minutes, stays signed in.
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=20))
            assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(minutes=31))

        response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_requests_within_a_minute_do_not_rewrite_the_session(client, monitor):
    url = reverse("cases:dashboard")
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(monitor)
        clock.shift(dt.timedelta(seconds=59))
        with CaptureQueriesContext(connection) as quiet:
            client.get(url)
        clock.shift(dt.timedelta(seconds=2))
        with CaptureQueriesContext(connection) as renewing:
            client.get(url)

    def session_writes(queries):
        return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]

    assert session_writes(quiet.captured_queries) == []
    assert len(session_writes(renewing.captured_queries)) == 1


@pytest.mark.django_db
def test_a_stale_cookie_creates_no_session(client):
    client.cookies["sessionid"] = "no-such-session-key"

    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_the_session_cookie_ends_with_the_browser_and_is_secure_and_http_only(client, monitor):
    response = client.post(reverse("admin:login"), {"username": "monitor", "password": PASSWORD})

    cookie = response.cookies["sessionid"]

    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Passwords ----------------------------------------------------------------------------------------------


def _production_hashers():
    """The project's own list: the tests' autouse fixture swaps in MD5 for speed, not config/settings.py."""
    return sys.modules["config.settings"].PASSWORD_HASHERS


def test_argon2_comes_first_and_pbkdf2_still_verifies(settings):
    settings.PASSWORD_HASHERS = _production_hashers()

    assert make_password("a-long-enough-passphrase").startswith("argon2$")
    old = make_password("a-long-enough-passphrase", hasher="pbkdf2_sha256")
    assert check_password("a-long-enough-passphrase", old)


@pytest.mark.django_db
def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, settings, monitor):
    settings.PASSWORD_HASHERS = _production_hashers()
    monitor.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    monitor.save(update_fields=["password"])

    response = client.post(reverse("admin:login"), {"username": "monitor", "password": PASSWORD})

    assert response.status_code == 302
    monitor.refresh_from_db()
    assert monitor.password.startswith("argon2$")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("839201748392017", "This password is entirely numeric."),
        ("newmonitor-2026", "The password is too similar to the username."),
    ],
)
def test_the_admin_refuses_a_weak_password_for_a_new_user(client, administrator, password, message):
    client.force_login(administrator)
    form = {"username": "newmonitor", "usable_password": "true", "password1": password, "password2": password}

    response = client.post(reverse("admin:auth_user_add"), form)

    assert response.status_code == 200
    assert message in response.text
    assert not administrator.__class__.objects.filter(username="newmonitor").exists()


@pytest.mark.django_db
def test_the_admin_accepts_a_strong_password_for_a_new_user(client, administrator):
    client.force_login(administrator)
    strong = "plateau-lantern-oxbow-17"
    form = {"username": "newmonitor", "usable_password": "true", "password1": strong, "password2": strong}

    response = client.post(reverse("admin:auth_user_add"), form)

    assert response.status_code == 302
    assert administrator.__class__.objects.get(username="newmonitor").check_password(strong)

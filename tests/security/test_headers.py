"""The security headers on every response, not one of each kind: every page (as the page matrix lists them),
every admin list, add and change page of every registered model, every API endpoint and format, the schema
and docs, the two-factor pages, static files, and the 401, 403, 404, 405 and 500 answers.

tests/core/test_security_settings.py already pins the exact policy on one response of each kind, HSTS,
the HTTPS redirect, the plain 500 and 404 pages and the session cookie's flags; this file sweeps every URL
and adds the CSRF cookie's flags."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.core.admin_rows import make_rows
from tests.security.test_page_matrix import GET_PAGES, _get_url

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip())


def _assert_headers(response, where, *, framed_by_self=False):
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    directives = _directives(response)
    assert "'unsafe-inline'" not in directives["script-src"], where
    assert "'unsafe-eval'" not in directives["script-src"], where
    if framed_by_self:
        assert response["X-Frame-Options"] == "SAMEORIGIN", where
        assert directives["frame-ancestors"] == "'self'", where
    else:
        assert response["X-Frame-Options"] == "DENY", where
        assert directives["frame-ancestors"] == "'none'", where


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_page_for_every_kind_of_visitor(records, client_as, media):
    for role in ("anonymous", "partner", "analyst", "monitor"):  # 302, 403, a 403 on fast entry, 200
        client = client_as(role)
        for page in GET_PAGES:
            url = _get_url(page, records)
            response = client.get(url)
            # The PDF preview is shown in a frame of the site itself, so it alone allows framing by 'self'
            # (its refusal, a 403 raised before the view, keeps the site's DENY).
            framed = page == "report-file" and response.status_code != 403
            _assert_headers(response, (role, url), framed_by_self=framed)


def test_every_admin_page_of_every_model(client_as):
    client = client_as("administrator")
    for url in (reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")):
        _assert_headers(client.get(url), url)
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = label.replace(".", "_")
        row = make_rows(label, 1) if label in _ROWS else None
        urls = [reverse(f"admin:{info}_changelist"), reverse(f"admin:{info}_add")]
        if row is not None:
            urls += [
                reverse(f"admin:{info}_change", args=[row.pk]),
                reverse(f"admin:{info}_history", args=[row.pk]),
            ]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403), url
            _assert_headers(response, url)
    anonymous = Client()
    _assert_headers(anonymous.get(reverse("admin:login")), "login page")
    _assert_headers(anonymous.get(reverse("admin:index")), "login redirect")


_ROWS = {
    "people.person",
    "events.assembly",
    "cases.detention",
    "cases.legalcase",
    "reports.report",
    "core.apikey",
    "auth.user",
}


def test_every_api_endpoint_format_and_error(records, client_as, api_key_for, partner, monitor):
    keyed = Client(HTTP_AUTHORIZATION=f"Bearer {api_key_for(partner)}")
    session = client_as("monitor")
    person = records["person"]
    for endpoint in ("people", "assemblies", "incidents", "detentions", "legal-cases", "places", "sources"):
        for fmt in ("json", "csv", "xlsx", "api"):
            response = session.get(f"/api/v1/{endpoint}/", {"format": fmt})
            assert response.status_code == 200
            _assert_headers(response, (endpoint, fmt))
    answers = {
        "api root": session.get("/api/v1/"),
        "detail": session.get(f"/api/v1/people/{person.uid}/"),
        "changes": keyed.get("/api/v1/changes/"),
        "redoc": session.get(reverse("api:docs")),
        "swagger": session.get(reverse("api:swagger")),
        "401": Client().get("/api/v1/people/"),
        "403": keyed.post("/api/v1/people/", {}),
        "404": keyed.get(f"/api/v1/people/{person.uid}/"),  # internal: not the partner's
        "405": session.delete(f"/api/v1/people/{person.uid}/"),
    }
    for name, response in answers.items():
        _assert_headers(response, name)
    assert [answers[code].status_code for code in ("401", "403", "404", "405")] == [401, 403, 404, 405]


def test_the_api_schema(client_as):
    response = client_as("monitor").get(reverse("api:schema"))
    assert response.status_code == 200
    _assert_headers(response, "schema")


def test_two_factor_pages(client_as):
    client = client_as("monitor")
    for name in ("two_factor:status", "two_factor:enrol", "two_factor:verify", "two_factor:recovery-codes"):
        response = client.get(reverse(name))
        assert response.status_code < 500
        _assert_headers(response, name)


def test_static_files_carry_the_headers_the_security_middleware_sets(settings):
    """WhiteNoise answers static files before the later middleware run: no CSP or X-Frame-Options there
    (a stylesheet or script is not a document), but nosniff, Referrer-Policy and COOP, which the security
    middleware in front of it sets."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/kuzet/fast_entry.js")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.urls("tests.core.test_security_settings")
def test_the_500_page_carries_the_headers():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    _assert_headers(response, "500")
    assert "Traceback" not in response.content.decode()


def test_the_csrf_and_session_cookies_are_secure_http_only_and_same_site(client, monitor, settings):
    """With the production cookie settings (the defaults with DEBUG off), after a login over HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    login_page = client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {
            "username": "monitor",
            "password": PASSWORD,
            "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
        },
        secure=True,
    )
    assert response.status_code == 302
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax"), name

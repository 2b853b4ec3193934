"""With REQUIRE_2FA on, a password alone opens nothing (issue 7, item 3): every page sends a password-only
session to the code page (or to enrolment when the user has no authenticator yet), a session call to the API
gets 403, and an API key still works. Off, nothing is asked."""

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from core.two_factor import ALLOWED_VIEWS
from tests.core.two_factor_helpers import authenticator, verify
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

API_MESSAGE = (
    "Two-factor authentication is required: enter a code from your authenticator app at "
    "/account/two-factor/verify/ before using the API with this session, or use an API key."
)


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.REQUIRE_2FA = True


def _urls_without_arguments(patterns=None, prefix="", namespace=""):
    """(path, view name, view) of every URL pattern of the project that takes no argument."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern).lstrip("^").rstrip("$")
        if re.search(r"[<>()\[\]?*+\\{}|]", route):
            continue  # a converter or a regular expression group: the URL takes an argument
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _urls_without_arguments(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield f"/{prefix}{route}", name, entry.callback


def _is_api(view) -> bool:
    return hasattr(view, "cls")


def _pages(person):
    urls = [(url, view) for url, name, view in _urls_without_arguments() if name not in ALLOWED_VIEWS]
    return [
        *urls,
        (reverse("admin:index"), None),
        (reverse("cases:person-detail", args=[person.uid]), None),
        (reverse("admin:people_person_change", args=[person.pk]), None),
    ]


def test_the_walk_finds_the_pages_the_api_and_every_admin_list():
    found = {url for url, _name, _view in _urls_without_arguments()}
    admin_lists = {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    }
    assert {"/dashboard/", "/search/", "/reports/", "/api/v1/people/", "/account/two-factor/"} <= found
    assert admin_lists <= found


@pytest.mark.parametrize(
    ("has_authenticator", "step"), [(True, "two_factor:verify"), (False, "two_factor:enrol")]
)
def test_a_password_only_session_is_sent_to_the_second_factor_from_every_page(
    has_authenticator, step, administrator, client
):
    if has_authenticator:
        authenticator(administrator)
    client.force_login(administrator)  # the password, and nothing more
    person = PersonFactory()

    for url, view in _pages(person):
        response = client.get(url)
        if view is not None and _is_api(view):
            assert response.status_code == 403, url
            assert response.json() == {"detail": API_MESSAGE}, url
        else:
            assert response.status_code == 302, url
            assert response["Location"] == f"{reverse(step)}?{urlencode({'next': url})}", url


def test_a_post_is_refused_the_same_way_and_changes_nothing(monitor, client):
    authenticator(monitor)
    person = PersonFactory(full_name="Testova Aigerim", created_by=monitor)
    client.force_login(monitor)

    response = client.post(reverse("admin:people_person_delete", args=[person.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:verify")
    person.refresh_from_db()
    assert person.is_deleted is False


def test_a_verified_session_reaches_the_pages_and_the_api(monitor, client):
    device = authenticator(monitor)
    client.force_login(monitor)
    verify(client, device)

    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get("/api/v1/people/").status_code == 200


def test_a_session_api_call_of_an_unverified_user_gets_403_json(monitor, session_client_for):
    authenticator(monitor)
    response = session_client_for(monitor).get("/api/v1/people/", HTTP_ACCEPT="application/json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_MESSAGE}


def test_an_api_key_works_without_a_second_factor(monitor, api_client_for):
    response = api_client_for(monitor).get("/api/v1/people/")

    assert response.status_code == 200


def test_an_api_key_is_judged_alone_even_beside_an_unverified_session(monitor, client, api_key_for):
    """The key authenticates (the API tries it first, and refuses a bad one): the session plays no part."""
    client.force_login(monitor)
    good = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {api_key_for(monitor)}")
    bad = client.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer not-a-key")

    assert good.status_code == 200
    assert bad.status_code == 401


def test_a_bearer_header_does_not_open_a_page(monitor, client, api_key_for):
    authenticator(monitor)
    client.force_login(monitor)

    response = client.get(reverse("cases:dashboard"), HTTP_AUTHORIZATION=f"Bearer {api_key_for(monitor)}")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:verify"))


def test_an_htmx_request_is_told_to_load_the_code_page_whole(monitor, client):
    authenticator(monitor)
    client.force_login(monitor)

    response = client.get(reverse("cases:dashboard"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('two_factor:verify')}?{urlencode({'next': '/dashboard/'})}"


def test_the_login_logout_and_language_pages_stay_open(monitor, client):
    authenticator(monitor)
    client.force_login(monitor)

    language = client.post(reverse("set_language"), {"language": "ru", "next": "/dashboard/"})
    code_page = client.get(reverse("two_factor:verify"))
    logout = client.post(reverse("admin:logout"))

    assert language.status_code == 302
    assert language["Location"] == "/dashboard/"
    assert code_page.status_code == 200
    assert logout.status_code == 200
    assert client.get(reverse("cases:dashboard"))["Location"].startswith(reverse("admin:login"))


def test_the_redirect_keeps_the_security_headers(monitor, client):
    authenticator(monitor)
    client.force_login(monitor)

    response = client.get(reverse("cases:dashboard"))

    assert response.status_code == 302
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_anonymous_visitors_still_go_to_the_login_page(client):
    response = client.get(reverse("cases:dashboard"))

    assert response["Location"] == f"{reverse('admin:login')}?next=/dashboard/"


def test_with_two_factor_off_a_password_is_enough(settings, monitor, client):
    settings.REQUIRE_2FA = False
    authenticator(monitor)
    client.force_login(monitor)

    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert client.get("/api/v1/people/").status_code == 200

"""CSRF is enforced on every form: a signed-in browser that POSTs without the token gets 403 and nothing is
written. The URLs are collected from the URL resolver (every admin add / change / delete / list-action URL of
every registered model) plus the pages and admin views that take a POST, listed explicitly, with a test that
the list covers every route accepting POST — so a new form cannot be added without landing here.

The API: a session-authenticated write without the token is refused (403); an API-key write needs none.
(tests/core/test_admin_pages.py already checks PUT and DELETE without the token on the person admin.)"""

import uuid

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from people.models import Person
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Admin views beyond each model's add / change / delete / list: those that take a POST, and those that do
# not (GET pages, or a POST answered 405).
ADMIN_POST = {
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:auth_user_password_change",
    "admin:exchange_importbatch_import",
    "admin:exchange_importbatch_review",
}
ADMIN_GET_ONLY = {
    "admin:index",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
    # django-otp's authenticator set-up pages (its QR code and the key as text).
    "admin:otp_totp_totpdevice_config",
    "admin:otp_totp_totpdevice_qrcode",
}
# The changelist POSTs its bulk actions; a case record's history page restores an earlier version
# (core.history_admin).
ADMIN_MODEL_POST = ("add", "change", "delete", "changelist", "simple_history")
ADMIN_MODEL_GET_ONLY = ("history", "export")

# The pages that take a POST (cases/urls.py, reports/urls.py, the two-factor pages, Django's set_language).
PAGE_POST = {
    "set_language": "/i18n/setlang/",
    "cases:person-duplicates": reverse("cases:person-duplicates"),
    "cases:assembly-record": "/assemblies/{uid}/record/",
    "reports:report-queue": reverse("reports:report-queue"),
    "reports:report-approve": "/reports/{uid}/approve/",
    "reports:report-send": "/reports/{uid}/send/",
    "reports:report-submit": "/reports/{uid}/submitted/",
    "reports:report-retry": "/reports/{uid}/retry/",
    "reports:report-recompile": "/reports/{uid}/recompile/",
    "reports:intervention-response": "/reports/interventions/{uid}/response/",
    "two_factor:status": "/account/two-factor/",
    "two_factor:verify": "/account/two-factor/verify/",
    "two_factor:enrol": "/account/two-factor/enrol/",
    "two_factor:recovery-codes": "/account/two-factor/recovery-codes/",
}


def _patterns(patterns=None, namespace=""):
    """(route name with its namespace, callback) of every URL pattern."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner or pattern.namespace or "")
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback


def _accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    # A DRF viewset has its own CSRF rule (tested below); a function view (Django's own) is listed above.
    return getattr(callback, "actions", None) is None


def _admin_model_urls():
    """Every add / change / delete / list URL of every registered model (an id that no row has: the token
    is checked before the view runs, so what the view would do with the row never matters)."""
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        yield f"admin:{info}_add", reverse(f"admin:{info}_add")
        yield f"admin:{info}_changelist", reverse(f"admin:{info}_changelist")
        for page in ("change", "delete"):
            yield f"admin:{info}_{page}", reverse(f"admin:{info}_{page}", args=[987654])
        restore = _reverse_or_none(f"admin:{info}_simple_history", 987654, 1)
        if restore:  # a model with a history of versions
            yield f"admin:{info}_simple_history", restore


def _reverse_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _post_urls():
    uid = uuid.uuid4()
    urls = dict(_admin_model_urls())
    urls.update({name: url.format(uid=uid) for name, url in PAGE_POST.items()})
    urls["admin:login"] = reverse("admin:login")
    urls["admin:logout"] = reverse("admin:logout")
    urls["admin:password_change"] = reverse("admin:password_change")
    urls["admin:auth_user_password_change"] = reverse("admin:auth_user_password_change", args=[987654])
    urls["admin:exchange_importbatch_import"] = reverse("admin:exchange_importbatch_import")
    urls["admin:exchange_importbatch_review"] = reverse("admin:exchange_importbatch_review", args=[987654])
    return urls


POST_URLS = _post_urls()


def test_the_list_covers_every_route_that_accepts_post():
    model_pages = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
        for model in admin.site._registry
        for page in ADMIN_MODEL_POST + ADMIN_MODEL_GET_ONLY
    }
    uncovered = set()
    for name, callback in _patterns():
        if name.startswith("admin:"):
            if name not in ADMIN_POST | ADMIN_GET_ONLY | model_pages:
                uncovered.add(name)
        elif _accepts_post(callback) and name not in PAGE_POST:
            uncovered.add(name)
    # Django's set_language is a function view that takes POST; the API's own views are DRF's (below).
    assert uncovered - {"api:api-root", "api:changes", "api:schema", "api:docs", "api:swagger"} == set()
    assert ADMIN_POST | set(PAGE_POST) <= set(POST_URLS)


@pytest.fixture
def browser(administrator):
    """An administrator's browser that sends no CSRF token (the test client skips the check otherwise)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    return client


def test_a_post_without_the_csrf_token_is_refused_on_every_form(browser):
    """One sweep (a test per URL would spend its time signing in): every URL that did not answer 403 with
    Django's CSRF failure is listed."""
    data = {"full_name": "Csrfova Aliya", "post": "yes", "action": "x"}
    accepted = {}
    for name, url in sorted(POST_URLS.items()):
        response = browser.post(url, data)
        if response.status_code != 403 or "CSRF verification failed" not in response.content.decode():
            accepted[name] = response.status_code
    assert accepted == {}
    assert len(POST_URLS) > 100


def test_a_refused_post_writes_nothing(browser, administrator):
    """The admin add, change and delete of a real record, without the token: the row is as it was."""
    person = PersonFactory(full_name="Csrfova Aliya")
    before = Person.objects.count()
    posts = [
        (reverse("admin:people_person_add"), {"full_name": "Csrfov New"}),
        (reverse("admin:people_person_change", args=[person.pk]), {"full_name": "Csrfov Changed"}),
        (reverse("admin:people_person_delete", args=[person.pk]), {"post": "yes"}),
        (
            reverse("admin:people_person_changelist"),
            {"action": "delete_selected", "_selected_action": person.pk},
        ),
    ]
    for url, data in posts:
        assert browser.post(url, data).status_code == 403
    person.refresh_from_db()
    assert (Person.objects.count(), person.full_name, person.is_deleted) == (before, "Csrfova Aliya", False)


def test_the_same_post_with_the_token_goes_through(administrator):
    """The 403s above are the token's doing: with the token from the form, the same POST saves."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    client.get(reverse("admin:people_person_add"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("admin:people_person_add"), {"full_name": "Csrfov Tokened", "csrfmiddlewaretoken": token}
    )
    assert response.status_code in (200, 302)
    assert response.status_code != 403


def test_a_login_post_without_the_token_is_refused(administrator):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "administrator", "password": "x"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
@pytest.mark.parametrize("endpoint", ["people", "assemblies", "detentions", "legal-cases"])
def test_a_session_api_write_without_the_token_is_refused(method, endpoint, administrator):
    from rest_framework.test import APIClient

    person = PersonFactory(full_name="Csrfova Aliya")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(administrator)
    url = f"/api/v1/{endpoint}/" if method == "post" else f"/api/v1/people/{person.uid}/"
    response = getattr(client, method)(url, {"full_name": "Csrfov Api"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    person.refresh_from_db()
    assert person.full_name == "Csrfova Aliya"
    assert not Person.objects.filter(full_name="Csrfov Api").exists()


def test_an_api_key_write_needs_no_csrf_token(administrator, api_key_for):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(administrator, 'write')}")
    response = client.post("/api/v1/people/", {"full_name": "Csrfov Keyed"}, format="json")
    assert response.status_code == 201
    assert Person.objects.filter(full_name="Csrfov Keyed").exists()

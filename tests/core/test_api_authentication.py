"""`Authorization: Bearer <key>`: no key answers 401 with `WWW-Authenticate: Bearer`; a wrong, revoked or
expired key answers 401 with a JSON `detail` saying which; a used key records when, at most once a minute."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import ApiKey

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def url():
    """The API root: every endpoint shares its authentication, access rule and throttle."""
    return reverse("api:api-root")


def _get(url, authorization: str | None = None):
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    return client.get(url, HTTP_ACCEPT="application/json")


def test_a_partner_key_is_accepted(url, partner_key):
    assert _get(url, f"Bearer {partner_key}").status_code == 200


def test_the_bearer_keyword_is_case_insensitive(url, partner_key):
    assert _get(url, f"bearer {partner_key}").status_code == 200


def test_no_key_answers_401_with_www_authenticate_bearer(url):
    response = _get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_another_scheme_is_no_key(url, partner_key):
    response = _get(url, f"Token {partner_key}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_key_answers_401_saying_so(url, partner_key):
    prefix, _dot, secret = partner_key.partition(".")
    for wrong in (f"{prefix}.{secret[::-1]}", "nosuchkey.abcdef", "garbage"):
        response = _get(url, f"Bearer {wrong}")
        assert response.status_code == 401, wrong
        assert response.json() == {"detail": "Invalid or revoked API key."}
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_malformed_header_answers_401(url, partner_key):
    response = _get(url, f"Bearer {partner_key} extra")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid Authorization header: expected 'Bearer <key>'."}


def test_a_revoked_key_answers_401(url, partner_key):
    ApiKey.objects.update(revoked=True)
    response = _get(url, f"Bearer {partner_key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API key."}


def test_an_expired_key_answers_401_saying_it_expired(url, partner, api_key_for):
    with time_machine.travel(NOW, tick=False):
        key = api_key_for(partner, expiry_date=NOW + dt.timedelta(days=1))
        assert _get(url, f"Bearer {key}").status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=1, seconds=1), tick=False):
        response = _get(url, f"Bearer {key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "This API key has expired."}


def test_the_key_of_a_disabled_account_answers_401(url, partner, partner_key):
    partner.is_active = False
    partner.save()
    response = _get(url, f"Bearer {partner_key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "The account of this API key is disabled."}


def test_a_key_of_a_user_without_a_role_answers_403(url, outsider, api_key_for):
    response = _get(url, f"Bearer {api_key_for(outsider)}")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have access to this API."}


def test_last_used_is_recorded_at_most_once_a_minute(url, partner_key):
    api_key = ApiKey.objects.get()
    assert api_key.last_used_at is None

    with time_machine.travel(NOW, tick=False):
        _get(url, f"Bearer {partner_key}")
    api_key.refresh_from_db()
    assert api_key.last_used_at == NOW

    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        _get(url, f"Bearer {partner_key}")
    api_key.refresh_from_db()
    assert api_key.last_used_at == NOW

    later = NOW + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        _get(url, f"Bearer {partner_key}")
    api_key.refresh_from_db()
    assert api_key.last_used_at == later


def test_a_refused_key_records_no_use(url, partner_key):
    ApiKey.objects.update(revoked=True)
    _get(url, f"Bearer {partner_key}")
    assert ApiKey.objects.get().last_used_at is None


def test_a_request_within_the_minute_writes_nothing(url, partner_key, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        _get(url, f"Bearer {partner_key}")
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False), django_assert_num_queries(2):
        # the key with its user, and the user's roles: no UPDATE
        _get(url, f"Bearer {partner_key}")

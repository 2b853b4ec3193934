"""Throttling: each key has its own budget of API_THROTTLE_RATE requests; past it the API answers 429 with
Retry-After. With REDIS_URL the counts live in Redis, shared by every process that serves the API."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import ApiKey
from core.throttling import ApiKeyRateThrottle

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _three_a_minute(settings):
    settings.API_THROTTLE_RATE = "3/minute"


@pytest.fixture
def url():
    return reverse("api:api-root")


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _statuses(client, url, n: int) -> list[int]:
    return [client.get(url, HTTP_ACCEPT="application/json").status_code for _ in range(n)]


@time_machine.travel(NOW, tick=False)
def test_the_request_past_the_rate_answers_429_with_retry_after(url, partner_key):
    client = _client(partner_key)

    assert _statuses(client, url, 3) == [200, 200, 200]
    response = client.get(url, HTTP_ACCEPT="application/json")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["detail"].startswith("Request was throttled.")


def test_the_budget_comes_back_after_the_window(url, partner_key):
    client = _client(partner_key)
    with time_machine.travel(NOW, tick=False):
        assert _statuses(client, url, 4) == [200, 200, 200, 429]
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 429
        assert response["Retry-After"] == "30"
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert _statuses(client, url, 1) == [200]


@time_machine.travel(NOW, tick=False)
def test_each_key_has_its_own_budget(url, partner, api_key_for):
    first, second = _client(api_key_for(partner)), _client(api_key_for(partner))

    assert _statuses(first, url, 4) == [200, 200, 200, 429]
    assert _statuses(second, url, 1) == [200]


@time_machine.travel(NOW, tick=False)
def test_a_session_has_the_budget_of_its_user(url, monitor):
    client = APIClient()
    client.force_login(monitor)
    assert _statuses(client, url, 4) == [200, 200, 200, 429]


def test_the_rate_is_the_setting_read_at_each_request():
    assert ApiKeyRateThrottle().get_rate() == "3/minute"


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI sets it)")
@time_machine.travel(NOW, tick=False)
def test_with_redis_the_counts_are_shared_by_every_client_and_process(url, partner_key):
    """Two clients stand for two gunicorn workers: what one counted, the other sees, through Redis."""
    import redis

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    first, second = _client(partner_key), _client(partner_key)

    assert _statuses(first, url, 2) == [200, 200]
    throttle_key = cache.make_key(f"throttle_api_key_key-{ApiKey.objects.get().pk}")
    assert redis.Redis.from_url(settings.REDIS_URL).exists(throttle_key) == 1
    cache.close()  # a new connection, as another process would have
    assert _statuses(second, url, 2) == [200, 429]

"""Personas, one per role (hc `hc/test.py`): monitor, lawyer, analyst, administrator, partner, plus an
outsider (a signed-in user with no role) and a second monitor who creates restricted records."""

import uuid

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from core.roles import Role, sync_roles

PASSWORD = "correct-horse-battery-staple-42"


def _user(django_user_model, username: str, role: str | None, *, staff: bool = True):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    if role:
        if not Group.objects.filter(name=role).exists():
            # A transactional test (e2e) flushed the groups the roles migration created.
            sync_roles(django_apps)
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread of this process, consuming the configured broker: Redis when
    REDIS_URL is set (CI), Celery's in-memory transport otherwise. Tasks sent while it runs go through the
    broker instead of running eagerly. Each test gets its own queue, so test runs sharing one Redis never
    take each other's tasks. The worker sees the test database because the test is transactional."""
    from celery.contrib.testing.worker import start_worker
    from django.db import connections

    from config.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue", "result_backend")}
    queue = f"kuzet-test-{uuid.uuid4().hex}"
    app.conf.update(
        task_always_eager=False,
        task_default_queue=queue,
        result_backend=saved["result_backend"] or "cache+memory://",
    )
    # An eager task run earlier in this thread cached the result backend it saw (none, without REDIS_URL);
    # Celery has no public reset, so drop the cache to make `.get()` use the backend set above.
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    try:
        with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        connections.close_all()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test creates its personas; the production hasher (PBKDF2, a million rounds) would dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def monitor(django_user_model):
    return _user(django_user_model, "monitor", Role.MONITOR)


@pytest.fixture
def other_monitor(django_user_model):
    """The creator of restricted records that `monitor` must not see."""
    return _user(django_user_model, "other_monitor", Role.MONITOR)


@pytest.fixture
def lawyer(django_user_model):
    return _user(django_user_model, "lawyer", Role.LAWYER)


@pytest.fixture
def analyst(django_user_model):
    return _user(django_user_model, "analyst", Role.ANALYST)


@pytest.fixture
def administrator(django_user_model):
    return _user(django_user_model, "administrator", Role.ADMINISTRATOR)


@pytest.fixture
def partner(django_user_model):
    return _user(django_user_model, "partner", Role.PARTNER, staff=False)


@pytest.fixture
def outsider(django_user_model):
    return _user(django_user_model, "outsider", None, staff=False)


@pytest.fixture
def staff_outsider(django_user_model):
    """Staff flag but no role: can reach the admin, must see no case data."""
    return _user(django_user_model, "staff_outsider", None)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test counts its requests afresh: throttling keeps its counts in the cache, which is Redis (shared
    by every test and run) when REDIS_URL is set. A prefix of its own per test, rather than a flush, leaves
    the Celery broker's keys in the same Redis alone."""
    default = dict(settings.CACHES["default"])
    default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def api_key_for(db):
    """`api_key_for(user, scope="read")`: a new API key acting as `user`; returns the key itself."""
    from core.models import ApiKey

    def make(user, scope: str = "read", **fields) -> str:
        _api_key, key = ApiKey.objects.create_key(
            name=f"test key of {user.username}", user=user, scope=scope, **fields
        )
        return key

    return make


@pytest.fixture
def partner_key(partner, api_key_for) -> str:
    """A read key of the `partner` persona, as `create_api_key --partner` issues."""
    return api_key_for(partner)


@pytest.fixture
def api_client_for(api_key_for):
    """`api_client_for(user, scope="read")`: a DRF test client sending a new key of `user` as
    `Authorization: Bearer <key>`; `api_client_for(key="…")` sends a given key."""
    from rest_framework.test import APIClient

    def make(user=None, scope: str = "read", *, key: str | None = None) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key or api_key_for(user, scope)}")
        return client

    return make


@pytest.fixture
def session_client_for(db):
    """`session_client_for(user)`: a DRF test client signed in as `user` through the session, as staff
    use the API from the browser."""
    from rest_framework.test import APIClient

    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make

"""The dashboard's cached figures (cases.dashboard_cache): a second visit skips the aggregates, any write
shows at once, and one reader never gets another reader's figures."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Detention
from core.models import Confidentiality
from events.models import Place
from tests.cases.factories import DetentionFactory

pytestmark = pytest.mark.django_db

URL = reverse("cases:dashboard")
PERIOD = {"from": "2022-01-01", "to": "2022-01-15"}


def _at(day: int) -> dt.datetime:
    return dt.datetime(2022, 1, day, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2022, 1, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def data(other_monitor):
    """Three detentions staff see, and one restricted to the other monitor, who entered it."""
    almaty, aktau = Place.objects.get(code="almaty"), Place.objects.get(code="aktau")
    for day, place in ((4, almaty), (4, almaty), (5, aktau)):
        DetentionFactory(place=place, detained_at=_at(day))
    DetentionFactory(
        place=almaty,
        detained_at=_at(4),
        confidentiality=Confidentiality.RESTRICTED,
        created_by=other_monitor,
    )

# The page without the cache is 21 queries (tests/cases/test_dashboard_view.py): 15 of them compute the
# figures (cases.dashboard.dashboard_get); the key costs 2 (the reader's groups, the log's last entry).
COLD, WARM = 21 + 2, 21 + 2 - 15


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    # A cache of this test's own: the suite's workers share Redis, and SQLite reuses ids after a rollback.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


def _visit(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, PERIOD)
    assert response.status_code == 200
    return response.context["dashboard"], len(queries)


def test_a_second_visit_skips_the_aggregates_and_a_write_shows_at_once(client, monitor, data):
    client.force_login(monitor)
    client.get(URL, {"from": "2022-01-02", "to": "2022-01-15"})  # the session's own first queries
    cold, cold_queries = _visit(client)
    warm, warm_queries = _visit(client)

    assert (cold_queries, warm_queries) == (COLD, WARM)
    assert warm.total_detentions == cold.total_detentions == 3

    DetentionFactory(place=Place.objects.get(code="aktau"), detained_at=_at(6))
    after, after_queries = _visit(client)

    assert after.total_detentions == 4
    assert after_queries == cold_queries


def test_another_reader_never_gets_my_figures(client, monitor, other_monitor, data):
    """other_monitor sees their restricted detention; monitor, asking the same period next, does not."""
    client.force_login(other_monitor)
    theirs, _ = _visit(client)
    client.force_login(monitor)
    mine, _ = _visit(client)

    assert (theirs.total_detentions, mine.total_detentions) == (4, 3)
    assert {p.label: p.count for p in mine.per_city} == {"Almaty": 2, "Aktau": 1}


def test_a_restricted_record_shared_with_me_shows_at_once(client, monitor, other_monitor, data):
    client.force_login(monitor)
    before, _ = _visit(client)
    hidden = Detention.objects.get(confidentiality=Confidentiality.RESTRICTED)

    hidden.shared_with.add(monitor)
    after, _ = _visit(client)

    assert (before.total_detentions, after.total_detentions) == (3, 4)

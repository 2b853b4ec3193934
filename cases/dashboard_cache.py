"""The dashboard's figures, kept in the cache until anything they could depend on changes.

At a million detentions the dashboard's fifteen aggregate queries take seconds (bench/README.md), while
the data under them changes far less often than monitors open the page. A cached copy is keyed on
everything that decides what the reader sees: the database, the reader (user, superuser flag, groups:
visibility and role), the period, the language (place names), the urgent thresholds, the last entry of the
change log (core.changes logs every write of a tracked record, its children, its links and its
visibility), and the current slice of DASHBOARD_CACHE_SECONDS, so that deadlines and "held for N hours"
move on with the clock. A write therefore shows at once; a change of something the log does not track
shows within one slice.
"""

import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from cases.dashboard import Dashboard, dashboard_get
from core.models import ChangeLog
from events.models import Assembly


def dashboard_get_cached(
    *, user, start: dt.date, end: dt.date, assembly_url: Callable[[Assembly], str]
) -> Dashboard:
    """`dashboard_get`, from the cache when nothing changed. Two queries on a hit (the reader's groups and
    the change log's last entry); DASHBOARD_CACHE_SECONDS = 0 turns the cache off."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return dashboard_get(user=user, start=start, end=end, assembly_url=assembly_url)
    now = timezone.now()
    key = _key(user=user, start=start, end=end, slice_=int(now.timestamp()) // seconds)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = dashboard_get(user=user, start=start, end=end, assembly_url=assembly_url, now=now)
        cache.set(key, dashboard, seconds)
    return dashboard


def _key(*, user, start: dt.date, end: dt.date, slice_: int) -> str:
    last_change = ChangeLog.objects.aggregate(last=Max("seq"))["last"]
    groups = sorted(user.groups.values_list("pk", flat=True))
    parts = (
        connection.settings_dict["NAME"],
        user.pk,
        user.is_superuser,
        groups,
        start,
        end,
        get_language(),
        settings.URGENT_WHEREABOUTS_HOURS,
        settings.URGENT_HELD_HOURS,
        settings.URGENT_LOOKBACK_DAYS,
        last_change,
        slice_,
    )
    return "kuzet:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()

"""django-axes login records (addresses, usernames) are kept AXES_RETENTION_DAYS and then deleted, daily by a
Celery beat job created at `migrate`, or by `prune_login_records`."""

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from core.models import AuditEntry
from core.retention import LOGIN_RECORDS_SCHEDULE
from core.tasks import prune_login_records

START = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)


def _records(username: str) -> None:
    common = {"ip_address": "203.0.113.7", "username": username, "user_agent": "test", "path_info": "/admin/"}
    AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=3)
    AccessFailureLog.objects.create(**common)
    AccessLog.objects.create(**common)


def _left() -> dict[str, set]:
    return {
        model._meta.model_name: set(model.objects.values_list("username", flat=True))
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    }


@pytest.mark.django_db
def test_records_older_than_the_retention_are_deleted(settings):
    settings.AXES_RETENTION_DAYS = 90
    with time_machine.travel(START, tick=False):
        _records("old-guess")
    with time_machine.travel(START + dt.timedelta(days=60), tick=False):
        _records("recent-guess")
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        out = StringIO()
        call_command("prune_login_records", stdout=out)
    assert "axes.accessattempt: 1 deleted" in out.getvalue()
    assert _left() == {name: {"recent-guess"} for name in ("accessattempt", "accessfailurelog", "accesslog")}
    entry = AuditEntry.objects.get(action="kuzet.login_records.pruned")
    assert entry.data["counts"] == {"axes.accessattempt": 1, "axes.accessfailurelog": 1, "axes.accesslog": 1}
    assert "old-guess" not in json.dumps(entry.data)


@pytest.mark.django_db
def test_a_retention_under_a_day_is_refused():
    with pytest.raises(CommandError, match="at least one day"):
        call_command("prune_login_records", "--days", "0", stdout=StringIO())


@pytest.mark.django_db
def test_the_daily_schedule_exists_after_migrate():
    task = PeriodicTask.objects.get(name=LOGIN_RECORDS_SCHEDULE)
    assert task.task == "core.tasks.prune_login_records"
    assert (task.crontab.minute, task.crontab.hour) == ("40", "3")
    assert task.enabled


def test_a_real_worker_runs_the_task(celery_worker, settings):
    settings.AXES_RETENTION_DAYS = 30
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=31), tick=False):
        _records("old-guess")
    _records("today")
    result = prune_login_records.delay().get(timeout=60)
    assert result == {"axes.accessattempt": 1, "axes.accessfailurelog": 1, "axes.accesslog": 1}
    assert _left()["accesslog"] == {"today"}

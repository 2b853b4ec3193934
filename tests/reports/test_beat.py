"""The beat schedules (reports.apps): one PeriodicTask per active periodic definition, created after
`migrate`, left alone afterwards; and the task it runs queues the period just ended."""

import datetime as dt
import json

import pytest
import time_machine
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from config.celery import app
from reports.apps import ensure_report_schedules, periodic_task_name
from reports.models import Report, ReportStatus
from reports.tasks import queue_periodic_report
from tests.reports.flow import definition

pytestmark = pytest.mark.django_db


def _schedule(slug: str) -> dict:
    task = PeriodicTask.objects.select_related("crontab").get(name=periodic_task_name(slug))
    crontab = task.crontab
    return {
        "task": task.task,
        "kwargs": json.loads(task.kwargs),
        "enabled": task.enabled,
        "cron": (
            crontab.minute,
            crontab.hour,
            crontab.day_of_month,
            crontab.month_of_year,
            crontab.day_of_week,
        ),
        "timezone": str(crontab.timezone),
    }


def test_migrate_created_a_schedule_for_each_shipped_periodic_definition():
    """The test database was made by `migrate`, whose post_migrate made these."""
    assert _schedule("un-sr-foaa") == {
        "task": "reports.queue_periodic_report",
        "kwargs": {"slug": "un-sr-foaa"},
        "enabled": True,
        "cron": ("0", "2", "1", "*", "*"),
        "timezone": settings.TIME_ZONE,
    }
    for slug in ("osce-odihr", "osce-rfom", "eu-briefing"):
        assert _schedule(slug)["cron"] == ("0", "2", "1", "1,4,7,10", "*")
        assert _schedule(slug)["kwargs"] == {"slug": slug}
    assert not PeriodicTask.objects.filter(name=periodic_task_name("un-wgad")).exists()
    assert "reports.queue_periodic_report" in app.tasks


def test_an_administrators_edit_survives_the_next_migrate():
    task = PeriodicTask.objects.get(name=periodic_task_name("osce-odihr"))
    task.enabled = False
    task.save()
    ensure_report_schedules()
    assert _schedule("osce-odihr")["enabled"] is False
    assert PeriodicTask.objects.filter(name=periodic_task_name("osce-odihr")).count() == 1


def test_a_new_periodic_definition_gets_its_schedule_at_the_next_migrate():
    PeriodicTask.objects.filter(name=periodic_task_name("eu-briefing")).delete()
    definition("eu-briefing", is_active=True)
    ensure_report_schedules()
    assert _schedule("eu-briefing")["cron"] == ("0", "2", "1", "1,4,7,10", "*")


@pytest.mark.parametrize(
    ("slug", "now", "period"),
    [
        # 02:00 in Almaty on the 1st is still the last day of the month in UTC: "today" is local.
        ("un-sr-foaa", dt.datetime(2019, 2, 28, 20, 0, tzinfo=dt.UTC), ("2019-02-01", "2019-02-28")),
        ("osce-odihr", dt.datetime(2019, 3, 31, 20, 0, tzinfo=dt.UTC), ("2019-01-01", "2019-03-31")),
        ("eu-briefing", dt.datetime(2020, 1, 1, 6, 0, tzinfo=dt.UTC), ("2019-10-01", "2019-12-31")),
    ],
)
def test_the_scheduled_task_queues_the_period_just_ended(
    slug, now, period, django_capture_on_commit_callbacks
):
    definition(slug)
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks() as callbacks:
        uid = queue_periodic_report.apply(kwargs={"slug": slug}).get()
    report = Report.objects.get(uid=uid)
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == period
    assert (report.status, report.version, report.created_by) == (ReportStatus.QUEUED, 1, None)
    assert len(callbacks) == 1  # the compile starts once the row is committed


def test_a_schedule_that_fires_twice_queues_once(django_capture_on_commit_callbacks):
    definition("un-sr-foaa")
    with time_machine.travel(dt.datetime(2019, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        first = queue_periodic_report.apply(kwargs={"slug": "un-sr-foaa"}).get()
        second = queue_periodic_report.apply(kwargs={"slug": "un-sr-foaa"}).get()
    assert first is not None and second is None
    assert Report.objects.count() == 1


def test_a_failed_period_is_queued_again_by_the_schedule():
    definition("un-sr-foaa")
    with time_machine.travel(dt.datetime(2019, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        first = queue_periodic_report.apply(kwargs={"slug": "un-sr-foaa"}).get()
        Report.objects.filter(uid=first).update(status=ReportStatus.FAILED)
        second = queue_periodic_report.apply(kwargs={"slug": "un-sr-foaa"}).get()
    assert Report.objects.get(uid=second).version == 2

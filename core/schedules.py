"""Periodic Celery jobs that an app ships with: each app creates its schedule once, after `migrate` (a
post_migrate receiver in its AppConfig.ready), and from then on it belongs to the administrators, who
change it in the admin (django-celery-beat's DatabaseScheduler reads it from the database)."""

import json

from django.db import DEFAULT_DB_ALIAS, transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

CRONTAB_FIELDS = frozenset({"minute", "hour", "day_of_week", "day_of_month", "month_of_year", "timezone"})


def _crontab(fields: dict) -> CrontabSchedule:
    unknown = set(fields) - CRONTAB_FIELDS
    if unknown:
        raise ValueError(f"Unknown crontab fields: {', '.join(sorted(unknown))}.")
    wanted = {
        "minute": "*",
        "hour": "*",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        **{name: str(value) for name, value in fields.items()},
    }
    # Administrators may have made duplicates in the admin: any matching row will do.
    return CrontabSchedule.objects.filter(**wanted).first() or CrontabSchedule.objects.create(**wanted)


def _interval(minutes: int) -> IntervalSchedule:
    if minutes < 1:
        raise ValueError("interval_minutes must be at least 1.")
    wanted = {"every": minutes, "period": IntervalSchedule.MINUTES}
    return IntervalSchedule.objects.filter(**wanted).first() or IntervalSchedule.objects.create(**wanted)


@transaction.atomic
def ensure_periodic_task(
    *,
    name: str,
    task: str,
    crontab: dict | None = None,
    interval_minutes: int | None = None,
    kwargs: dict | None = None,
    enabled: bool = True,
) -> tuple[PeriodicTask, bool]:
    """The periodic task called `name`, created with the given schedule if there is none by that name, and
    whether it was created. An existing task is returned untouched, whatever its schedule, arguments or
    enabled flag: an administrator's later edits (a disabled job, another time) survive every `migrate`.

    Give exactly one of `crontab` (CrontabSchedule fields, e.g. {"minute": "0", "hour": "6"}; the others
    default to "*") and `interval_minutes`. Raises ValueError otherwise, for an unknown crontab field or an
    interval under one minute; nothing is written then.
    """
    if (crontab is None) == (interval_minutes is None):
        raise ValueError("Give exactly one of crontab and interval_minutes.")
    existing = PeriodicTask.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    schedule = (
        {"crontab": _crontab(crontab)} if crontab is not None else {"interval": _interval(interval_minutes)}
    )
    return PeriodicTask.objects.get_or_create(
        name=name,
        defaults={"task": task, "kwargs": json.dumps(kwargs or {}), "enabled": enabled, **schedule},
    )


def ensure_periodic_task_after_migrate(*, apps, using: str, **task) -> None:
    """For an app's post_migrate receiver: `ensure_periodic_task(**task)`, once django-celery-beat's tables
    exist in the state `migrate` hands over (`apps`), and on the default database only."""
    try:
        apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:  # django-celery-beat's tables are not there (yet)
        return
    if using != DEFAULT_DB_ALIAS:
        return
    ensure_periodic_task(**task)

"""How long login records are kept. django-axes writes a row for every failed login (AccessAttempt,
AccessFailureLog) and every login (AccessLog), with the address, the username typed and the browser: personal
data of monitors, and of whoever tried their accounts. They serve the lockout (minutes) and an investigation
of an attack (weeks), so they are pruned after AXES_RETENTION_DAYS (default 90), daily."""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from core.services import audit_record

LOGIN_RECORDS_SCHEDULE = "Prune old login records (django-axes)"
_MODELS = (AccessAttempt, AccessFailureLog, AccessLog)


@transaction.atomic
def login_records_prune(*, days: int | None = None) -> dict[str, int]:
    """Delete the login records older than `days` (AXES_RETENTION_DAYS by default); returns the count per
    model. Writes one `kuzet.login_records.pruned` audit entry when anything was deleted. Raises ValueError
    for fewer than 1 day (a lockout in progress must survive)."""
    days = settings.AXES_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("The retention of login records must be at least one day.")
    cutoff = timezone.now() - dt.timedelta(days=days)
    counts = {
        model._meta.label_lower: model.objects.filter(attempt_time__lt=cutoff).delete()[0]
        for model in _MODELS
    }
    if any(counts.values()):
        audit_record(
            actor=None,
            action="kuzet.login_records.pruned",
            data={"older_than_days": days, "cutoff": cutoff.isoformat(), "counts": counts},
        )
    return counts


def schedule_login_records_pruning(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """Fires after every `migrate`: creates the daily schedule of core.tasks.prune_login_records unless one by
    that name exists (an administrator's later changes to it are kept)."""
    from core.schedules import ensure_periodic_task_after_migrate

    ensure_periodic_task_after_migrate(
        apps=apps,
        using=using,
        name=LOGIN_RECORDS_SCHEDULE,
        task="core.tasks.prune_login_records",
        crontab={"minute": "40", "hour": "3"},
    )

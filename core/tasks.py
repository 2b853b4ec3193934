"""Celery tasks of the core app. Each calls one service and owns the retries."""

from celery import shared_task
from django.db import DatabaseError

from core.retention import login_records_prune


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=5)
def prune_login_records() -> dict:
    """Delete the django-axes login records older than AXES_RETENTION_DAYS (core.retention); scheduled daily
    by a django-celery-beat PeriodicTask (core.apps). Idempotent."""
    return login_records_prune()

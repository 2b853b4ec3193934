"""Celery tasks of the cases app. Each loads what it needs, calls one service and owns the retries."""

from celery import shared_task
from django.db import DatabaseError

from cases.services import urgent_alerts_send


class UrgentAlertsIncomplete(Exception):
    """Some urgent items were not mailed (an email failed); raised so Celery retries the run."""


@shared_task(
    bind=True,
    acks_late=True,  # a worker lost mid-run leaves the message queued: the run is idempotent
    autoretry_for=(UrgentAlertsIncomplete, DatabaseError),
    retry_backoff=60,
    retry_backoff_max=600,
    max_retries=5,
)
def send_urgent_alerts(self) -> dict:
    """Mail the urgent items not mailed yet (cases.services.urgent_alerts_send); scheduled every 15 minutes
    by a django-celery-beat PeriodicTask (cases.apps). Retries with backoff while an email fails; the next
    scheduled run tries the remaining items again in any case."""
    run = urgent_alerts_send()
    if run.failed:
        raise UrgentAlertsIncomplete(f"{len(run.failed)} urgent items not mailed; retrying")
    return {"sent": len(run.sent), "emails": run.emails}

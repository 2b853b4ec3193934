"""Celery tasks of the reports app. They take ids, load the row through a service, and own the retries.

Delivery is at least once (acks_late, and a message is requeued when its worker is lost); the services make
the effect exactly once (see reports.services.compile).
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError

from reports import services

logger = logging.getLogger(__name__)

# Errors that go away on their own: the database or Redis gone for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, ConnectionError)
MAX_RETRIES = 5
RETRY_BASE_SECONDS = 10
RETRY_MAX_SECONDS = 600
SOFT_TIME_LIMIT = 10 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 60


def retry_countdown(retries: int) -> int:
    """Exponential backoff: 10 s, 20 s, 40 s … at most 10 minutes."""
    return min(RETRY_BASE_SECONDS * 2**retries, RETRY_MAX_SECONDS)


@shared_task(
    bind=True,
    name="reports.report_compile",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def report_compile_task(self, report_id: int) -> str:
    """Compile report `report_id` (services.report_compile: at most once, whatever the deliveries). Retries
    transient errors with exponential backoff; records the failure on the report after the last retry, when
    the compile runs out of time, and on any other error."""
    try:
        report = services.report_compile(report_id=report_id, progress=lambda line: logger.info("%s", line))
    except SoftTimeLimitExceeded:
        services.report_fail(
            report_id=report_id,
            reason=_("The compile took longer than %(minutes)d minutes and was stopped.")
            % {"minutes": SOFT_TIME_LIMIT // 60},
        )
        return "failed"
    except TRANSIENT_ERRORS as error:
        if self.request.is_eager:
            # In-process (no broker): nothing can wait for a backoff; the report's Retry button is the retry.
            services.report_fail(
                report_id=report_id,
                reason=_("The compile stopped with an error: %(error)s")
                % {"error": f"{type(error).__name__}: {error}"},
            )
            return "failed"
        if self.request.retries >= MAX_RETRIES:
            services.report_fail(
                report_id=report_id,
                reason=_("Gave up after %(attempts)d attempts: %(error)s")
                % {"attempts": MAX_RETRIES + 1, "error": f"{type(error).__name__}: {error}"},
            )
            return "failed"
        logger.warning("Report %s: %s; retrying", report_id, error)
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error
    except Exception as error:
        # A bug, or data the compiler cannot handle: retrying would fail the same way.
        logger.exception("Report %s could not be compiled", report_id)
        services.report_fail(
            report_id=report_id,
            reason=_("The compile stopped with an error: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"},
        )
        return "failed"
    if report is None:
        return "skipped"
    return report.status


@shared_task(name="reports.queue_periodic_report")
def queue_periodic_report(slug: str) -> str | None:
    """What each periodic definition's beat schedule runs: queue the report for the period just ended."""
    report = services.report_queue_periodic(slug=slug, today=timezone.localdate())
    return str(report.uid) if report else None

"""Queueing reports: each queue, retry or recompile is one Report row in `queued`, and its compile task starts
only once that row is committed (a worker must find it)."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.services import audit_record
from people import disclosure
from people.models import Person
from reports.models import Cadence, Report, ReportDefinition, ReportKind, ReportStatus
from reports.services.errors import ReportError

PERM_QUEUE = "reports.add_report"
PERM_COMMUNICATION = "reports.queue_communication"

# A report in these states may be queued again (a failure, or a message the broker lost): the task is
# idempotent, so a second delivery of the same report does nothing.
RETRYABLE = (ReportStatus.FAILED, ReportStatus.QUEUED)


def may_queue(user, definition: ReportDefinition) -> bool:
    """Analysts and administrators queue any report; lawyers queue individual communications."""
    if user.has_perm(PERM_QUEUE):
        return True
    return definition.kind == ReportKind.INDIVIDUAL and user.has_perm(PERM_COMMUNICATION)


def period_just_ended(*, cadence: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete month (monthly) or calendar quarter (quarterly, and anything else) before `today`."""
    if cadence == Cadence.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - dt.timedelta(days=1)
    return dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def _check_permission(user, definition: ReportDefinition) -> None:
    if user is not None and not may_queue(user, definition):
        raise PermissionDenied(_("You may not queue this report."))


def report_validate(
    *,
    definition: ReportDefinition,
    period_start: dt.date,
    period_end: dt.date,
    person: Person | None,
    language: str,
) -> None:
    """The rules of a new report, without writing anything. Raises ReportError for an inactive definition, a
    period that ends before it starts, a person given to a periodic report or missing from an individual
    communication, an unknown language, and an individual communication about a person without an active
    consent for the body's scope (people.disclosure decides)."""
    if not definition.is_active:
        raise ReportError(_("The definition %(name)s is not active.") % {"name": definition.name})
    if period_end < period_start:
        raise ReportError(_("The period must not end before it starts."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ReportError(_("Unknown language %(language)s.") % {"language": language})
    if definition.kind == ReportKind.PERIODIC and person is not None:
        raise ReportError(_("A periodic report is not about one person: leave the person empty."))
    if definition.kind == ReportKind.INDIVIDUAL:
        if person is None:
            raise ReportError(_("An individual communication needs the person it is about."))
        if not disclosure.identity_disclosed(person, user=None, scope=definition.consent_scope):
            raise ReportError(
                _(
                    "%(person)s has no active consent for %(body)s: an individual communication cannot be "
                    "sent without the person's or the family's consent. Record the consent first."
                )
                % {"person": disclosure.pseudonym(person), "body": definition.get_recipient_display()}
            )


def report_create(
    *,
    user,
    definition: ReportDefinition,
    period_start: dt.date,
    period_end: dt.date,
    person: Person | None = None,
    language: str = "",
    status: str = ReportStatus.QUEUED,
) -> Report:
    """The next version of a report (the definition's row is locked while the number is chosen, so two
    queues never take the same one). Call inside a transaction. Raises as `report_validate`."""
    language = language or definition.language
    report_validate(
        definition=definition,
        period_start=period_start,
        period_end=period_end,
        person=person,
        language=language,
    )
    ReportDefinition.objects.select_for_update().filter(pk=definition.pk).first()
    latest = Report.objects.filter(
        definition=definition, person=person, period_start=period_start, period_end=period_end
    ).aggregate(version=Max("version"))["version"]
    report = Report(
        definition=definition,
        person=person,
        period_start=period_start,
        period_end=period_end,
        language=language,
        version=(latest or 0) + 1,
        status=status,
        task_id=str(uuid.uuid4()),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=user,
        action="kuzet.report.queued",
        obj=report,
        data={
            "definition": definition.slug,
            "period": [period_start.isoformat(), period_end.isoformat()],
            "version": report.version,
            "person": str(person.uid) if person else None,
        },
    )
    return report


def _start_on_commit(report: Report) -> None:
    from reports.tasks import report_compile_task  # the task module imports these services

    report_id, task_id = report.pk, report.task_id
    # robust: a broker that is down at commit leaves the report queued (and retryable), not the request failed
    transaction.on_commit(
        lambda: report_compile_task.apply_async(args=[report_id], task_id=task_id), robust=True
    )


@transaction.atomic
def report_queue(
    *,
    user,
    definition: ReportDefinition,
    period_start: dt.date,
    period_end: dt.date,
    person: Person | None = None,
    language: str = "",
) -> Report:
    """Queue the next version of a report and start its compile task once committed. `user` is None for the
    beat schedule. Raises PermissionDenied when `user` may not queue it (see `may_queue`) and ReportError as
    `report_validate` does; nothing is written then."""
    _check_permission(user, definition)
    report = report_create(
        user=user,
        definition=definition,
        period_start=period_start,
        period_end=period_end,
        person=person,
        language=language,
    )
    _start_on_commit(report)
    return report


@transaction.atomic
def report_queue_periodic(*, slug: str, today: dt.date) -> Report | None:
    """What the beat schedule runs: queue definition `slug` for the period just ended before `today`. Does
    nothing (returns None) when that period already has a report that did not fail, so a schedule that fires
    twice queues once. Raises ReportError for an unknown, inactive or individual definition."""
    definition = ReportDefinition.objects.filter(slug=slug).first()
    if definition is None or not definition.is_active or definition.kind != ReportKind.PERIODIC:
        raise ReportError(_("No active periodic report definition %(slug)s.") % {"slug": slug})
    start, end = period_just_ended(cadence=definition.cadence, today=today)
    existing = Report.objects.filter(
        definition=definition, person__isnull=True, period_start=start, period_end=end
    ).exclude(status=ReportStatus.FAILED)
    if existing.exists():
        return None
    return report_queue(user=None, definition=definition, period_start=start, period_end=end)


@transaction.atomic
def report_retry(*, user, report: Report) -> Report:
    """Queue a failed report (or one whose task the broker lost) again: same version, a new task. Raises
    PermissionDenied, or ReportError when the report is not failed or queued."""
    _check_permission(user, report.definition)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in RETRYABLE:
        raise ReportError(_("Only a failed or queued report can be retried."))
    report.status = ReportStatus.QUEUED
    report.failure_reason = ""
    report.task_id = str(uuid.uuid4())
    report.save(update_fields=["status", "failure_reason", "task_id", "updated_at"])
    audit_record(actor=user, action="kuzet.report.retried", obj=report, data={"version": report.version})
    _start_on_commit(report)
    return report


@transaction.atomic
def report_recompile(*, user, report: Report) -> Report:
    """A new version of `report` (same definition, period, person and language) from the data as it is now;
    the old version stays as it was. Raises PermissionDenied, or ReportError while `report` is still queued
    or compiling, or as `report_validate` (a consent withdrawn since, an inactive definition)."""
    if report.status in (ReportStatus.QUEUED, ReportStatus.COMPILING):
        raise ReportError(_("This report is still being compiled: wait for it before compiling it again."))
    return report_queue(
        user=user,
        definition=report.definition,
        period_start=report.period_start,
        period_end=report.period_end,
        person=report.person,
        language=report.language,
    )

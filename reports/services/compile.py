"""Compiling a queued report and storing what the compiler returns.

Exactly once, whatever the broker does: a worker first takes a PostgreSQL advisory lock on the report (held by
its database session, so it is released the moment a killed worker's connection drops), then claims the row
only while it is `queued` or `compiling`. A second delivery while a live worker compiles finds the lock taken
and does nothing; a delivery after a worker died mid-compile takes the lock and compiles the report; a
delivery after the report was compiled finds it in review and does nothing. SQLite has no concurrent workers
(tasks run in-process), so there the status check alone decides.
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from people.models import Person
from reports import compiling
from reports.models import Report, ReportDefinition, ReportStatus
from reports.services.errors import ReportError
from reports.services.queue import report_create

FILE_FIELDS = {"pdf": "pdf_file", "xlsx": "annex_file", "json": "json_file", "docx": "docx_file"}
CLAIMABLE = (ReportStatus.QUEUED, ReportStatus.COMPILING)
_LOCK_NAMESPACE = 0x4B5A << 32  # "KZ": keeps these advisory locks apart from any other use of them


@contextmanager
def _compile_lock(report_id: int) -> Iterator[bool]:
    """Yield whether this worker holds the report's compile lock (always True off PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _LOCK_NAMESPACE + report_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:
                pass  # the connection is gone, and the session's locks went with it


@transaction.atomic
def _claim(report_id: int) -> Report | None:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("definition", "person")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status not in CLAIMABLE:
        return None
    if report.status == ReportStatus.COMPILING:
        # Only reachable when the worker that claimed it died: a live one would still hold the lock.
        audit_record(actor=None, action="kuzet.report.resumed", obj=report, data={"attempt": report.attempts})
    report.status = ReportStatus.COMPILING
    report.attempts += 1
    report.save(update_fields=["status", "attempts", "updated_at"])
    return report


def _checksum(files: list[compiling.CompiledFile]) -> str:
    """SHA-256 of the PDF, the file a body receives; of every file in order when there is no PDF."""
    pdf = [f for f in files if f.kind == "pdf"]
    digest = hashlib.sha256()
    for compiled_file in pdf or sorted(files, key=lambda f: f.kind):
        digest.update(compiled_file.content)
    return digest.hexdigest()


def _store(report: Report, compiled: compiling.Compiled) -> Report:
    """Save the files through the storage API (MEDIA_ROOT, or S3-compatible storage in production), the
    figures and the checksum, and move the report to review. Call inside a transaction."""
    fields = []
    for compiled_file in compiled.files:
        field_name = FILE_FIELDS.get(compiled_file.kind)
        if field_name is None:
            raise ValueError(f"The compiler returned a file of unknown kind {compiled_file.kind!r}")
        getattr(report, field_name).save(
            compiled_file.filename, ContentFile(compiled_file.content), save=False
        )
        fields.append(field_name)
    report.figures = compiled.figures
    report.checksum = _checksum(compiled.files)
    report.status = ReportStatus.REVIEW
    report.failure_reason = ""
    report.compiled_at = timezone.now()
    report.save(
        update_fields=[
            *fields,
            *("figures", "checksum", "status", "failure_reason", "compiled_at", "attempts", "updated_at"),
        ]
    )
    named = {person.pk for person in compiled.named_people}
    report.named_people.set(named)
    audit_record(
        actor=None,
        action="kuzet.report.compiled",
        obj=report,
        data={"version": report.version, "checksum": report.checksum, "files": sorted(fields)},
    )
    return report


def report_compile(
    *, report_id: int, progress: Callable[[str], None] = lambda message: None
) -> Report | None:
    """Compile queued report `report_id` and store it (status `review`), at most once whatever the number
    of deliveries. Returns the report, or None when there was nothing to do: it is gone, already compiled,
    or being compiled by another live worker.

    A refusal of the compiler (ReportRefused) marks the report `failed` with the compiler's message and
    returns it. Any other exception propagates with the report left `compiling`, so the caller (the task)
    decides between a retry and `report_fail`."""
    with _compile_lock(report_id) as acquired:
        if not acquired:
            progress(_("Another worker is compiling this report."))
            return None
        report = _claim(report_id)
        if report is None:
            return None
        try:
            compiled = compiling.compile_report(report=report, progress=progress)
        except compiling.ReportRefused as refused:
            return report_fail(report_id=report_id, reason=str(refused))
        with transaction.atomic():
            return _store(report, compiled)


@transaction.atomic
def report_fail(*, report_id: int, reason: str) -> Report | None:
    """Mark a report that could not be compiled `failed`, with `reason`, so the analyst sees why and may
    retry. A report already compiled (a late failure of a duplicate delivery) keeps its state. Returns the
    report, or None when it is gone."""
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        return None
    if report.status not in CLAIMABLE:
        return report
    report.status = ReportStatus.FAILED
    report.failure_reason = reason
    report.save(update_fields=["status", "failure_reason", "updated_at"])
    audit_record(actor=None, action="kuzet.report.failed", obj=report, data={"reason": reason})
    return report


@transaction.atomic
def report_compile_now(
    *,
    user,
    definition: ReportDefinition,
    period_start,
    period_end,
    person: Person | None = None,
    language: str = "",
    progress: Callable[[str], None] = lambda message: None,
) -> Report:
    """Make and compile the next version of a report in this process (the `compile_report` command), in one
    transaction. Raises ReportError as `report_validate` does, and with the compiler's message when it
    refuses; nothing is written then (no row, no file)."""
    report = report_create(
        user=user,
        definition=definition,
        period_start=period_start,
        period_end=period_end,
        person=person,
        language=language,
        status=ReportStatus.COMPILING,
    )
    report.attempts = 1
    try:
        compiled = compiling.compile_report(report=report, progress=progress)
    except compiling.ReportRefused as refused:
        raise ReportError(str(refused)) from refused
    return _store(report, compiled)

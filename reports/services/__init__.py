"""Writes of the reports app: queueing a report, compiling and storing it, and the review workflow.

`queue` makes Report rows (a new version each time) and starts the Celery task on commit; `compile` claims a
queued report, runs `reports.compiling.compile_report` and stores the files; `review` approves, sends and
records what the bodies answered. Every step writes an audit entry.
"""

from reports.services.compile import report_compile, report_compile_now, report_fail
from reports.services.errors import ReportError
from reports.services.queue import (
    period_just_ended,
    report_queue,
    report_queue_periodic,
    report_recompile,
    report_retry,
)
from reports.services.review import (
    intervention_record_response,
    report_approve,
    report_download_record,
    report_email_draft,
    report_mark_submitted,
    report_send,
)

__all__ = [
    "ReportError",
    "intervention_record_response",
    "period_just_ended",
    "report_approve",
    "report_compile",
    "report_compile_now",
    "report_download_record",
    "report_email_draft",
    "report_fail",
    "report_mark_submitted",
    "report_queue",
    "report_queue_periodic",
    "report_recompile",
    "report_retry",
    "report_send",
]

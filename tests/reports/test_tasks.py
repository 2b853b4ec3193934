"""reports.tasks: retries with backoff on transient errors, failures recorded, idempotent deliveries, a real
worker compiling end to end, and a worker killed mid-compile (the report is compiled exactly once)."""

import datetime as dt
import os
import pathlib
import signal
import subprocess
import sys
import time
import uuid

import pytest
import time_machine
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError, connection
from redis.exceptions import ConnectionError as RedisConnectionError

from config.celery import app
from core.models import AuditEntry
from events.models import Assembly
from reports import services
from reports.models import Report, ReportStatus
from reports.tasks import MAX_RETRIES, queue_periodic_report, report_compile_task, retry_countdown
from tests.cases.factories import DetentionFactory
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory
from tests.reports.flow import FakeCompiler, definition

FEB = {"period_start": dt.date(2019, 2, 1), "period_end": dt.date(2019, 2, 28)}
ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def compiler(monkeypatch):
    fake = FakeCompiler()
    monkeypatch.setattr("reports.compiling.compile_report", fake)
    return fake


@pytest.fixture
def queued(db, analyst):
    return services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)


def _compiled_entries(report) -> int:
    return AuditEntry.objects.filter(object_uid=report.uid, action="kuzet.report.compiled").count()


# --- The task's own rules (eager, a stand-in compiler) -----------------------------------------------------


def test_the_task_acks_late_and_is_requeued_when_its_worker_is_lost():
    assert report_compile_task.acks_late is True
    assert report_compile_task.reject_on_worker_lost is True
    assert 0 < report_compile_task.soft_time_limit < report_compile_task.time_limit


def test_backoff_doubles_up_to_ten_minutes():
    assert [retry_countdown(n) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]


def _run_as_worker(*, retries: int, report_id: int):
    """Run the task body as a worker delivery number `retries` + 1 (not eager), as Celery would."""
    report_compile_task.push_request(retries=retries, is_eager=False, id=str(uuid.uuid4()))
    try:
        return report_compile_task.run(report_id)
    finally:
        report_compile_task.pop_request()


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), RedisConnectionError()])
def test_a_transient_error_is_retried_with_exponential_backoff(queued, compiler, media, monkeypatch, error):
    compiler.error = error
    retries = []

    def retry(*, exc, countdown):  # Celery's retry publishes to the broker: record what it was asked
        retries.append((type(exc), countdown))
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(report_compile_task, "retry", retry)
    with pytest.raises(Retry):
        _run_as_worker(retries=2, report_id=queued.pk)
    assert retries == [(type(error), 40)]
    queued.refresh_from_db()
    assert (queued.status, queued.failure_reason) == (ReportStatus.COMPILING, "")

    compiler.error = None  # the next delivery finds the database back
    assert _run_as_worker(retries=3, report_id=queued.pk) == ReportStatus.REVIEW
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (ReportStatus.REVIEW, 2)


def test_after_the_last_retry_the_failure_is_recorded_with_its_reason(queued, compiler, media):
    compiler.error = OperationalError("the database system is shutting down")
    assert _run_as_worker(retries=MAX_RETRIES, report_id=queued.pk) == "failed"
    queued.refresh_from_db()
    assert queued.status == ReportStatus.FAILED
    assert queued.failure_reason == (
        f"Gave up after {MAX_RETRIES + 1} attempts: OperationalError: the database system is shutting down"
    )


def test_in_process_a_transient_error_fails_the_report_for_a_manual_retry(queued, compiler, media):
    compiler.error = OperationalError("the database system is shutting down")
    assert report_compile_task.apply(args=[queued.pk]).get() == "failed"
    queued.refresh_from_db()
    assert queued.status == ReportStatus.FAILED
    assert queued.failure_reason == (
        "The compile stopped with an error: OperationalError: the database system is shutting down"
    )


def test_an_unexpected_error_fails_at_once_with_its_reason(queued, compiler, media):
    compiler.error = ValueError("no such column in the figures")
    assert report_compile_task.apply(args=[queued.pk]).get() == "failed"
    queued.refresh_from_db()
    assert (
        queued.failure_reason
        == "The compile stopped with an error: ValueError: no such column in the figures"
    )
    assert len(compiler.calls) == 1


def test_running_out_of_time_fails_the_report(queued, compiler, media):
    compiler.error = SoftTimeLimitExceeded()
    report_compile_task.apply(args=[queued.pk]).get()
    queued.refresh_from_db()
    assert queued.status == ReportStatus.FAILED
    assert queued.failure_reason == "The compile took longer than 10 minutes and was stopped."


def test_a_second_delivery_of_the_same_message_does_nothing(queued, compiler, media):
    first = report_compile_task.apply(args=[queued.pk], task_id=queued.task_id).get()
    second = report_compile_task.apply(args=[queued.pk], task_id=queued.task_id).get()
    assert (first, second, compiler.calls) == (ReportStatus.REVIEW, "skipped", [queued.pk])
    assert _compiled_entries(queued) == 1


def test_a_deleted_report_is_skipped(db, compiler):
    assert report_compile_task.apply(args=[987654]).get() == "skipped"
    assert compiler.calls == []


def test_the_periodic_task_queues_the_period_just_ended(db, django_capture_on_commit_callbacks):
    definition("osce-odihr")
    at = dt.datetime(2019, 4, 1, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks() as callbacks:
        uid = queue_periodic_report.apply(kwargs={"slug": "osce-odihr"}).get()
    report = Report.objects.get(uid=uid)
    assert (report.period_start, report.period_end) == (dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    assert (report.status, report.created_by, len(callbacks)) == (ReportStatus.QUEUED, None, 1)


# --- Real workers and the real compiler ---------------------------------------------------------------------


def _february_data():
    """A small February 2019 for the real compiler: a rally with two detentions in a city."""
    city = PlaceFactory(code="test-worker-city", name_en="Testcity Worker")
    rally = AssemblyFactory(
        title="Test rally for the worker",
        place=city,
        starts_at=dt.datetime(2019, 2, 27, 11, 0, tzinfo=dt.UTC),
    )
    for hour in (12, 13):
        DetentionFactory(
            person=PersonFactory(),
            assembly=rally,
            place=city,
            detained_at=dt.datetime(2019, 2, 27, hour, 0, tzinfo=dt.UTC),
        )
    assert Assembly.objects.count() == 1


def _wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def test_a_real_worker_compiles_a_report_end_to_end(celery_worker, analyst, media):
    """The `celery_worker` fixture: a real worker on the configured broker (Redis with REDIS_URL, Celery's
    in-memory transport without), the real compiler."""
    _february_data()
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    _wait_for(
        lambda: Report.objects.filter(pk=report.pk).exclude(status__in=services.compile.CLAIMABLE).exists(),
        timeout=120,
        what="the worker to compile the report",
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW, report.failure_reason
    assert report.pdf_file and report.json_file and report.checksum and report.figures
    assert (media / report.pdf_file.name).read_bytes().startswith(b"%PDF")
    assert _compiled_entries(report) == 1


needs_broker_and_postgres = pytest.mark.skipif(
    not settings.REDIS_URL or connection.vendor != "postgresql",
    reason="needs REDIS_URL (a Redis broker the worker processes share) and PostgreSQL (exactly-once "
    "rests on its per-report advisory lock, which SQLite has no equivalent of) — CI sets both",
)


@pytest.fixture
def worker_queue(transactional_db):
    """Send this test's tasks to a queue of its own, consumed only by the worker subprocesses it starts."""
    saved = app.conf.task_default_queue
    queue = f"kuzet-test-{uuid.uuid4().hex}"
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = saved


@pytest.fixture
def start_worker(worker_queue, media, tmp_path):
    """`start_worker(name, block=True|False, visibility=seconds)`: a `celery worker` subprocess on this
    test's queue and test database. With `block`, its compile waits (see slow_worker.py)."""
    processes = []
    database = connection.settings_dict

    def start(name: str, *, block: bool, visibility: int = 3600) -> tuple[subprocess.Popen, pathlib.Path]:
        started = tmp_path / f"{name}.started"
        env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD'] or ''}"
                f"@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "MEDIA_ROOT": str(media),
            "KZ_VISIBILITY": str(visibility),
        }
        if block:
            env.update(KZ_STARTED=str(started), KZ_RELEASE=str(tmp_path / f"{name}.release"))
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.reports.slow_worker", worker_queue, name],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process, started

    yield start
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@needs_broker_and_postgres
def test_a_worker_killed_mid_compile_leaves_the_report_compiled_exactly_once(start_worker, analyst, tmp_path):
    _february_data()
    first, started = start_worker("first", block=True)
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    _wait_for(started.exists, timeout=90, what="the first worker to start compiling")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.COMPILING
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.COMPILING  # not lost, not compiled

    # The broker hands the unacknowledged message to the next worker once its visibility timeout passed.
    start_worker("second", block=False, visibility=2)
    _wait_for(
        lambda: (
            Report.objects.filter(pk=report.pk, status=ReportStatus.REVIEW).exists()
            or Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).exists()
        ),
        timeout=120,
        what="the second worker to compile the report",
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW, report.failure_reason
    assert report.attempts == 2
    assert Report.objects.count() == 1
    assert _compiled_entries(report) == 1
    assert AuditEntry.objects.filter(object_uid=report.uid, action="kuzet.report.resumed").count() == 1


@needs_broker_and_postgres
def test_two_live_workers_never_compile_the_same_report_twice(start_worker, analyst, tmp_path):
    _february_data()
    _first, started = start_worker("first", block=True)
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    _wait_for(started.exists, timeout=90, what="the first worker to start compiling")

    # The same report delivered again (a duplicate message) to another live worker: it finds the report
    # being compiled and does nothing.
    start_worker("second", block=False)
    duplicate = report_compile_task.apply_async(args=[report.pk])
    assert duplicate.get(timeout=90) == "skipped"

    (tmp_path / "first.release").write_text("go")
    _wait_for(
        lambda: Report.objects.filter(pk=report.pk).exclude(status__in=services.compile.CLAIMABLE).exists(),
        timeout=120,
        what="the first worker to finish",
    )
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.REVIEW, 1), report.failure_reason
    assert _compiled_entries(report) == 1

"""`manage.py compile_report`: foreground with progress and the files written, --queue, and errors that
exit non-zero and write nothing. The real compiler, on a small February 2019."""

import datetime as dt
import io
import os
import pathlib
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from reports.models import Report, ReportStatus
from tests.cases.factories import DetentionFactory
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.reports.flow import definition

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def february():
    for slug in ("un-sr-foaa", "un-wgad", "osce-odihr"):
        definition(slug)  # seeded by migrate; made again after a transactional test flushed them
    city = PlaceFactory(code="test-command-city", name_en="Testcity Command")
    rally = AssemblyFactory(place=city, starts_at=dt.datetime(2019, 2, 27, 5, 0, tzinfo=dt.UTC))
    for hour in (6, 7, 8):
        DetentionFactory(
            assembly=rally, place=city, detained_at=dt.datetime(2019, 2, 27, hour, 0, tzinfo=dt.UTC)
        )
    return rally


def _run(*args) -> str:
    out = io.StringIO()
    call_command("compile_report", *args, stdout=out)
    return out.getvalue()


def test_foreground_compile_prints_progress_and_the_files_it_wrote(february, media):
    output = _run("un-sr-foaa", "--from", "2019-02-01", "--to", "2019-02-28")
    report = Report.objects.get()
    assert (report.status, report.version, report.language) == (ReportStatus.REVIEW, 1, "en")
    assert report.figures and report.checksum
    lines = output.splitlines()
    assert lines[0].startswith("  ")  # progress lines first, indented
    assert f"Wrote {report.pdf_file.name} " in output
    assert f"Wrote {report.annex_file.name} " in output
    assert f"Wrote {report.json_file.name} " in output
    assert lines[-1] == (f"Compiled {report}: in review, SHA-256 {report.checksum}, uid {report.uid}")
    assert (media / report.pdf_file.name).read_bytes().startswith(b"%PDF")


def test_a_second_run_makes_the_next_version_in_russian(february, media):
    _run("un-sr-foaa", "--from", "2019-02-01", "--to", "2019-02-28")
    _run("un-sr-foaa", "--from", "2019-02-01", "--to", "2019-02-28", "--language", "ru")
    assert list(Report.objects.order_by("version").values_list("version", "language")) == [
        (1, "en"),
        (2, "ru"),
    ]


def test_queue_hands_it_to_the_worker(celery_worker, february, media):
    """A real worker (the `celery_worker` fixture: Redis with REDIS_URL, in-memory otherwise) compiles it."""
    definition("osce-odihr")
    output = _run("osce-odihr", "--from", "2019-01-01", "--to", "2019-03-31", "--queue")
    report = Report.objects.get()
    assert output.startswith(f"Queued {report} (task {report.task_id}, uid {report.uid}); status now: ")
    deadline = time.monotonic() + 120
    while report.status in (ReportStatus.QUEUED, ReportStatus.COMPILING) and time.monotonic() < deadline:
        time.sleep(0.2)
        report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW, report.failure_reason
    assert (report.period_start, report.period_end) == (dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def test_wgad_communication_for_a_consenting_person(february, media):
    person = PersonFactory()
    ConsentRecordFactory(person=person, scope="un", full_name_allowed=True)
    DetentionFactory(
        person=person, assembly=february, detained_at=dt.datetime(2019, 2, 27, 9, 0, tzinfo=dt.UTC)
    )
    _run("un-wgad", "--from", "2019-02-01", "--to", "2019-02-28", "--person", str(person.uid))
    report = Report.objects.get()
    assert (report.person, report.status) == (person, ReportStatus.REVIEW)
    assert report.docx_file


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-report", "--from", "2019-02-01"], "No report definition 'no-such-report'"),
        (["un-sr-foaa", "--from", "2019-02-31"], "'2019-02-31' is not a date: write it as YYYY-MM-DD."),
        (
            ["un-sr-foaa", "--from", "2019-03-01", "--to", "2019-02-01"],
            "The period must not end before it starts.",
        ),
        (["un-sr-foaa", "--to", "2019-02-01"], "Give the first day of the period with --from YYYY-MM-DD."),
        (["un-sr-foaa", "--from", "2019-02-01", "--language", "fr"], "Unknown language fr."),
        (["un-wgad", "--from", "2019-02-01"], "An individual communication needs the person it is about."),
        (["un-wgad", "--from", "2019-02-01", "--person", "not-a-uid"], "No person with the UID 'not-a-uid'."),
    ],
)
def test_errors_exit_non_zero_and_write_nothing(args, message, media):
    with pytest.raises(CommandError, match=message.replace(".", r"\.").replace("(", r"\(")):
        _run(*args)
    assert not Report.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="kuzet.report").exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_refused_wgad_communication_says_why_and_writes_nothing(february, media):
    person = PersonFactory(full_name="Testova Without Consent")
    with pytest.raises(CommandError, match="cannot be sent without the person's or the family's consent"):
        _run("un-wgad", "--from", "2019-02-01", "--to", "2019-02-28", "--person", str(person.uid))
    assert not Report.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_the_command_exits_non_zero_from_the_shell(media, tmp_path):
    """The exit status a script sees: CommandError is status 1 with the message on stderr."""
    result = subprocess.run(
        [sys.executable, "manage.py", "compile_report", "un-sr-foaa", "--from", "2019-13-01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
        check=False,
    )
    assert result.returncode == 1
    assert "'2019-13-01' is not a date" in result.stderr

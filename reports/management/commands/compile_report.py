"""`manage.py compile_report SLUG --from 2019-02-01 --to 2019-02-28 [--person UID] [--language ru] [--queue]`:
compile one report in the foreground, printing progress and the files written, or (`--queue`) hand it to the
worker (in-process when there is no REDIS_URL)."""

import datetime as dt
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from people.models import Person
from reports import services
from reports.models import ReportDefinition
from reports.services.compile import FILE_FIELDS


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Compile one report (a new version) in the foreground, or queue it with --queue."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The report definition, e.g. un-sr-foaa, un-wgad, osce-odihr.")
        parser.add_argument("--from", dest="start", help="First day of the period (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", help="Last day of the period (YYYY-MM-DD); default today.")
        parser.add_argument("--person", help="UID of the person an individual communication is about.")
        parser.add_argument("--language", default="", help="en or ru; default the definition's language.")
        parser.add_argument(
            "--queue", action="store_true", help="Hand the report to the Celery worker instead of waiting."
        )

    def handle(self, *args, slug, start, end, person, language, queue, **options):
        if start is None:
            raise CommandError("Give the first day of the period with --from YYYY-MM-DD.")
        start_date = _date(start)
        end_date = _date(end) if end else timezone.localdate()
        definition = ReportDefinition.objects.filter(slug=slug).first()
        if definition is None:
            known = ", ".join(ReportDefinition.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No report definition {slug!r}. Known: {known}.")
        subject = None
        if person:
            subject = Person.objects.live().filter(uid=person).first() if _is_uuid(person) else None
            if subject is None:
                raise CommandError(f"No person with the UID {person!r}.")
        arguments = {
            "user": None,
            "definition": definition,
            "period_start": start_date,
            "period_end": end_date,
            "person": subject,
            "language": language,
        }
        try:
            if queue:
                report = services.report_queue(**arguments)
                report.refresh_from_db()  # without a broker the task has already run in this process
                self.stdout.write(
                    f"Queued {report} (task {report.task_id}, uid {report.uid}); "
                    f"status now: {report.get_status_display()}"
                )
                return
            report = services.report_compile_now(
                **arguments, progress=lambda line: self.stdout.write(f"  {line}")
            )
        except services.ReportError as error:
            raise CommandError(" ".join(error.messages)) from error
        for field_name in FILE_FIELDS.values():
            field = getattr(report, field_name)
            if field:
                self.stdout.write(f"Wrote {field.name} ({field.size} bytes)")
        self.stdout.write(
            self.style.SUCCESS(f"Compiled {report}: in review, SHA-256 {report.checksum}, uid {report.uid}")
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True

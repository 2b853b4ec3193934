"""`python manage.py import_detentions FILE [--dry-run] [--map "Header=field" ...] [--user USERNAME]`."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import roles
from core.history import Via, history_origin
from exchange.services import MappingError, SpreadsheetError, detentions_import
from exchange.values import FIELDS


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX of detentions (one row per detainee per event). Headers in English or Russian "
        "are recognised; map others with --map. Exits with status 1, writing nothing, when any row has an "
        "error. Fields: " + ", ".join(FIELDS)
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help='e.g. --map "Фамилия=full_name"',
        )
        parser.add_argument(
            "--user", help="the account the import acts as (its visibility, its name in the log)"
        )
        parser.add_argument("--quiet-rows", action="store_true", help="print the summary and errors only")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        mapping = {}
        for item in options["map"]:
            header, sep, field = item.rpartition("=")
            if not sep or not header.strip():
                raise CommandError(_('--map needs "Header=field", got %(item)r') % {"item": item})
            mapping[header.strip()] = field.strip()
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No such user: %(user)s") % {"user": options["user"]})
        else:
            user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
            if user is None:
                raise CommandError(_("Name the account the import acts as with --user USERNAME."))
        if not roles.is_case_staff(user):
            raise CommandError(
                _("%(user)s has no staff role: an import acts as a monitor, lawyer or administrator.")
                % {"user": user.get_username()}
            )
        try:
            with history_origin(via=Via.COMMAND, path=f"import_detentions {path.name}"[:500]):
                report = detentions_import(
                    user=user,
                    data=path.read_bytes(),
                    file_name=path.name,
                    mapping=mapping,
                    dry_run=options["dry_run"],
                )
        except (SpreadsheetError, MappingError) as exc:
            raise CommandError(str(exc)) from exc
        lines = report.lines()
        if options["quiet_rows"]:
            lines = [*(str(e) for e in report.errors), report.summary()]
        for line in lines:
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                _("%(count)s error(s); nothing was written.") % {"count": len(report.errors)}, returncode=1
            )

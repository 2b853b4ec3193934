"""`python manage.py export_all DIR`: the full dump (JSON per record type, relations by uid, a manifest)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exchange.dump import DumpError, dump_write


class Command(BaseCommand):
    help = (
        "Write every record of people, events, cases and reports, the import records and the audit log "
        "as JSON (one file per record type, relations by uid) with manifest.json and the files of sources "
        "and reports into DIR, which must be new or empty. The dump holds contact details in clear: keep it "
        "as safe as the database. API keys are never written."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            manifest = dump_write(directory=Path(options["directory"]))
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(entry["count"] for entry in manifest["models"])
        self.stdout.write(
            _("%(rows)s rows of %(types)s record types written to %(dir)s.")
            % {"rows": total, "types": len(manifest["models"]), "dir": options["directory"]}
        )

"""`python manage.py import_all DIR`: load a dump written by export_all into an empty instance."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exchange.dump import DumpError, dump_load


class Command(BaseCommand):
    help = (
        "Load a dump written by export_all into this instance, which must hold no records yet (reference "
        "data and report definitions are updated by code or slug; audit entries are appended). "
        "All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            counts = dump_load(directory=Path(options["directory"]))
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(rows)s rows of %(types)s record types loaded.")
            % {"rows": sum(counts.values()), "types": len(counts)}
        )

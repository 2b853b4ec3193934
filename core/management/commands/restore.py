"""`manage.py restore FILE [--yes]`: check a backup and bring it back into the configured database and
MEDIA_ROOT, then compare the row counts with its manifest (core/backup.py; README "Backups"). Stop the app
first: requests served during a restore would see, or write, a half-restored database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup file made by `backup`: checksums and database vendor are checked first; a "
        "database holding data is replaced only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (.tar.gz or .tar.gz.enc).")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the data the database holds now by the backup."
        )

    def handle(self, *, file, yes, verbosity, **options):
        try:
            result = backup_restore(path=Path(file), replace=yes, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        expected = result.manifest["tables"]
        if verbosity > 1:
            for table, rows in sorted(result.counts.items()):
                self.stdout.write(f"  {table}: {rows} (manifest {expected.get(table, 0)})")
        for table, (before, now) in result.differences.items():
            self.stdout.write(f"  {table}: {now} rows, the manifest says {before}")
        if result.pending_migrations:
            self.stdout.write(
                f"This code has {len(result.pending_migrations)} migrations the backup lacks: "
                "run `python manage.py migrate`."
            )
        summary = f"Row counts: {len(result.counts)} tables, {sum(result.counts.values())} rows"
        if result.differences:
            # A drill run from cron must fail loudly when the copy is not what was backed up.
            raise CommandError(f"{summary}; {len(result.differences)} tables differ from the manifest.")
        self.stdout.write(f"{summary}, all equal to the manifest.")

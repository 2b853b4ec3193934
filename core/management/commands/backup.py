"""`manage.py backup [--output DIR] [--encrypt]`: write one consistent, compressed backup of the database and
the uploaded files (core/backup.py; README "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one backup file: the database (pg_dump, or SQLite's online backup), every file under "
        "MEDIA_ROOT and a manifest with checksums and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=".", help="The folder to write into (default: here).")
        parser.add_argument(
            "--encrypt", action="store_true", help="Encrypt the file with BACKUP_ENCRYPTION_KEY."
        )

    def handle(self, *, output, encrypt, **options):
        try:
            backup_create(output_dir=Path(output), encrypt=encrypt, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

"""`manage.py prune_login_records [--days N]`: delete django-axes login records older than
AXES_RETENTION_DAYS (core.retention); the daily Celery job does the same."""

from django.core.management.base import BaseCommand, CommandError

from core.retention import login_records_prune


class Command(BaseCommand):
    help = "Delete failed-login and login records (django-axes) older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days (default: AXES_RETENTION_DAYS).")

    def handle(self, *, days, **options):
        try:
            counts = login_records_prune(days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{label}: {n} deleted" for label, n in counts.items()))

"""`python manage.py revert_import ID [--user USERNAME]`: undo one import as a whole."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exchange.models import ImportBatch
from exchange.services import ImportBatchError, import_revert


class Command(BaseCommand):
    help = "Revert an import: what it created is soft-deleted, what it updated gets its previous values back."

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int)
        parser.add_argument("--user", help="who reverts (recorded in the audit log)")

    def handle(self, *args, **options):
        batch = ImportBatch.objects.filter(pk=options["batch_id"]).first()
        if batch is None:
            raise CommandError(_("No import %(id)s.") % {"id": options["batch_id"]})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No such user: %(user)s") % {"user": options["user"]})
        try:
            import_revert(user=user, batch=batch)
        except ImportBatchError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("Import %(id)s (%(file)s) reverted: %(count)s records.")
            % {"id": batch.pk, "file": batch.file_name, "count": batch.changes.count()}
        )

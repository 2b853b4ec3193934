"""`manage.py rotate_encryption_key [--dry-run] [--batch-size N] [--user USERNAME]`: re-encrypt every
field encrypted at rest with the first key of FIELD_ENCRYPTION_KEY (core.encryption)."""

import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from core.encryption import DEFAULT_BATCH_SIZE, EncryptionError, encryption_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the new key. First put the new key FIRST in "
        "FIELD_ENCRYPTION_KEY and keep the old keys after it; after this command the old keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be re-encrypted.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--user", help="The staff username the audit entry names (default: none).")

    def handle(self, *, dry_run, batch_size, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            rotation = encryption_rotate(
                actor=actor, operator=getpass.getuser(), dry_run=dry_run, batch_size=batch_size
            )
        except (EncryptionError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        for result in rotation.fields:
            self.stdout.write(
                f"{result.label}: {result.rotated} re-encrypted, {result.current} already current"
            )
        verb = "would be re-encrypted (dry run)" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{rotation.rotated} values {verb}."))

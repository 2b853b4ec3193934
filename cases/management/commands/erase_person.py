"""`manage.py erase_person UID --request-ref REF --reason TEXT [--user USERNAME] [--yes]`: the only hard
delete, for a documented legal request (README "Erasure"); cases.services.person_erase does the work."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.services import ErasureError, person_erase


class Command(BaseCommand):
    help = (
        "Erase a person and everything that exists only because of them, for a documented legal request "
        "(an erasure request of the data subject or a court order). This cannot be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("uid", help="The person's uid.")
        parser.add_argument(
            "--request-ref",
            required=True,
            help="The reference of the legal request (file number, court order).",
        )
        parser.add_argument("--reason", required=True, help="Why: the legal ground, in a few words.")
        parser.add_argument("--user", help="The staff username of the operator (default: the OS user only).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *, uid, request_ref, reason, user, yes, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        if not yes:
            self.stdout.write(
                f"This deletes person {uid} and every record that exists only because of them, for good."
            )
            if input("Type the uid again to confirm: ").strip() != uid:
                raise CommandError("Not confirmed: nothing was erased.")
        try:
            erasure = person_erase(
                person_uid=uid,
                request_ref=request_ref,
                reason=reason,
                actor=actor,
                operator=getpass.getuser(),
            )
        except ErasureError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in sorted(erasure.counts.items()):
            if count:
                self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Person {erasure.uid} erased ({request_ref})."))

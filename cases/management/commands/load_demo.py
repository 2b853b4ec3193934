"""`manage.py load_demo [--password …]`: load or reset the demo data and the demo users."""

import os
import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data (the February 2019 report) and the demo users, or reset them to it. "
        "Running it again changes nothing but the demo users' passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user (default: $DEMO_PASSWORD, else a fresh random one).",
        )

    def handle(self, *args, password=None, **options):
        password = password or os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        try:
            result = demo_load(password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rows = [("username", "role", "password")]
        rows += [(user.username, user.role, user.password) for user in result.users]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(result.summary)

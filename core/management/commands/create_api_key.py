"""`manage.py create_api_key --partner "Name" | --user USERNAME [--scope read|write]
[--expires YYYY-MM-DD | --days N]`: issue a REST API key and print it, the only time it is shown."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.models import ApiKeyScope
from core.services import ApiKeyError, api_key_create


def _expiry(value: str) -> dt.datetime:
    """A date means the key stops working at the start of that day (TIME_ZONE); a datetime, at that moment."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Issue an API key for a partner organisation (read-only) or a staff user, and print it once: "
        "only its hash is stored."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument(
            "--partner", help="The partner organisation's name; its Partner account is created once."
        )
        who.add_argument("--user", help="A staff user's username: the key acts as this user.")
        parser.add_argument("--scope", choices=ApiKeyScope.values, default=ApiKeyScope.READ)
        parser.add_argument(
            "--name", help="A label for the key (default: the partner's name or the username)."
        )
        until = parser.add_mutually_exclusive_group()
        until.add_argument("--expires", help="Expiry date (YYYY-MM-DD, from 00:00 that day) or ISO datetime.")
        until.add_argument("--days", type=int, help="Expire this many days from now.")

    def handle(self, *, partner, user, scope, name, expires, days, **options):
        if expires is not None:
            try:
                expires_at = _expiry(expires)
            except ValueError:
                raise CommandError(
                    f"--expires: {expires!r} is not a date (YYYY-MM-DD) or datetime."
                ) from None
        elif days is not None:
            if days < 1:
                raise CommandError("--days must be at least 1.")
            expires_at = timezone.now() + dt.timedelta(days=days)
        else:
            expires_at = None
        acting_as = None
        if user is not None:
            acting_as = get_user_model().objects.filter(username=user).first()
            if acting_as is None:
                raise CommandError(f"No user named {user!r}.")
        try:
            api_key, key = api_key_create(
                partner=partner,
                user=acting_as,
                scope=scope,
                expires_at=expires_at,
                created_by=None,
                name=name,
            )
        except ApiKeyError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
        expiry = (
            f"expires {timezone.localtime(api_key.expiry_date):%Y-%m-%d %H:%M}"
            if api_key.expiry_date
            else "no expiry"
        )
        self.stdout.write(
            f"Key {api_key.prefix}… acts as {api_key.user.get_username()} (scope {api_key.scope}, {expiry}); "
            "it is shown only once: store it now, it cannot be recovered. "
            "Send it as 'Authorization: Bearer <key>'."
        )

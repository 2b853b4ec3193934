"""API key authentication. Kept apart from views: DRF imports it while it is still importing its views."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from core.history import history_origin_update
from core.models import ApiKey

# last_used_at is written at most this often per key, so reads do not each cost a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>`. A missing header leaves the request anonymous (401 from the access
    rule); a bad, revoked or expired key is refused outright."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: expected 'Bearer <key>'."))
        try:
            key = parts[1].decode()
            api_key = self._usable_key(key)
        except (UnicodeError, ApiKey.DoesNotExist):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key.")) from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        if not api_key.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this API key is disabled."))
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        # The request's writes are this key's: its user, and the key itself, in their history rows.
        history_origin_update(user=api_key.user, api_key=api_key)
        return api_key.user, api_key

    @staticmethod
    def _usable_key(key: str) -> ApiKey:
        """The library's `get_from_key` (look up by prefix among unrevoked keys, then check the hash),
        with the key's user in the same query."""
        prefix, _dot, _secret = key.partition(".")
        api_key = ApiKey.objects.get_usable_keys().select_related("user").get(prefix=prefix)
        if not api_key.is_valid(key):
            raise ApiKey.DoesNotExist
        return api_key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

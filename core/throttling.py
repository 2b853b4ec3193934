from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    """One budget per key (or per signed-in user for session requests); see API_THROTTLE_RATE."""

    scope = "api_key"

    def get_rate(self):
        # Read on each request, not once when DRF builds its settings: the rate the schema documents
        # (core.schema) and the rate enforced are the same setting.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

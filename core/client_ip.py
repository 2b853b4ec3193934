"""The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind TRUSTED_PROXY_COUNT reverse proxies, REMOTE_ADDR is the nearest proxy's and every user would share
one lockout. Each proxy appends the address it received the request from to X-Forwarded-For, so the
client's is the TRUSTED_PROXY_COUNT-th from the right; anything further left is whatever the client sent
and is not trusted.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR with no trusted proxy; else the address the outermost trusted proxy saw. A header shorter
    than the proxy chain (a request that bypassed a proxy) falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]

"""Helpers of the two-factor tests: an enrolled authenticator, its current code, and a session that has passed
the second factor, all through the real django-otp devices."""

import time
from binascii import unhexlify

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(key: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app holding the hex `key` shows at `at` (now by default)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def authenticator(user, recovery_codes=("recovery1", "recovery2")) -> TOTPDevice:
    """A confirmed authenticator for `user`, with a device of recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in recovery_codes)
    return device


def verify(client, device: TOTPDevice) -> None:
    """Pass the second factor in `client`'s session (already signed in with the password)."""
    response = client.post(reverse("two_factor:verify"), {"code": code_for(device.key), "next": "/"})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/"

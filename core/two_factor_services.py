"""Writes of two-factor authentication: enrol an authenticator, check a code, issue recovery codes, reset.

The devices are django-otp's: a TOTPDevice (the authenticator app) and a StaticDevice holding the single-use
recovery codes. A wrong code is throttled by the device itself (OTP_*_THROTTLE_FACTOR: each failure doubles
the wait) and counted by django-axes as a failed login, so repeated wrong codes lock the account out from
that address as wrong passwords do.
"""

import math
import time

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6


class TwoFactorError(ValidationError):
    """A code that was not accepted (wrong, or checked too soon after wrong ones), or an enrolment that may
    not happen; the message is for the user."""


def normalize_code(code: str) -> str:
    """Codes are typed with spaces (`123 456`, `abcd efgh`) and in either case."""
    return "".join(code.split()).lower()


def _wrong_code(*, allow_recovery: bool) -> TwoFactorError:
    if allow_recovery:
        message = gettext(
            "That code is not right. Enter the current 6-digit code from your authenticator app (check that "
            "the phone's clock is right), or one of your recovery codes."
        )
    else:
        message = gettext(
            "That code is not right. Enter the current 6-digit code from your authenticator app (check that "
            "the phone's clock is right)."
        )
    return TwoFactorError(message, code="wrong")


def _throttled(info: dict) -> TwoFactorError:
    seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    return TwoFactorError(
        ngettext(
            "Too many wrong codes. Wait %(seconds)d second before trying again.",
            "Too many wrong codes. Wait %(seconds)d seconds before trying again.",
            seconds,
        )
        % {"seconds": seconds},
        code="throttled",
    )


def two_factor_verify(*, request, user, code: str, allow_recovery: bool = True):
    """The device (TOTP, or the recovery codes when `allow_recovery`) that accepts `code` for `user`.

    A recovery code is used up. A wrong code raises TwoFactorError, makes the device wait longer before the
    next check and counts as a failed login for django-axes (which marks the request locked out once the
    limit is reached: `request.axes_locked_out`). A code sent while the device waits raises TwoFactorError
    saying how long, and counts for nothing.

    Not atomic as a whole, on purpose: the failure count must stay written when the code is refused.
    """
    code = normalize_code(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    elif allow_recovery:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = None
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed and info and "locked_until" in info:
            raise _throttled(info)
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    raise _wrong_code(allow_recovery=allow_recovery)


def totp_code_matches(*, key: str, code: str, at: float | None = None) -> tuple[bool, int]:
    """Whether `code` is the current (or the previous/next) code of the hex `key`, and its time step."""
    device = TOTPDevice(key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    code = normalize_code(code)
    if not (code.isdigit() and len(code) == TOTP_DIGITS):
        return False, -1
    return bool(totp.verify(int(code), device.tolerance)), totp.t()


@transaction.atomic
def two_factor_enrol(*, user, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator holding `key` (hex) with its first `code`; return the new device and a new
    set of recovery codes (shown to the user once).

    Raises TwoFactorError when the code does not match, or when the user already has an authenticator (only an
    administrator's reset removes it: someone who knows only the password cannot replace it).
    """
    if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
        raise TwoFactorError(gettext("Two-factor authentication is already set up for this account."))
    matches, step = totp_code_matches(key=key, code=code)
    if not matches:
        raise TwoFactorError(
            gettext(
                "That code does not match. Scan the QR code again (or check the key you typed) and enter the "
                "code your app shows now."
            ),
            code="wrong",
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name="authenticator", key=key, confirmed=True, last_t=step)
    device.set_last_used_timestamp(commit=False)
    device.full_clean()
    device.save()
    codes = _recovery_codes_replace(user=user)
    audit_record(actor=user, action="kuzet.two_factor.enrolled", data=_who(user))
    return device, codes


def _recovery_codes_replace(*, user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace `user`'s recovery codes with RECOVERY_CODE_COUNT new ones (the old ones stop working) and
    return them. The caller has checked a current authenticator code first."""
    codes = _recovery_codes_replace(user=user)
    audit_record(actor=user, action="kuzet.two_factor.recovery_codes_regenerated", data=_who(user))
    return codes


@transaction.atomic
def two_factor_reset(*, user, actor) -> int:
    """Remove `user`'s authenticator and recovery codes (a lost phone): at their next request they enrol
    again. Audited as done by `actor`. Returns the number of devices removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, by_model = model.objects.filter(user=user).delete()
        removed += by_model.get(model._meta.label, 0)
    audit_record(actor=actor, action="kuzet.two_factor.reset", data=_who(user))
    return removed


def _who(user) -> dict:
    return {"user_id": user.pk, "username": user.get_username()}


__all__ = [
    "RECOVERY_CODE_COUNT",
    "TwoFactorError",
    "recovery_codes_regenerate",
    "two_factor_enrol",
    "two_factor_reset",
    "two_factor_verify",
]

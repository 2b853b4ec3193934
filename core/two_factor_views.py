"""The two-factor pages: the code asked after the password, enrolment (QR code, then recovery codes shown
once), and the account's status page, where the recovery codes are renewed.

The pages the middleware sends an unverified user to (verify, enrol) use the admin login page's look, which is
where the user came from; the status page is a staff page like the others.
"""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import mark_safe
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core.two_factor import has_authenticator, safe_next, two_factor_required
from core.two_factor_forms import AuthenticatorCodeForm, CodeForm
from core.two_factor_services import (
    TwoFactorError,
    recovery_codes_regenerate,
    two_factor_enrol,
    two_factor_verify,
)

# The secret of an authenticator being enrolled (hex), kept until its first code confirms it.
PENDING_KEY = "_kuzet_2fa_pending_key"
# New recovery codes, shown once on the next page, and where to go after them.
NEW_CODES = "_kuzet_2fa_new_codes"


def _verified(request, device) -> None:
    """Mark the session as having passed the second factor, under a new session id."""
    otp_login(request, device)
    request.session.cycle_key()


class _NextMixin:
    def next_url(self) -> str:
        return safe_next(self.request, self.request.POST.get("next") or self.request.GET.get("next"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class TwoFactorVerifyView(LoginRequiredMixin, _NextMixin, FormView):
    """After the password: a code from the authenticator app, or one recovery code."""

    template_name = "core/two_factor/verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_verified():
            return redirect(self.next_url())
        if user.is_authenticated and not has_authenticator(user):
            return redirect(f"{reverse('two_factor:enrol')}?{urlencode({'next': self.next_url()})}")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request = self.request
        try:
            device = two_factor_verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            if getattr(request, "axes_locked_out", False):
                # django-axes answers with its lockout page; the half-signed-in session ends with it.
                logout(request)
            form.add_error("code", error)
            return self.form_invalid(form)
        _verified(request, device)
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code: %(count)d is left. Make new ones on your two-factor page.",
                    "You used a recovery code: %(count)d are left. Make new ones on your two-factor page.",
                    left,
                )
                % {"count": left},
            )
        return redirect(self.next_url())


class TwoFactorEnrolView(LoginRequiredMixin, _NextMixin, FormView):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with its first code."""

    template_name = "core/two_factor/enrol.html"
    form_class = AuthenticatorCodeForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and has_authenticator(user):
            # Replacing an authenticator takes the current one (or an administrator's reset), never just the
            # password.
            if not user.is_verified():
                return redirect(f"{reverse('two_factor:verify')}?{urlencode({'next': self.next_url()})}")
            messages.info(request, gettext("Two-factor authentication is already set up for this account."))
            return redirect("two_factor:status")
        return super().dispatch(request, *args, **kwargs)

    def _key(self) -> str:
        key = self.request.session.get(PENDING_KEY)
        if not key:
            key = self.request.session[PENDING_KEY] = random_hex(20)
        return key

    def get_context_data(self, **kwargs):
        device = TOTPDevice(user=self.request.user, key=self._key())
        secret = b32encode(device.bin_key).decode()
        qr = segno.make(device.config_url, error="m").svg_inline(
            scale=5, border=4, dark="#000", light="#fff", svgclass="two-factor-qr", title=gettext("QR code")
        )
        return super().get_context_data(
            qr_svg=mark_safe(qr),  # noqa: S308  (segno's own SVG; the only text in it is the escaped title)
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            issuer=device._read_str_from_settings("OTP_TOTP_ISSUER"),
            **kwargs,
        )

    def form_valid(self, form):
        request = self.request
        try:
            device, codes = two_factor_enrol(
                user=request.user, key=self._key(), code=form.cleaned_data["code"]
            )
        except TwoFactorError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        request.session.pop(PENDING_KEY, None)
        _verified(request, device)
        request.session[NEW_CODES] = {"codes": codes, "next": self.next_url()}
        return redirect("two_factor:recovery-codes")


class RecoveryCodesView(LoginRequiredMixin, TemplateView):
    """New recovery codes, shown until the user says they saved them; then they are never shown again."""

    template_name = "core/two_factor/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        if not request.session.get(NEW_CODES):
            return redirect("two_factor:status")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(codes=self.request.session[NEW_CODES]["codes"], **kwargs)

    def post(self, request, *args, **kwargs):
        shown = request.session.pop(NEW_CODES, None) or {}
        return redirect(safe_next(request, shown.get("next")))


class TwoFactorStatusView(LoginRequiredMixin, FormView):
    """Whether two-factor is set up, how many recovery codes are left, and new ones (with a current code)."""

    template_name = "core/two_factor/status.html"
    form_class = AuthenticatorCodeForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count() if device else 0
        return super().get_context_data(
            device=device, recovery_codes_left=left, required=two_factor_required(), **kwargs
        )

    def form_valid(self, form):
        request = self.request
        if not has_authenticator(request.user):
            return redirect("two_factor:enrol")
        try:
            two_factor_verify(
                request=request, user=request.user, code=form.cleaned_data["code"], allow_recovery=False
            )
        except TwoFactorError as error:
            if getattr(request, "axes_locked_out", False):
                logout(request)
            form.add_error("code", error)
            return self.form_invalid(form)
        request.session[NEW_CODES] = {
            "codes": recovery_codes_regenerate(user=request.user),
            "next": reverse("two_factor:status"),
        }
        return redirect("two_factor:recovery-codes")

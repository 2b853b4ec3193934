"""Forms of the two-factor pages: one field each, the code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A 6-digit authenticator code or, where the page allows it, a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
        ),
    )


class AuthenticatorCodeForm(CodeForm):
    """Only the authenticator app's 6-digit code (enrolment, and regenerating the recovery codes)."""

    code = forms.CharField(
        label=_("6-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8, "spellcheck": "false"}
        ),
    )

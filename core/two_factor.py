"""Two-factor authentication is required (issue 7, item 3): with REQUIRE_2FA on, a password alone opens
nothing.

django-otp's OTPMiddleware (before this one) tells whether the session has passed a second factor
(`request.user.is_verified()`). This middleware turns that into the rule: a signed-in user who has not is sent
to the code page, or to enrolment when they have no authenticator yet; a session call to the API gets 403.
Only the pages needed to get there stay open (ALLOWED_VIEWS). A request that authenticates with an API key
(a machine client) is not the session's and is left to the API's own authentication.

The check runs in `process_view`, after URL resolution, so the allow-list is by view name, not by path
prefix, and the redirect still passes through every middleware (security headers, CSP). Static files never
get here (WhiteNoise serves them first). The setting is read on every request: tests switch it with the
`settings` fixture.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.views import APIView

# What a signed-in user reaches before the second factor: the login and logout pages, the language switch,
# and the two-factor pages themselves.
ALLOWED_VIEWS = frozenset(
    {
        "admin:login",
        "admin:logout",
        "set_language",
        "two_factor:verify",
        "two_factor:enrol",
    }
)


def two_factor_required() -> bool:
    return settings.REQUIRE_2FA


def has_authenticator(user) -> bool:
    """Whether `user` has a confirmed TOTP device (so signs in with a code rather than enrolling)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def safe_next(request, value: str | None, default: str = "/") -> str:
    """`value` when it is a path on this site, else `default` (no open redirect through ?next=)."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _has_api_key(request) -> bool:
    """The API authenticates a `Bearer` header with core.authentication.ApiKeyAuthentication first, and that
    either succeeds or refuses the request: the session is then never consulted."""
    return request.headers.get("Authorization", "").split(" ", 1)[0].lower() == "bearer"


class TwoFactorMiddleware:
    """Send a signed-in user without a verified second factor to verification or enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not two_factor_required():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        is_api = _is_api_view(view_func)
        if is_api and _has_api_key(request):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if is_api:
            return JsonResponse(
                {
                    "detail": gettext(
                        "Two-factor authentication is required: enter a code from your authenticator app at "
                        "%(url)s before using the API with this session, or use an API key."
                    )
                    % {"url": reverse("two_factor:verify")}
                },
                status=403,
            )
        return self._redirect(request, user)

    @staticmethod
    def _redirect(request, user):
        step = "two_factor:verify" if has_authenticator(user) else "two_factor:enrol"
        url = reverse(step)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            # A partial swap would put the code page inside the current one: have htmx load it whole.
            return HttpResponseClientRedirect(url)
        return redirect(url)

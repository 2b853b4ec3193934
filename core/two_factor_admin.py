"""The user admin's "Reset two-factor authentication" action, for a user who lost their phone and recovery
codes: their authenticator and codes are removed, and they enrol again at their next request. Audited.

It extends whichever user admin is registered (Django's, or a subclass another module registered first).
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.two_factor_services import two_factor_reset

User = get_user_model()


@admin.action(description=_("Reset two-factor authentication (lost phone)"), permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    users = list(queryset)
    for user in users:
        two_factor_reset(user=user, actor=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "Two-factor authentication reset for %(count)d user: they set it up again at next sign-in.",
            "Two-factor authentication reset for %(count)d users: they set it up again at next sign-in.",
            len(users),
        )
        % {"count": len(users)},
        messages.SUCCESS,
    )


_Registered = type(admin.site._registry[User]) if admin.site.is_registered(User) else UserAdmin


class TwoFactorUserAdmin(_Registered):
    actions = [*(_Registered.actions or []), reset_two_factor]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, TwoFactorUserAdmin)

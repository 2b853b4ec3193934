"""What every browser page shares: who may open it.

Pages are for staff (monitors, lawyers, analysts, administrators); partners use the API. Which rows a page
shows is still decided by `visible_to(user)` in each selector.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from core import roles


class StaffPageMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a signed-in user without a staff role (a partner, a user with
    no role) gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.is_case_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

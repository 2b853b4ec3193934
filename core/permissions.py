"""The API's access rule (who may read, who may write); what each user sees is `visible_to`."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from core import roles
from core.models import ApiKey, ApiKeyScope


class ApiAccess(permissions.BasePermission):
    """Reads: any partner or staff role (what they see is then `visible_to`). Writes: staff only, through a
    session or a key with the `write` scope, and with the model permission their role has in the admin."""

    message = _("You do not have access to this API.")

    def has_permission(self, request, view):
        user = request.user
        if not (roles.is_case_staff(user) or roles.is_partner(user)):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not roles.is_case_staff(user):
            return False
        if isinstance(request.auth, ApiKey) and request.auth.scope != ApiKeyScope.WRITE:
            return False
        queryset = getattr(view, "queryset", None) or view.get_queryset()
        perms = permissions.DjangoModelPermissions().get_required_permissions(request.method, queryset.model)
        return user.has_perms(perms)

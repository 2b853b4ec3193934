"""Roles are Django groups (created by migration); this module is the one place that reads them.

Who sees what is decided here and in `core.models.RecordQuerySet.visible_to`, nowhere else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MONITOR = "Monitor", _("Monitor")
    LAWYER = "Lawyer", _("Lawyer")
    ANALYST = "Analyst", _("Analyst")
    ADMINISTRATOR = "Administrator", _("Administrator")
    PARTNER = "Partner", _("Partner")


STAFF_ROLES = frozenset({Role.MONITOR, Role.LAWYER, Role.ANALYST, Role.ADMINISTRATOR})


def user_roles(user) -> frozenset[str]:
    """The role names of a user, read once per request object (cached on the user instance)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_kuzet_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kuzet_roles = cached
    return cached


def is_administrator(user) -> bool:
    """Administrators manage access: they see restricted and deleted records and may restore them."""
    return bool(getattr(user, "is_superuser", False) and user.is_active) or Role.ADMINISTRATOR in user_roles(
        user
    )


def is_case_staff(user) -> bool:
    """Monitors, lawyers and analysts: they see records up to `internal`."""
    return is_administrator(user) or bool(user_roles(user) & STAFF_ROLES)


def is_partner(user) -> bool:
    return Role.PARTNER in user_roles(user)


# What each role may do in the staff admin, as "app_label.action_model". Visibility of rows is separate
# (RecordQuerySet.visible_to); these are Django's model permissions.
_CASE_MODELS = (
    "people.person",
    "people.personname",
    "people.consentrecord",
    "events.assembly",
    "events.incident",
    "events.source",
    "cases.detention",
    "cases.custodyperiod",
    "cases.legalcase",
    "cases.charge",
    "cases.sentence",
    "cases.hearing",
    "cases.appeal",
)
_REFERENCE_MODELS = (
    "people.grouptag",
    "events.place",
    "events.causetag",
    "cases.legalarticle",
    "cases.treatment",
    "cases.custodycredit",
    "cases.appealterm",
)
_REPORT_MODELS = (
    "reports.reportdefinition",
    "reports.report",
    "reports.reportsection",
    "reports.intervention",
)
# Celery beat's schedules (django-celery-beat): when the urgent alerts and the periodic reports run.
_SCHEDULE_MODELS = (
    "django_celery_beat.periodictask",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.clockedschedule",
)
# Who reviews reports: approve, and send (or mark submitted); lawyers queue individual communications.
_REPORT_REVIEW = {"reports.approve_report", "reports.send_report", "reports.queue_communication"}


def _perms(actions: tuple[str, ...], models_: tuple[str, ...]) -> set[str]:
    return {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}" for label in models_ for action in actions
    }


_EDIT = ("add", "change", "delete", "view")
_VIEW_ALL = _perms(("view",), _CASE_MODELS + _REFERENCE_MODELS + _REPORT_MODELS)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.MONITOR: _VIEW_ALL | _perms(_EDIT, _CASE_MODELS[:8]),
    Role.LAWYER: _VIEW_ALL | _perms(_EDIT, _CASE_MODELS) | {"reports.queue_communication"},
    Role.ANALYST: _VIEW_ALL | _perms(("add", "change", "view"), _REPORT_MODELS) | _REPORT_REVIEW,
    Role.ADMINISTRATOR: _perms(_EDIT, _CASE_MODELS + _REFERENCE_MODELS + _REPORT_MODELS + _SCHEDULE_MODELS)
    | _REPORT_REVIEW
    | {"core.view_readlogentry"}  # the read log (who looked at whom): administrators alone
    | {"core.view_auditentry", "auth.view_user", "auth.change_user", "auth.add_user", "auth.view_group"}
    | {"core.add_apikey", "core.change_apikey", "core.view_apikey"}
    # Lift a login lockout (django-axes) early: delete the attempt row in the admin.
    | {"axes.view_accessattempt", "axes.delete_accessattempt"}
    | {"axes.view_accesslog", "axes.view_accessfailurelog"},
    Role.PARTNER: set(),
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the role groups and set their permissions exactly (a data migration calls this; it is
    idempotent, so a later migration that adds models calls it again)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=str(role))
        # A permission whose model a later migration creates is skipped here; that migration calls
        # sync_roles again. So this function stays correct in every historical migration state.
        perms = [
            perm
            for perm in permission_model.objects.select_related("content_type")
            if f"{perm.content_type.app_label}.{perm.codename}" in wanted
        ]
        group.permissions.set(perms)


def remove_roles(apps, schema_editor=None) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=[str(r) for r in Role]).delete()

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kuzet core")

    def ready(self):
        # schema registers the OpenAPI description of API key authentication with drf-spectacular;
        # sessions connects the login signal that stamps a new session (idle expiry).
        from core import schema, sessions  # noqa: F401
        from core.retention import schedule_login_records_pruning

        post_migrate.connect(
            schedule_login_records_pruning, sender=self, dispatch_uid="core.schedule_login_records_pruning"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kuzet core")

    def ready(self):
        # Registers the OpenAPI description of API key authentication with drf-spectacular.
        from core import schema  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Data in and out: spreadsheet imports of detentions, exports of any list, the full open-format dump."""

    name = "exchange"
    verbose_name = _("Import and export")

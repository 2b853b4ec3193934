"""The detention admin's "urgent" filter: the detentions the dashboard's Urgent panel lists, and the stale
ones it leaves out (older than the look-back, cases.urgent), so a monitor can find them and record the
release or the whereabouts. The dashboard links to the stale ones."""

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.urgent import ADMIN_FILTER_PARAMETER, current_detentions, stale_detentions


class UrgentFilter(admin.SimpleListFilter):
    title = _("urgent")
    parameter_name = ADMIN_FILTER_PARAMETER

    def lookups(self, request, model_admin):
        days = settings.URGENT_LOOKBACK_DAYS
        return [
            ("current", gettext("Urgent now")),
            (
                "stale",
                ngettext(
                    "Would be urgent, older than %(days)d day",
                    "Would be urgent, older than %(days)d days",
                    days,
                )
                % {"days": days},
            ),
        ]

    def queryset(self, request, queryset):
        # The admin's own queryset already holds only what the user may see.
        now = timezone.now()
        if self.value() == "current":
            return queryset.filter(pk__in=current_detentions(now=now).values("pk"))
        if self.value() == "stale":
            return queryset.filter(pk__in=stale_detentions(now=now).values("pk"))
        return queryset

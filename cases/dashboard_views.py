"""The dashboard page (issue 5, items 6 and 7): charts, map, custody, dates to watch and urgent items for a
period. The data comes from cases.dashboard; this module only validates the period and draws."""

import datetime as dt

from django import forms
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cases.dashboard_cache import dashboard_get_cached
from cases.dashboard_charts import Bar, bar_chart_svg, column_chart_svg
from cases.panels import DASHBOARD_PANELS, panels_render
from core.pages import StaffPageMixin
from events.map import render_map_svg
from events.models import Assembly

DEFAULT_DAYS = 365
MAX_DAYS = 366 * 5  # one bar per day: a longer period would draw bars thinner than a pixel


class DashboardPeriodForm(forms.Form):
    """The period, local dates, both ends included; empty ends default to the last 365 days."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, today: dt.date):
        super().__init__(data)
        self.today = today

    def add_prefix(self, field_name):
        # The URL says `from` and `to`, which are not valid Python names for the fields.
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(gettext("The start of the period must not be after its end."))
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(
                gettext("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS}
            )
        cleaned.update(start=start, end=end)
        return cleaned


def assembly_url(assembly: Assembly) -> str:
    """The assembly page when the app has one, else the assembly in the admin."""
    try:
        return reverse("cases:assembly-detail", kwargs={"uid": assembly.uid})
    except NoReverseMatch:
        return reverse("admin:events_assembly_change", args=[assembly.pk])


class DashboardView(StaffPageMixin, TemplateView):
    template_name = "cases/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        form = DashboardPeriodForm(self.request.GET, today=today)
        context["form"] = form
        if not form.is_valid():
            return context
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        dashboard = dashboard_get_cached(user=user, start=start, end=end, assembly_url=assembly_url)
        context.update(
            dashboard=dashboard,
            panels=panels_render(DASHBOARD_PANELS, request=self.request, user=user, today=today),
            urgent_whereabouts_hours=settings.URGENT_WHEREABOUTS_HOURS,
            urgent_held_hours=settings.URGENT_HELD_HOURS,
            per_day_svg=mark_safe(  # noqa: S308 — every label is escaped by the chart functions
                column_chart_svg(
                    [
                        Bar(label=date_format(d.day, "SHORT_DATE_FORMAT"), value=d.count)
                        for d in dashboard.per_day
                    ],
                    title=gettext("Detentions per day"),
                )
            ),
            per_city_svg=mark_safe(  # noqa: S308 — escaped by bar_chart_svg
                bar_chart_svg(
                    [Bar(label=p.label, value=p.count) for p in dashboard.per_city],
                    title=gettext("Detentions per city"),
                )
            ),
            map_svg=mark_safe(render_map_svg(dashboard.per_city)),  # noqa: S308 — escaped by events.map
        )
        return context

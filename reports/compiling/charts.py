"""The report's charts: the dashboard's SVG bar charts (cases.dashboard_charts), drawn from the figures,
embedded in the PDF as they are — no external service, nothing fetched."""

import datetime as dt

from django.utils.translation import gettext

from cases.dashboard_charts import Bar, bar_chart_svg, column_chart_svg
from reports.compiling.document import Chart

MAX_CITIES = 15


def detentions_per_day(by_day: list[dict]) -> Chart:
    bars = [
        Bar(label=dt.date.fromisoformat(row["date"]).strftime("%d.%m"), value=row["count"]) for row in by_day
    ]
    title = gettext("Detentions per day")
    return Chart(caption=title, svg=column_chart_svg(bars, title=title, width=720, height=200))


def detentions_per_city(by_city: list[dict]) -> Chart:
    bars = [Bar(label=row["name"], value=row["count"]) for row in by_city[:MAX_CITIES]]
    title = gettext("Detentions per city")
    return Chart(caption=title, svg=bar_chart_svg(bars, title=title, width=600))

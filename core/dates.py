"""Partial and uncertain dates.

Monitors often know only "February 2019" or "around 1956". The value is stored in an ordinary date column
(so it sorts and filters) with its precision and certainty beside it, and leaves the system as an EDTF
string (ISO 8601-2), which other documentation and archival tools read: `2019-02`, `2019-02-27~`, `1956?`.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    TIME = "time", _("Exact time")
    DAY = "day", _("Day")
    MONTH = "month", _("Month (day unknown)")
    YEAR = "year", _("Year only")


class DateCertainty(models.TextChoices):
    EXACT = "exact", _("Certain")
    APPROXIMATE = "approximate", _("Approximate (~)")
    UNCERTAIN = "uncertain", _("Uncertain (?)")


_EDTF_SUFFIX = {DateCertainty.EXACT: "", DateCertainty.APPROXIMATE: "~", DateCertainty.UNCERTAIN: "?"}


def to_edtf(
    value: dt.date | dt.datetime | None,
    precision: str = DatePrecision.DAY,
    certainty: str = DateCertainty.EXACT,
) -> str | None:
    """Render a stored value at its precision. A datetime keeps its time only when the time is known."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # The calendar day is the local one: an arrest at 03:00 in Almaty on the 27th is on the 27th.
        # Before 1924 Almaty's offset had seconds (+05:07:48), which no date-time format accepts: UTC then.
        local = timezone.localtime(value)
        if local.utcoffset().total_seconds() % 60 == 0:
            value = local
    if precision == DatePrecision.YEAR:
        text = f"{value.year:04d}"
    elif precision == DatePrecision.MONTH:
        text = f"{value.year:04d}-{value.month:02d}"
    elif precision == DatePrecision.TIME and isinstance(value, dt.datetime):
        text = value.isoformat(timespec="minutes" if not value.second else "seconds")
    else:
        day = value.date() if isinstance(value, dt.datetime) else value
        text = day.isoformat()
    return text + _EDTF_SUFFIX.get(certainty, "")


def display_partial(value, precision: str, certainty: str = DateCertainty.EXACT) -> str:
    """A human form for pages and the admin: '2019-02', 'c. 1956', '2019-02-27 11:30'."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = to_edtf(value, precision, DateCertainty.EXACT) or ""
    if precision == DatePrecision.TIME and isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    if certainty == DateCertainty.APPROXIMATE:
        # "c." (circa) is English: Russian writes "ок.", Kazakh "шамамен".
        return _("c. %(date)s") % {"date": text}
    if certainty == DateCertainty.UNCERTAIN:
        return f"{text}?"
    return text


def inclusive_days(start: dt.date, end: dt.date) -> int:
    """Days counted the way courts count custody: the day of arrest and the day of release both count."""
    if end < start:
        return 0
    return (end - start).days + 1

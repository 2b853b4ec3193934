"""Time in custody and sentence arithmetic, as pure functions (no database), so the rules read plainly and
are tested on their own. Courts count custody by calendar day: the day of arrest and the day of release both
count, and overlapping records of the same days (a transfer entered twice) count once."""

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal

from dateutil.relativedelta import relativedelta

Interval = tuple[dt.date, dt.date | None]


def merged_days(intervals: Iterable[Interval], *, today: dt.date, before: dt.date | None = None) -> int:
    """Days covered by the union of inclusive [start, end] intervals; an open end runs to `today`.

    `before` clips every interval to the days strictly before it (custody before a sentence starts is
    credited; the sentence itself is not).
    """
    spans = []
    for start, end in intervals:
        end = end or today
        if before is not None:
            end = min(end, before - dt.timedelta(days=1))
        if end >= start:
            spans.append((start, end))
    total = 0
    current_start = current_end = None
    for start, end in sorted(spans):
        if current_end is not None and start <= current_end + dt.timedelta(days=1):
            current_end = max(current_end, end)
            continue
        if current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def credit_days(custody_days: int, days_per_custody_day: Decimal) -> int:
    """Sentence days credited for days in custody, rounded down (a part-day is never credited twice)."""
    return math.floor(Decimal(custody_days) * Decimal(days_per_custody_day))


def term_end(
    starts_on: dt.date, *, years: int = 0, months: int = 0, days: int = 0, credit: int = 0
) -> dt.date:
    """The release date: the start plus the term, less the credited days.

    A 7-year term starting 2019-03-01 with no credit ends 2026-03-01 (the day the person walks out).
    """
    return starts_on + relativedelta(years=years, months=months, days=days) - dt.timedelta(days=credit)

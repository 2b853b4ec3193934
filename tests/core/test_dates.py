import datetime as dt

import pytest

from core.dates import display_partial, inclusive_days, to_edtf


@pytest.mark.parametrize(
    ("value", "precision", "certainty", "expected"),
    [
        (dt.date(2019, 2, 27), "day", "exact", "2019-02-27"),
        (dt.date(2019, 2, 1), "month", "exact", "2019-02"),
        (dt.date(1956, 1, 1), "year", "uncertain", "1956?"),
        (dt.date(1956, 1, 1), "year", "approximate", "1956~"),
        (dt.date(2019, 2, 27), "day", "approximate", "2019-02-27~"),
        (dt.datetime(2019, 2, 27, 11, 30, tzinfo=dt.UTC), "time", "exact", "2019-02-27T17:30+06:00"),
        (dt.datetime(2019, 2, 27, 11, 30, tzinfo=dt.UTC), "day", "exact", "2019-02-27"),
        (None, "day", "exact", None),
    ],
)
def test_partial_dates_leave_as_edtf(value, precision, certainty, expected):
    assert to_edtf(value, precision, certainty) == expected


def test_partial_dates_read_as_people_write_them():
    assert display_partial(dt.date(1956, 1, 1), "year", "approximate") == "c. 1956"
    assert display_partial(dt.date(2019, 2, 1), "month") == "2019-02"
    assert display_partial(None, "day") == "—"


def test_custody_days_count_both_ends():
    assert inclusive_days(dt.date(2019, 2, 23), dt.date(2019, 2, 25)) == 3
    assert inclusive_days(dt.date(2019, 2, 25), dt.date(2019, 2, 23)) == 0


def test_an_early_morning_arrest_keeps_its_local_day(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    arrest = dt.datetime(2019, 2, 26, 21, 0, tzinfo=dt.UTC)  # 03:00 on the 27th in Almaty (UTC+6 then)
    assert to_edtf(arrest, "day") == "2019-02-27"
    assert to_edtf(arrest, "time") == "2019-02-27T03:00+06:00"


def test_a_time_is_shown_in_local_time(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    start = dt.datetime(2019, 2, 27, 5, 0, tzinfo=dt.UTC)
    assert display_partial(start, "time") == "2019-02-27 11:00"

import datetime as dt
from decimal import Decimal

from cases.terms import credit_days, merged_days, term_end

TODAY = dt.date(2020, 1, 1)


def test_arrest_and_release_days_both_count():
    assert merged_days([(dt.date(2019, 2, 27), dt.date(2019, 3, 1))], today=TODAY) == 3


def test_overlapping_periods_count_each_day_once():
    periods = [
        (dt.date(2019, 2, 1), dt.date(2019, 2, 10)),
        (dt.date(2019, 2, 5), dt.date(2019, 2, 12)),  # transfer entered with overlap
        (dt.date(2019, 2, 13), dt.date(2019, 2, 13)),  # adjacent: one more day
    ]
    assert merged_days(periods, today=TODAY) == 13


def test_open_period_runs_to_today():
    assert merged_days([(dt.date(2019, 12, 30), None)], today=TODAY) == 3


def test_custody_on_or_after_the_sentence_start_is_not_credited():
    periods = [(dt.date(2019, 3, 1), dt.date(2019, 3, 20))]
    assert merged_days(periods, today=TODAY, before=dt.date(2019, 3, 11)) == 10
    assert merged_days(periods, today=TODAY, before=dt.date(2019, 3, 1)) == 0


def test_credit_rounds_down_at_a_fractional_rate():
    assert credit_days(10, Decimal("2.00")) == 20
    assert credit_days(3, Decimal("1.50")) == 4


def test_seven_year_term_with_custody_credit():
    start = dt.date(2019, 6, 1)
    assert term_end(start, years=7) == dt.date(2026, 6, 1)
    assert term_end(start, years=7, credit=95) == dt.date(2026, 6, 1) - dt.timedelta(days=95)


def test_month_term_ending_in_a_short_month():
    assert term_end(dt.date(2019, 1, 31), months=1) == dt.date(2019, 2, 28)

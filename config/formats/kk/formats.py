# Kazakh (kk): day first, dots, 24-hour clock, decimal comma and a non-breaking space between thousands, as
# in Kazakhstan's official documents (and as Django's Russian formats). Numeric dates avoid Django's Kazakh
# month names, which are capitalised ("Ақпан") where a date needs them in lower case.
DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y ж."
MONTH_DAY_FORMAT = "d.m"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# The ISO 8601 forms (2019-02-27, 2019-02-27 14:30) are always accepted too: Django appends them.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '27.02.2019'
    "%d.%m.%y",  # '27.02.19'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",  # '27.02.2019 14:30:59'
    "%d.%m.%Y %H:%M:%S.%f",  # '27.02.2019 14:30:59.000200'
    "%d.%m.%Y %H:%M",  # '27.02.2019 14:30'
    "%d.%m.%y %H:%M:%S",  # '27.02.19 14:30:59'
    "%d.%m.%y %H:%M",  # '27.02.19 14:30'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3

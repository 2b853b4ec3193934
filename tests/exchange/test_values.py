"""How cells become values: partial dates, choice labels in English and Russian, articles and sentences, and
the encodings and delimiters a CSV arrives in."""

import datetime as dt
from decimal import Decimal

import pytest

from core.dates import to_edtf
from exchange.reading import read_sheet
from exchange.values import (
    CellError,
    choice_vocabulary,
    field_for_header,
    parse_article,
    parse_birth,
    parse_choice,
    parse_partial_date,
    parse_sentence,
)


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("2019", "2019"),
        ("02.2019", "2019-02"),
        ("2019-02", "2019-02"),
        ("21.02.2019", "2019-02-21"),
        ("2019-02-21", "2019-02-21"),
        ("21-02-2019", "2019-02-21"),
        ("21.02.2019 14:30", "2019-02-21T14:30+06:00"),
        ("21.02.2019~", "2019-02-21~"),
        ("около 2019", "2019~"),
        ("02.2019?", "2019-02?"),
        (dt.datetime(2019, 2, 21), "2019-02-21"),
    ],
)
def test_partial_dates(text, edtf):
    date = parse_partial_date(text)
    assert to_edtf(date.value, date.precision, date.certainty) == edtf


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.2019", "'31.02.2019' is not a date"),
        ("вчера", "'вчера' is not a date (write 2019, 02.2019, 21.02.2019 or 21.02.2019 14:30)"),
        ("21.02.2999", "'21.02.2999' is in the future"),
    ],
)
def test_bad_dates_say_why(text, message):
    with pytest.raises(CellError) as raised:
        parse_partial_date(text)
    assert str(raised.value) == message


def test_birth_years():
    assert parse_birth(1985.0).value.year == 1985
    assert parse_birth("1985 г.").precision == "year"
    with pytest.raises(CellError, match="'19x5' is not a year of birth"):
        parse_birth("19x5")


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("procedural_status", "Свидетель с правом на защиту", "witness_protected"),
        ("procedural_status", "witness entitled to protection", "witness_protected"),
        ("procedural_status", "witness_protected", "witness_protected"),
        ("outcome", "административный арест", "admin_arrest"),
        ("outcome", "Released without charge", "released"),
        ("authority", "КНБ", "national_security"),
        ("authority", "полиция", "police"),
    ],
)
def test_choice_labels_in_english_and_russian(field, text, value):
    assert parse_choice(field, text, choice_vocabulary(field)) == value


def test_an_unknown_choice_lists_the_labels():
    with pytest.raises(CellError, match="'допрошен' is not one of 'Witness entitled to protection'"):
        parse_choice("procedural_status", "допрошен", choice_vocabulary("procedural_status"))


@pytest.mark.parametrize(
    ("text", "law", "number", "part"),
    [
        ("КоАП 488", "AOC", "488", ""),
        ("ст. 488 ч. 6 КоАП РК", "AOC", "488", "6"),
        ("AOC 488-6", "AOC", "488", "6"),
        ("УК 405 ч.2", "CC", "405", "2"),
        ("CC 174(1)", "CC", "174", "1"),
    ],
)
def test_articles(text, law, number, part):
    ref = parse_article(text)
    assert (ref.law, ref.number, ref.part) == (law, number, part)


@pytest.mark.parametrize(
    ("text", "kind", "term", "amount", "currency"),
    [
        ("7 суток", "administrative_arrest", (0, 0, 7), None, ""),
        ("15 days", "administrative_arrest", (0, 0, 15), None, ""),
        ("штраф 50 МРП", "fine", (0, 0, 0), Decimal(50), "MCI"),
        ("штраф 100 000 тенге", "fine", (0, 0, 0), Decimal(100000), "KZT"),
        ("2 года ограничения свободы", "restriction_of_liberty", (2, 0, 0), None, ""),
        ("5 лет 6 месяцев лишения свободы", "imprisonment", (5, 6, 0), None, ""),
        ("3 years", "imprisonment", (3, 0, 0), None, ""),
    ],
)
def test_sentences(text, kind, term, amount, currency):
    sentence = parse_sentence(text)
    assert (sentence.kind, (sentence.years, sentence.months, sentence.days)) == (kind, term)
    assert (sentence.amount, sentence.currency) == (amount, currency)


def test_a_sentence_that_cannot_be_read():
    with pytest.raises(CellError, match="'много' is not a sentence"):
        parse_sentence("много")


@pytest.mark.parametrize("header", ["ФИО", "Ф.И.О.", "Full name", "full_name", " фио "])
def test_name_headers(header):
    assert field_for_header(header) == "full_name"


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1251", ";"), ("utf-8", ","), ("utf-16", "\t")]
)
def test_csv_encodings_and_delimiters(encoding, delimiter):
    text = delimiter.join(["ФИО", "Дата задержания", "Город"]) + "\r\n"
    text += delimiter.join(["Жумабеков Ерлан", "21.02.2019", "Алматы"]) + "\r\n\r\n"
    text += delimiter.join(["Ахметов Серик", "2019", "Шымкент"]) + "\r\n"
    sheet = read_sheet(data=text.encode(encoding), file_name="list.csv")
    assert sheet.headers == ["ФИО", "Дата задержания", "Город"]
    assert [number for number, _row in sheet.rows] == [2, 4]  # spreadsheet rows; the blank row 3 is skipped
    assert sheet.rows[0][1][0] == "Жумабеков Ерлан"

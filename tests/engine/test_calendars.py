import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaldesk.engine import (
    GREGORIAN,
    JALALI,
    format_date,
    from_jalali,
    localize_digits,
    normalize_digits,
    to_jalali,
)


@pytest.mark.parametrize(
    ("gregorian", "jalali"),
    [
        # Nowruz 1405: the equinox of 20 March 2026 falls after noon in Tehran, so the year starts on 21 March.
        (dt.date(2026, 3, 21), (1405, 1, 1)),
        (dt.date(2026, 3, 20), (1404, 12, 29)),
        # 1 Azar is 22 November in these years: 23 November 2026 is 2 Azar 1405.
        (dt.date(2026, 11, 23), (1405, 9, 2)),
        (dt.date(2025, 3, 21), (1404, 1, 1)),
    ],
)
def test_jalali_conversion_of_known_days(gregorian, jalali):
    assert to_jalali(gregorian) == jalali
    assert from_jalali(*jalali) == gregorian


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_jalali_round_trip(day):
    assert from_jalali(*to_jalali(day)) == day


def test_persian_reader_sees_jalali_date_in_persian_digits():
    day = dt.date(2026, 11, 23)
    assert format_date(day, calendar=JALALI, language="fa") == "۱۴۰۵/۰۹/۰۲"
    assert format_date(day, calendar=JALALI, language="fa", long=True) == "۲ آذر ۱۴۰۵"
    assert format_date(day, calendar=JALALI, language="en", long=True) == "2 Azar 1405"
    assert format_date(day, calendar=GREGORIAN, language="de") == "2026-11-23"


def test_typed_persian_and_arabic_indic_digits_read_as_numbers():
    assert normalize_digits("۱۲۳۴۵۶۷۸۹۰") == "1234567890"
    assert normalize_digits("٣٫٥") == "3.5"
    assert normalize_digits("۱٬۲۵۰٫۵") == "1,250.5"
    assert normalize_digits("2026-11-23T09:30") == "2026-11-23T09:30"


def test_digits_are_written_in_persian_only_for_persian_readers():
    assert localize_digits("12:05", "fa") == "۱۲:۰۵"
    assert localize_digits("12:05", "ar") == "12:05"
    assert localize_digits("12:05", "de") == "12:05"

"""The digit-tolerant form fields every app's forms use."""

import datetime as dt

import pytest
from django import forms

from goaldesk.core.forms import (
    LocalDateField,
    LocalFloatField,
    LocalIntegerField,
    LocalTimeField,
    ascii_digits_data,
)


def test_integer_in_any_digits():
    assert LocalIntegerField().clean("۲۰") == 20 and LocalIntegerField().clean(" ٢٠ ") == 20


@pytest.mark.parametrize(("text", "number"), [("۱۲٫۵", 12.5), ("12,5", 12.5), ("3", 3.0)])
def test_decimal_point_or_comma(text, number):
    # The goals field read a decimal comma; the scheduling one refused it. Both read it now.
    assert LocalFloatField().clean(text) == number


def test_time_in_any_digits():
    assert LocalTimeField().clean("۰۹:۳۰") == dt.time(9, 30)


@pytest.mark.parametrize(
    ("text", "day"),
    [("1405/09/02", dt.date(2026, 11, 23)), ("۲۰۲۶-۱۱-۲۳", dt.date(2026, 11, 23)),
     ("2026.11.23", dt.date(2026, 11, 23))],
)  # fmt: skip
def test_date_in_either_calendar(text, day):
    assert LocalDateField().clean(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [("1405/12/31", "1405/12/31 is not a date in the Jalali calendar."),
     ("2026-02-30", "2026-02-30 is not a date.")],
)  # fmt: skip
def test_no_such_day_says_which_calendar(text, message):
    with pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean(text)
    assert caught.value.messages == [message]


def test_submitted_data_with_ascii_digits():
    assert ascii_digits_data({"a": "۱۲٫۵", "b": 3}) == {"a": "12.5", "b": 3}
    assert ascii_digits_data(None) is None

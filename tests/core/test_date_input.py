"""The date box of every form and filter: the reader's calendar and digits in, the same out."""

import datetime as dt
import html
import json
import re
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django import forms
from django.core.management import call_command
from django.utils import timezone, translation

from goaldesk.core import calendar_data
from goaldesk.core.display import display_calendar, display_numbering, display_week_start
from goaldesk.core.forms import (
    DEADLINE_PRESETS,
    CalendarDateInput,
    LocalDateField,
    LocalDateTimeField,
)
from goaldesk.core.parsing import reading_calendar

# Wednesday 2 December 2026 is 11 Azar 1405 and 22 Jumada al-Akhirah 1448 (tests/metrics/
# test_scope.py works both out); 1 Azar is 22 November, 1 Jumada al-Akhirah 11 November.
TODAY = dt.date(2026, 12, 2)


@contextmanager
def reader(
    calendar: str, language: str, *, numbering: str = "latn", week_start: int = 1
) -> Iterator[None]:
    """Within the block, the request's reader: calendar, language, digits and week start."""
    tokens = (
        display_calendar.set(calendar),
        display_numbering.set(numbering),
        display_week_start.set(week_start),
    )
    try:
        with translation.override(language), reading_calendar(calendar):
            yield
    finally:
        display_week_start.reset(tokens[2])
        display_numbering.reset(tokens[1])
        display_calendar.reset(tokens[0])


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def _data(markup: str, name: str) -> str:
    return html.unescape(re.search(rf'data-{name}="([^"]*)"', markup)[1])


def test_a_jalali_reader_sees_the_day_in_jalali_and_persian_digits(today):
    with reader("jalali", "fa", week_start=6):
        markup = CalendarDateInput().render("deadline", TODAY)
    assert 'value="۱۴۰۵/۰۹/۱۱"' in markup
    assert 'type="text"' in markup and 'type="date"' not in markup
    assert 'inputmode="numeric"' in markup and 'autocomplete="off"' in markup
    assert _data(markup, "calendar") == "jalali"
    assert _data(markup, "week-start") == "6"
    assert _data(markup, "locale") == "fa"
    assert _data(markup, "today") == "2026-12-02"
    assert json.loads(_data(markup, "months"))[8] == "آذر"
    # Saturday's column head is its initial, sh (ش); the full name is there for screen readers.
    assert json.loads(_data(markup, "weekday-heads"))[5] == "ش"
    assert json.loads(_data(markup, "weekdays"))[5] == "شنبه"
    labels = json.loads(_data(markup, "labels"))
    assert set(labels) == {
        "open",
        "previous_month",
        "next_month",
        "previous_year",
        "next_year",
        "today",
        "close",
    }


def test_a_hijri_reader_sees_the_hijri_day_in_the_organisations_digits(today):
    with reader("hijri", "ar", numbering="arab", week_start=7):
        markup = CalendarDateInput().render("deadline", TODAY)
    assert 'value="١٤٤٨/٠٦/٢٢"' in markup
    assert _data(markup, "calendar") == "hijri"
    assert _data(markup, "locale") == "ar-u-nu-arab"
    assert json.loads(_data(markup, "months"))[5] == "جمادى الآخرة"
    with reader("hijri", "ar"):
        assert 'value="1448/06/22"' in CalendarDateInput().render("deadline", TODAY)


def test_a_gregorian_reader_sees_iso_dates_and_typed_text_stays_as_typed(today):
    with reader("gregorian", "de"):
        assert 'value="2026-12-02"' in CalendarDateInput().render("d", TODAY)
        assert 'value="next friday"' in CalendarDateInput().render("d", "next friday")


@pytest.mark.parametrize(
    ("calendar", "typed", "day"),
    [
        ("jalali", "۱۴۰۵/۰۹/۰۹", dt.date(2026, 11, 30)),  # 1 Azar is 22 November, + 8 days
        ("jalali", "1405.9.9", dt.date(2026, 11, 30)),
        ("jalali", "١٤٠٥-٩-١١", TODAY),
        ("hijri", "١٤٤٨/٦/٢٢", TODAY),  # 1 Jumada al-Akhirah is 11 November, + 21 days
        ("hijri", "1448.06.01", dt.date(2026, 11, 11)),
        ("hijri", "۲۰۲۶/۱۲/۰۲", TODAY),  # a Gregorian year is Gregorian for everyone
        ("gregorian", "1405/09/11", TODAY),  # a Gregorian reader's local calendar is Jalali
    ],
)
def test_typed_dates_in_the_readers_calendar(calendar, typed, day):
    with reader(calendar, "fa"):
        assert LocalDateField().clean(typed) == day


def test_unreadable_text_names_the_spellings_in_the_readers_calendar():
    with reader("hijri", "en"), pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean("tomorrow")
    assert caught.value.messages == [
        "tomorrow is not a date. Write a date as year/month/day with “-”, “/” or “.” between, "
        "for example 2026-11-23, or 1448/06/13 in the Hijri (Umm al-Qura) calendar (a year "
        "before 1700 is read in that calendar)."
    ]
    # No 30 Jumada al-Akhirah in 1448: 11 November + 29 days is 10 December, 1 Rajab.
    with reader("hijri", "en"), pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean("1448/06/30")
    assert caught.value.messages == [
        "1448/06/30 is not a date in the Hijri (Umm al-Qura) calendar."
    ]


def test_days_outside_1900_to_2100_are_refused():
    with pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean("2150-01-01")
    assert "outside the dates GoalDesk accepts" in caught.value.messages[0]


def test_deadline_presets_are_month_ends_of_the_readers_calendar(today):
    widget = CalendarDateInput(presets=DEADLINE_PRESETS)
    with reader("jalali", "fa"):
        markup = widget.render("deadline", None)
    # Azar has 30 days (months 7–11 do); Dey too; Azar ends the autumn, the third quarter.
    values = re.findall(r'class="date-preset[^"]*" data-value="([^"]*)"', markup)
    assert values == ["۱۴۰۵/۰۹/۳۰", "۱۴۰۵/۱۰/۳۰", "۱۴۰۵/۰۹/۳۰"]
    with reader("gregorian", "en"):
        markup = widget.render("deadline", None)
    values = re.findall(r'class="date-preset[^"]*" data-value="([^"]*)"', markup)
    assert values == ["2026-12-31", "2027-01-31", "2026-12-31"]
    assert "End of next month" in markup


def test_hijri_deadline_presets_end_on_the_last_day_of_a_hijri_month(today):
    with reader("hijri", "en"):
        markup = CalendarDateInput(presets=DEADLINE_PRESETS).render("deadline", None)
    values = re.findall(r'data-value="(\d{4})/(\d\d)/(\d\d)"', markup)
    this_month, next_month, quarter = [tuple(map(int, v)) for v in values]
    # 29 or 30 days, whichever Umm al-Qura gives; the next day is the 1st of the next month.
    assert this_month[:2] == (1448, 6) and this_month[2] in (29, 30)
    assert next_month[:2] == (1448, 7) and next_month[2] in (29, 30)
    assert quarter == this_month  # Jumada al-Akhirah is the sixth month
    with reader("hijri", "en"):
        after = LocalDateField().clean("{}/{:02d}/{:02d}".format(*this_month)) + dt.timedelta(
            days=1
        )
        assert after == LocalDateField().clean("1448/07/01")


def test_a_moment_is_a_date_in_the_readers_calendar_and_a_time():
    field = LocalDateTimeField()
    with reader("jalali", "fa"), timezone.override(zoneinfo.ZoneInfo("Asia/Tehran")):
        moment = field.clean(["۱۴۰۵/۰۹/۱۱", "۰۹:۳۰"])
        markup = field.widget.render("start", moment)
    # Tehran is 3 h 30 ahead of UTC all year (no summer time since 2022).
    assert moment == dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
    assert 'value="۱۴۰۵/۰۹/۱۱"' in markup and 'value="09:30"' in markup


def test_the_committed_month_tables_are_the_generators():
    assert (
        calendar_data.DATA_FILE.read_text(encoding="utf-8") == calendar_data.calendar_data_script()
    )
    call_command("calendar_data", "--check")  # raises when they differ


def test_month_tables_against_known_months():
    jalali = calendar_data.month_table("jalali")
    # 1 Farvardin 1278 was 21 March 1899; 1403 was a leap year (Esfand 30 days), 1404 not.
    assert jalali["firstDay"] == "1899-03-21"
    lengths = jalali["lengths"]
    assert lengths[(1403 - 1278) * 12 : (1405 - 1278) * 12] == "333333222222" + "333333222221"
    hijri = calendar_data.month_table("hijri")
    assert (hijri["firstYear"], hijri["lastYear"], hijri["firstDay"]) == (1343, 1500, "1924-08-01")
    assert len(hijri["lengths"]) == (1500 - 1343 + 1) * 12
    # Months of 29 or 30 days, and the few of 28 or 31 days of the early Umm al-Qura tables
    # (1343–1364 AH) as hijridate carries them; together they end on 16 November 2077.
    assert set(hijri["lengths"]) <= {"0", "1", "2", "3"}
    days = sum(int(ch) + 28 for ch in hijri["lengths"])
    assert dt.date(1924, 8, 1) + dt.timedelta(days=days - 1) == dt.date(2077, 11, 16)

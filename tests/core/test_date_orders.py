"""Dates written in a stated order or format (core/parsing.py `reading_dates`) and guessing the
order from a file's first values (`guess_date_order`). Expected values worked out by hand."""

import datetime as dt
import zoneinfo

import pytest

from goaldesk.core.parsing import (
    ArgumentProblem,
    DateOrderProblem,
    check_date_format,
    guess_date_order,
    read_datetime,
    reading_dates,
)
from goaldesk.interactions.records import RecordError, parse_timestamp

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")  # +01:00 in winter, +02:00 in summer
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")  # +03:30


def at(*parts, tz=BERLIN):
    return dt.datetime(*parts, tzinfo=tz)


@pytest.mark.parametrize(
    "text",
    ["29/2/2016 01:16", "29-02-2016 01:16", "29.02.2016 1:16", "29/02/2016 01:16:00"],
)
def test_day_first_spellings_are_29_february_2016(text):
    with reading_dates("dmy"):
        assert parse_timestamp("created_at", text, BERLIN) == at(2016, 2, 29, 1, 16)


def test_month_first_with_a_two_digit_year_and_am_pm():
    with reading_dates("mdy"):
        assert parse_timestamp("c", "10/25/23 3:45 PM", BERLIN) == at(2023, 10, 25, 15, 45)
        assert parse_timestamp("c", "10/25/23 12:05 AM", BERLIN) == at(2023, 10, 25, 0, 5)
        assert parse_timestamp("c", "10/25/23 12:05 p.m.", BERLIN) == at(2023, 10, 25, 12, 5)
        # %y: 69–99 are 1969–1999
        assert parse_timestamp("c", "1/2/99 10:00", BERLIN) == at(1999, 1, 2, 10, 0)
        # an offset written after the time wins over the organisation's zone
        assert parse_timestamp("c", "2/29/2016 13:00 +03:30", BERLIN) == dt.datetime(
            2016, 2, 29, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=3, minutes=30))
        )


def test_year_first_order_and_iso_is_read_in_every_order():
    with reading_dates("ymd"):
        assert parse_timestamp("c", "16/02/29 01:16", BERLIN) == at(2016, 2, 29, 1, 16)
    for order in ("dmy", "mdy", "ymd"):
        with reading_dates(order):
            assert parse_timestamp("c", "2016-02-03 10:00", BERLIN) == at(2016, 2, 3, 10, 0)
            assert parse_timestamp("c", "2016/2/3 1:00", BERLIN) == at(2016, 2, 3, 1, 0)


def test_day_first_without_an_order_is_not_a_date():
    with pytest.raises(RecordError):
        parse_timestamp("created_at", "29-02-2016 01:16", BERLIN)


def test_jalali_year_with_day_first_order():
    # 1405/09/02 (2 Azar 1405) = 23 Nov 2026 (1 Azar 1405 = 22 Nov 2026)
    with reading_dates("dmy"):
        assert parse_timestamp("c", "02/09/1405 10:00", TEHRAN) == at(2026, 11, 23, 10, tz=TEHRAN)
        assert parse_timestamp("c", "۰۲/۰۹/۱۴۰۵ ۱۰:۰۰", TEHRAN) == at(2026, 11, 23, 10, tz=TEHRAN)


def test_strptime_format_twitter_and_epoch():
    with reading_dates(date_format="%a %b %d %H:%M:%S %z %Y"):
        assert parse_timestamp("c", "Tue Oct 31 22:10:47 +0000 2017", BERLIN) == dt.datetime(
            2017, 10, 31, 22, 10, 47, tzinfo=dt.UTC
        )
    with reading_dates(date_format="epoch"):
        # 1509487847 s = 17470 days (1,509,408,000 s) + 79,847 s (22:10:47); 1970-01-01 plus
        # 17,167 days (47 years, 12 of them leap) is 2017-01-01, plus 303 days is 31 October.
        assert parse_timestamp("c", "1509487847", BERLIN) == dt.datetime(
            2017, 10, 31, 22, 10, 47, tzinfo=dt.UTC
        )
        assert parse_timestamp("c", "1509487847.5", BERLIN) == dt.datetime(
            2017, 10, 31, 22, 10, 47, 500000, tzinfo=dt.UTC
        )


def test_wrong_date_names_the_expected_order():
    with reading_dates("dmy"), pytest.raises(RecordError) as caught:
        parse_timestamp("created_at", "31/02/2016 10:00", BERLIN)  # no 31 February
    assert caught.value.column == "created_at"
    assert "“31/02/2016 10:00” is not a date and time" in caught.value.reason
    assert "day/month/year" in caught.value.reason
    with reading_dates("mdy"), pytest.raises(RecordError) as caught:
        parse_timestamp("created_at", "13/25/23 3:45 PM", BERLIN)
    assert "month/day/year" in caught.value.reason
    with reading_dates("mdy"), pytest.raises(RecordError):
        parse_timestamp("created_at", "10/25/23 13:45 PM", BERLIN)  # 13 PM
    with reading_dates(date_format="epoch"), pytest.raises(RecordError) as caught:
        parse_timestamp("created_at", "soon", BERLIN)
    assert "Unix time" in caught.value.reason


def test_a_date_alone_is_still_refused_in_an_order():
    with reading_dates("dmy"), pytest.raises(RecordError) as caught:
        parse_timestamp("created_at", "29/02/2016", BERLIN)
    assert "without a time of day" in caught.value.reason


def test_outside_an_import_nothing_changes():
    with pytest.raises(ValueError):
        read_datetime("29/02/2016 01:16", BERLIN)


def test_check_date_format():
    assert check_date_format("epoch") == "epoch"
    assert check_date_format(" %d.%m.%Y %H:%M ") == "%d.%m.%Y %H:%M"
    for bad in ("dd/mm/yyyy", "%H:%M", "%d %m"):
        with pytest.raises(ArgumentProblem):
            check_date_format(bad)


# --- guessing -------------------------------------------------------------------------------


def test_guess_day_first_month_first_year_first_and_iso():
    assert guess_date_order(["01/02/2016 10:00", "29/02/2016 01:16"]) == "dmy"
    assert guess_date_order(["10/25/23 3:45 PM", "01/02/23 1:00 AM"]) == "mdy"
    assert guess_date_order(["2016/02/03 10:00"]) == ""  # four-digit year first
    assert guess_date_order(["2016-02-03T10:00:00Z", "", None]) == ""
    assert guess_date_order([dt.datetime(2016, 2, 3, 10, 0)]) == ""  # a sheet's own dates
    assert guess_date_order([]) == ""


def test_guess_refuses_when_every_day_is_twelve_or_less():
    with pytest.raises(DateOrderProblem) as caught:
        guess_date_order(["01/02/2016 10:00", "12/11/2016 10:00"], column="Opened")
    assert caught.value.ambiguous
    assert "“Opened”" in str(caught.value)
    assert "Choose the order" in str(caught.value)


def test_guess_reports_conflicting_evidence():
    with pytest.raises(DateOrderProblem) as caught:
        guess_date_order(["13/02/2016 10:00", "02/13/2016 10:00"], column="Opened")
    assert not caught.value.ambiguous
    assert "“13/02/2016 10:00” is day/month/year" in str(caught.value)
    assert "“02/13/2016 10:00” is month/day/year" in str(caught.value)

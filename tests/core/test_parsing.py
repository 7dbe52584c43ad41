"""The one reading of numbers and dates, and where the three old readers differed.

Before core/parsing.py the interactions records, the demand-history files and the scheduling
files each read numbers and date-times their own way. Where they differed, the most accepting
rule is kept; each test below names the difference it pins.
"""

import datetime as dt
import zoneinfo

import pytest

from goaldesk.core.parsing import (
    ArgumentProblem,
    is_date_only,
    parse_day,
    parse_number,
    read_date,
    read_datetime,
)
from goaldesk.forecasting.history import parse_history
from goaldesk.interactions.records import RecordError, parse_interaction
from goaldesk.scheduling.files import ScheduleFileError, read_requirements

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12.0), (" 12.5 ", 12.5), ("۱۲٫۵", 12.5), ("١٢٫٥", 12.5), (7, 7.0), (2.5, 2.5),
        ("1,234", 1234.0), ("۱٬۲۳۴٫۵", 1234.5), ("-1,000,000", -1e6), ("1e3", 1000.0),
    ],
)  # fmt: skip
def test_numbers_in_any_digits(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_blank_is_no_number(empty):
    assert parse_number(empty) is None


@pytest.mark.parametrize("bad", ["ten", "1,5", "12,34", "1,2345", "nan", "inf", True, float("inf")])
def test_not_numbers(bad):
    with pytest.raises(ArgumentProblem, match="is not a number"):
        parse_number(bad)


# --- where the old readers differed: numbers -------------------------------------------------


def test_records_now_read_thousands_commas():
    # Records refused "1,234"; the history files read it as 1234. Now all read it as 1234.
    record = {"external_id": "1", "channel": "phone", "created_at": "2026-03-02T09:00Z"}
    parsed = parse_interaction(record | {"handle_seconds": "1,234"}, tz=TEHRAN)
    assert parsed.handle_seconds == 1234.0


def test_history_no_longer_reads_a_decimal_comma_as_thousands():
    # History dropped every comma ("1,5" was 15); a comma outside groups of three is refused,
    # as records always did, so a European decimal comma is never read ten times too large.
    parsed = parse_history(b'timestamp,volume\n2026-03-02T09:00,"1,5"\n', timezone="UTC")
    assert parsed.points == [] and "1,5" in parsed.errors[0].reason


def test_scheduling_now_reads_thousands_commas_and_refuses_infinity():
    good = read_requirements(
        'start,interval_minutes,skill,required\n2026-03-02T09:00Z,60,phone,"1,000"\n'
    )
    assert good[0].required == {"phone": 1000}
    # "inf" used to pass the scheduling files' minimum check; it is not a number.
    with pytest.raises(ScheduleFileError, match="is not a number"):
        read_requirements("start,interval_minutes,skill,required\n2026-03-02T09:00Z,60,phone,inf\n")


# --- dates and date-times --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-23", dt.date(2026, 11, 23)), ("1405/09/02", dt.date(2026, 11, 23)),
        ("۱۴۰۵-۰۹-۰۲", dt.date(2026, 11, 23)), ("2026.11.23", dt.date(2026, 11, 23)),
        ("1405-02-31", dt.date(2026, 5, 21)),  # Ordibehesht has 31 days; February has not
    ],
)  # fmt: skip
def test_dates_in_either_calendar(text, day):
    assert read_date(text) == day


@pytest.mark.parametrize("bad", ["1405-12-31", "2026-02-30", "23/11/2026", "yesterday"])
def test_not_dates(bad):
    with pytest.raises(ValueError):
        read_date(bad)


def test_parse_day_names_the_option():
    with pytest.raises(ArgumentProblem, match="--from: “2026-02-30” is not a date"):
        parse_day("2026-02-30", option="--from")


@pytest.mark.parametrize(
    ("value", "utc"),
    [
        ("2026-03-02T09:00", dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)),
        ("2026-03-02 09:00:00 +0100", dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
        ("2026-03-02 09:00 UTC", dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("2026-03-02T09:00z", dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("2026-03-02", dt.datetime(2026, 3, 1, 20, 30, tzinfo=UTC)),  # midnight in Tehran
        ("1405-01-15 09:00", dt.datetime(2026, 4, 4, 5, 30, tzinfo=UTC)),  # Jalali
        ("۱۴۰۵/۰۱/۱۵T۰۹:۰۰+03:30", dt.datetime(2026, 4, 4, 5, 30, tzinfo=UTC)),
        (dt.datetime(2026, 3, 2, 9, 0), dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)),
        (dt.date(2026, 3, 2), dt.datetime(2026, 3, 1, 20, 30, tzinfo=UTC)),
    ],
)
def test_date_times(value, utc):
    assert read_datetime(value, TEHRAN) == utc


@pytest.mark.parametrize("bad", ["yesterday", "02/03/2026 09:00", "2026-13-01 09:00", "9:00"])
def test_not_date_times(bad):
    with pytest.raises(ValueError):
        read_datetime(bad, TEHRAN)


def test_date_only():
    assert (
        is_date_only("2026-03-02")
        and is_date_only("1405/1/5")
        and is_date_only(dt.date(2026, 3, 2))
    )
    assert not is_date_only("2026-03-02T09:00") and not is_date_only(dt.datetime(2026, 3, 2))


# --- where the old readers differed: date-times ----------------------------------------------


def test_history_now_reads_a_space_before_the_offset():
    # Records read "09:00 +0100" and "09:00 UTC"; history and scheduling refused them.
    parsed = parse_history(
        b"timestamp,volume\n2026-03-02 09:00 +0100,3\n2026-03-02 10:00 UTC,4\n", timezone="UTC"
    )
    assert [p.start for p in parsed.points] == [
        dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    ]


def test_records_read_jalali_date_times():
    # Every reader took "1405-01-15 09:00" as the year 1405 AD; the year-before-1700 rule of
    # the date fields now applies to date-times too.
    record = {"external_id": "1", "channel": "phone", "created_at": "1405-01-15T09:00:00+03:30"}
    assert parse_interaction(record, tz=TEHRAN).created_at == dt.datetime(
        2026, 4, 4, 5, 30, tzinfo=UTC
    )


def test_records_still_refuse_a_date_without_time():
    # A rule of the interaction record, not of reading: history and scheduling take midnight.
    record = {"external_id": "1", "channel": "phone", "created_at": "1405-01-15"}
    with pytest.raises(RecordError, match="without a time of day"):
        parse_interaction(record, tz=TEHRAN)
    parsed = parse_history(b"timestamp,volume\n1405-01-15,3\n", timezone="Asia/Tehran")
    assert parsed.points[0].start == dt.datetime(2026, 4, 4, tzinfo=TEHRAN)

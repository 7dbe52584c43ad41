"""Business-hours arithmetic: hand-worked cases, DST, and a brute-force minute-by-minute check."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goaldesk.engine import BusinessCalendar

T = dt.time
H = 3600.0
BERLIN = ZoneInfo("Europe/Berlin")
TEHRAN = ZoneInfo("Asia/Tehran")
UTC = dt.UTC

WEEKDAYS = (1, 2, 3, 4, 5)
SPLIT_DAY = [(T(9), T(13)), (T(14), T(18))]


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def office(**kwargs: object) -> BusinessCalendar:
    """Mon–Fri 09–13 and 14–18 in Berlin."""
    return BusinessCalendar(
        timezone="Europe/Berlin", spans=dict.fromkeys(WEEKDAYS, SPLIT_DAY), **kwargs
    )


# --- hand-worked cases (2026-04-27 is a Monday) -------------------------------------------


def test_split_day_whole_day_counts_both_spans():
    # 08:00–20:00 covers 09–13 (4 h) and 14–18 (4 h).
    assert office().business_seconds(berlin(2026, 4, 27, 8), berlin(2026, 4, 27, 20)) == 8 * H


def test_split_day_lunch_break_not_counted():
    # 12:00–15:00: 12–13 (1 h) + lunch (0) + 14–15 (1 h).
    assert office().business_seconds(berlin(2026, 4, 27, 12), berlin(2026, 4, 27, 15)) == 2 * H


def test_inside_one_span_counts_exactly():
    # 09:10:30 to 09:40:45 is 30 min 15 s.
    start, end = berlin(2026, 4, 27, 9, 10, 30), berlin(2026, 4, 27, 9, 40, 45)
    assert office().business_seconds(start, end) == 30 * 60 + 15


def test_fractional_seconds_kept():
    start = dt.datetime(2026, 4, 27, 9, 0, 0, 250_000, tzinfo=BERLIN)
    end = dt.datetime(2026, 4, 27, 9, 0, 1, 0, tzinfo=BERLIN)
    assert office().business_seconds(start, end) == pytest.approx(0.75)


def test_overnight_ticket_counts_evening_and_morning():
    # Mon 17:00 → Tue 10:00: Mon 17–18 (1 h) + Tue 09–10 (1 h).
    assert office().business_seconds(berlin(2026, 4, 27, 17), berlin(2026, 4, 28, 10)) == 2 * H


def test_weekend_skipped():
    # Fri 2026-05-01 is a holiday in the next test; use Fri 2026-04-24 17:00 → Mon 04-27 10:00.
    assert office().business_seconds(berlin(2026, 4, 24, 17), berlin(2026, 4, 27, 10)) == 2 * H


def test_holiday_skipped():
    # Thu 2026-04-30 17:00 → Mon 2026-05-04 10:00 with Fri 1 May a holiday:
    # Thu 17–18 (1 h) + Mon 09–10 (1 h).
    cal = office(holidays=frozenset({dt.date(2026, 5, 1)}))
    assert cal.business_seconds(berlin(2026, 4, 30, 17), berlin(2026, 5, 4, 10)) == 2 * H
    # Without the holiday Friday adds its 8 h.
    assert office().business_seconds(berlin(2026, 4, 30, 17), berlin(2026, 5, 4, 10)) == 10 * H


def test_whole_week():
    # Mon 00:00 → next Mon 00:00: 5 days × 8 h.
    assert office().business_seconds(berlin(2026, 4, 27), berlin(2026, 5, 4)) == 40 * H


def test_before_opening_and_after_closing():
    cal = office()
    assert cal.business_seconds(berlin(2026, 4, 27, 6), berlin(2026, 4, 27, 8, 59)) == 0
    assert cal.business_seconds(berlin(2026, 4, 27, 18), berlin(2026, 4, 27, 23)) == 0
    assert cal.business_seconds(berlin(2026, 4, 27, 13), berlin(2026, 4, 27, 14)) == 0
    # 06:00 → 10:00 counts from opening: 1 h.
    assert cal.business_seconds(berlin(2026, 4, 27, 6), berlin(2026, 4, 27, 10)) == 1 * H
    # 17:30 → 23:00 counts to closing: 30 min.
    assert cal.business_seconds(berlin(2026, 4, 27, 17, 30), berlin(2026, 4, 27, 23)) == 1800


def test_end_not_after_start_is_zero():
    cal = office()
    assert cal.business_seconds(berlin(2026, 4, 27, 10), berlin(2026, 4, 27, 10)) == 0
    assert cal.business_seconds(berlin(2026, 4, 27, 11), berlin(2026, 4, 27, 10)) == 0


def test_input_time_zone_does_not_matter():
    # 07:00 UTC is 09:00 in Berlin (CEST, +02:00) on 2026-04-27; 16:00 UTC is 18:00.
    cal = office()
    start = dt.datetime(2026, 4, 27, 7, tzinfo=UTC)
    end = dt.datetime(2026, 4, 27, 16, tzinfo=UTC)
    assert cal.business_seconds(start, end) == 8 * H
    tokyo = ZoneInfo("Asia/Tokyo")
    assert cal.business_seconds(start.astimezone(tokyo), end.astimezone(tokyo)) == 8 * H


def test_unsorted_overlapping_spans_are_merged():
    # 14–18, 09–13, 12–15 together cover 09–18 once: 9 h, not 4 + 4 + 3 = 11 h.
    cal = BusinessCalendar(
        timezone="Europe/Berlin", spans={1: [(T(14), T(18)), (T(9), T(13)), (T(12), T(15))]}
    )
    assert cal.business_seconds(berlin(2026, 4, 27), berlin(2026, 4, 28)) == 9 * H


def test_span_past_midnight_belongs_to_its_opening_day():
    # Monday 22:00–02:00 (4 h) only; Tuesday is a holiday but the span opened on Monday.
    cal = BusinessCalendar(
        timezone="Europe/Berlin",
        spans={1: [(T(22), T(2))]},
        holidays=frozenset({dt.date(2026, 4, 28)}),
    )
    assert cal.business_seconds(berlin(2026, 4, 27, 21), berlin(2026, 4, 28, 3)) == 4 * H
    # Starting after midnight still catches the Monday span's tail: 00:30–02:00.
    assert cal.business_seconds(berlin(2026, 4, 28, 0, 30), berlin(2026, 4, 28, 3)) == 1.5 * H
    assert cal.is_open_day(dt.date(2026, 4, 27))
    assert not cal.is_open_day(dt.date(2026, 4, 28))


def test_overnight_span_overlapping_next_days_span_counts_once():
    # Mon 22–02 and Tue 01–05 cover Mon 22:00 → Tue 05:00 = 7 h.
    cal = BusinessCalendar(timezone="Europe/Berlin", spans={1: [(T(22), T(2))], 2: [(T(1), T(5))]})
    assert cal.business_seconds(berlin(2026, 4, 27, 20), berlin(2026, 4, 28, 6)) == 7 * H


def test_midnight_closing_and_whole_day_span():
    cal = BusinessCalendar(timezone="Europe/Berlin", spans={1: [(T(20), T(0))], 2: [(T(0), T(0))]})
    # Mon 20:00–24:00 (4 h) then all of Tuesday (24 h).
    assert cal.business_seconds(berlin(2026, 4, 27), berlin(2026, 4, 29)) == 28 * H


# --- daylight saving -------------------------------------------------------------------------


def every_day(*spans: tuple[dt.time, dt.time], tz: str = "Europe/Berlin") -> BusinessCalendar:
    return BusinessCalendar(timezone=tz, spans={d: list(spans) for d in range(1, 8)})


def test_berlin_spring_forward_day_span_after_the_jump_is_real_length():
    # 2026-03-29: clocks go 02:00 → 03:00. 09:00–18:00 is still 9 real hours.
    cal = every_day((T(9), T(18)))
    assert cal.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 9 * H


def test_berlin_spring_forward_span_across_gap_loses_an_hour():
    # 01:00 CET (00:00 UTC) → 04:00 CEST (02:00 UTC) = 2 h.
    cal = every_day((T(1), T(4)))
    assert cal.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 2 * H
    # The day before, an ordinary 3 h.
    assert cal.business_seconds(berlin(2026, 3, 28), berlin(2026, 3, 29)) == 3 * H


def test_berlin_spring_forward_opening_inside_the_gap_opens_at_the_jump():
    # 02:30 never shows on the clock; the desk opens when it jumps to 03:00 (01:00 UTC)
    # and closes at 05:00 CEST (03:00 UTC): 2 h.
    cal = every_day((T(2, 30), T(5)))
    assert cal.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 2 * H
    [(opens, closes)] = cal.open_intervals(dt.date(2026, 3, 29))
    assert opens == dt.datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert closes == dt.datetime(2026, 3, 29, 3, tzinfo=UTC)


def test_berlin_fall_back_span_across_repeat_gains_an_hour():
    # 2026-10-25: clocks go 03:00 → 02:00. 01:00 CEST (23:00 UTC) → 04:00 CET (03:00 UTC) = 4 h.
    cal = every_day((T(1), T(4)))
    assert cal.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 4 * H
    # 09:00–18:00 that day: 9 h.
    assert (
        every_day((T(9), T(18))).business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26))
        == 9 * H
    )


def test_berlin_fall_back_repeated_wall_time_means_first_occurrence():
    # Opening at 02:30 means the first 02:30 (CEST, 00:30 UTC); closing 05:00 CET (04:00 UTC):
    # 3.5 h really elapse while the desk is open.
    cal = every_day((T(2, 30), T(5)))
    assert cal.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 3.5 * H


def test_whole_dst_days_in_always_open_calendar_are_23_and_25_hours():
    cal = BusinessCalendar(timezone="Europe/Berlin")
    assert cal.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 23 * H
    assert cal.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 25 * H


def test_tehran_no_dst_and_friday_weekend():
    # Iran dropped DST in 2022: June 2026 is +03:30 (not +04:30). Sat–Thu 08:00–16:00, Friday off.
    cal = BusinessCalendar(
        timezone="Asia/Tehran",
        spans={d: [(T(8), T(16))] for d in (1, 2, 3, 4, 5, 6, 7)},
        weekend=frozenset({5}),
    )
    # Thu 2026-06-04 12:00 UTC = 15:30 Tehran → Sat 2026-06-06 05:30 UTC = 09:00 Tehran:
    # Thu 15:30–16:00 (0.5 h) + Friday closed + Sat 08:00–09:00 (1 h).
    start = dt.datetime(2026, 6, 4, 12, tzinfo=UTC)
    end = dt.datetime(2026, 6, 6, 5, 30, tzinfo=UTC)
    assert cal.business_seconds(start, end) == 1.5 * H
    assert cal.local_date(dt.datetime(2026, 6, 4, 20, 29, tzinfo=UTC)) == dt.date(2026, 6, 4)
    assert cal.local_date(dt.datetime(2026, 6, 4, 20, 30, tzinfo=UTC)) == dt.date(2026, 6, 5)
    assert not cal.is_open_day(dt.date(2026, 6, 5))
    # Around the March equinox (when DST used to start), days are still 8 h.
    assert (
        cal.business_seconds(
            dt.datetime(2026, 3, 21, tzinfo=TEHRAN), dt.datetime(2026, 3, 23, tzinfo=TEHRAN)
        )
        == 16 * H
    )


# --- open days --------------------------------------------------------------------------------


def test_open_days_april_2026_with_easter_holidays():
    # April 2026 has 22 weekdays (Wed 1st … Thu 30th); Good Friday (3rd) and Easter Monday (6th)
    # are holidays; a holiday on a Saturday (11th) changes nothing: 20.
    cal = office(
        holidays=frozenset({dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 4, 11)})
    )
    assert cal.open_days(dt.date(2026, 4, 1), dt.date(2026, 4, 30)) == 20
    assert cal.open_days(dt.date(2026, 4, 3), dt.date(2026, 4, 3)) == 0
    assert cal.open_days(dt.date(2026, 4, 7), dt.date(2026, 4, 7)) == 1
    assert cal.open_days(dt.date(2026, 4, 30), dt.date(2026, 4, 1)) == 0


def test_open_days_up_to_the_last_representable_day_do_not_overflow():
    # 9999-12-31 (a Friday) has no next day; counting must not step past it. The last week,
    # Mon 27th … Fri 31st, has five open days; a holiday on Thursday 30th leaves four.
    cal = office(holidays=frozenset({dt.date(9999, 12, 30)}))
    assert cal.open_days(dt.date(9999, 12, 27), dt.date(9999, 12, 31)) == 4
    assert cal.open_days(dt.date(9999, 12, 31), dt.date(9999, 12, 31)) == 1


def test_open_days_of_a_century():
    # 2026-01-01 (Thu) .. 2125-12-31: 36,524 days, 5,217 full weeks of 5 open days and 5 days
    # left (Thu, Fri, Sat, Sun, Mon: 3 open), less one holiday on a Tuesday (2026-04-07).
    cal = office(holidays=frozenset({dt.date(2026, 4, 7), dt.date(2026, 4, 11)}))
    assert cal.open_days(dt.date(2026, 1, 1), dt.date(2125, 12, 31)) == 5217 * 5 + 3 - 1


@given(
    first=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    length=st.integers(min_value=0, max_value=60),
    open_weekdays=st.sets(st.integers(min_value=1, max_value=7)),
    weekend=st.sets(st.integers(min_value=1, max_value=7), max_size=3),
    holiday_offsets=st.sets(st.integers(min_value=-5, max_value=65), max_size=6),
)
def test_open_days_equal_counting_day_by_day(
    first, length, open_weekdays, weekend, holiday_offsets
):
    last = first + dt.timedelta(days=length)
    holidays = frozenset(first + dt.timedelta(days=offset) for offset in holiday_offsets)
    cal = BusinessCalendar(
        timezone="UTC",
        spans={weekday: [(T(9), T(17))] for weekday in open_weekdays},
        weekend=frozenset(weekend),
        holidays=holidays,
    )
    by_hand = sum(
        cal.is_open_day(first + dt.timedelta(days=i)) for i in range((last - first).days + 1)
    )
    assert cal.open_days(first, last) == by_hand


def test_weekend_overrides_spans():
    # Spans on every day but Friday and Saturday are weekend: a 2026-06 week has 5 open days.
    cal = BusinessCalendar(
        timezone="Asia/Tehran",
        spans={d: [(T(8), T(16))] for d in range(1, 8)},
        weekend=frozenset({5, 6}),
    )
    assert cal.open_days(dt.date(2026, 6, 1), dt.date(2026, 6, 7)) == 5
    assert not cal.is_open_day(dt.date(2026, 6, 6))  # a Saturday


def test_day_without_spans_is_closed():
    assert not office().is_open_day(dt.date(2026, 4, 26))  # Sunday
    assert office().is_open_day(dt.date(2026, 4, 27))


def test_no_spans_means_always_open():
    cal = BusinessCalendar(
        timezone="Europe/Berlin",
        weekend=frozenset({6, 7}),
        holidays=frozenset({dt.date(2026, 4, 3)}),
    )
    assert cal.always_open
    # Weekend and holidays are ignored when no hours are configured.
    assert cal.open_days(dt.date(2026, 4, 1), dt.date(2026, 4, 30)) == 30
    assert cal.is_open_day(dt.date(2026, 4, 3))
    start, end = berlin(2026, 4, 3, 17, 15), berlin(2026, 4, 5, 9)
    assert cal.business_seconds(start, end) == (end - start).total_seconds()


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        office().business_seconds(dt.datetime(2026, 4, 27, 9), berlin(2026, 4, 27, 10))
    with pytest.raises(ValueError, match="time zone"):
        office().local_date(dt.datetime(2026, 4, 27, 9))


def test_bad_weekday_is_refused():
    with pytest.raises(ValueError, match="weekday 0"):
        BusinessCalendar(timezone="UTC", spans={0: [(T(9), T(17))]})


def test_calendar_is_hashable_and_comparable():
    assert office() == office()
    assert hash(office()) == hash(office())
    assert office() != office(weekend=frozenset({1}))


# --- brute-force reference and invariants ----------------------------------------------------


def brute_force_business_seconds(
    cal: BusinessCalendar, start: dt.datetime, end: dt.datetime
) -> int:
    """Minute by minute: is the desk open at this instant by the local wall clock?

    Independent of the implementation: walks real instants and reads the local clock instead
    of converting opening times to instants. Exact for minute-aligned inputs and spans.
    """
    tz = ZoneInfo(cal.timezone)
    spans = {d: list(s) for d, s in cal.spans.items() if s}

    def open_day(day: dt.date) -> bool:
        if not spans:
            return True
        return (
            day.isoweekday() in spans
            and day.isoweekday() not in cal.weekend
            and day not in cal.holidays
        )

    def is_open(moment: dt.datetime) -> bool:
        if not spans:
            return True
        local = moment.astimezone(tz)
        day, wall = local.date(), local.time().replace(tzinfo=None)
        yesterday = day - dt.timedelta(days=1)
        if open_day(day):
            for opens, closes in spans[day.isoweekday()]:
                if opens < closes and opens <= wall < closes:
                    return True
                if closes <= opens and wall >= opens:
                    return True
        if open_day(yesterday):
            for opens, closes in spans[yesterday.isoweekday()]:
                if closes <= opens and wall < closes:
                    return True
        return False

    seconds = 0
    moment = start
    while moment < end:
        if is_open(moment):
            seconds += 60
        moment += dt.timedelta(minutes=1)
    return seconds


ALL_QUARTER_HOURS = [T(h, m) for h in range(24) for m in (0, 15, 30, 45)]
# In autumn the brute force, reading wall time, cannot tell the two 02:30s of a fall-back night
# apart, so there span boundaries avoid 01:00–03:00 (the hand-worked tests above cover them).
AUTUMN_QUARTER_HOURS = [t for t in ALL_QUARTER_HOURS if not 1 <= t.hour < 3]
zones = st.sampled_from(["UTC", "Europe/Berlin", "Asia/Tehran", "America/New_York", "Asia/Kolkata"])
SPRING = dt.datetime(2026, 3, 5, tzinfo=UTC)  # Berlin and New York spring forward after this
AUTUMN = dt.datetime(2026, 10, 10, tzinfo=UTC)  # … and fall back after this


@st.composite
def calendars(
    draw: st.DrawFn, around: dt.datetime = SPRING, times: list[dt.time] = ALL_QUARTER_HOURS
) -> BusinessCalendar:
    quarter_hours = st.sampled_from(times)
    first_holiday = around.date() + dt.timedelta(days=10)
    return BusinessCalendar(
        timezone=draw(zones),
        spans=draw(
            st.dictionaries(
                st.integers(1, 7),
                st.lists(st.tuples(quarter_hours, quarter_hours), max_size=3),
                max_size=7,
            )
        ),
        weekend=frozenset(draw(st.lists(st.integers(1, 7), max_size=3))),
        holidays=frozenset(
            first_holiday + dt.timedelta(days=n)
            for n in draw(st.lists(st.integers(0, 20), max_size=6))
        ),
    )


def minute_instants(around: dt.datetime) -> st.SearchStrategy[dt.datetime]:
    """Minute-aligned instants in the 40 days from `around`."""
    return st.integers(0, 60 * 24 * 40).map(lambda m: around + dt.timedelta(minutes=m))


instants = minute_instants(SPRING)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cal=calendars(), start=instants, minutes=st.integers(0, 60 * 24 * 4))
def test_matches_brute_force_in_spring(cal, start, minutes):
    end = start + dt.timedelta(minutes=minutes)
    assert cal.business_seconds(start, end) == brute_force_business_seconds(cal, start, end)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cal=calendars(AUTUMN, AUTUMN_QUARTER_HOURS),
    start=minute_instants(AUTUMN),
    minutes=st.integers(0, 60 * 24 * 4),
)
def test_matches_brute_force_in_autumn(cal, start, minutes):
    end = start + dt.timedelta(minutes=minutes)
    assert cal.business_seconds(start, end) == brute_force_business_seconds(cal, start, end)


@given(
    cal=calendars(),
    start=st.datetimes(
        min_value=dt.datetime(2025, 1, 1),
        max_value=dt.datetime(2027, 12, 31),
        timezones=st.just(UTC),
    ),
    seconds=st.floats(0, 20 * 86400),
)
def test_between_zero_and_calendar_seconds(cal, start, seconds):
    end = start + dt.timedelta(seconds=seconds)
    business = cal.business_seconds(start, end)
    assert 0 <= business <= (end - start).total_seconds() + 1e-6


@given(cal=calendars(), a=instants, gaps=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)))
def test_additive(cal, a, gaps):
    b = a + dt.timedelta(seconds=gaps[0])
    c = b + dt.timedelta(seconds=gaps[1])
    whole = cal.business_seconds(a, c)
    assert whole == pytest.approx(cal.business_seconds(a, b) + cal.business_seconds(b, c), abs=1e-6)


@given(zone=zones, start=instants, seconds=st.floats(-86400, 30 * 86400))
def test_always_open_equals_calendar_seconds(zone, start, seconds):
    cal = BusinessCalendar(timezone=zone, holidays=frozenset({dt.date(2026, 3, 20)}))
    end = start + dt.timedelta(seconds=seconds)
    assert cal.business_seconds(start, end) == pytest.approx(max(0.0, seconds), abs=1e-6)


@given(
    cal=calendars(), first=st.dates(dt.date(2026, 3, 1), dt.date(2026, 4, 30)), n=st.integers(0, 60)
)
def test_open_days_counts_each_open_day(cal, first, n):
    last = first + dt.timedelta(days=n)
    configured = {d for d, spans in cal.spans.items() if spans}

    def open_by_definition(day: dt.date) -> bool:
        if not configured:
            return True
        weekday = day.isoweekday()
        return weekday in configured and weekday not in cal.weekend and day not in cal.holidays

    by_hand = sum(open_by_definition(first + dt.timedelta(days=i)) for i in range(n + 1))
    assert cal.open_days(first, last) == by_hand
    assert 0 <= cal.open_days(first, last) <= n + 1

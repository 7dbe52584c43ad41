"""Business-hours arithmetic: opening spans per weekday, holidays, weekends, time zones, DST.

Rules (docs/metrics.md repeats them for users):

* `spans` are local wall-clock spans per ISO weekday (1 = Monday … 7 = Sunday). A day may have
  several; they may be given unsorted or overlapping (they are merged, nothing counts twice).
* A span whose closing time is not after its opening time runs past midnight into the next day:
  22:00–02:00 is four hours, 09:00–00:00 runs to midnight, 00:00–00:00 is the whole day. Such a
  span belongs to the day it opens on (a holiday the next day does not cut it short).
* Weekend days and holidays are closed whatever `spans` says.
* With no spans configured at all the organisation counts as always open: every day is an open
  day and business seconds equal calendar seconds; `weekend` and `holidays` are then ignored,
  because an organisation that has not said when it works cannot be said to be closed.
* Daylight saving: a span lasts its real elapsed time. In Europe/Berlin on 2026-03-29 a
  09:00–18:00 span is 9 h, 01:00–04:00 is 2 h (the clock skips 02:00–03:00) and on 2026-10-25
  01:00–04:00 is 4 h (02:00–03:00 happens twice). A wall time inside the skipped hour means the
  moment the clock jumps; a repeated wall time means its first occurrence.

Speed matters (import calls `business_seconds` twice per row), so each local day's open
intervals are computed once as UTC epoch seconds and cached per calendar instance.
"""

import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_ONE_DAY = dt.timedelta(days=1)

#: A day's open intervals as (start, end) UTC epoch seconds, sorted, non-overlapping.
_Intervals = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class BusinessCalendar:
    """When an organisation is open.

    `spans` maps an ISO weekday (1 = Monday … 7 = Sunday) to its opening spans in local wall
    time, e.g. {1: [(time(9), time(13)), (time(14), time(18))]}. `weekend` lists ISO weekdays
    that are closed whatever `spans` says; `holidays` are closed dates. With no spans at all the
    organisation counts as always open (every day is an open day; business seconds equal
    calendar seconds).
    """

    timezone: str
    spans: Mapping[int, Sequence[tuple[dt.time, dt.time]]] = field(default_factory=dict)
    weekend: frozenset[int] = frozenset()
    holidays: frozenset[dt.date] = frozenset()

    # Derived once in __post_init__; not part of the calendar's identity.
    _tz: zoneinfo.ZoneInfo = field(init=False, repr=False, compare=False)
    _always_open: bool = field(init=False, repr=False, compare=False)
    _has_overnight: bool = field(init=False, repr=False, compare=False)
    # ISO weekday -> ((opens, closes, runs_past_midnight), ...) as wall-clock times.
    _day_spans: dict[int, tuple[tuple[dt.time, dt.time, bool], ...]] = field(
        init=False, repr=False, compare=False
    )
    _holiday_ordinals: frozenset[int] = field(init=False, repr=False, compare=False)
    _cache: dict[int, _Intervals] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        day_spans: dict[int, tuple[tuple[dt.time, dt.time, bool], ...]] = {}
        for weekday, spans in self.spans.items():
            if weekday not in range(1, 8):
                raise ValueError(
                    f"Business hours: weekday {weekday!r} is not an ISO weekday "
                    "(1 = Monday … 7 = Sunday)."
                )
            normalised = []
            for opens, closes in spans:
                opens_wall = opens.replace(tzinfo=None)
                closes_wall = closes.replace(tzinfo=None)
                normalised.append((opens_wall, closes_wall, closes_wall <= opens_wall))
            if normalised:
                day_spans[weekday] = tuple(sorted(normalised))
        setattr_ = object.__setattr__
        setattr_(self, "_tz", zoneinfo.ZoneInfo(self.timezone))
        setattr_(self, "_always_open", not day_spans)
        setattr_(self, "_has_overnight", any(s[2] for spans in day_spans.values() for s in spans))
        setattr_(self, "_day_spans", day_spans)
        setattr_(self, "_holiday_ordinals", frozenset(d.toordinal() for d in self.holidays))
        setattr_(self, "_cache", {})

    def __hash__(self) -> int:
        # `spans` is usually a dict; hash on what is hashable and cheap.
        return hash((self.timezone, self.weekend, self.holidays, len(self.spans)))

    @property
    def always_open(self) -> bool:
        """True when no business hours are configured (every moment counts as open)."""
        return self._always_open

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The organisation's local calendar date of an aware datetime."""
        _require_aware(moment, "moment")
        return moment.astimezone(self._tz).date()

    def is_open_day(self, day: dt.date) -> bool:
        """Whether `day` has business hours and is neither a weekend day nor a holiday."""
        if self._always_open:
            return True
        weekday = day.isoweekday()
        return (
            weekday in self._day_spans
            and weekday not in self.weekend
            and day.toordinal() not in self._holiday_ordinals
        )

    def open_days(self, first: dt.date, last: dt.date) -> int:
        """Number of open days from `first` to `last`, both included (0 if last < first)."""
        if last < first:
            return 0
        if self._always_open:
            return (last - first).days + 1
        # Counted by weekday, then less the holidays that fall on open weekdays: no loop over
        # the days (a long period stays fast) and no date past `last` (9999-12-31 has no next).
        open_weekdays = [
            weekday in self._day_spans and weekday not in self.weekend for weekday in range(1, 8)
        ]
        first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
        full_weeks, rest = divmod(last_ordinal - first_ordinal + 1, 7)
        count = full_weeks * sum(open_weekdays)
        first_weekday = first.isoweekday()
        count += sum(open_weekdays[(first_weekday - 1 + i) % 7] for i in range(rest))
        for ordinal in self._holiday_ordinals:
            if first_ordinal <= ordinal <= last_ordinal and open_weekdays[(ordinal - 1) % 7]:
                count -= 1
        return count

    def business_seconds(self, start: dt.datetime, end: dt.datetime) -> float:
        """Seconds between two aware datetimes that fall inside business hours (0 if end ≤ start)."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        start_s = start.timestamp()
        end_s = end.timestamp()
        if end_s <= start_s:
            return 0.0
        if self._always_open:
            return end_s - start_s
        tz = self._tz
        first = start.astimezone(tz).toordinal()
        if self._has_overnight:
            first -= 1  # yesterday's span may run past midnight into `start`'s day
        last = end.astimezone(tz).toordinal()
        cache = self._cache
        total = 0.0
        covered_until = start_s
        for ordinal in range(first, last + 1):
            intervals = cache.get(ordinal)
            if intervals is None:
                intervals = self._open_intervals(ordinal)
            for open_s, close_s in intervals:
                # Intervals arrive sorted by opening time; `covered_until` stops an overnight
                # span and the next day's early span from counting the same seconds twice.
                lo = open_s if open_s > covered_until else covered_until
                hi = close_s if close_s < end_s else end_s
                if hi > lo:
                    total += hi - lo
                    covered_until = hi
        return total

    def open_intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The open intervals of the spans opening on local `day`, as aware UTC datetimes."""
        utc = dt.UTC
        return [
            (dt.datetime.fromtimestamp(a, utc), dt.datetime.fromtimestamp(b, utc))
            for a, b in self._open_intervals(day.toordinal())
        ]

    def _open_intervals(self, ordinal: int) -> _Intervals:
        cached = self._cache.get(ordinal)
        if cached is not None:
            return cached
        day = dt.date.fromordinal(ordinal)
        raw: list[tuple[float, float]] = []
        if self.is_open_day(day) and not self._always_open:
            next_day = day + _ONE_DAY
            for opens, closes, overnight in self._day_spans[day.isoweekday()]:
                open_s = self._wall_to_epoch(day, opens)
                close_s = self._wall_to_epoch(next_day if overnight else day, closes)
                if close_s > open_s:
                    raw.append((open_s, close_s))
        raw.sort()
        merged: list[tuple[float, float]] = []
        for open_s, close_s in raw:
            if merged and open_s <= merged[-1][1]:
                if close_s > merged[-1][1]:
                    merged[-1] = (merged[-1][0], close_s)
            else:
                merged.append((open_s, close_s))
        result = tuple(merged)
        self._cache[ordinal] = result
        return result

    def _wall_to_epoch(self, day: dt.date, wall: dt.time) -> float:
        """UTC epoch seconds of the first moment the local clock reads `wall` (or later) on `day`."""
        tz = self._tz
        naive = dt.datetime.combine(day, wall)
        epoch = naive.replace(tzinfo=tz).timestamp()  # fold=0: first occurrence if repeated
        if dt.datetime.fromtimestamp(epoch, tz).replace(tzinfo=None) == naive:
            return epoch
        # `wall` does not exist (the clock jumps over it): open at the moment of the jump.
        # With fold=1 the wall time is read with the offset after the jump, giving an earlier
        # instant; the jump lies between the two readings.
        before = naive.replace(tzinfo=tz, fold=1).timestamp()
        lo, hi = int(before), int(epoch) + 1
        offset_after = dt.datetime.fromtimestamp(hi, tz).utcoffset()
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if dt.datetime.fromtimestamp(mid, tz).utcoffset() == offset_after:
                hi = mid
            else:
                lo = mid
        return float(hi)


def _require_aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Business hours: {name} {moment.isoformat()} has no time zone offset.")

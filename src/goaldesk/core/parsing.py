"""Reading what people type: digits of any script, numbers and dates in any calendar.

Forms, imports, uploads, the scheduling files, the API and the command line all read input
through these, so the same text means the same value everywhere:

- digits may be ASCII, Persian (۰–۹) or Arabic-Indic (٠–٩); the Arabic decimal mark (٫) is a
  point, the Arabic thousands mark (٬) and comma (،) are commas;
- a number may group its thousands with commas (``1,234.5``); any other comma is refused,
  because a decimal comma (``1,5``) would otherwise be read as fifteen;
- a date is year-month-day (``-``, ``/`` or ``.`` between, month and day with or without a
  leading zero); a year before 1700 is a year of the reader's local calendar, `local_calendar`:
  Jalali (``1405/09/02`` is 2026-11-23) unless the reader's calendar is Hijri (then
  ``1448/06/02`` is 2026-11-23); in dates and in date-times alike. Jalali and Hijri years
  overlap (1405 is both), so the number alone cannot tell them apart: a request takes the
  calendar of the person who sends it, an import the one chosen when its columns were mapped
  (the organisation's by default), the command line the organisation's;
- a date is between 1900-01-01 and 2100-12-31 (`EARLIEST_DAY`, `LATEST_DAY`): nothing GoalDesk
  measures lies outside, and arithmetic on far years (9999-12-31 plus a day) overflows;
- a date-time is ISO 8601 (``2026-03-02T09:15``, ``2026-03-02 09:15:00+03:30``, ``…Z``; a space
  before the offset and ``UTC``/``GMT`` are fine); without an offset it is read in the given
  time zone; a date alone is midnight;
- while a file is read whose dates are written otherwise (`reading_dates`): in a stated order,
  "dmy" (``29/2/2016 01:16``, ``29-02-2016 01:16``, ``29.02.2016 1:16``), "mdy"
  (``10/25/23 3:45 PM``: a two-digit year is 1969–2068 as strptime reads ``%y``; AM/PM) or "ymd";
  or in an explicit strptime format (``%a %b %d %H:%M:%S %z %Y``) or "epoch" (Unix seconds).
  ISO 8601 text is read as ISO all the same, and a year before 1700 is still one of the local
  calendar (``02/09/1405 10:00`` day-first is 1405/09/02). `guess_date_order` tells the order
  from a file's first values, or says why it cannot.

The readers raise `ArgumentProblem` (a ValueError) whose message is for the person who typed
the value; callers that name a row or a field put that in front.
"""

import datetime as dt
import math
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext as _

from goaldesk.core.display import CALENDAR_LABELS, number_locale
from goaldesk.engine import (
    HIJRI,
    JALALI,
    from_calendar,
    localize_digits,
    normalize_digits,
    to_calendar,
)


class ArgumentProblem(ValueError):
    """A value that cannot be used; the message says which and why, for the person who typed it."""


def ascii_digits(text: str) -> str:
    """`text` with every digit (and decimal or thousands mark) in ASCII."""
    return text if text.isascii() else normalize_digits(text)


def _quoted(value: object) -> str:
    """The value as its reader typed it, for a message: trimmed; 1234.0 from a sheet is 1234."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- numbers ------------------------------------------------------------------------------------

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_number(value: object) -> float | None:
    """The finite number `value` stands for; None when it is None or blank.

    Accepts numbers and text in any digits (see the module notes). Raises ArgumentProblem
    “… is not a number.” for anything else, including booleans, infinities and NaN.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _not_a_number(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = ascii_digits(str(value).strip())
        if not text:
            return None
        if "," in text and _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise _not_a_number(value) from None
    if not math.isfinite(number):
        raise _not_a_number(value)
    return number


def _not_a_number(value: object) -> ArgumentProblem:
    return ArgumentProblem(_("“%(value)s” is not a number.") % {"value": _quoted(value)})


# --- dates and date-times -----------------------------------------------------------------------

#: The first and last day GoalDesk accepts anywhere (a period, a record, a goal's dates).
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)


def out_of_range_reason(value: object) -> str:
    """The message for a date outside EARLIEST_DAY..LATEST_DAY, quoting `value` as typed."""
    return _("“%(value)s” is outside the dates GoalDesk accepts (%(first)s to %(last)s).") % {
        "value": _quoted(value),
        "first": EARLIEST_DAY.isoformat(),
        "last": LATEST_DAY.isoformat(),
    }


def is_in_range(day: dt.date) -> bool:
    """Whether the day (of a date or a date-time as written) lies in EARLIEST_DAY..LATEST_DAY."""
    return EARLIEST_DAY.year <= day.year <= LATEST_DAY.year


_DAY = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DAY_PREFIX = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?=$|[T ])", re.IGNORECASE)

#: The calendar a year before 1700 is read in (JALALI or HIJRI): the reader's own when it is
#: Hijri, else Jalali. Set per request, per import and per command; see `reading_calendar`.
local_calendar: ContextVar[str] = ContextVar("local_calendar", default=JALALI)


def local_calendar_of(calendar: str) -> str:
    """The calendar years before 1700 are read in for a reader whose calendar is `calendar`."""
    return HIJRI if calendar == HIJRI else JALALI


@contextmanager
def reading_calendar(calendar: str) -> Iterator[None]:
    """Within the block, years before 1700 are read in `calendar`'s local calendar."""
    token = local_calendar.set(local_calendar_of(calendar))
    try:
        yield
    finally:
        local_calendar.reset(token)


#: The orders a file may write its dates in (see `reading_dates`).
DATE_ORDERS = ("dmy", "mdy", "ymd")
#: The `date_format` that means Unix time (seconds since 1970-01-01 00:00 UTC).
EPOCH = "epoch"

#: How the file being read writes dates that are not ISO 8601: (order, format); see
#: `reading_dates`. ("", "") outside an import: ISO 8601 and year/month/day only.
date_writing: ContextVar[tuple[str, str]] = ContextVar("date_writing", default=("", ""))


@contextmanager
def reading_dates(order: str = "", date_format: str = "") -> Iterator[None]:
    """Within the block, dates that are not ISO 8601 are read in `order` ("dmy", "mdy",
    "ymd") or, when given, in `date_format` (a strptime format, or "epoch")."""
    token = date_writing.set((order if order in DATE_ORDERS else "", date_format or ""))
    try:
        yield
    finally:
        date_writing.reset(token)


def order_label(order: str) -> str:
    """“day/month/year” and the like, for messages and the mapping page."""
    labels = {
        "dmy": _("day/month/year"),
        "mdy": _("month/day/year"),
        "ymd": _("year/month/day"),
    }
    return labels.get(order, order)


_EXAMPLE_MOMENT = dt.datetime(2026, 11, 23, 21, 15, 0, tzinfo=dt.UTC)
_ORDER_EXAMPLES = {
    "dmy": "23/11/2026 21:15",
    "mdy": "11/23/2026 9:15 PM",
    "ymd": "2026/11/23 21:15",
}


def date_writing_spelling(order: str, date_format: str) -> str:
    """The sentence saying how a file's dates are read when written in `order` or
    `date_format`; empty when neither is set."""
    if date_format == EPOCH:
        return _(
            "This file's dates are read as Unix time, seconds since 1970-01-01 00:00 UTC, for "
            "example %(example)s."
        ) % {"example": str(int(_EXAMPLE_MOMENT.timestamp()))}
    if date_format:
        try:
            example = _EXAMPLE_MOMENT.strftime(date_format)
        except ValueError:
            example = date_format
        return _(
            "This file's dates are read in the format %(format)s, for example %(example)s."
        ) % {"format": date_format, "example": example}
    if order:
        return _(
            "This file's dates are read as %(order)s, for example %(example)s; ISO 8601 "
            "(%(iso)s) is read too."
        ) % {
            "order": order_label(order),
            "example": _ORDER_EXAMPLES[order],
            "iso": "2026-11-23 21:15",
        }
    return ""


def check_date_format(date_format: str) -> str:
    """`date_format` when it can read dates ("epoch", or a strptime format with a day, a
    month and a year); raises ArgumentProblem saying why not."""
    date_format = (date_format or "").strip()
    if date_format in ("", EPOCH):
        return date_format
    problem = ArgumentProblem(
        _(
            "“%(format)s” is not a date format: write one as Python's strptime reads it, with "
            "%%d, %%m (or %%b) and %%Y (or %%y), e.g. %(example)s, or “epoch” for Unix seconds."
        )
        % {"format": date_format, "example": "%d/%m/%Y %H:%M"}
    )
    if not any(c in date_format for c in ("%d", "%j")) or not any(
        c in date_format for c in ("%Y", "%y")
    ):
        raise problem
    try:
        dt.datetime.strptime(_EXAMPLE_MOMENT.strftime(date_format), date_format)  # noqa: DTZ007
    except ValueError:
        raise problem from None
    return date_format


def date_spellings() -> str:
    """The sentence that names the date spellings GoalDesk reads, with examples written in the
    reader's digits: the Gregorian one and the one of the calendar years before 1700 are read in."""
    local = local_calendar.get()
    example = dt.date(2026, 11, 23)
    year, month, day = to_calendar(example, local)
    digits = number_locale()
    return _(
        "Write a date as year/month/day with “-”, “/” or “.” between, for example %(gregorian)s, "
        "or %(local)s in the %(calendar)s calendar (a year before %(year)s is read in that "
        "calendar)."
    ) % {
        "year": localize_digits("1700", digits),
        "gregorian": localize_digits(example.isoformat(), digits),
        "local": localize_digits(f"{year}/{month:02d}/{day:02d}", digits),
        "calendar": CALENDAR_LABELS[local],
    }


def datetime_spellings() -> str:
    """`date_spellings`, then how the time of day and an offset follow the date; while a file
    with its own way of writing dates is read (`reading_dates`), that way."""
    written = date_writing_spelling(*date_writing.get())
    if written:
        return written
    digits = number_locale()
    return (
        date_spellings()
        + " "
        + _(
            "Then the time of day, for example %(time)s, with an offset such as %(offset)s if "
            "it is not in the organisation's time zone."
        )
        % {"time": localize_digits("09:15", digits), "offset": localize_digits("+03:30", digits)}
    )


_SPACE_BEFORE_OFFSET = re.compile(r"\s+(Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)$", re.IGNORECASE)


def calendar_day(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of year/month/day; a year before 1700 is read in `local_calendar`.

    Raises ValueError when there is no such day in that calendar.
    """
    if year < 1700:
        return from_calendar(local_calendar.get(), year, month, day)
    return dt.date(year, month, day)


def day_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of text written year-month-day (``-``, ``/`` or ``.`` between, any
    digits), in whichever calendar; None when it is not written so."""
    match = _DAY.fullmatch(ascii_digits(text.strip()))
    if match is None:
        return None
    return int(match[1]), int(match[3]), int(match[4])


def read_date(text: str) -> dt.date:
    """The date `text` writes as year-month-day (see `day_parts`; Jalali before 1700).
    Raises ValueError when it is not one."""
    parts = day_parts(text)
    if parts is None:
        raise ValueError(text)
    return calendar_day(*parts)


def parse_day(text: str, *, option: str) -> dt.date:
    """A date written year/month/day in any digits (see `day_parts`; before 1700 in
    `local_calendar`).

    Raises ArgumentProblem (starting with `option`) when it is not a date or lies outside
    EARLIEST_DAY..LATEST_DAY.
    """
    try:
        found = read_date(text)
    except ValueError:
        raise ArgumentProblem(
            _("%(option)s: “%(value)s” is not a date.") % {"option": option, "value": text}
            + " "
            + date_spellings()
        ) from None
    if not is_in_range(found):
        raise ArgumentProblem(f"{option}: {out_of_range_reason(text)}")
    return found


def parse_days(date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    """The period of the options --from and --to (see `parse_day`); raises ArgumentProblem
    when either is not a date or --to comes before --from."""
    first = parse_day(date_from, option="--from")
    last = parse_day(date_to, option="--to")
    if last < first:
        raise ArgumentProblem(
            _("--to (%(to)s) is before --from (%(from)s).")
            % {"to": last.isoformat(), "from": first.isoformat()}
        )
    return first, last


def read_datetime(value: object, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The aware date-time `value` stands for (see the module notes); None when it is blank.

    A datetime is taken as it is (in `tz` when naive); a date is its midnight in `tz`. Raises
    ValueError without a message for people: each caller says which form it expects.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    else:
        text = ascii_digits(str(value).strip())
        if not text:
            return None
        order, date_format = date_writing.get()
        if date_format:
            stamp = _read_formatted(text, date_format)
        else:
            try:
                stamp = dt.datetime.fromisoformat(_iso(text))
            except ValueError:
                if not order:
                    raise
                stamp = _read_ordered(text, order)
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        stamp = stamp.replace(tzinfo=tz)
    return stamp


def is_date_only(value: object) -> bool:
    """Whether a value `read_datetime` accepts is a date without a time of day (a date, or
    text such as 2026-03-02, 20260302 or, in a stated order, 29/02/2016)."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    date_format = date_writing.get()[1]
    if date_format:
        return date_format != EPOCH and not any(
            code in date_format for code in ("%H", "%I", "%M", "%X", "%c", "%s")
        )
    text = str(value).strip()
    return len(text) <= 10 and "T" not in text.upper()


#: A date in a stated order, then perhaps a time (with AM/PM) and an offset.
_ORDERED = re.compile(
    r"(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})"
    r"(?:(?:[T ]|, ?)\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?"
    r"\s*(?:([AP])\.?M\.?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)?",
    re.IGNORECASE,
)


def _full_year(text: str) -> int:
    """A year as written: two digits are 1969–2068 (as strptime's %y), else the number."""
    year = int(text)
    if len(text) <= 2:
        return year + (2000 if year < 69 else 1900)
    return year


def ordered_parts(text: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date written in `order` at the start of `text` (a four-digit
    first part is always the year); None when it is not so written."""
    match = _ORDERED.fullmatch(text)
    if match is None:
        return None
    first, second, third = match[1], match[3], match[4]
    if len(first) >= 3 or order == "ymd":
        return _full_year(first), int(second), int(third)
    if len(second) > 2 or len(first) > 2:
        return None
    if order == "dmy":
        return _full_year(third), int(second), int(first)
    return _full_year(third), int(first), int(second)


def _read_ordered(text: str, order: str) -> dt.datetime:
    """The date-time `text` writes in `order` (see `_ORDERED`); ValueError when it does not."""
    match = _ORDERED.fullmatch(text)
    parts = ordered_parts(text, order) if match is not None else None
    if match is None or parts is None:
        raise ValueError(text)
    day = calendar_day(*parts)
    hour = int(match[5] or 0)
    if match[9]:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if match[9].lower() == "p" else 0)
    micro = int((match[8] or "0").ljust(6, "0"))
    stamp = dt.datetime(  # noqa: DTZ001 - read in the organisation's time zone by the caller
        day.year, day.month, day.day, hour, int(match[6] or 0), int(match[7] or 0), micro
    )
    if match[10]:
        offset = match[10].upper()
        if offset in {"Z", "UTC", "GMT"}:
            return stamp.replace(tzinfo=dt.UTC)
        if len(offset) == 3:
            offset += ":00"
        elif offset[3] != ":":
            offset = offset[:3] + ":" + offset[3:]
        stamp = dt.datetime.fromisoformat(stamp.isoformat() + offset)
    return stamp


def _read_formatted(text: str, date_format: str) -> dt.datetime:
    """The date-time `text` writes in `date_format` (strptime's, or "epoch"); ISO 8601 text
    is read too. ValueError when it is neither."""
    if date_format == EPOCH:
        try:
            seconds = float(text)
        except ValueError:
            seconds = None
        if seconds is not None and math.isfinite(seconds):
            try:
                return dt.datetime.fromtimestamp(seconds, dt.UTC)
            except (OverflowError, OSError, ValueError):
                raise ValueError(text) from None
    else:
        try:
            stamp = dt.datetime.strptime(text, date_format)  # noqa: DTZ007 - naive: the caller's zone
        except ValueError:
            pass
        else:
            if stamp.year < 1700:
                day = calendar_day(stamp.year, stamp.month, stamp.day)
                stamp = stamp.replace(year=day.year, month=day.month, day=day.day)
            return stamp
    return dt.datetime.fromisoformat(_iso(text))


class DateOrderProblem(ArgumentProblem):
    """A file's dates do not tell their order (`ambiguous`), or tell two (`conflicting`)."""

    def __init__(self, message: str, *, ambiguous: bool) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous


#: A date that is not ISO 8601: three parts, then anything (a time).
_DATE_START = re.compile(r"\s*(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?=$|[T ,])")


def guess_date_order(values: Iterable[object], *, column: str = "") -> str:
    """The order ("dmy", "mdy", "ymd") a file's date values are written in; "" when they need
    none (ISO 8601, year first with four digits, real dates from a sheet, or no values).

    A first part above 12 means day-first, a second part above 12 month-first, a four-digit
    first part year-first. Raises DateOrderProblem when every value could be either (all
    parts at most 12: `ambiguous`) or when one value is day-first and another month-first.
    """
    day_first: str | None = None
    month_first: str | None = None
    undecided: str | None = None
    for value in values:
        if value is None or isinstance(value, dt.date):
            continue
        text = ascii_digits(str(value).strip())
        match = _DATE_START.match(text)
        if match is None:
            continue
        first, second = match[1], match[3]
        if len(first) >= 3:
            continue  # year first: year/month/day needs no order
        a, b = int(first), int(second)
        if a > 12 and b <= 12:
            day_first = day_first or text
        elif b > 12 and a <= 12:
            month_first = month_first or text
        elif a <= 12 and b <= 12:
            undecided = undecided or text
    where = {"column": column, "dmy": day_first, "mdy": month_first}
    if day_first and month_first:
        raise DateOrderProblem(
            _(
                "The dates in “%(column)s” are written in two orders: “%(dmy)s” is day/month/year "
                "and “%(mdy)s” is month/day/year. Make the file use one order, or import each "
                "part separately."
            )
            % where,
            ambiguous=False,
        )
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    if undecided:
        raise DateOrderProblem(
            _(
                "The dates in “%(column)s” (such as “%(value)s”) could be day/month/year or "
                "month/day/year: no day in the first rows is above 12. Choose the order."
            )
            % {"column": column, "value": undecided},
            ambiguous=True,
        )
    return ""


def _iso(text: str) -> str:
    """`text` as Python's ISO reader takes it: offsets written next to the time, the date
    Gregorian with two-digit month and day."""
    if " " in text[10:]:
        text = _SPACE_BEFORE_OFFSET.sub(_offset_without_space, text)
    if text[-1:] in "Zz":
        text = text[:-1] + "+00:00"
    match = _DAY_PREFIX.match(text)
    if match is not None:
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        if year < 1700 or match.end() != 10 or match[2] != "-":
            text = calendar_day(year, month, day).isoformat() + text[match.end() :]
    return text


def _offset_without_space(match: re.Match[str]) -> str:
    offset = match.group(1).upper()
    return "+00:00" if offset in {"Z", "UTC", "GMT"} else offset

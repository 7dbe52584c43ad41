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
  time zone; a date alone is midnight.

The readers raise `ArgumentProblem` (a ValueError) whose message is for the person who typed
the value; callers that name a row or a field put that in front.
"""

import datetime as dt
import math
import re
import zoneinfo
from collections.abc import Iterator
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
    """`date_spellings`, then how the time of day and an offset follow the date."""
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
        stamp = dt.datetime.fromisoformat(_iso(text))
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        stamp = stamp.replace(tzinfo=tz)
    return stamp


def is_date_only(value: object) -> bool:
    """Whether a value `read_datetime` accepts is a date without a time of day (a date, or
    text such as 2026-03-02 or 20260302)."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    text = str(value).strip()
    return len(text) <= 10 and "T" not in text.upper()


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

"""Reading query-string values: dates, timestamps, counts and page cursors.

Persian and Arabic-Indic digits are accepted; dates lie in 1900–2100 and are read as
everywhere else (core/parsing.py): year-month-day with "-", "/" or "." between, a year before
1700 in the caller's calendar (Jalali, or Hijri; see api/auth.py). A value that cannot be read
raises FieldInvalid naming the query parameter.
"""

import base64
import binascii
import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _

from goaldesk.api.errors import FieldInvalid
from goaldesk.core.parsing import (
    date_spellings,
    is_in_range,
    out_of_range_reason,
    read_date,
    read_datetime,
)
from goaldesk.engine import normalize_digits


def parse_date(value: str | None, field: str, *, required: bool = False) -> dt.date | None:
    if value is None or not value.strip():
        if required:
            raise FieldInvalid(field, _("This parameter is required (a date: YYYY-MM-DD)."))
        return None
    text = normalize_digits(value.strip())
    try:
        day = read_date(text)
    except ValueError:
        try:
            day = dt.date.fromisoformat(text)  # the other ISO forms (20260331, 2026-W14-2)
        except ValueError:
            raise FieldInvalid(
                field,
                _("“%(value)s” is not a date.") % {"value": value} + " " + date_spellings(),
            ) from None
    if not is_in_range(day):
        raise FieldInvalid(field, out_of_range_reason(value))
    return day


def parse_timestamp(value: str | None, field: str, *, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """An ISO 8601 timestamp (its date may be written as `read_datetime` reads it: a year
    before 1700 in the caller's calendar); without an offset it is read in `tz`."""
    if value is None or not value.strip():
        return None
    try:
        moment = read_datetime(value, tz)
    except ValueError:
        raise FieldInvalid(
            field,
            _(
                "“%(value)s” is not a timestamp. Write it in ISO 8601, e.g. 2026-03-31T14:05:00+03:30."
            )
            % {"value": value},
        ) from None
    assert moment is not None  # noqa: S101 - the value is not blank
    return moment


def parse_count(value: str | None, field: str, *, default: int, minimum: int, maximum: int) -> int:
    if value is None or not value.strip():
        return default
    try:
        number = int(normalize_digits(value.strip()))
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise FieldInvalid(
            field,
            _("“%(value)s” is not allowed: give a whole number from %(min)s to %(max)s.")
            % {"value": value, "min": minimum, "max": maximum},
        )
    return number


def encode_cursor(created_at: dt.datetime, pk: int) -> str:
    text = f"{created_at.astimezone(dt.UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(value: str, field: str = "cursor") -> tuple[dt.datetime, int]:
    try:
        padded = value + "=" * (-len(value) % 4)
        stamp, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        moment = dt.datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError
        return moment, int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise FieldInvalid(
            field, _("This cursor is not one the API gave out. Pass `next_cursor` as it came.")
        ) from None

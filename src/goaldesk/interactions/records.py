"""The canonical interaction record: parsing and validating one row from any source.

Import, the REST API and the quick "log a visit" form all turn their input into
`InteractionData` through `parse_interaction`, so one set of rules and one set of error
messages applies everywhere. The rules are those of METRICS.md:

- `external_id`, `channel` and `created_at` are required;
- enumerations (channel, status, outcome, sentiments) are matched case-insensitively after
  trimming (`Walk-in` and `walk in` are `walk_in`);
- timestamps are ISO 8601 (`2026-03-02T09:15:00+03:30`, `…Z`) or a date written
  year/month/day (`-`, `/` or `.` between, with or without leading zeros) then `HH:MM[:SS]`;
  without an offset they are read in the organisation's time zone; a date alone is refused
  (the time of day matters for every time metric);
- numbers and timestamps are read as everywhere else (core/parsing.py): Persian (۰–۹) or
  Arabic-Indic (٠–٩) digits, thousands grouped with commas, a year before 1700 in the
  calendar `core.parsing.local_calendar` names (Jalali or Hijri: an import's mapping says
  which, a request takes its caller's; `1405/09/09 10:00` is 2026-11-30 10:00 in Jalali);
- csat 1–5, nps 0–10, ces 1–7 are whole numbers; wait and handle seconds are from 0 to
  31,536,000 (a year, `MAX_DURATION_SECONDS`);
- every date lies in 1900–2100 (core/parsing.py's `EARLIEST_DAY`..`LATEST_DAY`, as written,
  before any offset is applied): nothing measured lies outside, and far years overflow;
- status defaults to `resolved` when `resolved_at` is given, else `open`;
- a first response, resolution, arrival or fix before `created_at` is refused, never swapped.

A bad value raises `RecordError(column, reason)`; the reason quotes the value.
"""

import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from goaldesk.core.csv_safe import csv_cell_restore
from goaldesk.core.parsing import (
    EARLIEST_DAY,
    LATEST_DAY,
    ArgumentProblem,
    ascii_digits,
    date_spellings,
    datetime_spellings,
    is_date_only,
    is_in_range,
    out_of_range_reason,
    read_date,
    read_datetime,
)
from goaldesk.core.parsing import parse_number as read_number
from goaldesk.customers.services import CustomerData
from goaldesk.engine.canonical import CANONICAL_FIELDS as CANONICAL_FIELDS  # re-exported
from goaldesk.engine.canonical import REQUIRED_FIELDS as REQUIRED_FIELDS  # re-exported

#: Timestamps that must not come before created_at.
LATER_FIELDS = ("first_response_at", "resolved_at", "arrived_at", "fixed_at")

CHANNELS = ("phone", "email", "chat", "social", "walk_in", "web", "field")
STATUSES = ("resolved", "unresolved", "abandoned", "open")
OUTCOMES = ("success", "failure")
SENTIMENTS = ("negative", "neutral", "positive")

#: The longest duration a `*_seconds` value may give: a year.
MAX_DURATION_SECONDS = 365 * 24 * 3600

#: Longest text each text column holds (the model's max_length).
MAX_LENGTHS = {"external_id": 100, "customer_id": 150, "agent": 150, "team": 100, "category": 100}

#: The canonical review record (`goaldesk import reviews`).
REVIEW_FIELDS = ("external_id", "source", "date", "rating", "text", "author")
REVIEW_REQUIRED_FIELDS = ("external_id", "date", "rating")


class RecordError(ValueError):
    """A value that cannot be accepted: which canonical column, and why (translated text)."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


@dataclass
class InteractionData:
    external_id: str
    channel: str
    created_at: dt.datetime
    customer_id: str = ""
    agent: str = ""
    team: str = ""
    category: str = ""
    first_response_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    status: str = "open"
    outcome: str = ""
    wait_seconds: float | None = None
    handle_seconds: float | None = None
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None
    sentiment_start: str = ""
    sentiment_end: str = ""
    arrived_at: dt.datetime | None = None
    fixed_at: dt.datetime | None = None


@dataclass
class ReviewData:
    external_id: str
    date: dt.date
    rating: int
    source: str = ""
    text: str = ""
    author: str = ""


# --- single values --------------------------------------------------------------------------

_fromisoformat = dt.datetime.fromisoformat
_ENUM_SEPARATORS = str.maketrans({"-": "_", " ": "_"})


def _text(value: object) -> str:
    """The value as trimmed text ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number in a spreadsheet: 1234.0 → "1234"
    return str(value).strip()


def check_width(values: Sequence[Any], width: int) -> None:
    """RecordError when a row has more values than its file's header has columns (a wrong
    delimiter or quote, never cut silently)."""
    if len(values) > width:
        raise RecordError(
            "",
            _(
                "This row has %(found)s values but the header has %(expected)s columns; "
                "check the delimiter and quotes."
            )
            % {"found": len(values), "expected": width},
        )


def parse_timestamp(column: str, value: object, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """An aware datetime from ISO 8601 text or a datetime; None when empty."""
    if value is None or value == "":
        return None
    if type(value) is str and len(value) > 10:
        # Fast path for the common case (plain ASCII ISO text of our era); anything else
        # takes the careful path below, which gives the error messages.
        try:
            stamp = _fromisoformat(value)
        except ValueError:
            pass
        else:
            # Years before 1700 are Jalali or Hijri (the careful path converts them); it
            # also refuses, with its message, a year outside the bounds.
            if EARLIEST_DAY.year <= stamp.year <= LATEST_DAY.year:
                return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=tz)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise RecordError(column, _date_only_reason(value.isoformat()))
    try:
        moment = read_datetime(value, tz)
    except ValueError:
        raise RecordError(
            column,
            _("“%(value)s” is not a date and time.") % {"value": ascii_digits(_text(value))}
            + " "
            + datetime_spellings(),
        ) from None
    if moment is not None and is_date_only(value):
        raise RecordError(column, _date_only_reason(ascii_digits(_text(value))))
    if moment is not None and not is_in_range(moment):
        raise RecordError(column, out_of_range_reason(ascii_digits(_text(value))))
    return moment


def _date_only_reason(value: str) -> str:
    return _("“%(value)s” is a date without a time of day; add the time, e.g. %(value)s 09:15.") % {
        "value": value
    }


def parse_number(column: str, value: object) -> float | None:
    """A finite number from text (any digits) or a number; None when empty."""
    try:
        return read_number(value)
    except ArgumentProblem as problem:
        raise RecordError(column, str(problem)) from None


def _seconds(column: str, value: object) -> float | None:
    if type(value) is str:
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            if 0 <= number <= MAX_DURATION_SECONDS:
                return number
    parsed = parse_number(column, value)
    if parsed is not None and parsed < 0:
        raise RecordError(
            column,
            _("“%(value)s” is negative; a duration in seconds is 0 or more.")
            % {"value": _text(value)},
        )
    if parsed is not None and parsed > MAX_DURATION_SECONDS:
        # A huge float is quoted as 1e+300, not as its 300 digits.
        quoted = f"{value:g}" if isinstance(value, float) and value >= 1e15 else _text(value)
        raise RecordError(
            column,
            _("“%(value)s” is longer than a year; a duration is at most %(limit)s seconds.")
            % {"value": quoted, "limit": MAX_DURATION_SECONDS},
        )
    return parsed


_SCORES = {
    (low, high): {"": None, **{str(n): n for n in range(low, high + 1)}}
    for low, high in ((1, 5), (0, 10), (1, 7))
}


def _score(column: str, value: object, low: int, high: int) -> int | None:
    if type(value) is str:
        known = _SCORES[(low, high)]
        if value in known:
            return known[value]
    number = parse_number(column, value)
    if number is None:
        return None
    if not number.is_integer() or not low <= number <= high:
        raise RecordError(
            column,
            _("“%(value)s” is not a whole number from %(low)s to %(high)s.")
            % {"value": _text(value), "low": low, "high": high},
        )
    return int(number)


_CHOICES: dict[tuple[str, ...], dict[str, str]] = {}


def _choice(column: str, value: object, choices: tuple[str, ...]) -> str:
    known = _CHOICES.get(choices)
    if known is None:
        known = _CHOICES[choices] = {"": "", **{c: c for c in choices}}
    if type(value) is str and value in known:
        return known[value]
    text = _text(value)
    if not text:
        return ""
    key = text.lower().translate(_ENUM_SEPARATORS)
    if key in choices:
        return key
    raise RecordError(
        column,
        _("“%(value)s” is not allowed here; use one of: %(choices)s.")
        % {"value": text, "choices": ", ".join(f"“{choice}”" for choice in choices)},
    )


def _bounded_text(column: str, value: object) -> str:
    text = value.strip() if type(value) is str else _text(value)
    if text.startswith("'"):
        # An export neutralised a formula-like text (`=1+2` written as `'=1+2`); read it back
        # as it was (see interactions/exporting.py).
        text = csv_cell_restore(text)
    limit = MAX_LENGTHS.get(column)
    if limit is not None and len(text) > limit:
        raise RecordError(
            column,
            _("“%(value)s…” is too long (%(length)s characters; at most %(limit)s).")
            % {"value": text[:20], "length": len(text), "limit": limit},
        )
    return text


def _required(column: str) -> RecordError:
    return RecordError(column, _("This value is required and is empty."))


# --- records --------------------------------------------------------------------------------


def parse_interaction(raw: Mapping[str, object], *, tz: zoneinfo.ZoneInfo) -> InteractionData:
    """Validate one record keyed by canonical field names; raise RecordError on the first bad value.

    Values may be strings (from a file) or already-typed (from JSON or a spreadsheet). Persian
    and Arabic-Indic digits are accepted; timestamps without an offset are read in `tz`.
    Missing keys count as empty.
    """
    get = raw.get
    external_id = _bounded_text("external_id", get("external_id"))
    if not external_id:
        raise _required("external_id")
    channel = _choice("channel", get("channel"), CHANNELS)
    if not channel:
        raise _required("channel")
    created_at = parse_timestamp("created_at", get("created_at"), tz)
    if created_at is None:
        raise _required("created_at")

    later: dict[str, dt.datetime | None] = {}
    for column in LATER_FIELDS:
        stamp = parse_timestamp(column, get(column), tz)
        if stamp is not None and stamp < created_at:
            raise RecordError(
                column,
                _("“%(value)s” is before the interaction was created (%(created)s).")
                % {"value": _text(get(column)), "created": _text(get("created_at"))},
            )
        later[column] = stamp

    status = _choice("status", get("status"), STATUSES)
    if not status:
        status = "resolved" if later["resolved_at"] is not None else "open"

    return InteractionData(
        external_id=external_id,
        channel=channel,
        created_at=created_at,
        customer_id=_bounded_text("customer_id", get("customer_id")),
        agent=_bounded_text("agent", get("agent")),
        team=_bounded_text("team", get("team")),
        category=_bounded_text("category", get("category")),
        first_response_at=later["first_response_at"],
        resolved_at=later["resolved_at"],
        status=status,
        outcome=_choice("outcome", get("outcome"), OUTCOMES),
        wait_seconds=_seconds("wait_seconds", get("wait_seconds")),
        handle_seconds=_seconds("handle_seconds", get("handle_seconds")),
        csat=_score("csat", get("csat"), 1, 5),
        nps=_score("nps", get("nps"), 0, 10),
        ces=_score("ces", get("ces"), 1, 7),
        sentiment_start=_choice("sentiment_start", get("sentiment_start"), SENTIMENTS),
        sentiment_end=_choice("sentiment_end", get("sentiment_end"), SENTIMENTS),
        arrived_at=later["arrived_at"],
        fixed_at=later["fixed_at"],
    )


def parse_review(raw: Mapping[str, object], *, tz: zoneinfo.ZoneInfo) -> ReviewData:
    """Validate one review (external_id, source, date, rating 1–5, text, author).

    `date` is a day (2026-03-02); a timestamp is accepted and taken as its day in `tz`.
    """
    get = raw.get
    external_id = _bounded_text("external_id", get("external_id"))
    if not external_id:
        raise _required("external_id")
    day = _parse_day("date", get("date"), tz)
    rating = _score("rating", get("rating"), 1, 5)
    if rating is None:
        raise _required("rating")
    source = _text(get("source"))
    author = _text(get("author"))
    for column, text in (("source", source), ("author", author)):
        limit = 100 if column == "source" else 150
        if len(text) > limit:
            raise RecordError(
                column,
                _("“%(value)s…” is too long (%(length)s characters; at most %(limit)s).")
                % {"value": text[:20], "length": len(text), "limit": limit},
            )
    return ReviewData(
        external_id=external_id,
        date=day,
        rating=rating,
        source=source,
        text=_text(get("text")),
        author=author,
    )


def _parse_day(column: str, value: object, tz: zoneinfo.ZoneInfo) -> dt.date:
    day = _read_day(column, value, tz)
    if not is_in_range(day):
        raise RecordError(column, out_of_range_reason(ascii_digits(_text(value))))
    return day


def _read_day(column: str, value: object, tz: zoneinfo.ZoneInfo) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(tz).date()
    if isinstance(value, dt.date):
        return value
    text = ascii_digits(_text(value))
    if not text:
        raise _required(column)
    try:
        return read_date(text)  # year-month-day; before 1700 in the local calendar
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)  # the other ISO forms (20260302, 2026-W10-1)
    except ValueError:
        pass
    try:
        stamp = read_datetime(text, tz)
    except ValueError:
        stamp = None
    if stamp is None:
        raise RecordError(
            column, _("“%(value)s” is not a date.") % {"value": text} + " " + date_spellings()
        )
    return stamp.astimezone(tz).date()


#: The customer record a customer file brings (`ImportJob.Kind.CUSTOMERS`); every other
#: column of the file becomes an attribute named after its header ("Tier" → "tier").
CUSTOMER_FIELDS = ("customer_id", "name", "email", "phone", "language")
CUSTOMER_REQUIRED_FIELDS = ("customer_id",)
#: Longest text of each customer column (the model's max_length) and of an attribute value.
CUSTOMER_MAX_LENGTHS = {"customer_id": 150, "name": 200, "email": 254, "phone": 50, "language": 16}
ATTRIBUTE_MAX_CHARS = 200


def attribute_name(header: str) -> str:
    """The attribute a file column fills: its header trimmed, lower case, spaces as "_"."""
    return "_".join(str(header).strip().lower().split())


def parse_customer(
    raw: Mapping[str, object], *, attributes: Mapping[str, object] | None = None
) -> CustomerData:
    """Validate one customer (customer_id required; name, e-mail, phone, language) and its
    attributes ({name: value}; empty values are left out). RecordError names the column."""
    values: dict[str, str] = {}
    for column in CUSTOMER_FIELDS:
        text = _bounded_text(column, raw.get(column))
        limit = CUSTOMER_MAX_LENGTHS[column]
        if len(text) > limit:
            raise RecordError(
                column,
                _("“%(value)s…” is too long (%(length)s characters; at most %(limit)s).")
                % {"value": text[:20], "length": len(text), "limit": limit},
            )
        values[column] = text
    if not values["customer_id"]:
        raise _required("customer_id")
    email = values["email"]
    if email and ("@" not in email or " " in email):
        raise RecordError(
            "email", _("“%(value)s” is not an e-mail address.") % {"value": email[:60]}
        )
    kept: dict[str, str] = {}
    for name, value in (attributes or {}).items():
        text = _bounded_text(name, value)
        if len(text) > ATTRIBUTE_MAX_CHARS:
            raise RecordError(
                name,
                _("“%(value)s…” is too long (%(length)s characters; at most %(limit)s).")
                % {"value": text[:20], "length": len(text), "limit": ATTRIBUTE_MAX_CHARS},
            )
        if text and attribute_name(name):
            kept[attribute_name(name)] = text
    return CustomerData(
        key=values["customer_id"],
        name=values["name"],
        email=email,
        phone=values["phone"],
        language=values["language"],
        attributes=kept,
    )

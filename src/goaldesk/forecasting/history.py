"""Read demand-history and forecast CSV files (shared by the upload page and the command line).

History: `timestamp,volume[,channel]` with a header row (any column order, any case). A
timestamp is ISO 8601 (`2026-03-02T09:30`, `2026-03-02 09:30:00+03:30`); without an offset it is
read in the given time zone. Volumes are zero or positive numbers; Persian and Arabic-Indic
digits are accepted. A bad value rejects its row with the row number (1 = the first row after
the header), the column and the reason.
"""

import csv
import datetime as dt
import io
import math
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from goaldesk.engine import normalize_digits
from goaldesk.interactions.models import Channel

MAX_REPORTED_ERRORS = 100


class HistoryFileError(Exception):
    """The file cannot be used at all (no header, missing column, not text)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Point:
    start: dt.datetime
    value: float
    channel: str
    extra: tuple[float, ...] = ()


@dataclass
class ParsedFile:
    points: list[Point]
    errors: list[RowError]
    rows_rejected: int
    has_channel: bool


def _text(source: bytes | str) -> str:
    if isinstance(source, bytes):
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise HistoryFileError(
                _("The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.")
            ) from error
    return source.lstrip("\ufeff")


def parse_timestamp(raw: str, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    text = normalize_digits(raw.strip())
    if not text:
        raise ValueError(_("The value is empty."))
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(
            _("“%(value)s” is not a date and time (expected e.g. 2026-03-02T09:30).")
            % {"value": raw}
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def parse_number(raw: str, *, minimum: float | None = 0.0) -> float:
    text = normalize_digits(raw.strip()).replace(",", "") if raw is not None else ""
    if not text:
        raise ValueError(_("The value is empty."))
    try:
        value = float(text)
    except ValueError as error:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw}) from error
    if not math.isfinite(value):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    if minimum is not None and value < minimum:
        raise ValueError(_("“%(value)s” is negative; it must be zero or more.") % {"value": raw})
    return value


def _read_rows(source: bytes | str) -> tuple[list[str], Iterable[list[str]]]:
    text = _text(source)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise HistoryFileError(_("The file is empty: a header row is needed."))
    return [h.strip().lower() for h in header], reader


def _columns(header: Sequence[str], required: Sequence[str], optional: Sequence[str]) -> dict:
    positions: dict[str, int] = {}
    for name in (*required, *optional):
        if name in header:
            positions[name] = header.index(name)
    missing = [name for name in required if name not in positions]
    if missing:
        raise HistoryFileError(
            _("The header has no column “%(missing)s”. Expected columns: %(expected)s.")
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join([*required, *(f"[{o}]" for o in optional)]),
            }
        )
    return positions


def parse_history(
    source: bytes | str,
    *,
    timezone: str,
    default_channel: str = "",
    known_channels_only: bool = True,
) -> ParsedFile:
    """Points (interval start, volume, channel) of a `timestamp,volume[,channel]` file.

    With `known_channels_only` a channel must be one of GoalDesk's channels (the upload page);
    the command line accepts any label. Rows without a channel get `default_channel`.
    """
    tz = zoneinfo.ZoneInfo(timezone)
    header, rows = _read_rows(source)
    columns = _columns(header, ("timestamp", "volume"), ("channel",))
    return _parse(
        rows,
        columns,
        tz,
        value_column="volume",
        extra_columns=(),
        default_channel=default_channel,
        known_channels_only=known_channels_only,
    )


def parse_forecast(source: bytes | str, *, timezone: str) -> ParsedFile:
    """Points of a forecast file `timestamp,forecast[,lower,upper][,channel]` (our CSV out)."""
    tz = zoneinfo.ZoneInfo(timezone)
    header, rows = _read_rows(source)
    columns = _columns(header, ("timestamp", "forecast"), ("channel",))
    return _parse(
        rows,
        columns,
        tz,
        value_column="forecast",
        extra_columns=(),
        default_channel="",
        known_channels_only=False,
    )


def _parse(
    rows: Iterable[list[str]],
    columns: dict[str, int],
    tz: zoneinfo.ZoneInfo,
    *,
    value_column: str,
    extra_columns: Sequence[str],
    default_channel: str,
    known_channels_only: bool,
) -> ParsedFile:
    channels = set(Channel.values)
    points: list[Point] = []
    errors: list[RowError] = []
    rejected = 0
    has_channel = "channel" in columns
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = columns[name]
            return row[index] if index < len(row) else ""

        problem: RowError | None = None
        try:
            start = parse_timestamp(cell("timestamp"), tz)
        except ValueError as error:
            problem = RowError(number, "timestamp", str(error))
        if problem is None:
            try:
                value = parse_number(cell(value_column))
            except ValueError as error:
                problem = RowError(number, value_column, str(error))
        channel = default_channel
        if problem is None and has_channel:
            channel = cell("channel").strip().lower() or default_channel
            if known_channels_only and channel not in channels:
                problem = RowError(
                    number,
                    "channel",
                    _("“%(value)s” is not a channel. The channels are: %(channels)s.")
                    % {"value": cell("channel"), "channels": ", ".join(Channel.values)},
                )
        if problem is not None:
            rejected += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(problem)
            continue
        points.append(Point(start, value, channel))
    return ParsedFile(points=points, errors=errors, rows_rejected=rejected, has_channel=has_channel)

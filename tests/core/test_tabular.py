"""The one table reader: CSV (any of three delimiters, BOM, UTF-8 only) and XLSX, as bytes,
paths or open files."""

import io

import openpyxl
import pytest

from goaldesk.core.tabular import TableError, open_table


def read(source):
    with open_table(source) as table:
        return table.headers, list(table.rows())


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_header_line_chooses_the_delimiter(delimiter):
    content = f"\ufeffa{delimiter}b\n1{delimiter}2,5\n\n3\n".encode()
    headers, rows = read(content)
    assert headers == ["a", "b"]
    # The empty line keeps its number; a short row is filled.
    expected_first = ["1", "2,5"] if delimiter != "," else ["1", "2", "5"]
    assert rows == [(1, expected_first), (3, ["3", ""])]


def test_xlsx_first_sheet_with_typed_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", None, "id"])
    sheet.append([1, "x", 2.5])
    workbook.save(tmp_path / "t.xlsx")
    headers, rows = read(tmp_path / "t.xlsx")
    assert headers == ["id", "column_2", "id (2)"]
    assert rows == [(1, [1, "x", 2.5])]


def test_a_callers_file_stays_open():
    stream = io.BytesIO(b"a\n1\n")
    assert read(stream) == (["a"], [(1, ["1"])])
    assert not stream.closed


def test_not_utf8_is_reported():
    with pytest.raises(TableError, match="UTF-8"):
        read("a,b\nMüller,1\n".encode("latin-1") * 2)


def test_an_empty_file_is_reported():
    with pytest.raises(TableError, match="empty"):
        read(b"\n")

"""The one table reader: CSV (any of three delimiters, BOM, UTF-8 only) and XLSX, as bytes,
paths or open files."""

import io
import zipfile

import openpyxl
import pytest

from goaldesk.core.tabular import TableError, estimate_rows, open_table, preview_table


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


# --- hostile files --------------------------------------------------------------------------

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        '" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET = "xl/worksheets/sheet1.xml"


def workbook_without_dimension(header, rows, *, dimension=""):
    """XLSX bytes whose sheet has inline-string cells and, unless given, no `<dimension>`
    (as the crafted file of issue 14 had; spreadsheet programs always write one)."""

    def row_xml(number, values):
        cells = "".join(
            f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(values)
        )
        return f'<row r="{number}">{cells}</row>'

    sheet = io.StringIO()
    sheet.write(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main">{dimension}<sheetData>'
    )
    sheet.write(row_xml(1, header))
    for number, values in enumerate(rows, start=2):
        sheet.write(row_xml(number, values))
    sheet.write("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr(SHEET, sheet.getvalue())
    return out.getvalue()


@pytest.fixture
def sheet_bytes_read(monkeypatch):
    """Counts the bytes of the sheet's XML read (by anyone) while the test runs."""
    counted = {"bytes": 0}
    original = zipfile.ZipExtFile.read

    def read(self, n=-1):
        data = original(self, n)
        if self.name == SHEET:
            counted["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    return counted


def _sheet_size(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.getinfo(SHEET).file_size


def test_a_sheet_without_dimension_is_previewed_without_reading_it_whole(sheet_bytes_read):
    rows = [(f"R-{n}", "x" * 20) for n in range(1, 50_001)]
    content = workbook_without_dimension(["id", "text"], rows)
    preview = preview_table(content, count=3)
    assert preview.headers == ["id", "text"]
    assert [r["id"] for r in preview.rows] == ["R-1", "R-2", "R-3"] and not preview.no_data
    # openpyxl alone parses the whole sheet to size it; the preview reads its start only.
    assert sheet_bytes_read["bytes"] < _sheet_size(content) / 10
    # Read to the end, every row is there, numbered as in the file.
    with open_table(content) as table:
        numbers = [number for number, _values in table.rows()]
    assert numbers == list(range(1, 50_001))


def test_row_estimate_of_a_sheet_without_dimension(sheet_bytes_read):
    content = workbook_without_dimension(["id"], [(f"R-{n}",) for n in range(1, 100_001)])
    estimate = estimate_rows(content)
    assert 90_000 <= estimate <= 110_000  # extrapolated from the first megabyte
    assert sheet_bytes_read["bytes"] < _sheet_size(content) / 2


def test_a_dimension_sizes_the_estimate_and_not_the_rows_read():
    # A dimension claiming 2 rows (header + 1) over 3 data rows: the estimate believes it,
    # the reading does not stop there; one claiming a million columns pads nothing.
    content = workbook_without_dimension(
        ["id"], [("a",), ("b",), ("c",)], dimension='<dimension ref="A1:A2"/>'
    )
    assert estimate_rows(content) == 1
    assert read(content) == (["id"], [(1, ["a"]), (2, ["b"]), (3, ["c"])])
    wide = workbook_without_dimension(
        ["id"], [("a",)], dimension='<dimension ref="A1:XFD1048576"/>'
    )
    assert read(wide) == (["id"], [(1, ["a"])])


@pytest.mark.parametrize(
    "content",
    [
        b"a,b\n",
        b"a,b\n\n,\n\n",
        pytest.param(workbook_without_dimension(["a", "b"], []), id="xlsx"),
    ],
)
def test_a_header_only_file_has_no_data(content):
    assert preview_table(content).no_data


def test_a_preview_stops_looking_after_its_row_limit():
    content = b"a,b\n" + b",\n" * 5000 + b"1,2\n"
    preview = preview_table(content, max_rows=100)
    assert preview.rows == [] and not preview.no_data  # not known to be empty
    assert preview_table(content, max_rows=10_000).rows == [{"a": "1", "b": "2"}]


def test_a_field_over_the_limit_in_the_preview_is_reported():
    content = b"a,b\n1,2\n" + b"x," + b"y" * 1_000_001 + b"\n"
    with pytest.raises(TableError, match="Row 2 cannot be read"):
        preview_table(content)

"""Fixtures shared with the reader's tests."""

from tests.core.test_tabular import sheet_bytes_read  # noqa: F401 (a fixture)

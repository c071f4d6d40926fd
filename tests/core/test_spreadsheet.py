"""Every spreadsheet CSV cell is shown, never run: the one rule in cairn.core.spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from cairn.core.spreadsheet import safe_cell, write_rows


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1+1", " @x", "   -"],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["6.RP.A.1", "Ana", "", " plain", "a=b", "x-1", "1/2"])
def test_plain_text_is_unchanged(value: str) -> None:
    assert safe_cell(value) == value


def test_numbers_and_none_stay_data() -> None:
    assert safe_cell(-3) == -3
    assert safe_cell(0.25) == 0.25
    assert safe_cell(None) is None


def test_write_rows_makes_headers_and_cells_safe() -> None:
    out = io.StringIO()
    write_rows(out, [["id", "=cmd|' /C calc'!A0"], [1, '=HYPERLINK("http://x")']])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["id", "'=cmd|' /C calc'!A0"], ["1", '\'=HYPERLINK("http://x")']]

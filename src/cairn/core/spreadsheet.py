"""CSV meant for spreadsheets, safe from formula injection: the one place every such download writes through.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (also after
leading spaces, and a tab or carriage return can start one) as a formula, so a competency code such as
``=HYPERLINK("http://x")`` would become a live link in a teacher's grade book. OWASP's advice is to prefix
such a cell with a single quote, which spreadsheets show as text. Every cell goes through ``safe_cell``:
headers and codes included, since anything a person typed can reach them. Numbers stay numbers (a negative
number is data, not a formula).

Machine formats (imports such as OneRoster or the competency CSV) validate their values instead: they are
read by programs, where a leading quote would be corruption.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Protocol

# A cell whose first non-space character is one of these is read as a formula by some spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet will show it, never run it: text that a spreadsheet would read as a
    formula gets a leading ``'``; numbers, booleans and None pass through unchanged."""
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    stripped = text.lstrip(" ")
    if stripped[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def write_rows(out: Writable, rows: Iterable[Iterable[object]]) -> None:
    """Write ``rows`` (header first) as CSV to ``out`` with every cell made safe by ``safe_cell``."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])

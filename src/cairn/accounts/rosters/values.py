"""Reading OneRoster values as real exports write them: dates in several formats, grade codes."""

from __future__ import annotations

import datetime as dt

# Tried in order; a US SIS writes the month first, so "03/04/2024" is March 4th.
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%m-%d-%Y", "%m/%d/%y")


def parse_date(text: str) -> dt.date | None:
    """A date from "2024-08-21", "2024-08-21T00:00:00Z", "08/21/2024", "21/08/2024" (when the day can't
    be a month), "2024/08/21", "21.08.2024" or "20240821"; None when blank. ValueError when none fits."""
    text = text.strip()
    if not text:
        return None
    if "T" in text or " " in text:
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            text = text.split("T")[0].split(" ")[0]
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:  # day first, when the first number can't be a month (21/08/2024)
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None


def grade_number(code: str) -> int | None:
    """OneRoster's grade code as a number (KG and K are 0, "05" is 5); None for PK, TK, UG, Other, ..."""
    code = code.strip().upper()
    if code in {"KG", "K"}:
        return 0
    return int(code) if code.isdigit() and int(code) <= 13 else None


def grade_label(code: str) -> str:
    """The grade as Cairn writes it on a person ("K", "1" .. "12"), or "" when it is not a school grade."""
    number = grade_number(code)
    if number is None:
        return ""
    return "K" if number == 0 else str(number)

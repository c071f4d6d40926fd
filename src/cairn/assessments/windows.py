"""School years and re-assessment windows (fall, winter, spring), which come back every year."""

from __future__ import annotations

import datetime as dt
import re

from .models import Diagnostic, Window

SCHOOL_YEAR = re.compile(r"\d{4}-\d{2}")


def school_year_of(day: dt.date) -> str:
    """School years run July to June: 2025-26 holds 1 July 2025 to 30 June 2026."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def is_school_year(value: str) -> bool:
    """Whether ``value`` is written the way school years are (2025-26)."""
    return SCHOOL_YEAR.fullmatch(value) is not None


def open_window(diagnostic: Diagnostic, day: dt.date) -> Window | None:
    """The diagnostic's window open on ``day``, if any."""
    return next((w for w in diagnostic.windows.all() if w.contains(day)), None)

"""Numbers and text as students type them: read exactly, written back in the style a template asks for."""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction

_MIXED = re.compile(r"^([+-]?)(\d+)\s+(\d+)\s*/\s*(\d+)$")
_FRACTION = re.compile(r"^([+-]?\d+)\s*/\s*([+-]?\d+)$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def parse_number(text: str) -> Fraction | None:
    """Read what a student types: ``7``, ``-2``, ``0.75``, ``.5``, ``3/4``, ``1 1/2``, ``1,250``.

    Returns None for anything else (including a zero denominator)."""
    s = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("⁄", "/")
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    if m := _MIXED.match(s):
        sign, whole, num, den = m.groups()
        if int(den) == 0:
            return None
        value = int(whole) + Fraction(int(num), int(den))
        return -value if sign == "-" else value
    if m := _FRACTION.match(s):
        num, den = int(m.group(1)), int(m.group(2))
        return None if den == 0 else Fraction(num, den)
    if _DECIMAL.match(s):
        return Fraction(s)
    return None


def format_number(value: Fraction, style: str = "") -> str:
    """``frac`` (default): 7, 3/4, -5/2; ``mixed``: 2 1/2; ``dec``: a decimal (up to 4 places)."""
    if style == "dec":
        if value.denominator == 1:
            return str(value.numerator)
        text = f"{float(value):.4f}".rstrip("0").rstrip(".")
        return text
    if value.denominator == 1:
        return str(value.numerator)
    if style == "mixed" and abs(value) > 1:
        whole = int(abs(value))
        rest = abs(value) - whole
        sign = "-" if value < 0 else ""
        return f"{sign}{whole} {rest.numerator}/{rest.denominator}"
    return f"{value.numerator}/{value.denominator}"


def normalize_text(text: str) -> str:
    """How short-text answers are compared: Unicode-normalized, case-folded, spaces collapsed,
    surrounding quotes and a final full stop dropped."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = " ".join(s.split())
    s = s.strip("\"'“”‘’ ")
    return s[:-1].rstrip() if s.endswith(".") else s


def in_lowest_terms(text: str) -> bool:
    """False only for a fraction written with a common factor (``6/8``); anything else passes."""
    m = _FRACTION.match(text.strip())
    return not (m and math.gcd(int(m.group(1)), int(m.group(2))) != 1)

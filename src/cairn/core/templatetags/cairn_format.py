"""``{% load cairn_format %}``: numbers as every page shows them. Teachers, students and families read a
mastery estimate or any share as a whole percentage ("42%"), never as 0.42: one filter, so the units agree.
A counted thing reads "1 competency", "1.5 competencies" (:func:`quantity`, for Python code and templates)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: object, empty: str = "—") -> str:
    """A share from 0 to 1 as a whole percentage ("0.416" → "42%"); ``empty`` (a dash) for None or a value
    that isn't a number. Rounds half to even like Python, so 0.125 reads 12%."""
    if value is None or value == "":
        return empty
    try:
        share = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return empty
    return f"{round(share * 100)}%"


def quantity(value: float, one: str, many: str) -> str:
    """``value`` things in words: "1 competency", "2 competencies", an average as "1.5 competencies" (one
    decimal, never "1.0"). Django's ``pluralize`` picks the word but does not format the number."""
    shown = f"{round(float(value), 1):g}"
    return f"{shown} {one if shown == '1' else many}"


@register.filter(name="quantity")
def quantity_filter(value: object, words: str) -> str:
    """``{{ n|quantity:"competency,competencies" }}``."""
    one, _, many = words.partition(",")
    return quantity(float(value), one, many or one + "s")  # type: ignore[arg-type]

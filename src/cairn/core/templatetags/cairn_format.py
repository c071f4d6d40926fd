"""``{% load cairn_format %}``: numbers as every page shows them. Teachers, students and families read a
mastery estimate or any share as a whole percentage ("42%"), never as 0.42: one filter, so the units agree."""

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

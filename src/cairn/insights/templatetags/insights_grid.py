"""The class view's cells, rendered in Python: a section's table has thousands of them, and a template
loop costs tens of microseconds a cell where this costs one. Every text is escaped."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _lazy

from cairn.insights.grid import GridRow

register = template.Library()


@lru_cache(maxsize=8192)
def _cell(code: str, state: str, confidence: str, text: str, label: str) -> str:
    title = escape(f"{code}: {label}")
    return f'<td class="cell s-{escape(state)} c-{escape(confidence)}" title="{title}">{escape(text)}</td>'


@register.simple_tag
def grid_cells(row: GridRow) -> SafeString:
    """The competency cells of one student's row."""
    # Every value is escaped in _cell.
    return mark_safe(
        "".join(_cell(c.code, cell.state, cell.confidence, cell.text, cell.label) for c, cell in row.cells)
    )


# The codes the teacher pages show as words, in the reader's language (others: the code made readable).
_WORDS = {
    "mastered": _lazy("Mastered"),
    "in_progress": _lazy("In progress"),
    "checking": _lazy("Checking"),
    "ready": _lazy("Ready"),
    "locked": _lazy("Locked"),
    "skipped": _lazy("Skipped"),
    "not_started": _lazy("Not started"),
    "teacher_led": _lazy("Teacher led"),
    "online": _lazy("Online"),
    "collaborative": _lazy("Collaborative"),
    "offline": _lazy("Offline"),
    "stuck": _lazy("Stuck"),
    "voice": _lazy("Student voice"),
    "inactive": _lazy("Inactive"),
    "group": _lazy("Group"),
    "behind": _lazy("Behind"),
    "challenge": _lazy("Challenge"),
    "broken": _lazy("Broken link"),
    "autonomy": _lazy("Learning skill"),
}


@register.filter
def words(code: str) -> str:
    """A stored code as words: "teacher_led" → "Teacher led", "in_progress" → "In progress"."""
    if str(code) in _WORDS:
        return str(_WORDS[str(code)])
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]

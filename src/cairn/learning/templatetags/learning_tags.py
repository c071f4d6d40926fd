"""Template filters for the student pages."""

from __future__ import annotations

from django import template

register = template.Library()

_LABELS = {
    "mastered": "Mastered",
    "in_progress": "In progress",
    "checking": "Show what you know",
    "ready": "Ready",
    "locked": "Locked",
    "not_started": "Not started",
}


@register.filter
def status_label(status: str) -> str:
    """A path or progress status as people read it ("in_progress" → "In progress")."""
    return _LABELS.get(status, status.replace("_", " ").capitalize())

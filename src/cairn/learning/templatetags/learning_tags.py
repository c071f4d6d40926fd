"""Template filters for the student pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _lazy

from cairn.accounts.models import User
from cairn.curriculum.naming import reads_codes
from cairn.engine.growth import Change, Level, change_of, level_of
from cairn.learning.selectors.path import student_path

register = template.Library()

_LABELS = {
    "mastered": _lazy("Got it"),
    "in_progress": _lazy("Working on it"),
    "checking": _lazy("Show what you know"),
    "ready": _lazy("Ready"),
    "locked": _lazy("Locked"),
    "not_started": _lazy("Not started"),
}


@register.filter
def status_label(status: str) -> str:
    """A path or progress status as people read it ("in_progress" → "In progress")."""
    return str(_LABELS.get(status, status.replace("_", " ").capitalize()))


# What a choice-board option is, as the student reads it (the board's kinds: practice, review, content's).
_KIND_LABELS = {
    "practice": _lazy("Practice"),
    "review": _lazy("Review"),
    "video": _lazy("Video"),
    "reading": _lazy("Reading"),
    "interactive": _lazy("Interactive"),
    "project": _lazy("Project"),
    "offline": _lazy("Activity with your teacher"),
    "lesson": _lazy("Lesson"),
    "task": _lazy("Task"),
}


@register.filter
def kind_label(kind: str) -> str:
    """A board option's kind in the reader's language ("video" → "Video", "Vídeo")."""
    return str(_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize()))


# Mastery as growth: the engine maps the estimate to a level (cairn.engine.growth); these are its words.
_LEVEL_LABELS = {
    Level.STARTING: _lazy("starting"),
    Level.GETTING_THERE: _lazy("getting there"),
    Level.ALMOST: _lazy("almost"),
    Level.GOT_IT: _lazy("got it"),
}
_LEVEL_STEPS = {Level.STARTING: 1, Level.GETTING_THERE: 2, Level.ALMOST: 3, Level.GOT_IT: 4}
_CHANGE_LABELS = {
    Change.UP: _lazy("growing"),
    Change.SAME: _lazy("holding steady"),
    Change.DOWN: _lazy("a little lower: keep going"),
}
_CHANGE_ICONS = {Change.UP: "up", Change.SAME: "same", Change.DOWN: "down"}


@register.inclusion_tag("learning/_level.html")
def mastery_level(
    mastery: float | None,
    status: str,
    attempts: int | None,
    viewer: User | None = None,
    before: float | None = None,
) -> dict[str, Any]:
    """A competency's level in words a child reads ("getting there"), with the percentage for staff only,
    and, after an answer (``before`` given), which way it moved as an arrow."""
    estimate = float(mastery or 0.0)
    level = level_of(estimate, mastered=status == "mastered", attempts=int(attempts or 0))
    change = change_of(float(before), estimate) if before is not None else None
    return {
        "level": str(level),
        "label": _LEVEL_LABELS[level],
        "step": _LEVEL_STEPS[level],
        "percent": round(estimate * 100) if isinstance(viewer, User) and reads_codes(viewer) else None,
        "change": str(change) if change else "",
        "change_label": _CHANGE_LABELS[change] if change else "",
        "change_icon": _CHANGE_ICONS[change] if change else "",
    }


@register.simple_tag
def level_word(mastery: float | None, status: str, attempts: int | None) -> str:
    """Only the word, for places with no room for the scale (the map's tooltips)."""
    level = level_of(float(mastery or 0.0), mastered=status == "mastered", attempts=int(attempts or 0))
    return str(_LEVEL_LABELS[level])


_STATUS_ICONS = {
    "mastered": "check",
    "in_progress": "dots",
    "checking": "dots",
    "ready": "ready",
    "locked": "lock",
}


@register.filter
def status_icon(status: str) -> str:
    """The inline-SVG icon (core/_icon.html) that goes with a path status."""
    return _STATUS_ICONS.get(status, "dots")


# How a competency came to be mastered (Progress.mastered_by), said the same way on every page.
_MASTERED_BY = {
    "check": _lazy("by practice and a check"),
    "estimate": _lazy("by practice"),
    "diagnostic": _lazy("from the diagnostic"),  # the family reads it too: not "your"
    "teacher": _lazy("marked by your teacher"),
}
_MASTERED_BY_ADULT = {
    "check": _lazy("practice and a mastery check"),
    "estimate": _lazy("practice"),
    "diagnostic": _lazy("diagnostic placement"),
    "teacher": _lazy("a teacher"),
}


@register.filter
def mastered_by_label(mastered_by: str) -> str:
    """Why a competency is mastered, said to the student or family."""
    return str(_MASTERED_BY.get(mastered_by, ""))


@register.filter
def mastered_by_adult(mastered_by: str) -> str:
    """Why a competency is mastered, said to staff."""
    return str(_MASTERED_BY_ADULT.get(mastered_by, mastered_by))


@register.inclusion_tag("learning/_child_progress.html", takes_context=True)
def child_progress(context: template.Context, student: User) -> dict[str, Any]:
    """A student's path at a glance for the family page (and staff looking at the same page): what is
    mastered and how, and what they are working on, from the same path the student sees. Accounts sits
    below learning, so its page asks for this panel through a tag. The caller has checked access."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    rows = student_path(student).rows
    return {
        "viewer": viewer if isinstance(viewer, User) else None,
        "mastered": [r for r in rows if r.status == "mastered"],
        "working": [r for r in rows if r.status == "in_progress"],
        "ready": sum(1 for r in rows if r.status == "ready"),
        "locked": sum(1 for r in rows if r.status == "locked"),
    }

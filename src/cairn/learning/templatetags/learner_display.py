"""What a student's plan changes on their own pages, without naming it: larger text (a class on the body,
set from the base layout) and the read-aloud button of the practice and activity pages. One query per
request, only for students (:func:`cairn.learning.profiles.accommodations_for_pages`)."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.accounts.models import User
from cairn.learning import profiles
from cairn.learning.profiles import Accommodation, accommodations_for_pages

register = template.Library()


def _needs(context: template.Context) -> frozenset[str]:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return accommodations_for_pages(user)


@register.simple_tag(takes_context=True)
def learner_body_class(context: template.Context) -> str:
    """``larger-text`` for a student whose plan says so, else nothing."""
    return "larger-text" if Accommodation.LARGER_TEXT in _needs(context) else ""


@register.inclusion_tag("learning/_read_aloud.html", takes_context=True)
def read_aloud_button(context: template.Context, target: str) -> dict[str, Any]:
    """The "Read aloud" button for a student whose plan says so: it reads the element ``target`` (a CSS
    selector) with the browser's speech synthesis when pressed, never by itself."""
    return {"show": Accommodation.READ_ALOUD in _needs(context), "target": target}


@register.filter
def looks_after(viewer: User, student: User) -> bool:
    """``{% if user|looks_after:learner %}``: whether the viewer may open the student's whole profile."""
    return isinstance(viewer, User) and isinstance(student, User) and profiles.looks_after(viewer, student)

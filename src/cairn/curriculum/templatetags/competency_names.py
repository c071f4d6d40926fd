"""``{{ competency|named_for:user }}``: a competency as this viewer reads it (:mod:`cairn.curriculum.naming`).

Works on anything with ``code``, ``statement`` and ``student_statement``: a competency, a path row, a
diagnostic placement."""

from __future__ import annotations

from django import template

from cairn.accounts.models import User
from cairn.curriculum.naming import (
    Named,
    competency_name,
    names_for_codes,
    opens_when,
    reads_codes,
    student_words,
)

register = template.Library()


@register.filter
def named_for(competency: Named, viewer: User | None) -> str:
    return competency_name(competency, viewer if isinstance(viewer, User) else None)


@register.filter
def i_can(competency: Named) -> str:
    """The student's words, whoever reads them (a teacher previewing what students see)."""
    return student_words(competency)


@register.filter
def opens_when_ready(competency: Named) -> str:
    return opens_when(competency)


@register.filter
def sees_codes(viewer: User | None) -> bool:
    return isinstance(viewer, User) and reads_codes(viewer)


@register.filter
def code_named_for(code: str, viewer: User | None) -> str:
    """A competency known only by its code (what an answer unlocked), named for ``viewer``."""
    names = names_for_codes([code], viewer if isinstance(viewer, User) else None)
    return names[0] if names else ""

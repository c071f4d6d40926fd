"""How a competency is named for the person reading it: the one place that decides.

Adults (teachers, leaders, admins) read the standard's code; students and their families read the short
"I can …" statement, and never a code. When no student statement was written yet, the standard's own
words are shortened rather than showing the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.curriculum.access import is_staff
from cairn.curriculum.models import Competency

# How an "I can" statement starts in each language we write them in (what follows reads after "you can").
I_CAN = ("I can ", "Puedo ")


class Named(Protocol):
    """A competency, or a row that carries its names (a path row, a placed competency)."""

    @property
    def code(self) -> str: ...
    @property
    def statement(self) -> str: ...
    @property
    def student_statement(self) -> str: ...


def reads_codes(viewer: User | None) -> bool:
    """True for staff, who work with standards codes; students and guardians read "I can" statements."""
    return viewer is not None and viewer.is_authenticated and is_staff(viewer)


def translated_statement(competency: Named, language: str | None = None) -> str:
    """The "I can" statement written in ``language`` (the active one by default), or "" when there is none.

    Read from ``translations`` ({"es": {"student_statement": "Puedo …"}}) on a competency or on a row that
    carries it; English is the statement itself."""
    language = (language or get_language() or "").lower()
    translations = getattr(competency, "translations", None) or {}
    if not language or language.startswith("en") or not translations:
        return ""
    entry = translations.get(language) or translations.get(language.split("-")[0]) or {}
    return str(entry.get("student_statement") or "").strip()


def student_words(competency: Named) -> str:
    """The "I can …" statement in the active language when written, else the English one, else the standard's
    own words shortened (never the code)."""
    written = translated_statement(competency) or (competency.student_statement or "").strip()
    if written:
        return written
    return Truncator(competency.statement).words(12, truncate="…")


def competency_name(competency: Named, viewer: User | None) -> str:
    """The competency as ``viewer`` should read it: its code for staff, its "I can" statement otherwise."""
    if reads_codes(viewer) and competency.code:
        return competency.code
    return student_words(competency)


def opens_when(competency: Named) -> str:
    """A locked competency's prerequisite, said to a student: "Opens when you can compare fractions."."""
    words = student_words(competency)
    for prefix in I_CAN:
        if words.startswith(prefix):
            return _("Opens when you can %(rest)s") % {"rest": words[len(prefix) :]}
    return _("Opens after: %(name)s") % {"name": words}


def names_for_codes(codes: Iterable[str], viewer: User | None) -> list[str]:
    """``codes`` named for ``viewer``, in the same order (one query; an unknown code is left out)."""
    wanted = list(codes)
    found = {c.code: c for c in Competency.objects.filter(code__in=wanted)}
    return [competency_name(found[code], viewer) for code in wanted if code in found]

"""Where the path reads a student's diagnostic level from (for "when the diagnostic places above L" rules).

Diagnostics belong to assessments, which sits above learning: learning may not import it, not even late.
So assessments hands learning a reader when the app is ready
(``register_level_reader(latest_ability)`` in its ``AppConfig.ready``), the way apps register with the
layers below them. Without one (a site without assessments), no student has a level and such rules stay
closed, as they do for a student who hasn't sat a diagnostic yet.
"""

from __future__ import annotations

from collections.abc import Callable

from cairn.accounts.models import User

LevelReader = Callable[[User], "float | None"]

_reader: list[LevelReader] = []


def register_level_reader(reader: LevelReader) -> None:
    """Make ``reader`` (student -> ability on the logit scale, None before a diagnostic) the one the path
    asks. Registering again replaces it, so a reloaded app config doesn't stack readers."""
    _reader[:] = [reader]


def diagnostic_level(student: User) -> float | None:
    """The ability estimate of the student's latest finished diagnostic; None before one (or with no
    diagnostics installed)."""
    return _reader[0](student) if _reader else None

"""Activities from apps above learning on the student's choice board: a teacher's tiered task (insights),
a short lesson on an autonomy skill (agency). The board must not import those apps, so they register a
source here when they start (their ``AppConfig.ready``), and the board asks every source for candidates.

A source is called with the student and their path and returns :class:`BoardExtra` rows: an engine
candidate (its ``activity_id`` is ``"<source name>:<id>"``, unique across sources) and the page the option
opens. Like :mod:`cairn.learning.events`, this keeps the layers pointing down."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cairn.engine.recommend import Candidate

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.learning.selectors.path import Path


@dataclass(frozen=True)
class BoardExtra:
    candidate: Candidate
    url: str
    label: str = ""  # what the board shows above the title, e.g. "Your task" (already translated)


Source = Callable[["User", "Path"], Iterable[BoardExtra]]
_sources: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    """Add (or replace, on a reload) the source called ``name``."""
    _sources[name] = source


def extras(student: User, path: Path) -> list[BoardExtra]:
    """Every registered source's candidates for this student, in registration order."""
    return [extra for source in _sources.values() for extra in source(student, path)]

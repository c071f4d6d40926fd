"""Crosswalks: CASE links whose end was outside their package, resolved when that end arrives.

A link keeps the outside node's CASE identifier (``origin_identifier``/``destination_identifier``); when a
framework holding that node is imported, the link's end is set to the new competency. Importing in the
other order needs nothing here: the import looks its links' ends up among stored competencies.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from cairn.curriculum.models import Competency, CompetencyLink


def resolve_pending(competencies: Iterable[Competency]) -> int:
    """Point every unresolved link end naming one of ``competencies`` at it; returns how many ends."""
    identifiers = [c.identifier for c in competencies]
    if not identifiers:
        return 0
    resolved = 0
    for end in ("origin", "destination"):
        match = Competency.objects.filter(identifier=OuterRef(f"{end}_identifier")).values("pk")[:1]
        pending = CompetencyLink.objects.filter(
            **{f"{end}__isnull": True, f"{end}_identifier__in": identifiers}
        )
        resolved += pending.update(**{end: Subquery(match)})
    return resolved

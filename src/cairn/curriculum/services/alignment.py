"""The competencies a piece of content or a question is aligned to, from what a person or a file names.

Both refuse references that don't resolve rather than dropping them: an alignment silently lost would put
content on the wrong students' boards."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from cairn.curriculum.importers import Problem
from cairn.curriculum.models import Competency
from cairn.curriculum.services.field_errors import invalid


def known_competencies(ids: Sequence[int]) -> list[Competency]:
    """The competencies a person picked, by id; an id that doesn't exist is refused."""
    found = list(Competency.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {c.pk for c in found})
    if missing:
        raise invalid("competency_ids", f"unknown competencies: {missing}")
    return found


def competencies_for(refs: Sequence[str], file: str, where: str, problems: list[Problem]) -> list[Competency]:
    """The competencies a file names (identifier or code); each that doesn't resolve to exactly one is
    added to ``problems`` so the import can list them all before refusing."""
    found = []
    for ref in refs:
        matches = list(Competency.objects.filter(Q(identifier=ref) | Q(code=ref))[:2])
        if not matches:
            problems.append(Problem(file, where, f"unknown competency {ref!r}"))
        elif len(matches) > 1:
            problems.append(Problem(file, where, f"{ref!r} is ambiguous; use the identifier"))
        else:
            found.append(matches[0])
    return found

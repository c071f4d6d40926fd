"""Readers for standards (CASE 1.0 JSON, CSV), content (CSV) and items (QTI 2.1 and 3.0).

Each reader turns a file into plain records and a list of problems, each naming the file, the row or path
and the field. Nothing is written here: cairn.curriculum.services applies records in one transaction, so
an import with any problem changes nothing. A refused import is an ``Invalid`` like any other bad input, so
the API, the pages and ``cairn import`` report it the way they report every refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cairn.core.errors import Invalid


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # e.g. "CFItems[3].fullStatement", "row 7, field statement", "assessmentItem/itemBody"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


class ImportFailed(Invalid):
    """An import that was refused; nothing was written. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"import refused, nothing was changed ({len(problems)} problem(s)):\n{shown}{more}")


@dataclass
class ImportReport:
    """What an import did; ``created``/``updated`` count rows by kind (competencies, prerequisites, ...)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        self.created.setdefault(kind, 0)
        self.updated.setdefault(kind, 0)
        (self.created if created else self.updated)[kind] += 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated))
        parts = [
            f"{kind}: {self.created.get(kind, 0)} new, {self.updated.get(kind, 0)} unchanged or updated"
            for kind in kinds
        ]
        if self.skipped:
            parts.append(f"skipped: {len(self.skipped)}")
        return "; ".join(parts) or "nothing to import"

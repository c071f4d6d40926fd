"""What the roster writer reads: rows keyed by OneRoster's CSV column names, entity by entity.

A CSV package (``csv_package.CsvPackage``) and the REST sync each implement ``RosterSource``; the writer
(``apply.apply_roster``) never knows which one it reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

#: The entities in the order the writer applies them (each may refer only to those before it).
ENTITIES = (
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "users",
    "roles",
    "enrollments",
    "demographics",
)

BULK, DELTA, ABSENT = "bulk", "delta", "absent"
TO_BE_DELETED = "tobedeleted"


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One record: ``file`` and ``line`` say where it came from (for the report), ``data`` holds its values
    as strings keyed by OneRoster CSV column names ("" when blank)."""

    file: str
    line: int
    data: dict[str, str]

    def get(self, column: str) -> str:
        return (self.data.get(column) or "").strip()

    def ids(self, column: str) -> list[str]:
        """A list column ("a,b,c") as its non-blank items."""
        return [part.strip() for part in self.get(column).split(",") if part.strip()]

    @property
    def sourced_id(self) -> str:
        return self.get("sourcedId")

    @property
    def deleted(self) -> bool:
        return self.get("status").lower() == TO_BE_DELETED


class RosterSource(Protocol):
    """A roster to apply. ``rows`` streams one entity's records (it is called once per entity)."""

    name: str
    version: str
    notes: list[str]

    def mode(self, entity: str) -> str:
        """``bulk`` (the whole set: what is missing stays as it is), ``delta`` or ``absent``."""
        ...

    def rows(self, entity: str) -> Iterator[RosterRow]: ...

    def total(self, entity: str) -> int | None:
        """How many rows the entity has, when that is known without reading them all; else None."""
        ...

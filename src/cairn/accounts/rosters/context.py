"""What the writer's passes share while one roster is applied: the district, the report, the day, and the
small lookups from sourced ids to rows (schools, terms, courses, classes, people) built as it goes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from cairn.accounts.models import District, School, User
from cairn.accounts.rosters.report import RosterReport
from cairn.accounts.rosters.source import RosterRow, RosterSource

#: Rows written per bulk statement (well under SQLite's limit on a statement's parameters).
CHUNK = 1000
#: progress(entity, rows done, rows in all or None)
Progress = Callable[[str, int, int | None], None]

T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class Term:
    start: dt.date
    end: dt.date


@dataclass
class Context:
    district: District
    source: RosterSource
    report: RosterReport
    today: dt.date
    by: User | None = None
    progress: Progress | None = None
    schools: dict[str, School] = field(default_factory=dict)  # org sourcedId -> school
    district_orgs: set[str] = field(default_factory=set)
    terms: dict[str, Term] = field(default_factory=dict)  # academicSession sourcedId -> dates
    courses: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # -> (subjects, grades)
    sections: dict[str, tuple[int, dt.date]] = field(default_factory=dict)  # class -> (id, term start)
    users: dict[str, int] = field(default_factory=dict)  # user sourcedId -> id
    guardians: set[int] = field(default_factory=set)  # ids of people given the guardian role here
    agents: list[tuple[RosterRow, int]] = field(default_factory=list)  # rows naming agents, with user id
    new_people: list[int] = field(default_factory=list)  # to invite once committed
    erased: set[str] = field(default_factory=set)  # sourcedIds of people erased on request

    @property
    def yesterday(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    def rows(self, entity: str) -> Iterator[RosterRow]:
        """The entity's rows, counted per file for the 10% rule and reported to ``progress``."""
        total = self.source.total(entity) if self.progress else None
        done = 0
        for row in self.source.rows(entity):
            done += 1
            self.report.rows_read[row.file] = self.report.rows_read.get(row.file, 0) + 1
            if self.progress and done % CHUNK == 0:
                self.progress(entity, done, total)
            yield row
        if self.progress:
            self.progress(entity, done, total)

    def skip(self, row: RosterRow, reason: str) -> None:
        self.report.skip(row.file, row.line, reason)

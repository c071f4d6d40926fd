"""The insights API's request and response bodies (OpenAPI reads them from here)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class StudentRef(Schema):
    id: int
    name: str


class StepOut(Schema):
    label: str
    url: str
    method: str
    fields: list[tuple[str, str]]


class ActionOut(Schema):
    kind: str
    title: str
    why: str
    impact: float
    students: list[StudentRef]
    step: StepOut
    more: StepOut | None = None


class ClassCompetencyRef(Schema):
    id: int
    code: str
    statement: str
    domain: str


class CellOut(Schema):
    competency_id: int
    state: str
    mastery: float
    confidence: str
    attempts: int
    set_by_teacher: bool


class StudentRowOut(Schema):
    student: StudentRef
    mastered: int
    in_progress: int
    mean_mastery: float
    last_active: dt.datetime | None
    stuck: list[str]
    cells: list[CellOut]


class ClassOut(Schema):
    section_id: int
    version: str
    competencies: list[ClassCompetencyRef]
    students: list[StudentRowOut]


class SuggestedGroupOut(Schema):
    competency: str
    competency_id: int
    students: list[StudentRef]
    mean_mastery: float
    stuck: int
    activity_id: int | None
    activity_title: str | None


class SuggestionsOut(Schema):
    groups: list[SuggestedGroupOut]
    ungrouped: list[StudentRef]


class GroupIn(Schema):
    student_ids: list[int]
    competency_id: int | None = None
    activity_id: int | None = None
    name: str = ""
    note: str = ""
    for_date: dt.date | None = None


class GroupPatch(Schema):
    add: list[int] = []
    remove: list[int] = []
    activity_id: int | None = None
    name: str | None = None
    note: str | None = None
    for_date: dt.date | None = None


class GroupOut(Schema):
    id: int
    section_id: int
    name: str
    competency_id: int | None
    activity_id: int | None
    note: str
    for_date: dt.date
    students: list[StudentRef]
    done: bool


class OverrideIn(Schema):
    competency_id: int
    action: str
    reason: str
    student_ids: list[int] = []
    group_id: int | None = None
    whole_section: bool = False


class OverrideOut(Schema):
    id: int
    student: StudentRef
    competency: str
    action: str
    reason: str
    set_by: str
    active: bool
    created_at: dt.datetime


class OverrideResultOut(Schema):
    created: list[OverrideOut]
    unchanged: list[tuple[StudentRef, str]]


class TieredIn(Schema):
    competency_id: int
    title: str
    support: str
    core: str
    extend: str
    support_below: float = 0.4
    extend_from: float = 0.8


class TierOut(Schema):
    student: StudentRef
    tier: str
    mastery: float | None
    moved_by_teacher: bool


class TieredOut(Schema):
    id: int
    title: str
    competency: str
    support: str
    core: str
    extend: str
    assignments: list[TierOut]


class StationIn(Schema):
    name: str
    kind: str
    activity: str = ""


class StationPlanIn(Schema):
    title: str
    lesson_date: dt.date
    block_minutes: int
    rotations: int
    stations: list[StationIn]


class StationPlanOut(Schema):
    id: int
    title: str
    lesson_date: dt.date
    block_minutes: int
    stations: list[dict[str, str]]
    groups: list[list[int]]
    focus: list[str | None]
    schedule: list[list[int]]

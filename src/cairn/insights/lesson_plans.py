"""Reads of what a teacher saved for lessons: small groups (with who has moved on since), tiered tasks and
station plans. Callers have checked the person may see the section."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from cairn.accounts.models import Section, User
from cairn.curriculum.models import Content
from cairn.curriculum.ownership import approved_content_for
from cairn.engine.grouping import Group
from cairn.engine.release import Status
from cairn.insights import selectors
from cairn.insights.models import SmallGroup, StationPlan, TieredAssignment, TieredTask
from cairn.insights.state import Cell, ClassState


@dataclass(frozen=True)
class GroupMember:
    student: User
    cell: Cell | None  # None for a check-in group (no competency)
    then: float | None  # mastery when the student joined the group


@dataclass(frozen=True)
class SavedGroup:
    """A saved group with what changed since it was made: members who mastered it since."""

    group: SmallGroup
    members: list[GroupMember]

    @property
    def moved_on(self) -> list[GroupMember]:
        return [m for m in self.members if m.cell is not None and m.cell.status == Status.MASTERED]


def saved_group(state: ClassState, group: SmallGroup) -> SavedGroup:
    members = [
        GroupMember(
            student=s,
            cell=state.cell(s.pk, group.competency_id) if group.competency_id else None,
            then=group.snapshot.get(str(s.pk)),
        )
        for s in group.students.all()
    ]
    return SavedGroup(group, members)


def open_groups(section: Section) -> list[SmallGroup]:
    """The section's saved groups not yet taught, with their members."""
    return list(
        SmallGroup.objects.filter(section=section, done_at__isnull=True)
        .select_related("competency", "activity")
        .prefetch_related("students")
    )


def open_group_members(section: Section) -> list[tuple[int | None, set[int]]]:
    """For each saved group not yet taught that has a competency: the competency and the members' ids."""
    return [
        (g.competency_id, {s.pk for s in g.students.all()})
        for g in SmallGroup.objects.filter(
            section=section, done_at__isnull=True, competency__isnull=False
        ).prefetch_related("students")
    ]


@dataclass(frozen=True)
class Suggestion:
    """A suggested group with its own mini-lesson (None: the library has no teacher-led activity for it)."""

    group: Group
    activity: Content | None


@dataclass(frozen=True)
class Suggestions:
    groups: list[Suggestion]
    ungrouped: list[int]
    also_need: dict[str, tuple[int, ...]]


def lesson_suggestions(state: ClassState, saved: Mapping[int, Iterable[int]]) -> Suggestions:
    """The groups worth pulling next, each with a different mini-lesson: two groups for one competency get
    two different activities, or the crowd makes one group (the rest are in ``also_need``). Students in a
    saved group that is still open (``saved``: group id -> its students) are not suggested again."""
    grouped = {student for students in saved.values() for student in students}
    codes = [c.code for c in state.competencies]
    options = selectors.teacher_led_options(state.section, codes)
    grouping = selectors.suggested_groups(
        state, lessons={code: len(options.get(code, ())) for code in codes}, exclude=grouped
    )
    given: dict[str, int] = {}
    out = []
    for g in grouping.groups:
        n = given.get(g.competency, 0)
        given[g.competency] = n + 1
        choices = options.get(g.competency, [])
        out.append(Suggestion(g, choices[n] if n < len(choices) else None))
    return Suggestions(out, grouping.ungrouped, grouping.also_need)


def group_activity_options(competency_id: int | None, *, district_id: int) -> list[Content]:
    """Activities approved for the district that a teacher can pick for a group on this competency
    (practice is the boards' job)."""
    if competency_id is None:
        return []
    return list(
        approved_content_for(district_id)
        .filter(competencies=competency_id)
        .exclude(kind=Content.Kind.PRACTICE)
        .order_by("kind", "title")
    )


# The thing a URL names, or 404 (Django's own, which pages and the API both answer 404 whatever the method).
# Callers then check that the person may see its section (cairn.insights.access.section_for).
def small_group(group_id: int) -> SmallGroup:
    return get_object_or_404(
        SmallGroup.objects.select_related("section", "competency", "activity"), pk=group_id
    )


def tiered_task(task_id: int) -> TieredTask:
    return get_object_or_404(TieredTask.objects.select_related("section", "competency"), pk=task_id)


def station_plan(plan_id: int) -> StationPlan:
    return get_object_or_404(StationPlan.objects.select_related("section"), pk=plan_id)


def tiered_tasks(section: Section) -> list[TieredTask]:
    return list(TieredTask.objects.filter(section=section).select_related("competency"))


def tier_assignments(task: TieredTask) -> list[TieredAssignment]:
    """Who has which level, by name."""
    return list(
        task.assignments.select_related("student").order_by("student__last_name", "student__first_name", "pk")
    )


def recent_station_plans(section: Section, *, limit: int = 20) -> list[StationPlan]:
    return list(StationPlan.objects.filter(section=section)[:limit])

"""Tiered tasks: one task at three levels (support, core, extend), each student on the level their mastery
of the competency says; a teacher may move a student by hand, and re-tiering leaves that choice alone."""

from __future__ import annotations

from django.db import transaction

from cairn.accounts.models import Section, User
from cairn.core.errors import Invalid
from cairn.engine import grouping
from cairn.engine.release import Status
from cairn.insights import selectors
from cairn.insights.access import require_teacher
from cairn.insights.models import Tier, TieredAssignment, TieredTask
from cairn.insights.services.checks import clean_text, path_competency, students_of


@transaction.atomic
def create_tiered_task(
    teacher: User,
    section: Section,
    *,
    competency_id: int | None,
    title: str,
    support: str,
    core: str,
    extend: str,
    support_below: float = 0.4,
    extend_from: float = 0.8,
) -> TieredTask:
    """One task at three levels, and each student's level from their mastery of the competency now."""
    require_teacher(teacher, section)
    competency = path_competency(competency_id)
    assert competency is not None
    try:
        cuts = grouping.TierCuts(float(support_below), float(extend_from))
    except ValueError as exc:
        raise Invalid(str(exc), field="cuts") from exc
    task = TieredTask.objects.create(
        section=section,
        competency=competency,
        title=clean_text("title", title, 200),
        support=clean_text("support", support, 2000),
        core=clean_text("core", core, 2000),
        extend=clean_text("extend", extend, 2000),
        support_below=cuts.support_below,
        extend_from=cuts.extend_from,
        created_by=teacher,
    )
    _assign_tiers(task)
    return task


def _assign_tiers(task: TieredTask) -> None:
    state = selectors.class_state(task.section)
    cuts = grouping.TierCuts(task.support_below, task.extend_from)
    evidence = {
        s.pk: (None if cell.attempts == 0 and cell.status != Status.MASTERED else cell.mastery)
        for s in state.students
        for cell in [state.cell(s.pk, task.competency_id)]
    }
    # A student who has mastered it gets the extension whatever the estimate says.
    for s in state.students:
        if state.cell(s.pk, task.competency_id).status == Status.MASTERED:
            evidence[s.pk] = 1.0
    moved = set(task.assignments.filter(moved_by_teacher=True).values_list("student_id", flat=True))
    task.assignments.exclude(student_id__in=moved).delete()
    TieredAssignment.objects.bulk_create(
        TieredAssignment(task=task, student_id=sid, tier=str(tier.value), mastery=evidence[sid])
        for sid, tier in grouping.assign_tiers(evidence, cuts).items()
        if sid not in moved
    )


@transaction.atomic
def retier(teacher: User, task: TieredTask) -> TieredTask:
    """Re-assign levels from mastery now (students the teacher moved by hand stay where they were put)."""
    require_teacher(teacher, task.section)
    _assign_tiers(task)
    return task


@transaction.atomic
def move_to_tier(teacher: User, task: TieredTask, student_id: int | None, tier: str) -> TieredAssignment:
    """Put a student on a level by hand (re-tiering from mastery leaves them there)."""
    require_teacher(teacher, task.section)
    if student_id is None:
        raise Invalid("Choose a student.", field="student")
    if tier not in Tier.values:
        raise Invalid(f"Unknown level {tier!r}: choose {', '.join(Tier.values)}.", field="tier")
    (student,) = students_of(task.section, [student_id])
    assignment, _ = TieredAssignment.objects.update_or_create(
        task=task, student=student, defaults={"tier": tier, "moved_by_teacher": True}
    )
    return assignment

"""Tiered tasks: one task at three levels (support, core, extend), each student on the level their mastery
of the competency says; a teacher may move a student by hand, and re-tiering leaves that choice alone."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.assessments.models import Administration
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
    competency = path_competency(competency_id, section=section)
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
    """Each student's level from their mastery of the task's competency; before a student has answered on
    it, from the competencies it builds on, else from their latest diagnostic (cairn.engine.grouping's
    ``tier_evidence``). Everybody in Core because nobody has started says nothing about who needs support."""
    state = selectors.class_state(task.section)
    cuts = grouping.TierCuts(task.support_below, task.extend_from)
    code = task.competency.code
    by_code = state.by_code
    prerequisites = [by_code[p].pk for p, c in state.edges if c == code and p in by_code]
    abilities = _latest_abilities([s.pk for s in state.students]) if not prerequisites else {}

    def level(student_id: int, competency_id: int) -> float:
        cell = state.cell(student_id, competency_id)
        if cell.status == Status.MASTERED:
            return 1.0
        return cell.mastery if cell.attempts else 0.0

    placed: dict[int, tuple[float | None, grouping.Basis]] = {}
    for s in state.students:
        cell = state.cell(s.pk, task.competency_id)
        # A student who has mastered it gets the extension whatever the estimate says.
        topic = 1.0 if cell.status == Status.MASTERED else (cell.mastery if cell.attempts else None)
        placed[s.pk] = grouping.tier_evidence(
            topic, [level(s.pk, p) for p in prerequisites], abilities.get(s.pk)
        )
    moved = set(task.assignments.filter(moved_by_teacher=True).values_list("student_id", flat=True))
    task.assignments.exclude(student_id__in=moved).delete()
    tiers = grouping.assign_tiers({sid: value for sid, (value, _) in placed.items()}, cuts)
    TieredAssignment.objects.bulk_create(
        TieredAssignment(
            task=task, student_id=sid, tier=str(tier.value), mastery=placed[sid][0], basis=str(placed[sid][1])
        )
        for sid, tier in tiers.items()
        if sid not in moved
    )


def _latest_abilities(student_ids: list[int]) -> dict[int, float]:
    """Each student's ability from their latest finished diagnostic (none for a student without one)."""
    rows = (
        Administration.objects.filter(student_id__in=student_ids, status=Administration.Status.FINISHED)
        .order_by("student_id", "finished_at", "pk")
        .values_list("student_id", "theta")
    )
    return dict(rows)  # later rows (the latest sitting) overwrite earlier ones


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
        raise Invalid(_("Choose a student."), field="student")
    if tier not in Tier.values:
        raise Invalid(f"Unknown level {tier!r}: choose {', '.join(Tier.values)}.", field="tier")
    (student,) = students_of(task.section, [student_id])
    assignment, _created = TieredAssignment.objects.update_or_create(
        task=task, student=student, defaults={"tier": tier, "moved_by_teacher": True}
    )
    return assignment

"""The demo's tiered task: the plan student's teacher sets one on a competency open on that student's path,
so every student of the class finds it on their board as "Your task" at their level (issue 14)."""

from __future__ import annotations

from cairn.accounts import access
from cairn.accounts.models import Enrolment, Section, User
from cairn.engine.release import Status
from cairn.insights.models import TieredTask
from cairn.insights.services.tiered import create_tiered_task
from cairn.learning.selectors.path import student_path
from cairn.learning.selectors.scope import section_scope

TITLE = "Show it two ways"


def seed_demo_tiered_task(username: str) -> TieredTask | None:
    """A second call (or a class that has one already) changes nothing."""
    enrolment = (
        Enrolment.objects.current()
        .filter(user__username=username, kind=Enrolment.Kind.STUDENT)
        .select_related("section", "user")
        .order_by("section__code")
        .first()
    )
    if enrolment is None:
        return None
    section, student = enrolment.section, enrolment.user
    existing = TieredTask.objects.filter(section=section, title=TITLE).first()
    teacher = access.teachers_of_section(section).order_by("username").first()
    row = next(
        (
            r
            for r in student_path(student, scope=section_scope(section)).rows
            if r.status in (Status.READY, Status.IN_PROGRESS)
        ),
        None,
    )
    if existing is not None or teacher is None or row is None:
        return existing
    return _create(teacher, section, row.competency_id)


def _create(teacher: User, section: Section, competency_id: int) -> TieredTask:
    return create_tiered_task(
        teacher,
        section,
        competency_id=competency_id,
        title=TITLE,
        support="Do the first problem on the card with a partner, step by step, then the next one alone.",
        core="Solve the problems on the card, then show one answer a second way and say why both are right.",
        extend="Write a problem like these for a classmate, with its answer and a second way on the back.",
    )

"""A class in motion for the teacher pages: the `world`'s section with six current students on the learning
tests' small unit (A → B → C, and D), and stored state written the way the practice loop leaves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cairn.accounts import services as accounts
from cairn.accounts.models import Enrolment, Role, User
from cairn.curriculum.models import Competency, Content, Status
from cairn.learning.models import Alert, Progress
from tests.conftest import PASSWORD, World
from tests.learning.conftest import Unit, unit  # noqa: F401 - the unit fixture, shared with the learning tests


@dataclass
class Classroom:
    world: World
    unit: Unit
    students: list[User]  # the section's six students now, world.student and world.classmate first
    lesson: Content  # a teacher-led (offline) activity for A


def add_student(world: World, username: str) -> User:
    first, _, last = username.partition("_")
    user = accounts.create_person(
        username=username,
        first_name=first.title(),
        last_name=last.title(),
        role=Role.STUDENT,
        school=world.school,
        password=PASSWORD,
    )
    accounts.enrol(user, world.section, Enrolment.Kind.STUDENT, timezone.localdate() - dt.timedelta(days=60))
    return user


def progress(
    student: User,
    competency: Competency,
    status: str = Progress.Status.IN_PROGRESS,
    *,
    mastery: float = 0.4,
    attempts: int = 5,
    spinning: bool = False,
    when: dt.datetime | None = None,
    uncertainty: float | None = None,
) -> Progress:
    """A progress row as the practice loop leaves it (answers dated ``when``, by default an hour ago). The
    uncertainty is the learner model's evidence SD (a Beta over the answers at that mastery) unless given."""
    when = when or timezone.now() - dt.timedelta(hours=1)
    if uncertainty is None:
        right, wrong = 1 + attempts * mastery, 1 + attempts * (1 - mastery)
        uncertainty = (right * wrong / ((right + wrong) ** 2 * (right + wrong + 1))) ** 0.5
    row, _ = Progress.objects.update_or_create(
        student=student,
        competency=competency,
        defaults={
            "status": status,
            "mastery": mastery,
            "uncertainty": uncertainty,
            "attempts": attempts,
            "correct": attempts // 2,
            "spinning": spinning,
            "last_attempt_at": when,
            "mastered_at": when if status == Progress.Status.MASTERED else None,
            "mastered_by": "check" if status == Progress.Status.MASTERED else "",
        },
    )
    if spinning:
        Alert.objects.create(
            student=student,
            competency=competency,
            kind=Alert.Kind.WHEEL_SPINNING,
            message=f"{attempts} tries on {competency.code} without getting closer to mastery.",
            created_at=when,
        )
    return row


@pytest.fixture
def classroom(world: World, unit: Unit) -> Classroom:  # noqa: F811 - the imported fixture, used here
    extra = [add_student(world, name) for name in ("gus_green", "hana_ito", "ivan_jones", "jo_king")]
    lesson = Content.objects.create(
        identifier="offline-a",
        title="Fraction strips at the teacher table",
        kind=Content.Kind.OFFLINE,
        status=Status.APPROVED,
        estimated_minutes=15,
    )
    lesson.competencies.add(unit.a)
    return Classroom(world, unit, [world.student, world.classmate, *extra], lesson)

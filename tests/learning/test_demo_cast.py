"""The demo's cast: in every class, the same seed picks the same students to be idle, stuck, ahead and
behind their goal (so the demo shows a teacher every kind of action, the same way every time)."""

from __future__ import annotations

import datetime as dt

from cairn.accounts import services
from cairn.accounts.models import Enrolment, Role, User
from cairn.learning.demo import demo_cast
from tests.conftest import World


def _class_of_twenty(world: World) -> list[User]:
    students = []
    for i in range(18):
        student = services.create_person(
            username=f"cast{i:02d}",
            first_name="Cast",
            last_name=str(i),
            role=Role.STUDENT,
            school=world.school,
            grade="4",
        )
        services.enrol(
            student, world.section, Enrolment.Kind.STUDENT, dt.date.today() - dt.timedelta(days=30)
        )
        students.append(student)
    return [*students, world.student, world.classmate]


def test_each_class_has_its_cast_the_same_for_the_same_seed(world: World) -> None:
    students = _class_of_twenty(world)
    cast = demo_cast(students, seed=2026)
    parts = [cast.idle, cast.stuck, cast.ahead, cast.behind, cast.on_track]
    assert [len(p) for p in parts] == [3, 2, 3, 3, 4]
    everyone = set().union(*parts)
    assert len(everyone) == 15  # nobody plays two parts
    assert everyone <= {s.pk for s in students}
    assert {cast.section[pk] for pk in everyone} == {world.section.code}
    again = demo_cast(list(reversed(students)), seed=2026)
    assert [again.idle, again.stuck, again.ahead, again.behind, again.on_track] == parts
    other = demo_cast(students, seed=7)
    assert [other.idle, other.stuck, other.ahead, other.behind, other.on_track] != parts

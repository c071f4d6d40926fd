"""A student with a history in every app (answers, goals, reflections, a teacher's override, a small group,
a tiered task), a classmate with the same kinds of rows, and the names to look for after an erasure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.db import connection

from cairn.accounts.models import User
from cairn.agency import services as agency
from cairn.curriculum.models import Content, Review
from cairn.insights.models import TieredAssignment, TieredTask
from cairn.insights.services import groups
from cairn.learning.services import overrides, practice, questions
from tests.conftest import World, right_answer
from tests.learning.conftest import Unit, unit  # noqa: F401  (the fixture, shared)

# Distinctive, so a search for them finds nothing by chance.
FIRST, LAST, EMAIL = "Zephyrine", "Quillfeather", "zq.family@example.org"
NOTE = "Zephyrine wants to beat her sister"
CLASSMATE_NOTE = "Ben's own private goal note"


@dataclass
class History:
    student: User
    classmate: User


def _answer(student: User, competency: object) -> None:
    served = questions.serve(student, competency)  # type: ignore[arg-type]
    practice.submit_answer(student, str(served.token), str(uuid.uuid4()), right_answer(served))


@pytest.fixture
def history(world: World, unit: Unit) -> History:  # noqa: F811
    student, classmate = world.student, world.classmate
    User.objects.filter(pk=student.pk).update(first_name=FIRST, last_name=LAST, email=EMAIL)
    student.refresh_from_db()
    for person in (student, classmate):
        _answer(person, unit.a)
        _answer(person, unit.d)
    agency.set_goal(student, 2, 60, NOTE)
    agency.set_goal(classmate, 2, 60, CLASSMATE_NOTE)
    agency.reflect(student, "stuck", learned=f"{FIRST} learned halves", ask_teacher="Help me with fractions")
    agency.reflect(classmate, "great", learned="Ben learned quarters")
    overrides.override(world.teacher, [student], unit.b, "unlock", f"{FIRST} showed it on paper")
    groups.save_group(
        world.teacher,
        world.section,
        student_ids=[student.pk, classmate.pk],
        competency_id=unit.a.pk,
        name="Halves",
    )
    task = TieredTask.objects.create(
        section=world.section,
        competency=unit.a,
        title="Halves",
        support="s",
        core="c",
        extend="e",
        created_by=world.teacher,
    )
    TieredAssignment.objects.create(task=task, student=student, tier="core")
    Review.objects.create(content=unit.video, reviewer=world.teacher, decision=Review.Decision.APPROVE)
    Content.objects.filter(pk=unit.video.pk).update(owner=world.teacher)
    return History(student=student, classmate=classmate)


def tables_containing(needle: str) -> list[str]:
    """Every "table.column" of the database whose text holds ``needle`` (all columns cast to text)."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found

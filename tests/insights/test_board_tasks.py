"""A teacher's tiered task reaches the board of each student it is for, as "Your task", first, opening a page
with the task at the student's level that only that student reads (teachers are sent to their own page)."""

from __future__ import annotations

from cairn.insights.models import TieredAssignment
from cairn.insights.services.tiered import create_tiered_task
from cairn.learning.selectors.board import build_board
from tests.conftest import World, client_for
from tests.learning.conftest import Unit


def test_a_tiered_task_is_first_on_the_students_board_and_opens_their_level(world: World, unit: Unit) -> None:
    task = create_tiered_task(
        world.teacher,
        world.section,
        competency_id=unit.a.pk,
        title="Fraction strips",
        support="Fold the strip in halves, then quarters.",
        core="Show 3/4 with strips.",
        extend="Find two fractions equal to 3/4.",
    )
    mine = TieredAssignment.objects.get(task=task, student=world.student)
    first = build_board(world.student)[0]
    assert (first.option_id, first.label, first.kind) == (f"tiered:{task.pk}", "Your task", "task")
    assert first.why == "Your teacher assigned this."

    client = client_for(world.student)
    assert "Your task" in client.get("/learn/").content.decode()
    page = client.get(first.url)
    assert page.status_code == 200
    assert task.text_for(mine.tier) in page.content.decode()
    assert (
        client.post("/learn/choose/", {"option": first.option_id}).url == first.url
    )  # a pick like any other

    assert client_for(world.teacher).get(first.url).url == f"/teach/tiered/{task.pk}/"  # teachers: their page
    for outsider in (world.colleague, world.guardian, world.schoolmate):
        assert client_for(outsider).get(first.url).status_code == 404


def test_the_demo_gives_its_plan_student_spanish_a_plan_and_a_task(world: World, unit: Unit) -> None:
    from cairn.insights.demo import seed_demo_tiered_task
    from cairn.learning.demo import seed_demo_profile

    student = seed_demo_profile(world.student.username)
    task = seed_demo_tiered_task(world.student.username)
    assert student is not None and student.language == "es" and task is not None
    assert seed_demo_tiered_task(world.student.username) == task  # a second run changes nothing
    first = build_board(world.student)[0]
    assert first.option_id == f"tiered:{task.pk}"
    page = client_for(world.student).get(first.url).content.decode()
    assert 'class="larger-text"' in page and "data-read-aloud=" in page  # the plan acts on the task page too

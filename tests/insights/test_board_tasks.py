"""A teacher's tiered task reaches the board of each student it is for, as "Your task", first, opening a page
with the task at the student's level that only that student (and, through their own page, the teachers) read."""

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
    assert client.post("/learn/choose/", {"option": first.option_id}).url == first.url  # a pick like any other

    assert client_for(world.teacher).get(first.url).url == f"/teach/tiered/{task.pk}/"  # teachers: their page
    for outsider in (world.colleague, world.guardian, world.schoolmate):
        assert client_for(outsider).get(first.url).status_code == 404

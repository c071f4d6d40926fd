"""Goals and reflections over HTTP: the API under /api/v1/learning/ and the pages under /learn/, where they
have always been; bad input is refused naming the field and saves nothing."""

from __future__ import annotations

import pytest

from cairn.agency.models import Reflection, WeeklyGoal
from tests.conftest import World, client_for

API = "/api/v1/learning"


def test_goal_and_reflection_over_the_api(world: World) -> None:
    client = client_for(world.student)
    goal = client.put(f"{API}/goal", {"competencies": 2, "minutes": 60}, content_type="application/json")
    assert goal.status_code == 200
    assert goal.json()["goal_minutes"] == 60
    assert client.get(f"{API}/goal").json()["goal_competencies"] == 2
    too_big = client.put(f"{API}/goal", {"competencies": 50, "minutes": 60}, content_type="application/json")
    assert too_big.status_code == 400
    assert "between 1 and 20" in too_big.json()["detail"]
    assert too_big.json()["field"] == "competencies"
    reflection = client.post(
        f"{API}/reflections", {"feeling": "great", "learned": "halves"}, content_type="application/json"
    )
    assert reflection.status_code == 201
    assert Reflection.objects.get().pk == reflection.json()["id"]


@pytest.mark.parametrize("who", ["teacher", "guardian"])
def test_only_students_set_goals(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(f"{API}/goal").status_code == 403
    assert client.get("/learn/goals/").status_code == 403


def test_the_goal_page_saves_a_goal_and_refuses_a_bad_one_with_the_reason(world: World) -> None:
    client = client_for(world.student)
    assert client.get("/learn/goals/").status_code == 200
    saved = client.post("/learn/goals/", {"competencies": "2", "minutes": "60"})
    assert saved.status_code == 302
    assert saved["Location"] == "/learn/"
    assert WeeklyGoal.objects.get(student=world.student).minutes == 60
    for body, field, reason in [
        ({"competencies": "two", "minutes": "60"}, "competencies", "a number from 1 to 20"),
        ({"competencies": "2", "minutes": "5"}, "minutes", "between 10 and 600"),
    ]:
        refused = client.post("/learn/goals/", body)
        assert refused.status_code == 400  # the form again, the reason beside the field, the input kept
        page = refused.content.decode()
        assert f'id="id_{field}-error">' in page and reason in page
        assert f'value="{body[field]}"' in page
    assert WeeklyGoal.objects.get(student=world.student).minutes == 60


def test_the_reflection_page_needs_a_feeling(world: World) -> None:
    client = client_for(world.student)
    refused = client.post("/learn/reflect/", {"learned": "halves"})
    assert refused.status_code == 400  # the form again: the reason beside the feelings, the words kept
    assert 'id="feeling-error">Choose how the session felt.' in refused.content.decode()
    assert "halves</textarea>" in refused.content.decode()
    assert not Reflection.objects.exists()
    sent = client.post("/learn/reflect/", {"feeling": "ok", "learned": "halves"})
    assert sent.status_code == 302
    assert Reflection.objects.get().learned == "halves"

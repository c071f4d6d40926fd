"""GET /api/v1/learning/students/{id}/board: a student's next steps for an outside tool, under the path's
access rules, and documented in the OpenAPI beside the path."""

from __future__ import annotations

import pytest

from cairn.core.models import AuditEvent
from tests.conftest import World, api_client_for
from tests.learning.conftest import Unit

API = "/api/v1/learning"


@pytest.mark.parametrize(
    ("viewer", "allowed"), [("student", True), ("teacher", True), ("colleague", False), ("stranger", False)]
)
def test_the_board_follows_the_paths_access_rules(
    world: World, unit: Unit, viewer: str, allowed: bool
) -> None:
    response = api_client_for(getattr(world, viewer)).get(f"{API}/students/{world.student.pk}/board")
    if not allowed:
        assert response.status_code == 404  # as if there were no such student
        return
    assert response.status_code == 200, response.content
    options = response.json()
    assert 1 <= len(options) <= 4
    assert {o["competency"] for o in options} <= {unit.a.code, unit.d.code}  # what is open now
    assert all(o["why"] and o["url"].startswith("/learn/") for o in options)
    assert AuditEvent.objects.filter(student_id=world.student.pk).exists()


def test_path_and_board_are_in_the_openapi(world: World) -> None:
    paths = api_client_for(world.teacher).get("/api/v1/openapi.json").json()["paths"]
    assert f"{API}/students/{{student_id}}/path" in paths
    board = paths[f"{API}/students/{{student_id}}/board"]["get"]
    assert "next steps" in board["summary"]

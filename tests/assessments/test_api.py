"""The diagnostic over JSON: start or resume, the open question, answers, the result; placements and growth
for staff; access both ways; bad input refused with nothing recorded."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cairn.assessments.models import Administration, Response
from tests.assessments.conftest import Ladder, add_windows, right_answer, take
from tests.conftest import STUDENT_RULES, World, access_cases, api_client_for, client_for

API = "/api/v1/diagnostic"


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def _answered(sitting_id: int) -> int:
    return Response.objects.filter(administration_id=sitting_id, answered_at__isnull=False).count()


def test_a_student_takes_the_diagnostic_over_the_api(world: World, ladder: Ladder) -> None:
    client = client_for(world.student)
    listed = client.get(f"{API}/diagnostics").json()
    assert [(d["slug"], d["due"]) for d in listed if d["id"] == ladder.diagnostic.pk] == [("ladder", True)]
    started = _post(client, f"{API}/diagnostics/{ladder.diagnostic.pk}/sittings")
    assert started.status_code == 200
    sitting = started.json()
    question = sitting["question"]
    assert sitting["status"] == "in_progress"
    assert question["number"] == 1
    assert question["max_items"] == 12
    assert set(question) == {"token", "number", "max_items", "stem", "kind", "choices"}
    # Resuming (a new start, or reading the sitting) gives the same open question, never a new one.
    assert _post(client, f"{API}/diagnostics/{ladder.diagnostic.pk}/sittings").json()["question"] == question
    assert client.get(f"{API}/sittings/{sitting['id']}").json()["question"] == question
    assert client.get(f"{API}/sittings/{sitting['id']}/result").status_code == 409  # nothing to see yet
    state = sitting
    while state["status"] == "in_progress":
        open_item = Response.objects.get(token=state["question"]["token"])
        reply = _post(
            client,
            f"{API}/sittings/{state['id']}/answer",
            {"token": state["question"]["token"], "answer": right_answer(open_item)},
        )
        assert reply.status_code == 200
        state = reply.json()
    assert state["question"] is None
    assert state["answered"] <= 12
    result = client.get(f"{API}/sittings/{state['id']}/result").json()
    assert result["status"] == "finished"
    assert result["theta"] > 1.5
    assert result["se"] < 0.7
    assert result["mastered"]
    assert {r["code"] for r in result["mastered"]} >= {"3.NF.A.1", "3.NF.A.2"}
    assert all(0 <= r["probability"] <= 1 for r in result["mastered"] + result["ready"])
    assert result["newly_mastered"] == sorted(r["code"] for r in result["mastered"])
    assert [d["due"] for d in client.get(f"{API}/diagnostics").json()] == [False]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"token": "unserved", "answer": "4"}, 400, "not valid"),
        ({"token": "UNSERVED-UUID", "answer": "4"}, 400, "not given to you"),
        ({"token": "OPEN", "answer": ""}, 400, "answer first"),
        ({"token": "OPEN", "answer": "four"}, 400, "read as a number"),
        ({"token": "OPEN"}, 422, ""),
    ],
)
def test_bad_answers_are_refused_and_record_nothing(
    world: World, ladder: Ladder, body: dict[str, str], status: int, message: str
) -> None:
    client = client_for(world.student)
    sitting = _post(client, f"{API}/diagnostics/{ladder.diagnostic.pk}/sittings").json()
    token = {"OPEN": sitting["question"]["token"], "UNSERVED-UUID": str(uuid.uuid4())}
    body = {k: token.get(v, v) for k, v in body.items()}
    before = Administration.objects.get(pk=sitting["id"]).state
    reply = _post(client, f"{API}/sittings/{sitting['id']}/answer", body)
    assert reply.status_code == status
    assert message in reply.content.decode()
    assert Administration.objects.get(pk=sitting["id"]).state == before
    assert _answered(sitting["id"]) == 0
    assert Response.objects.filter(administration_id=sitting["id"]).count() == 1
    assert client.get(f"{API}/sittings/{sitting['id']}").json()["question"] == sitting["question"]


def test_an_answered_or_someone_elses_item_is_refused(world: World, ladder: Ladder) -> None:
    mine = _post(client_for(world.student), f"{API}/diagnostics/{ladder.diagnostic.pk}/sittings").json()
    theirs = _post(client_for(world.classmate), f"{API}/diagnostics/{ladder.diagnostic.pk}/sittings").json()
    client = client_for(world.student)
    url = f"{API}/sittings/{mine['id']}/answer"
    reply = _post(client, url, {"token": theirs["question"]["token"], "answer": "4"})
    assert reply.status_code == 400
    assert "not given to you" in reply.json()["detail"]
    assert (
        _post(client, f"{API}/sittings/{theirs['id']}/answer", {"token": "x", "answer": "1"}).status_code
        == 404
    )
    assert client.get(f"{API}/sittings/{theirs['id']}").status_code == 404
    first = _post(client, url, {"token": mine["question"]["token"], "answer": "0"})
    assert first.status_code == 200
    assert first.json()["question"]["number"] == 2
    again = _post(client, url, {"token": mine["question"]["token"], "answer": "0"})
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert _answered(mine["id"]) == 1
    assert _answered(theirs["id"]) == 0


def test_staff_read_but_do_not_take_diagnostics(world: World, ladder: Ladder) -> None:
    teacher = client_for(world.teacher)
    assert _post(teacher, f"{API}/diagnostics/{ladder.diagnostic.pk}/sittings").status_code == 403
    assert teacher.get(f"{API}/diagnostics").status_code == 403
    assert not Administration.objects.exists()


def test_placements_and_growth_for_a_section(world: World, ladder: Ladder) -> None:
    add_windows(ladder.diagnostic)

    def on(year: int, month: int, day: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime(year, month, day, 10))

    fall = take(world.student, ladder.diagnostic, theta=-1.1, at=on(2025, 9, 10))
    winter = take(world.student, ladder.diagnostic, theta=1.3, at=on(2026, 1, 15))
    client = client_for(world.teacher)
    rows = client.get(f"{API}/sections/{world.section.pk}/placements?school_year=2025-26").json()
    mine = next(r for r in rows if r["student_id"] == world.student.pk)
    assert mine["latest_sitting_id"] == winter.pk
    assert mine["theta"] == pytest.approx(winter.theta)
    assert [s["season"] for s in mine["seasons"]] == ["fall", "winter"]
    assert mine["growth"] == pytest.approx(winter.theta - fall.theta, abs=1e-3)
    other = next(r for r in rows if r["student_id"] == world.classmate.pk)
    assert other["latest_sitting_id"] is None
    assert other["growth"] is None
    growth = client.get(f"{API}/sections/{world.section.pk}/growth?school_year=2025-26").json()
    assert [(s["season"], s["assessed"]) for s in growth["seasons"]] == [
        ("fall", 1),
        ("winter", 1),
        ("spring", 0),
    ]
    assert growth["students_with_growth"] == 1
    assert growth["mean_growth"] == pytest.approx(mine["growth"])
    bad = client.get(f"{API}/sections/{world.section.pk}/growth?school_year=last-year")
    assert bad.status_code == 400
    assert "2025-26" in bad.json()["detail"]
    assert bad.json()["field"] == "school_year"  # the error names the parameter at fault


@pytest.mark.parametrize(("viewer", "target", "allowed"), access_cases(STUDENT_RULES))
def test_a_students_sittings_follow_the_access_rules(
    world: World, ladder: Ladder, viewer: str, target: str, allowed: bool
) -> None:
    student = getattr(world, target)
    sitting = take(student, ladder.diagnostic, theta=0.3)
    client = client_for(getattr(world, viewer))
    listed = client.get(f"{API}/students/{student.pk}/sittings")
    assert listed.status_code == (200 if allowed else 404)
    assert client.get(f"{API}/sittings/{sitting.pk}/result").status_code == (200 if allowed else 404)
    if allowed:
        assert [r["sitting_id"] for r in listed.json()] == [sitting.pk]


def test_a_bearer_token_gets_the_same_rules(world: World, ladder: Ladder) -> None:
    take(world.student, ladder.diagnostic, theta=0.3)
    colleague = api_client_for(world.colleague)
    assert colleague.get(f"{API}/sections/{world.section.pk}/placements").status_code == 404
    assert colleague.get(f"{API}/sections/{world.sister_section.pk}/placements").status_code == 200
    assert Client().get(f"{API}/sections/{world.section.pk}/placements").status_code == 401

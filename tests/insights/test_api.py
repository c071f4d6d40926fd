"""The insights API: the same data and the same rules as the pages."""

from __future__ import annotations

import json

from django.test import Client

from cairn.insights.models import SmallGroup
from cairn.learning.models import PathOverride, Progress
from tests.conftest import client_for
from tests.insights.conftest import Classroom, progress

API = "/api/v1/insights"


def post(client: Client, url: str, body: object, method: str = "post") -> tuple[int, object]:
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    return response.status_code, (response.json() if response.content else None)


def test_reads_for_the_teacher(classroom: Classroom) -> None:
    w, u, s = classroom.world, classroom.unit, classroom.students
    progress(s[0], u.a, mastery=0.25, attempts=14, spinning=True)
    progress(s[1], u.a, mastery=0.3, attempts=12, spinning=True)
    for student in s[2:]:
        progress(student, u.d, mastery=0.5)
    teacher = client_for(w.teacher)
    today = teacher.get(f"{API}/sections/{w.section.pk}/today").json()
    assert 1 <= len(today) <= 5
    assert today[0]["kind"] == "stuck"
    assert {x["id"] for x in today[0]["students"]} == {s[0].pk, s[1].pk}
    assert today[0]["step"]["url"].endswith("/groups/save/")
    assert ["competency", str(u.a.pk)] in today[0]["step"]["fields"]
    grid = teacher.get(f"{API}/sections/{w.section.pk}/class").json()
    assert [c["code"] for c in grid["competencies"]] == ["4.MD.A.1", "4.NF.A.1", "4.NF.B.3", "5.NF.A.1"]
    row = next(r for r in grid["students"] if r["student"]["id"] == s[0].pk)
    cell = next(c for c in row["cells"] if c["competency_id"] == u.a.pk)
    assert cell == {
        "competency_id": u.a.pk,
        "state": "stuck",
        "mastery": 0.25,
        "confidence": "high",  # 14 answers that agree: the evidence says little is known, and surely
        "attempts": 14,
        "set_by_teacher": False,
    }
    assert row["stuck"] == [u.a.code]
    assert grid["version"]
    suggested = teacher.get(f"{API}/sections/{w.section.pk}/groups/suggested").json()
    # Four work on D; the two stuck on A are too few for an A group, and D is their next need too
    # (they are not stuck on D, so the group has no one stuck on its competency).
    first = suggested["groups"][0]
    assert (first["competency"], first["stuck"], first["activity_title"]) == (u.d.code, 0, None)
    assert len(first["students"]) == 6


def test_writes_for_the_teacher(classroom: Classroom) -> None:
    w, u, s = classroom.world, classroom.unit, classroom.students
    teacher = client_for(w.teacher)
    status, group = post(
        teacher,
        f"{API}/sections/{w.section.pk}/groups",
        {"student_ids": [s[0].pk, s[1].pk, s[2].pk], "competency_id": u.a.pk, "name": "Strips"},
    )
    assert status == 201
    assert group["name"] == "Strips"  # type: ignore[index]
    assert len(group["students"]) == 3  # type: ignore[index]
    gid = group["id"]  # type: ignore[index]
    status, group = post(teacher, f"{API}/groups/{gid}", {"remove": [s[2].pk], "note": "Table 2"}, "patch")
    assert status == 200
    assert {x["id"] for x in group["students"]} == {s[0].pk, s[1].pk}  # type: ignore[index]
    status, result = post(
        teacher,
        f"{API}/sections/{w.section.pk}/overrides",
        {"competency_id": u.c.pk, "action": "assign", "reason": "Stretch", "group_id": gid},
    )
    assert status == 201
    assert len(result["created"]) == 2  # type: ignore[index]
    assert result["created"][0]["set_by"] == w.teacher.display_name  # type: ignore[index]
    log = teacher.get(f"{API}/sections/{w.section.pk}/overrides").json()
    assert {o["student"]["id"] for o in log} == {s[0].pk, s[1].pk}
    progress(s[3], u.a, Progress.Status.MASTERED, mastery=0.97)
    status, result = post(
        teacher,
        f"{API}/sections/{w.section.pk}/overrides",
        {"competency_id": u.a.pk, "action": "lock", "reason": "Hold", "whole_section": True},
    )
    assert status == 201
    assert len(result["created"]) == 5  # type: ignore[index]
    assert result["unchanged"][0][0]["id"] == s[3].pk  # type: ignore[index]
    status, task = post(
        teacher,
        f"{API}/sections/{w.section.pk}/tiered-tasks",
        {"competency_id": u.a.pk, "title": "Walls", "support": "a", "core": "b", "extend": "c"},
    )
    assert status == 201
    assert len(task["assignments"]) == 6  # type: ignore[index]
    assert teacher.get(f"{API}/tiered-tasks/{task['id']}").json()["title"] == "Walls"  # type: ignore[index]
    status, plan = post(
        teacher,
        f"{API}/sections/{w.section.pk}/station-plans",
        {
            "title": "Tue",
            "lesson_date": "2026-11-24",
            "block_minutes": 15,
            "rotations": 2,
            "stations": [{"name": "T", "kind": "teacher_led"}, {"name": "O", "kind": "online"}],
        },
    )
    assert status == 201
    assert len(plan["schedule"]) == 2  # type: ignore[index]
    assert len(plan["groups"]) == 2  # type: ignore[index]
    assert teacher.get(f"{API}/station-plans/{plan['id']}").status_code == 200  # type: ignore[index]
    assert teacher.delete(f"{API}/groups/{gid}").status_code == 204
    assert not SmallGroup.objects.exists()


def test_bad_input_answers_400_naming_the_field_and_writes_nothing(classroom: Classroom) -> None:
    w, u, s = classroom.world, classroom.unit, classroom.students
    teacher = client_for(w.teacher)
    url = f"{API}/sections/{w.section.pk}/overrides"
    for body, text in [
        ({"competency_id": u.a.pk, "action": "lock", "reason": "", "student_ids": [s[0].pk]}, "reason"),
        (
            {"competency_id": u.a.pk, "action": "zap", "reason": "r", "student_ids": [s[0].pk]},
            "Unknown action",
        ),
        (
            {"competency_id": u.a.pk, "action": "lock", "reason": "r", "student_ids": [w.stranger.pk]},
            "Not students of",
        ),
        ({"competency_id": u.a.pk, "action": "lock", "reason": "r", "group_id": 12345}, "No group 12345"),
    ]:
        status, error = post(teacher, url, body)
        assert status == 400, (body, error)
        assert text in error["detail"], (body, error)  # type: ignore[index]
    assert error["field"] == "group"  # type: ignore[index]
    status, _ = post(teacher, url, {"competency_id": "A", "action": "lock", "reason": "r"})
    assert status == 422  # not even the right shape
    status, error = post(teacher, f"{API}/sections/{w.section.pk}/groups", {"student_ids": [w.schoolmate.pk]})
    assert status == 400
    assert error["field"] == "students"  # type: ignore[index]
    assert error["detail"].startswith("Not students of")  # type: ignore[index]
    assert not PathOverride.objects.exists()
    assert not SmallGroup.objects.exists()


def test_access_rules(classroom: Classroom) -> None:
    w, u, s = classroom.world, classroom.unit, classroom.students
    reads = [
        f"{API}/sections/{w.section.pk}/today",
        f"{API}/sections/{w.section.pk}/class",
        f"{API}/sections/{w.section.pk}/groups/suggested",
        f"{API}/sections/{w.section.pk}/groups",
        f"{API}/sections/{w.section.pk}/overrides",
    ]
    for outsider in (w.colleague, w.former_teacher, w.student, w.guardian, w.stranger):
        client = client_for(outsider)
        for url in reads:
            assert client.get(url).status_code == 404, (outsider.username, url)
    leader = client_for(w.leader)
    for url in reads:
        assert leader.get(url).status_code == 200, url
    body = {"competency_id": u.a.pk, "action": "lock", "reason": "r", "student_ids": [s[0].pk]}
    status, error = post(leader, f"{API}/sections/{w.section.pk}/overrides", body)
    assert status == 403
    assert "teacher of this class" in error["detail"]  # type: ignore[index]
    assert post(client_for(w.colleague), f"{API}/sections/{w.section.pk}/overrides", body)[0] == 404
    assert Client().get(reads[0]).status_code == 401
    assert not PathOverride.objects.exists()

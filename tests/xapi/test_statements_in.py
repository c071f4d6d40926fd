"""xAPI in: /xapi/statements for the tools a district registered, by the spec's rules, and statements about
mapped activities moving the student's mastery through the evidence door (never a teacher's)."""

from __future__ import annotations

import base64
import io
import json
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from cairn.learning.models import Progress
from cairn.learning.services import overrides
from cairn.xapi import tools
from cairn.xapi.models import Statement, Tool
from tests.conftest import World, api_client_for, client_for
from tests.learning.conftest import Unit

ACTIVITY = "https://quest.example.org/activities/fractions-1"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


class ToolClient:
    """A registered tool talking xAPI to Cairn."""

    def __init__(self, tool: Tool, secret: str) -> None:
        self.tool, self.client = tool, Client()
        token = base64.b64encode(f"{tool.key}:{secret}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}

    def post(self, body: Any) -> Any:
        return self.client.post(
            "/xapi/statements", json.dumps(body), "application/json", headers=self.headers
        )

    def put(self, statement_id: str, body: Any) -> Any:
        return self.client.put(
            f"/xapi/statements?statementId={statement_id}", json.dumps(body), "application/json",
            headers=self.headers,
        )  # fmt: skip

    def get(self, **params: str) -> Any:
        return self.client.get("/xapi/statements", params, headers=self.headers)


@pytest.fixture
def quest(world: World, unit: Unit) -> ToolClient:
    tool, secret = tools.register_tool(district=world.district, name="Fraction Quest", weight=0.8)
    tools.map_activity(district=world.district, activity_id=ACTIVITY, competency=unit.a)
    return ToolClient(tool, secret)


def statement(
    username: str, *, success: bool = True, activity: str = ACTIVITY, **extra: Any
) -> dict[str, Any]:
    return {
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://quest.example.org", "name": username},
        },
        "verb": {"id": ANSWERED, "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": activity},
        "result": {"success": success},
        "timestamp": "2026-01-05T10:00:00Z",
        **extra,
    }


def test_tools_need_their_credentials_and_the_version_header(quest: ToolClient) -> None:
    anonymous = Client().post("/xapi/statements", "{}", "application/json")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Basic")
    wrong = ToolClient(quest.tool, "not-the-secret").post(statement("x"))
    assert wrong.status_code == 401
    unversioned = quest.client.get(
        "/xapi/statements", headers={"Authorization": quest.headers["Authorization"]}
    )
    assert unversioned.status_code == 400 and "X-Experience-API-Version" in unversioned.json()["error"]
    assert unversioned["X-Experience-API-Version"] == "1.0.3"
    assert Client().get("/xapi/about").json() == {"version": ["1.0.3"]}
    assert quest.get().status_code == 200 and quest.get().status_code == 200  # the second from the cache
    Tool.objects.filter(pk=quest.tool.pk).update(active=False)
    assert quest.get().status_code == 401  # a tool switched off is refused at once


def test_statements_are_stored_by_the_spec(world: World, quest: ToolClient) -> None:
    sent = quest.post(statement("someone-else", authority={"mbox": "mailto:me@quest.example.org"}))
    assert sent.status_code == 200, sent.content
    (first,) = sent.json()
    stored = quest.get(statementId=first).json()
    assert (
        stored["stored"] and stored["authority"]["account"]["name"] == quest.tool.key
    )  # Cairn's, not theirs

    fixed = str(uuid.uuid4())
    assert quest.put(fixed, statement("someone-else")).status_code == 204
    assert quest.put(fixed, statement("someone-else")).status_code == 204  # the same again: fine
    clash = quest.put(fixed, statement("someone-else", success=False))
    assert clash.status_code == 409 and clash["X-Experience-API-Version"] == "1.0.3"

    bad_batch = quest.post([statement("a"), {"actor": {"name": "no identifier"}, "verb": {"id": ANSWERED}}])
    assert bad_batch.status_code == 400 and "1" in bad_batch.json()["field"]
    assert Statement.objects.count() == 2  # nothing of the refused batch

    void = {
        **statement("someone-else"),
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": fixed},
    }
    del void["result"]
    assert quest.post(void).status_code == 200
    assert quest.get(statementId=fixed).status_code == 404
    assert quest.get(voidedStatementId=fixed).json()["id"] == fixed


def test_filters_and_more_pages(world: World, quest: ToolClient) -> None:
    ids = quest.post([statement(f"learner-{n}") for n in range(5)]).json()
    quest.post(statement("learner-0", verb={"id": "http://adlnet.gov/expapi/verbs/completed"}))
    agent = json.dumps({"account": {"homePage": "https://quest.example.org", "name": "learner-0"}})
    assert len(quest.get(agent=agent).json()["statements"]) == 2
    assert len(quest.get(agent=agent, verb=ANSWERED).json()["statements"]) == 1
    first = quest.get(verb=ANSWERED, limit="2").json()
    seen = [s["id"] for s in first["statements"]]
    more = first["more"]
    while more:
        page = quest.client.get(more, headers=quest.headers).json()
        seen += [s["id"] for s in page["statements"]]
        more = page["more"]
    assert sorted(seen) == sorted(ids)  # every one once, across three pages
    assert quest.get(colour="blue").status_code == 400


def test_a_mapped_activity_moves_the_students_mastery_labelled_by_source(
    world: World, unit: Unit, quest: ToolClient
) -> None:
    before = Progress.objects.filter(student=world.student, competency=unit.a).first()
    assert before is None
    for _ in range(3):
        assert quest.post(statement(world.student.username)).status_code == 200
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.mastery > 0.3 and progress.attempts == 0  # evidence, not practice
    rows = Statement.objects.filter(student=world.student)
    assert rows.count() == 3 and {r.competency_id for r in rows} == {unit.a.pk}
    assert progress.evidence_from == ["Fraction Quest"]
    path = api_client_for(world.teacher).get(f"/api/v1/learning/students/{world.student.pk}/path").json()
    row = next(r for r in path["competencies"] if r["competency_id"] == unit.a.pk)
    assert row["evidence_from"] == ["Fraction Quest"] and row["mastery"] == pytest.approx(progress.mastery)
    assert "Counts your work in Fraction Quest" in client_for(world.student).get("/learn/").content.decode()
    # Not our student, or not a mapped activity: stored, no evidence.
    quest.post(statement(world.stranger.username))
    quest.post(statement(world.classmate.username, activity="https://quest.example.org/activities/other"))
    assert not Progress.objects.filter(student__in=[world.stranger, world.classmate]).exists()


def test_statements_never_change_a_mastery_a_teacher_set(world: World, unit: Unit, quest: ToolClient) -> None:
    overrides.override(world.teacher, [world.student], unit.a, "mastered", "Showed me in class")
    set_by_teacher = Progress.objects.get(student=world.student, competency=unit.a)
    for _ in range(3):
        quest.post(statement(world.student.username, success=False))
    kept = Progress.objects.get(pk=set_by_teacher.pk)
    assert kept.status == Progress.Status.MASTERED and kept.mastered_by == "teacher"
    assert kept.mastery == set_by_teacher.mastery


def test_a_tool_registered_on_the_command_line_sends_evidence(world: World, unit: Unit) -> None:
    out = io.StringIO()
    mapping = f"{ACTIVITY}={unit.a.code}"
    call_command(
        "xapi_tool", "--district", world.district.slug, "--name", "Quiz Club", "--map", mapping, stdout=out
    )
    printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    client = ToolClient(Tool.objects.get(key=printed["key"]), printed["secret"])
    assert client.post(statement(world.student.username)).status_code == 200
    assert Progress.objects.get(student=world.student, competency=unit.a).evidence_from == ["Quiz Club"]

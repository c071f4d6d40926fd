"""The learning API and pages: the whole loop over HTTP, who may see whose path, and bad input."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from cairn.learning.models import ActivityChoice, Attempt, ServedItem
from tests.conftest import STUDENT_RULES, World, access_cases, client_for
from tests.learning.conftest import Unit

API = "/api/v1/learning"


def test_the_loop_over_the_api(world: World, unit: Unit) -> None:
    client = client_for(world.student)
    path = client.get(f"{API}/path").json()
    by_code = {row["code"]: row for row in path["competencies"]}
    assert by_code["4.NF.B.3"]["status"] == "locked"
    assert by_code["4.NF.B.3"]["reasons"]
    question = client.post(f"{API}/practice/{unit.a.pk}").json()
    assert question["stem"] == "What is half of 8?"
    assert question["kind"] == "numeric"
    attempt = str(uuid.uuid4())
    url = f"{API}/questions/{question['token']}/answer"
    first = client.post(url, {"attempt_id": attempt, "answer": "4"}, content_type="application/json")
    assert first.status_code == 200
    assert first.json()["correct"] is True
    again = client.post(url, {"attempt_id": attempt, "answer": "4"}, content_type="application/json")
    assert again.json() == first.json()  # a double submit counts once
    assert Attempt.objects.filter(student=world.student).count() == 1
    # The response carries what's next: here the next question on the same competency.
    following = first.json()["next_question"]
    assert following["competency"] == "4.NF.A.1"
    assert following["token"] != question["token"]
    wrong = client.post(
        f"{API}/questions/{following['token']}/answer",
        {"attempt_id": str(uuid.uuid4()), "answer": "7"},
        content_type="application/json",
    ).json()
    assert wrong["retry"]
    assert wrong["next_question"]["token"] == following["token"]  # a second try

    board = client.get(f"{API}/board").json()
    assert 2 <= len(board) <= 4
    assert all(option["why"] for option in board)
    picked = client.post(
        f"{API}/board/choose", {"option_id": board[0]["option_id"]}, content_type="application/json"
    )
    assert picked.status_code == 200
    assert ActivityChoice.objects.filter(student=world.student).count() == 1
    bad_pick = client.post(
        f"{API}/board/choose", {"option_id": "content:999999"}, content_type="application/json"
    )
    assert bad_pick.status_code == 400


def test_an_answer_to_someone_elses_question_is_refused_and_records_nothing(world: World, unit: Unit) -> None:
    mine = client_for(world.student).post(f"{API}/practice/{unit.a.pk}").json()
    other = client_for(world.classmate).post(
        f"{API}/questions/{mine['token']}/answer",
        {"attempt_id": str(uuid.uuid4()), "answer": "4"},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert "not given to you" in other.json()["detail"]  # not yours: not found
    assert not Attempt.objects.exists()
    assert not ServedItem.objects.get(token=mine["token"]).closed


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"attempt_id": "not-a-uuid", "answer": "4"}, "attempt_id"),
        ({"attempt_id": str(uuid.uuid4()), "answer": ""}, "answer first"),
        ({"attempt_id": str(uuid.uuid4()), "answer": "x" * 300}, "too long"),
        ({"attempt_id": str(uuid.uuid4()), "answer": "four-ish"}, "doesn't read as a number"),
    ],
)
def test_answers_in_the_wrong_shape_get_a_clear_message(
    world: World, unit: Unit, body: dict[str, str], message: str
) -> None:
    client = client_for(world.student)
    question = client.post(f"{API}/practice/{unit.a.pk}").json()
    response = client.post(
        f"{API}/questions/{question['token']}/answer", body, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert message in str(response.json())
    assert not Attempt.objects.exists()


def test_locked_competencies_are_not_served(world: World, unit: Unit) -> None:
    client = client_for(world.student)
    assert client.post(f"{API}/practice/{unit.c.pk}").status_code == 403
    page = client.get(f"/learn/practice/{unit.c.pk}/")
    assert page.status_code == 403
    assert b"4.NF.B.3" in page.content


@pytest.mark.parametrize(("viewer", "target", "allowed"), access_cases(STUDENT_RULES))
def test_a_students_path_follows_the_access_rules(
    world: World, unit: Unit, viewer: str, target: str, allowed: bool
) -> None:
    student = getattr(world, target)
    response = client_for(getattr(world, viewer)).get(f"{API}/students/{student.pk}/path")
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response.json()["student_id"] == student.pk


@pytest.mark.parametrize("who", ["teacher", "guardian", "leader", "district_admin"])
def test_only_students_practise(world: World, unit: Unit, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(f"{API}/path").status_code == 403
    assert client.post(f"{API}/practice/{unit.a.pk}").status_code == 403
    assert client.get("/learn/").status_code == 403


def test_anonymous_people_are_sent_to_log_in(unit: Unit) -> None:
    client = Client()
    assert client.get(f"{API}/path").status_code == 401
    response = client.get("/learn/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_board_and_activities_offer_only_what_may_reach_the_student(world: World, unit: Unit) -> None:
    from cairn.curriculum.models import Content, Scope, SectionContent, Status

    theirs = Content.objects.create(
        identifier="colleague-only", title="Colleague's class video", kind="video", url="https://example.org/c",
        status=Status.APPROVED, scope=Scope.SECTIONS, owner=world.colleague, estimated_minutes=5,
    )  # fmt: skip
    theirs.competencies.add(unit.a)
    client = client_for(world.student)
    titles = {o["title"] for o in client.get(f"{API}/board?").json()}
    assert "Fractions on a number line" in titles
    assert "Colleague's class video" not in titles
    assert client.get(f"/learn/activity/{theirs.pk}/").status_code == 404
    # The teacher hides the library video for this class: it leaves the board and its page.
    SectionContent.objects.create(
        section=world.section, content=unit.video, action=SectionContent.Action.HIDE, set_by=world.teacher
    )
    titles = {o["title"] for o in client.get(f"{API}/board").json()}
    assert "Fractions on a number line" not in titles
    assert client.get(f"/learn/activity/{unit.video.pk}/").status_code == 404
    # A student of another class still gets it.
    assert client_for(world.schoolmate).get(f"/learn/activity/{unit.video.pk}/").status_code == 200

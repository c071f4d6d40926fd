"""Issue 18, items 1-3: students read "I can" statements and growth words, never codes or percentages;
staff read codes and percentages; the diagnostic result, the path and the family page agree."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from cairn.curriculum.models import Competency
from cairn.learning.models import Progress
from cairn.learning.services.mastery import mark_mastered
from tests.conftest import World, client_for
from tests.learning.conftest import Unit

CODE = re.compile(r"\b\d\.[A-Z]{2,3}\.[A-Z]\.\d")  # a standards code such as 4.NF.A.1 or 6.RP.A.1
# "1 competencies"-style plurals (a count of one before a plural word), and British "practise".
ONE_PLURALS = re.compile(
    r"(?<![\d.])1 (competencies|minutes|answers|questions|weeks|days|hints|tries|activities)\b"
)
PRACTISE = re.compile(r"practis", re.IGNORECASE)
I_CAN = {
    "4.NF.A.1": "I can explain why 1/2 and 2/4 are equal.",
    "4.NF.B.3": "I can see 3/4 as 1/4 + 1/4 + 1/4.",
    "5.NF.A.1": "I can add fractions with different denominators.",
    "4.MD.A.1": "I can change big units into small units.",
}


@pytest.fixture
def named(unit: Unit) -> Unit:
    for code, words in I_CAN.items():
        Competency.objects.filter(code=code).update(student_statement=words)
    for c in (unit.a, unit.b, unit.c, unit.d):
        c.refresh_from_db()
    return unit


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


def test_the_students_pages_name_competencies_by_i_can_statements_never_by_code(
    world: World, named: Unit
) -> None:
    client = client_for(world.student)
    path = _html(client.get("/learn/"))
    assert I_CAN["4.NF.A.1"] in path
    assert "Opens when you can explain why 1/2 and 2/4 are equal." in path  # the lock's reason, in words
    practice = _html(client.get(f"/learn/practice/{named.a.pk}/"))
    assert "<h1>I can explain why 1/2 and 2/4 are equal.</h1>" in practice
    home = _html(client.get("/student/"))
    goals = _html(client.get("/learn/goals/"))
    reflect = _html(client.get("/learn/reflect/"))
    activity = _html(client.get(f"/learn/activity/{named.video.pk}/"))
    family = _html(client_for(world.guardian).get(f"/students/{world.student.pk}/"))
    children = _html(client_for(world.guardian).get("/guardian/"))
    for page in (path, practice, home, goals, reflect, activity, family, children):
        assert not CODE.search(page), CODE.search(page)
        assert "🔒" not in page
        assert not ONE_PLURALS.search(page) and not PRACTISE.search(page)


def test_students_read_growth_words_and_staff_read_percentages(world: World, named: Unit) -> None:
    Progress.objects.create(student=world.student, competency=named.a, mastery=0.62, attempts=4)
    path = _html(client_for(world.student).get("/learn/"))
    assert "Getting there" in path
    assert "62%" not in path and "0.62" not in path
    teacher_view = _html(
        client_for(world.teacher).get(f"/teach/sections/{world.section.pk}/students/{world.student.pk}/")
    )
    assert "62%" in teacher_view


def test_an_answer_shows_which_way_it_moved_calmly(world: World, named: Unit) -> None:
    from cairn.learning.models import ServedItem
    from tests.conftest import right_answer

    client = client_for(world.student)
    client.get(f"/learn/practice/{named.a.pk}/")
    served = ServedItem.objects.filter(student=world.student, closed=False).latest("pk")
    page = _html(
        client.post(
            "/learn/answer/",
            {"token": served.token, "attempt_id": uuid.uuid4(), "answer": right_answer(served)},
        )
    )
    assert "change-up" in page and "growing" in page
    assert "after a hint count a little less" in page
    assert not re.search(r"\d+%", page)


def test_the_family_page_agrees_with_the_path_in_the_familys_words(world: World, named: Unit) -> None:
    mastered = Progress.objects.create(student=world.student, competency=named.a, attempts=6)
    mark_mastered(mastered, timezone.now(), by="check")
    mastered.save()
    Progress.objects.create(student=world.student, competency=named.b, mastery=0.55, attempts=3)
    placed = Progress(student=world.student, competency=named.d, mastery=0.9)
    mark_mastered(placed, timezone.now(), by="diagnostic")
    placed.save()
    family = _html(client_for(world.guardian).get(f"/students/{world.student.pk}/"))
    assert "from the diagnostic" in family and "your diagnostic" not in family  # the family reads it
    assert I_CAN["4.NF.A.1"] in family and "by practice and a check" in family
    assert I_CAN["4.NF.B.3"] in family and "Getting there" in family
    assert not CODE.search(family) and "55%" not in family
    path = _html(client_for(world.student).get("/learn/"))
    assert "2 got it" in path and "1 working on it" in path
    staff = _html(client_for(world.teacher).get(f"/students/{world.student.pk}/"))
    assert "4.NF.A.1" in staff and "practice and a mastery check" in staff and "55%" in staff


def test_a_release_rule_reads_to_the_student_in_the_words_teachers_chose_it_by(
    world: World, named: Unit
) -> None:

    from cairn.learning.selectors.path import student_path
    from cairn.learning.services import release_rules

    release_rules.add_rule(
        world.teacher, world.section, named.d, release_rules.build_rule("diagnostic_above", "-0.5")
    )
    release_rules.add_rule(
        world.teacher, world.section, named.d, release_rules.build_rule("from_date", "2099-01-04")
    )
    row = student_path(world.student).by_code()["4.MD.A.1"]
    said = ("Opens when your diagnostic places you at “on grade” or higher", "Opens on 4 January 2099")
    assert row.student_reasons == said
    path = _html(client_for(world.student).get("/learn/"))
    assert "at “on grade” or higher" in path and "4 January 2099" in path
    assert "above level" not in path and "2099-01-04" not in path


def test_the_api_path_names_competencies_for_its_reader_and_keeps_the_coded_fields(
    world: World, named: Unit
) -> None:
    from tests.conftest import api_client_for

    mine = api_client_for(world.student).get("/api/v1/learning/path").json()
    locked = next(row for row in mine["competencies"] if row["code"] == "4.NF.B.3")
    assert locked["reasons"] == ["Needs 4.NF.A.1 first"]  # unchanged for existing clients
    assert locked["student_reasons"] == ["Opens when you can explain why 1/2 and 2/4 are equal."]
    assert locked["name"] == locked["student_statement"] == I_CAN["4.NF.B.3"]
    staff = api_client_for(world.teacher).get(f"/api/v1/learning/students/{world.student.pk}/path").json()
    assert next(row for row in staff["competencies"] if row["code"] == "4.NF.B.3")["name"] == "4.NF.B.3"
    schema = client_for(world.teacher).get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["PathRowOut"]["properties"]
    assert {"name", "student_reasons", "student_statement", "mastered_by", "reasons"} <= fields.keys()
    assert "I can" in fields["name"]["description"]

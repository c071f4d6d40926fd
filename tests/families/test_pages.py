"""The family page is the family's: their child's week in plain words, for the child's guardians only; the
teacher's note reaches it; the guardian chooses how often the email comes."""

from __future__ import annotations

import datetime as dt

import pytest

from cairn.core.models import AuditEvent
from cairn.families.models import DigestPreference, TeacherNote
from tests.conftest import World, client_for
from tests.families.conftest import FAMILY_TEXT

pytestmark = pytest.mark.django_db


def test_the_family_page_tells_the_childs_week_in_plain_words(world: World, week: dt.date) -> None:
    response = client_for(world.guardian).get(f"/families/children/{world.student.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "I can measure with a ruler" in page  # mastered this week
    assert "I can add fractions with the same denominator" in page  # working on now
    assert "Great focus on fractions!" in page
    assert FAMILY_TEXT in page
    assert "4.MD.A.1" not in page and "4.NF" not in page  # never a code
    assert world.classmate.display_name not in page
    assert AuditEvent.objects.filter(student_id=world.student.pk, actor_id=world.guardian.pk).exists()


@pytest.mark.parametrize("who", ["teacher", "classmate", "leader", "student"])
def test_only_the_childs_guardians_see_the_family_page(world: World, week: dt.date, who: str) -> None:
    response = client_for(getattr(world, who)).get(f"/families/children/{world.student.pk}/")
    assert response.status_code in {403, 404}


def test_a_guardian_sees_no_other_child(world: World) -> None:
    response = client_for(world.guardian).get(f"/families/children/{world.classmate.pk}/")
    assert response.status_code == 404


def test_the_childs_teacher_writes_to_the_family_and_no_one_else_can(world: World, week: dt.date) -> None:
    url = f"/families/students/{world.student.pk}/notes/new"
    teacher = client_for(world.teacher)
    assert teacher.get(url).status_code == 200
    assert teacher.post(url, {"body": "  "}).status_code == 400
    response = teacher.post(url, {"body": "Ana helped a classmate today."})
    assert response.status_code == 302
    assert TeacherNote.objects.filter(student=world.student, body="Ana helped a classmate today.").exists()
    colleague = client_for(world.colleague)  # teaches another class
    assert colleague.get(url).status_code == 404
    colleague.post(url, {"body": "Not my student."})  # refused: flashed, back to the form
    assert not TeacherNote.objects.filter(body="Not my student.").exists()
    assert client_for(world.guardian).get(url).status_code == 404
    page = client_for(world.guardian).get(f"/families/children/{world.student.pk}/").content.decode()
    assert "Ana helped a classmate today." in page


def test_the_guardian_chooses_how_often_the_email_comes(world: World) -> None:
    guardian = client_for(world.guardian)
    assert guardian.get("/families/preferences/").status_code == 200
    assert guardian.post("/families/preferences/", {"frequency": "fortnightly"}).status_code == 302
    assert DigestPreference.objects.get(guardian=world.guardian).frequency == "fortnightly"
    assert guardian.post("/families/preferences/", {"frequency": "hourly"}).status_code == 400
    assert client_for(world.teacher).get("/families/preferences/").status_code == 403

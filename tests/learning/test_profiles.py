"""Learner profiles: who sees and edits which part (accommodations only for staff who look after the student),
and what the board and the student's pages take from them (language, a support of the plan, fewer choices,
larger text, the read-aloud button)."""

from __future__ import annotations

import pytest

from cairn.core.models import AuditAction, AuditEvent
from cairn.curriculum.models import Content, Status
from cairn.learning.models import LearnerProfile
from cairn.learning.profiles import time_allowed
from cairn.learning.selectors.board import build_board
from tests.conftest import World, client_for
from tests.learning.conftest import Unit

PLAN = {
    "interests": "horses",
    "strengths": "drawing",
    "preferred_kinds": ["video"],
    "language": "es",
    "reading_level": "3.5",
    "accommodations": ["read_aloud", "larger_text"],
    "accommodations_source": "IEP",
}


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        ("teacher", True),  # teaches the student now
        ("leader", True),  # leads the student's school (the case manager's place)
        ("colleague", False),  # another teacher of the school
        ("district_admin", False),
        ("guardian", False),
        ("student", False),  # their own part is on their own page
    ],
)
def test_only_staff_who_look_after_the_student_see_and_edit_the_whole_profile(
    world: World, viewer: str, allowed: bool
) -> None:
    url = f"/learn/students/{world.student.pk}/profile/"
    client = client_for(getattr(world, viewer))
    page = client.get(url)
    assert page.status_code == (200 if allowed else 404)
    saved = client.post(url, PLAN)
    assert saved.status_code == (302 if allowed else 404)
    profile = LearnerProfile.objects.filter(student=world.student).first()
    if not allowed:
        assert profile is None
        return
    assert "Accommodations" in page.content.decode()
    assert profile is not None and profile.accommodations == ["larger_text", "read_aloud"]
    assert profile.updated_by == getattr(world, viewer)
    actions = set(AuditEvent.objects.filter(student_id=world.student.pk).values_list("action", flat=True))
    assert {AuditAction.VIEWED_STUDENT, AuditAction.RECORD_CHANGED} <= actions


def test_the_student_edits_their_own_part_and_never_reads_their_accommodations(
    world: World, unit: Unit
) -> None:
    LearnerProfile.objects.create(
        student=world.student, accommodations=["read_aloud", "extended_time"], accommodations_source="504"
    )
    client = client_for(world.student)
    page = client.get("/learn/me/profile/").content.decode()
    assert "How I like to learn" in page and "ccommodation" not in page and "504" not in page
    answer = client.post(
        "/learn/me/profile/",
        {"interests": "space", "strengths": "", "preferred_kinds": ["video", "project"], "language": "es"},
    )
    assert answer.status_code == 302
    profile = LearnerProfile.objects.get(student=world.student)
    assert (profile.interests, profile.preferred_kinds) == ("space", ["project", "video"])
    assert profile.accommodations == ["read_aloud", "extended_time"]  # untouched by the student's form
    assert time_allowed(world.student, 60) == 90  # a timer, if Cairn grows one, gives time and a half
    world.student.refresh_from_db()
    assert world.student.language == "es"  # Cairn now speaks their language
    for other in ("/learn/", "/student/"):  # the student's other pages use the plan without naming it
        text = client.get(other).content.decode()
        assert "xtended time" not in text and "504" not in text
    guardian_page = client_for(world.guardian).get("/guardian/").content.decode()
    assert "xtended time" not in guardian_page


def test_the_board_fits_the_profile_and_says_so(world: World, unit: Unit) -> None:
    spanish = Content.objects.create(
        identifier="lectura-1",
        title="Fracciones en la recta",
        kind="reading",
        url="https://example.org/es",
        status=Status.APPROVED,
        estimated_minutes=5,
        language="es",
    )
    spanish.competencies.add(unit.a)
    LearnerProfile.objects.create(student=world.student, language="es")
    whys = {o.option_id: o.why for o in build_board(world.student)}
    assert whys[f"content:{spanish.pk}"] == "In Spanish, your language."

    LearnerProfile.objects.filter(student=world.student).update(
        language="",
        accommodations=["read_aloud", "fewer_choices", "larger_text"],
        accommodations_source="IEP",
    )
    board = build_board(world.student)
    assert len(board) == 2  # fewer choices at once
    assert "Read aloud, as in your plan." in {o.why for o in board}
    client = client_for(world.student)
    assert 'class="larger-text"' in client.get("/learn/").content.decode()
    practice = client.get(f"/learn/practice/{unit.a.pk}/").content.decode()
    assert "data-read-aloud=" in practice and "read_aloud.js" in practice


def test_no_plan_no_read_aloud_button_and_normal_text(world: World, unit: Unit) -> None:
    client = client_for(world.student)
    assert "data-read-aloud=" not in client.get(f"/learn/practice/{unit.a.pk}/").content.decode()
    assert "larger-text" not in client.get("/learn/").content.decode()

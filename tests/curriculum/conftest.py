"""A small library on top of the `world`: three standards in a chain plus one apart, and content in every
state, owned by different people, so each access rule can be tested both ways."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cairn.accounts.models import User
from cairn.curriculum.models import Competency, Content, Framework, Prerequisite, Scope, Status
from cairn.curriculum.services.content import (
    ContentInput,
    create_content,
    submit_for_review,
    upsert_library_content,
    use_in_my_sections,
)
from tests.conftest import World

READING = (
    "<p>A fraction names a part of a whole. When we cut a pizza into four equal slices, each slice is one "
    "fourth of the pizza. Two slices are two fourths, which is the same amount as one half. Fraction strips "
    "help us see this: lay the strips side by side and compare their lengths.</p>"
)
# Every vetting question answered "meets": a review that can approve.
GOOD_ANSWERS = {
    key: {"rating": "meets", "note": ""}
    for key in (
        "alignment",
        "accuracy",
        "engagement",
        "special_needs",
        "reading_level",
        "translation",
        "video",
        "adaptivity",
        "network",
        "grading_sync",
        "teacher_control",
        "maintainer",
        "licence",
        "cost",
    )
}


@dataclass
class Library:
    a: Competency  # 4.NF.A.1
    b: Competency  # 4.NF.B.3, needs a
    c: Competency  # 5.NF.A.1, needs b
    d: Competency  # 4.MD.A.1, on its own
    reading: Content  # approved library reading, grade 4, read-aloud, English, aligned to a
    video: Content  # approved library video, grade 5, captions, Spanish, aligned to c
    in_review: Content  # the colleague's, shared with the library and waiting for review, aligned to b
    draft: Content  # the teacher's own draft (their sections only)
    own_approved: Content  # the teacher's own, approved for their sections only, aligned to a
    colleague_own: Content  # the colleague's, approved for their sections only, aligned to a
    retired: Content


def _content(identifier: str, aligned: list[Competency], status: str, **fields: object) -> Content:
    content, _ = upsert_library_content(identifier, competencies=aligned, status=status, **fields)
    return content


def _own(author: User, title: str, aligned: list[Competency], body: str = READING) -> Content:
    return create_content(
        author,
        ContentInput(
            title=title, kind="offline", body=body, competency_ids=[c.pk for c in aligned], grade_low=4
        ),
    )


@pytest.fixture
def library(world: World) -> Library:
    return make_library(world)


def make_library(world: World) -> Library:
    """The library described above (a plain function, so other test packages can build it too)."""
    fw = Framework.objects.create(identifier="fw-lib", title="Test standards")

    def comp(code: str, grade: int, order: int) -> Competency:
        return Competency.objects.create(
            framework=fw,
            identifier=f"id-{code}",
            code=code,
            statement=f"Statement of {code}",
            item_type="Standard",
            grade_low=grade,
            grade_high=grade,
            list_order=order,
        )

    a, b, c, d = (
        comp("4.NF.A.1", 4, 1),
        comp("4.NF.B.3", 4, 2),
        comp("5.NF.A.1", 5, 3),
        comp("4.MD.A.1", 4, 4),
    )
    Prerequisite.objects.create(prerequisite=a, competency=b)
    Prerequisite.objects.create(prerequisite=b, competency=c)
    reading = _content(
        "t:reading",
        [a],
        Status.APPROVED,
        title="Fraction strips reading",
        kind="reading",
        body=READING,
        grade_low=4,
        grade_high=4,
        read_aloud=True,
        language="en",
    )
    video = _content(
        "t:video",
        [c],
        Status.APPROVED,
        title="Video en español",
        kind="video",
        url="https://example.org/video",
        grade_low=5,
        grade_high=5,
        captions=True,
        language="es",
    )
    in_review = _own(world.colleague, "Colleague warm-up", [b])
    submit_for_review(world.colleague, in_review)
    draft = _own(world.teacher, "Teacher draft", [a])
    own_approved = use_in_my_sections(world.teacher, _own(world.teacher, "Teacher own activity", [a]))
    colleague_own = use_in_my_sections(world.colleague, _own(world.colleague, "Colleague own activity", [a]))
    retired = _content(
        "t:retired", [a], Status.RETIRED, title="Old worksheet", kind="practice", body="<p>x</p>"
    )
    for content in (in_review, draft, own_approved, colleague_own):
        content.refresh_from_db()
    assert draft.scope == Scope.SECTIONS
    assert in_review.scope == Scope.LIBRARY
    return Library(a, b, c, d, reading, video, in_review, draft, own_approved, colleague_own, retired)

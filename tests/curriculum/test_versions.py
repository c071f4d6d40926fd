"""Editing with versions: a draft changes in place; approved content or a question gets a new version that
waits for review while students keep the live one; approval switches it; attempts record the version
answered; the history shows what changed and who approved it; nobody else edits."""

from __future__ import annotations

import uuid

import pytest

from cairn.core.errors import Forbidden
from cairn.curriculum import access
from cairn.curriculum.models import Content, ContentVersion, Item, ItemVersion, Status, VersionStatus
from cairn.curriculum.services import versions
from cairn.curriculum.services.content import ContentInput
from cairn.curriculum.services.review import review_content
from cairn.learning.models import Attempt
from cairn.learning.services import practice, questions
from tests.conftest import World, client_for
from tests.curriculum.conftest import GOOD_ANSWERS, Library
from tests.learning.conftest import Unit, unit  # noqa: F401  (the learning tests' unit, with a student's path)

pytestmark = pytest.mark.django_db


def _content_post(content: Content, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "title": content.title,
        "kind": content.kind,
        "url": content.url,
        "body": content.body,
        "competencies": [c.pk for c in content.competencies.all()],
        "grade_low": "" if content.grade_low is None else str(content.grade_low),
        "grade_high": "" if content.grade_high is None else str(content.grade_high),
        "language": content.language,
        "licence": content.licence,
        "cost": content.cost,
        "source": content.source,
    }
    return {**data, **changes}


def _approved_in_district(world: World, library: Library) -> Content:
    """The colleague's library content, owned by the world's district and approved by its admin."""
    content = library.in_review
    Content.objects.filter(pk=content.pk).update(district=world.district)
    content.refresh_from_db()
    review_content(world.district_admin, content, "approve", GOOD_ANSWERS)
    content.refresh_from_db()
    assert content.status == Status.APPROVED
    return content


def test_the_author_edits_a_draft_in_place(world: World, library: Library) -> None:
    draft = library.draft
    client = client_for(world.teacher)
    assert client.get(f"/curriculum/content/{draft.pk}/edit/").status_code == 200
    response = client.post(
        f"/curriculum/content/{draft.pk}/edit/",
        _content_post(draft, title="Better title", body="<p>Hi<script>x</script></p>"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.version) == ("Better title", "<p>Hi</p>", 1)  # cleaned, no version
    assert not ContentVersion.objects.filter(content=draft).exists()
    refused = client.post(f"/curriculum/content/{draft.pk}/edit/", _content_post(draft, url="", body=""))
    assert refused.status_code == 400  # the same checks as a new one: a link or the activity's text
    assert "Give a link or write the activity." in refused.content.decode()


def test_an_approved_edit_waits_for_review_then_goes_live_and_the_history_shows_it(
    world: World, library: Library
) -> None:
    content = _approved_in_district(world, library)
    old_title = content.title
    version = versions.edit_content(
        world.colleague,
        content,
        ContentInput(
            title="Colleague warm-up, clearer",
            kind=content.kind,
            body=content.body,
            competency_ids=[library.b.pk],
        ),
        summary="A clearer title.",
    )
    assert version is not None and (version.number, version.status) == (2, VersionStatus.IN_REVIEW)
    content.refresh_from_db()
    assert (content.title, content.version) == (old_title, 1)  # the live row is untouched
    assert access.content_for_student(world.student).filter(pk=content.pk, title=old_title).exists()

    admin = client_for(world.district_admin)
    queue = admin.get("/curriculum/review/").content.decode()
    assert f"/curriculum/review/versions/content/{version.pk}/" in queue
    form = {"decision": "approve", "comment": "Fine."}
    for key, answer in GOOD_ANSWERS.items():
        form[f"{key}_rating"], form[f"{key}_note"] = answer["rating"], ""
    assert admin.post(f"/curriculum/review/versions/content/{version.pk}/", form).status_code == 302
    content.refresh_from_db()
    assert (content.title, content.version) == ("Colleague warm-up, clearer", 2)
    assert (
        access.content_for_student(world.student)
        .filter(pk=content.pk, title="Colleague warm-up, clearer")
        .exists()
    )

    history = client_for(world.colleague).get(f"/curriculum/content/{content.pk}/history/").content.decode()
    assert "Colleague <del>warm-up</del><ins>warm-up, clearer</ins>" in history  # the words that changed
    assert f"Approved by {world.district_admin.display_name}" in history
    assert "A clearer title." in history
    assert list(ContentVersion.objects.filter(content=content).values_list("number", "status")) == [
        (2, "approved"),
        (1, "approved"),
    ]


def test_nobody_else_edits_or_decides(world: World, library: Library) -> None:
    content = _approved_in_district(world, library)
    teacher = client_for(world.teacher)  # sees the library content, but did not write it and reviews nothing
    assert teacher.get(f"/curriculum/content/{content.pk}/edit/").status_code == 403
    assert teacher.post(f"/curriculum/content/{content.pk}/edit/", _content_post(content)).status_code == 403
    assert client_for(world.colleague).get(f"/curriculum/content/{library.draft.pk}/edit/").status_code == 404
    version = versions.edit_content(
        world.colleague, content, ContentInput(title="New", kind=content.kind, body=content.body)
    )
    assert version is not None
    with pytest.raises(Forbidden):  # nobody decides on their own version
        versions.review_content_version(world.colleague, version, "approve", GOOD_ANSWERS)
    stranger_reviewer = client_for(world.teacher)
    assert stranger_reviewer.get(f"/curriculum/review/versions/content/{version.pk}/").status_code == 403


def test_attempts_record_the_version_answered(world: World, unit: Unit) -> None:  # noqa: F811
    item = unit.numeric
    Item.objects.filter(pk=item.pk).update(district=world.district, owner=world.teacher)
    item.refresh_from_db()

    def answer() -> Attempt:
        served = questions.serve(world.student, unit.a)
        practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "4")
        return Attempt.objects.filter(student=world.student).latest("pk")

    client = client_for(world.teacher)
    form = {"kind": "numeric", "title": "", "stem": "What is half of eight?", "answer": "4", "tolerance": "0"}
    form |= {"competencies": [unit.a.pk], "hints": "Split it.", "solution": "8 ÷ 2 = 4.", "summary": "Words."}
    assert client.post(f"/curriculum/items/{item.pk}/edit/", form).status_code == 302
    pending = ItemVersion.objects.get(item=item, status=VersionStatus.IN_REVIEW)
    first = answer()
    assert (first.item_version, Item.objects.get(pk=item.pk).stem) == (1, "What is half of 8?")

    versions.review_item_version(world.district_admin, pending, "approve", "Good.")
    item.refresh_from_db()
    assert (item.version, item.stem, item.hints) == (2, "What is half of eight?", ["Split it."])
    assert answer().item_version == 2
    history = client.get(f"/curriculum/items/{item.pk}/history/").content.decode()
    assert "<ins>eight?</ins>" in history and f"Approved by {world.district_admin.display_name}" in history

"""The diagnostic's pages: a student takes it (with and without htmx), resumes it, is refused what was not
served; results and section placements follow the access rules both ways."""

from __future__ import annotations

import re
import uuid

import pytest

from cairn.assessments.models import Administration, Response
from cairn.assessments.services import sittings
from tests.assessments.conftest import Ladder, right_answer, take
from tests.conftest import SECTION_RULES, World, access_cases, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def _token(html: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f-]{36})"', html)
    assert found, "no question on the page"
    return found.group(1)


def _open(sitting: Administration) -> Response:
    response = sitting.responses.filter(answered_at__isnull=True).select_related("item").get()
    return response


def test_student_home_links_to_a_due_diagnostic_until_it_is_taken(world: World, ladder: Ladder) -> None:
    client = client_for(world.student)
    page = client.get("/student/").content.decode()
    assert "Ladder placement" in page
    assert "Take the diagnostic" in page
    assert 'href="/diagnostic/"' in page
    sitting = sittings.start(world.student, ladder.diagnostic)
    assert "Continue the diagnostic" in client.get("/student/").content.decode()
    take(world.student, ladder.diagnostic, theta=0.0)
    sitting.refresh_from_db()
    assert sitting.status == Administration.Status.FINISHED
    page = client.get("/student/").content.decode()
    assert "Take the diagnostic" not in page
    assert "Continue the diagnostic" not in page
    assert "No diagnostic is due" in client.get("/diagnostic/").content.decode()


def test_student_takes_the_diagnostic_without_javascript(world: World, ladder: Ladder) -> None:
    client = client_for(world.student)
    assert "Start the diagnostic" in client.get("/diagnostic/").content.decode()
    started = client.post(f"/diagnostic/{ladder.diagnostic.pk}/start/")
    sitting = Administration.objects.get(student=world.student)
    assert started.status_code == 302
    assert started["Location"] == f"/diagnostic/sittings/{sitting.pk}/"
    page = client.get(started["Location"]).content.decode()
    assert "Question 1 · at most 12" in page
    token = _token(page)
    assert _token(client.get(started["Location"]).content.decode()) == token  # a reload: the same question
    for _ in range(ladder.diagnostic.max_items):
        open_item = _open(sitting)
        assert str(open_item.token) == token
        response = client.post(
            f"/diagnostic/sittings/{sitting.pk}/answer/", {"token": token, "answer": right_answer(open_item)}
        )
        assert response.status_code == 302
        sitting.refresh_from_db()
        if sitting.status == Administration.Status.FINISHED:
            break
        token = _token(client.get(response["Location"]).content.decode())
    assert sitting.status == Administration.Status.FINISHED
    assert client.get(f"/diagnostic/sittings/{sitting.pk}/").status_code == 302  # done: on to the result
    result = client.get(f"/diagnostic/sittings/{sitting.pk}/result/").content.decode()
    assert "Your diagnostic is done" in result
    assert "Go to my path" in result
    placement = sitting.placement
    assert len(placement["mastered"]) >= 3  # all right: most of the ladder is presumed mastered
    for key in placement["mastered"] + placement["ready"]:
        assert placement["codes"][str(key)] in result


def test_htmx_swaps_each_next_question_in_and_redirects_at_the_end(world: World, ladder: Ladder) -> None:
    client = client_for(world.student)
    sitting = sittings.start(world.student, ladder.diagnostic)
    page = client.get(f"/diagnostic/sittings/{sitting.pk}/").content.decode()
    token = _token(page)
    while True:
        response = client.post(
            f"/diagnostic/sittings/{sitting.pk}/answer/", {"token": token, "answer": "0"}, **HTMX
        )
        if response.status_code == 204:
            assert response["HX-Redirect"] == f"/diagnostic/sittings/{sitting.pk}/result/"
            break
        fragment = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in fragment
        assert "Question" in fragment
        token = _token(fragment)
    sitting.refresh_from_db()
    assert sitting.status == Administration.Status.FINISHED
    assert sitting.answered == 12


def test_an_unserved_or_repeated_answer_is_refused_on_the_page(world: World, ladder: Ladder) -> None:
    client = client_for(world.student)
    sitting = sittings.start(world.student, ladder.diagnostic)
    token = _token(client.get(f"/diagnostic/sittings/{sitting.pk}/").content.decode())
    url = f"/diagnostic/sittings/{sitting.pk}/answer/"
    refused = client.post(url, {"token": str(uuid.uuid4()), "answer": "4"})
    assert refused.status_code == 400
    assert "not given to you" in refused.content.decode()
    assert _token(refused.content.decode()) == token  # the page still shows the open question
    assert Response.objects.filter(administration=sitting, answered_at__isnull=False).count() == 0
    client.post(url, {"token": token, "answer": "0"})
    again = client.post(url, {"token": token, "answer": "0"}, **HTMX)  # a double click
    assert again.status_code == 200
    assert "already answered" in again.content.decode()
    assert Response.objects.filter(administration=sitting, answered_at__isnull=False).count() == 1
    bad = client.post(url, {"token": _token(again.content.decode()), "answer": "  "})
    assert bad.status_code == 400
    assert "answer first" in bad.content.decode()


def test_a_sitting_is_its_students_alone(world: World, ladder: Ladder) -> None:
    sitting = sittings.start(world.student, ladder.diagnostic)
    token = str(sittings.current_response(sitting).token)  # type: ignore[union-attr]
    classmate = client_for(world.classmate)
    assert classmate.get(f"/diagnostic/sittings/{sitting.pk}/").status_code == 404
    # Someone else's sitting reads as missing; like every refused form post, it goes back with the reason.
    take_url = f"/diagnostic/sittings/{sitting.pk}/"
    refused = classmate.post(f"{take_url}answer/", {"token": token, "answer": "1", "next": take_url})
    assert refused.status_code == 302
    assert refused["Location"] == take_url
    assert classmate.get(take_url).status_code == 404
    teacher = client_for(world.teacher)
    assert teacher.get(f"/diagnostic/sittings/{sitting.pk}/").status_code == 403  # students take diagnostics
    assert teacher.post(f"/diagnostic/{ladder.diagnostic.pk}/start/").status_code == 403
    assert teacher.get(f"/diagnostic/sittings/{sitting.pk}/result/").status_code == 404  # not finished
    own = client_for(world.student).get(f"/diagnostic/sittings/{sitting.pk}/result/")
    assert own.status_code == 302
    assert own["Location"] == f"/diagnostic/sittings/{sitting.pk}/"
    assert not Response.objects.filter(administration=sitting, answered_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        ("student", True),
        ("guardian", True),
        ("teacher", True),
        ("leader", True),
        ("district_admin", True),
        ("platform_admin", True),
        ("classmate", False),
        ("colleague", False),
        ("former_teacher", False),
        ("stranger", False),
    ],
)
def test_a_result_is_shown_to_who_may_see_the_student(
    world: World, ladder: Ladder, viewer: str, allowed: bool
) -> None:
    sitting = take(world.student, ladder.diagnostic, theta=1.3)
    response = client_for(getattr(world, viewer)).get(f"/diagnostic/sittings/{sitting.pk}/result/")
    assert response.status_code == (200 if allowed else 404)
    if allowed and viewer != "student":
        page = response.content.decode()
        assert world.student.display_name in page
        # The logit-scale estimate is for staff; a family reads the result as the student does.
        assert (f"{sitting.theta:.2f}" in page) == (viewer != "guardian")


@pytest.mark.parametrize(("viewer", "target", "allowed"), access_cases(SECTION_RULES))
def test_section_placements_follow_the_access_rules(
    world: World, ladder: Ladder, viewer: str, target: str, allowed: bool
) -> None:
    take(world.student, ladder.diagnostic, theta=1.3)
    section = getattr(world, target)
    client = client_for(getattr(world, viewer))
    page = client.get(f"/diagnostic/sections/{section.pk}/")
    assert page.status_code == (200 if allowed else 404)
    assert client.get(f"/api/v1/diagnostic/sections/{section.pk}/placements").status_code == (
        200 if allowed else 404
    )
    if allowed and target == "section":
        html = page.content.decode()
        assert world.student.display_name in html
        assert world.classmate.display_name in html
        assert world.schoolmate.display_name not in html
        assert world.former_student.display_name not in html
    listed = f"/diagnostic/sections/{section.pk}/" in client.get("/diagnostic/").content.decode()
    assert listed is allowed


def test_section_page_shows_placements_and_growth(world: World, ladder: Ladder) -> None:
    sitting = take(world.student, ladder.diagnostic, theta=1.3)
    html = (
        client_for(world.teacher).get(f"/diagnostic/sections/{world.section.pk}/?year=bad").content.decode()
    )
    assert f"{sitting.theta:.2f} ± {sitting.se:.2f}" in html
    ready = sitting.placement["codes"][str(sitting.placement["ready"][0])]
    assert ready in html
    assert "Not yet" in html  # the classmate has not taken it
    assert "Growth shows once students have been assessed in two windows" in html


def test_a_refused_start_goes_back_to_the_diagnostics_with_the_reason(world: World, ladder: Ladder) -> None:
    from cairn.curriculum.models import Item, Status

    client = client_for(world.student)
    home = client.get("/diagnostic/").content.decode()
    assert 'name="next" value="/diagnostic/"' in home  # the start form says where a refusal goes back to
    Item.objects.update(status=Status.DRAFT)
    refused = client.post(f"/diagnostic/{ladder.diagnostic.pk}/start/", {"next": "/diagnostic/"})
    assert refused.status_code == 302
    assert refused["Location"] == "/diagnostic/"
    assert "no competencies with approved questions" in client.get("/diagnostic/").content.decode()
    assert not Administration.objects.exists()

"""People of one district never see another district's students, sections, drafts or reviews.

For each app, every page and API endpoint that takes the id of something in the *other* district (a
student, a section, a school, a draft, a review, the district itself) is asked by each role of district
one (teacher, school leader, district admin, student, guardian): the answer is 403 or 404, and never
carries the other district's names. One test per app, each walking its roles and addresses, so the whole
check costs a few worlds, not hundreds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from cairn.accounts import services as people
from cairn.accounts.models import Role, User
from cairn.curriculum.models import Adoption, Content, Item, Review, Status
from cairn.curriculum.services.content import ContentInput, create_content, submit_for_review
from cairn.curriculum.services.items import create_item
from cairn.privacy.models import PrivacyRequest
from cairn.surveys.models import Survey, SurveyWindow
from tests.conftest import PASSWORD, World, client_for

ROLES = ("teacher", "leader", "district_admin", "student", "guardian")
API = "/api/v1"
# What must never show to district one: the far student's and teacher's names, the far section's name, and
# the titles and review words of the far district's drafts and reviews.
FAR_WORDS = (
    "Eli North",
    "eli_north",
    "Fran Farr",
    "Math M9A",
    "Far draft",
    "Far waiting",
    "Far lesson",
    "Far note",
    "Far survey",
    "Far window",
)


@dataclass
class Far:
    """The other district's things, by the ids the addresses take."""

    ids: dict[str, int]


@pytest.fixture
def far(world: World) -> Far:
    teacher = people.create_person(
        username="fran_farr",
        first_name="Fran",
        last_name="Farr",
        role=Role.TEACHER,
        school=world.far_school,
        password=PASSWORD,
    )
    people.enrol(teacher, world.far_section, "teacher", world.far_section.term_start, None)
    draft = create_content(teacher, ContentInput(title="Far draft", kind="offline", body="<p>a</p>"))
    waiting = create_content(teacher, ContentInput(title="Far waiting", kind="offline", body="<p>b</p>"))
    submit_for_review(teacher, waiting)
    reviewed = create_content(teacher, ContentInput(title="Far lesson", kind="offline", body="<p>c</p>"))
    Content.objects.filter(pk=reviewed.pk).update(status=Status.APPROVED)
    Review.objects.create(
        content=reviewed,
        reviewer=teacher,
        decision="approve",
        district=world.other_district,
        comment="Far note",
    )
    item = create_item(teacher, stem="<p>Far draft question</p>", spec={"kind": "numeric", "answer": 1})
    Item.objects.filter(pk=item.pk).update(title="Far draft")
    request = PrivacyRequest.objects.create(
        district=world.other_district,
        student=world.stranger,
        kind="export",
        requester="Far parent",
        asked_on=dt.date.today(),
    )
    survey = Survey.objects.create(district=world.other_district, title="Far survey", audience="student")
    window = SurveyWindow.objects.create(
        survey=survey, name="Far window", opens=dt.date.today(), closes=dt.date.today() + dt.timedelta(days=7)
    )
    return Far(
        ids={
            "student": world.stranger.pk,
            "far_teacher": teacher.pk,
            "section": world.far_section.pk,
            "school": world.far_school.pk,
            "district": world.other_district.pk,
            "own_section": world.section.pk,
            "draft": draft.pk,
            "waiting": waiting.pk,
            "reviewed": reviewed.pk,
            "item": item.pk,
            "request": request.pk,
            "survey": survey.pk,
            "window": window.pk,
        }
    )


# app -> addresses (GET unless they start with "POST "), each taking ids of the other district's things.
ADDRESSES = {
    "accounts": [
        "/students/{student}/",
        "/sections/{section}/",
        "/sections/{section}/passwords/",
        "/schools/{school}/",
        "/districts/{district}/rosters/",
        f"{API}/students/{{student}}",
        f"{API}/sections/{{section}}",
    ],
    "curriculum": [
        "/curriculum/content/{draft}/",
        "/curriculum/content/{waiting}/",
        "/curriculum/content/{reviewed}/",
        "/curriculum/items/{item}/",
        "/curriculum/review/content/{waiting}/",
        "/curriculum/content/{draft}/history/",
        "/curriculum/items/{item}/history/",
        "/curriculum/districts/{district}/courses/",
        "POST /curriculum/content/{waiting}/retire/",
        "POST /curriculum/content/{reviewed}/adopt/",
        f"{API}/curriculum/content/{{draft}}",
        f"{API}/curriculum/content/{{reviewed}}",
        f"{API}/curriculum/items/{{item}}",
        f"POST {API}/curriculum/content/{{waiting}}/reviews",
        f"POST {API}/curriculum/items/{{item}}/submit",
    ],
    "learning": [
        "/learn/sections/{section}/rules/",
        "/learn/sections/{section}/competencies/",
        "/learn/districts/{district}/policy/",
        "/learn/students/{student}/profile/",
        "/learn/districts/{district}/learner-model/",
        f"{API}/learning/students/{{student}}/path",
        f"{API}/learning/students/{{student}}/board",
        f"{API}/learning/sections/{{section}}/rules",
    ],
    "insights": [
        "/teach/sections/{section}/",
        "/teach/sections/{section}/today/",
        "/teach/sections/{section}/class/",
        "/teach/sections/{section}/students/{student}/",
        "/teach/sections/{own_section}/students/{student}/",
        "/teach/sections/{section}/groups/",
        "/teach/sections/{section}/overrides/",
        "/teach/sections/{section}/tiered/",
        "/teach/sections/{section}/stations/",
        "/teach/sections/{section}/export.csv",
        f"{API}/insights/sections/{{section}}/today",
        f"{API}/insights/sections/{{section}}/groups",
        f"{API}/insights/sections/{{section}}/overrides",
    ],
    "assessments": [
        "/diagnostic/sections/{section}/",
        f"{API}/diagnostic/students/{{student}}/sittings",
        f"{API}/diagnostic/sections/{{section}}/placements",
        f"{API}/diagnostic/sections/{{section}}/growth",
    ],
    "agency": [
        f"{API}/learning/students/{{student}}/path",  # goals and pace ride on the student's path
        "/teach/sections/{own_section}/students/{student}/",
        "/learn/voice/{section}/",  # the class voice inbox and its pulse
    ],
    "surveys": [
        "/surveys/windows/{window}/",
        "/surveys/windows/{window}/results/",
        "/surveys/districts/{district}/",
        "/surveys/districts/{district}/{survey}/",
        "POST /surveys/districts/{district}/{survey}/windows/",
        "POST /surveys/windows/{window}/",
        "POST /surveys/districts/{district}/defaults/",
    ],
    "leaders": [
        "/leaders/districts/{district}/",
        "/leaders/schools/{school}/",
        "/leaders/districts/{district}/equity/",
        "/leaders/schools/{school}/equity/",
        "/leaders/districts/{district}/report.csv",
        "/leaders/schools/{school}/report.pdf",
        "/leaders/districts/{district}/support/",
        "/leaders/schools/{school}/support/",
        "/leaders/teachers/{far_teacher}/path/",
    ],
    "families": [
        "/families/children/{student}/",
        "/families/students/{student}/notes/new",
        "POST /families/students/{student}/notes/new",
    ],
    "privacy": [
        "/privacy/requests/{request}/download/",
        "POST /privacy/requests/{request}/approve/",
        "POST /privacy/retention/{district}/",
    ],
}


def _ask(client: Client, address: str, ids: dict[str, int]) -> tuple[int, str]:
    method, _, url = address.rpartition(" ")
    url = url.format(**ids)
    if method == "POST" and url.startswith(API):
        response = client.post(url, {"decision": "approve", "answers": {}}, content_type="application/json")
    elif method == "POST":
        response = client.post(url, {"days": "1"})
        if response.status_code == 302:  # a page's refusal after a form: a message, and back (no change)
            return 403, ""
    else:
        response = client.get(url, follow=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return response.status_code, body.decode(errors="replace")


@pytest.mark.parametrize("app", sorted(ADDRESSES))
def test_district_one_never_sees_district_two(world: World, far: Far, app: str) -> None:
    leaks = []
    for role in ROLES:
        user: User = getattr(world, role)
        client = client_for(user)
        for address in ADDRESSES[app]:
            status, body = _ask(client, address, far.ids)
            named = [w for w in FAR_WORDS if w in body]
            if status not in (403, 404) or named:
                leaks.append(f"{role} {address}: {status} {named}")
    assert not leaks, "\n".join(leaks)
    # The writes asked for changed nothing.
    assert Content.objects.get(pk=far.ids["waiting"]).status == Status.IN_REVIEW
    assert not Adoption.objects.exists()
    assert PrivacyRequest.objects.get(pk=far.ids["request"]).status == PrivacyRequest.Status.LOGGED


def test_the_platform_admin_still_sees_both(world: World, far: Far) -> None:
    client = client_for(world.platform_admin)
    assert client.get(f"/curriculum/content/{far.ids['draft']}/").status_code == 200
    assert client.get(f"/students/{far.ids['student']}/").status_code == 200

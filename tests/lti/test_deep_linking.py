"""Deep linking, driven by lti1p3platform in-process: an instructor picks a competency in the LMS, and the LMS
gets a content item signed by Cairn that carries a line item on the district's proficiency scale. Only the
course's instructors pick, and only from the browser that holds the launch."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from lti_tool.models import Key

from cairn.learning.services.proficiency import set_scale
from cairn.lti.deep_linking import CUSTOM_CLAIM, destination
from cairn.lti.launch import LAUNCH_ID
from cairn.lti.models import Placement
from tests.conftest import World
from tests.learning.conftest import Unit, unit  # noqa: F401 - the unit fixture, shared with the learning tests
from tests.lti.lms_services import Services
from tests.lti.platform import INSTRUCTOR, LEARNER, Lms, launch

LIS = {"person_sourcedid": "teacher-tess", "course_section_sourcedid": "class-m5a"}


@pytest.fixture
def services(world: World) -> Iterator[Services]:
    lms = Lms.start()
    lms.register(world.district)
    world.section.sourced_id = "class-m5a"
    world.section.save()
    world.teacher.sourced_id = "teacher-tess"
    world.teacher.save()
    yield Services(lms, Key.objects.as_jwks())
    lms.stop()


def _pick(client: Client, services: Services, roles: list[str]) -> object:
    return launch(
        client, services.lms, user_id="lms-teacher-1", roles=roles, lis=LIS, extra=services.dl_claims()
    )


def test_an_instructor_places_a_competency_with_a_line_item(
    world: World,
    unit: Unit,  # noqa: F811 - the imported fixture
    services: Services,
) -> None:
    set_scale(world.district_admin, world.district, levels=[(0.0, 1, "Started"), (None, 10, "Mastered")])
    client = Client()
    picker = _pick(client, services, [INSTRUCTOR])
    assert picker.status_code == 200, picker.content  # type: ignore[attr-defined]
    page = picker.content.decode()  # type: ignore[attr-defined]
    assert unit.a.code in page and "Add to the course" in page

    answer = client.post(
        reverse("lti-deep-link-respond"),
        {"launch": client.session[LAUNCH_ID], "choice": f"competency:{unit.a.pk}"},
    )
    assert answer.status_code == 200
    assert f"form-action 'self' {services.lms.base}" in answer["Content-Security-Policy"]
    jwt = re.search(r'name="JWT" value="([^"]+)"', answer.content.decode())
    assert jwt is not None
    (item,) = services.content_items(jwt.group(1))  # the LMS checks Cairn's signature
    placement = Placement.objects.get()
    assert (placement.kind, placement.competency, placement.context.id_on_platform) == (
        "competency",
        unit.a,
        "course-1",
    )
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch/")
    assert item["custom"] == {"cairn_placement": placement.resource_id}
    # A learner's launch of the placed link lands on the competency's practice (the launch asks destination).
    launch_claims = {CUSTOM_CLAIM: item["custom"]}
    assert destination(launch_claims) == reverse("learning-practice", args=[unit.a.pk])
    assert destination({}) is None
    # ... and the launch view follows it for a learner (any other launch of theirs lands on their path).
    learner = launch(Client(), services.lms, user_id="lms-learner-1", roles=[LEARNER], extra=launch_claims)
    assert learner.status_code == 302 and learner["Location"] == destination(launch_claims)
    assert item["lineItem"] == {
        "scoreMaximum": 10,
        "label": placement.title,
        "resourceId": placement.resource_id,
        "tag": "cairn",
    }


def test_only_instructors_pick_and_only_from_their_own_launch(
    world: World,
    unit: Unit,  # noqa: F811 - the imported fixture
    services: Services,
) -> None:
    learner = _pick(Client(), services, [LEARNER])
    assert learner.status_code == 403  # type: ignore[attr-defined]
    client = Client()
    assert _pick(client, services, [INSTRUCTOR]).status_code == 200  # type: ignore[attr-defined]
    url = reverse("lti-deep-link-respond")
    assert (
        client.post(url, {"launch": "someone-elses", "choice": f"competency:{unit.a.pk}"}).status_code == 403
    )
    refused = client.post(url, {"launch": client.session[LAUNCH_ID], "choice": "competency:0"})
    assert (refused.status_code, refused["Location"]) == (302, url)  # back to the picker, with the reason
    again = client.get(url).content.decode()
    assert "Choose a competency from the list." in again and unit.a.code in again
    assert not Placement.objects.exists()

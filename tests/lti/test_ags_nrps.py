"""Grades and class lists through LTI Advantage, against lti1p3platform's service handlers on loopback: a
mastery of a placed competency lands in the LMS gradebook as a score on the district's scale (the line item
found or made by its resourceId, the score posted again after the LMS fails), and the course's membership
comes into the class without a second account for anyone Cairn already knows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import Key, LtiContext
from pylti1p3.exception import LtiServiceException

from cairn.accounts.models import Enrolment, User
from cairn.assessments.models import Administration, Diagnostic
from cairn.learning.models import ActivityCompletion, Progress
from cairn.learning.services.mastery import mark_mastered
from cairn.lti import tasks
from cairn.lti.deep_linking import place
from cairn.lti.models import LtiIdentity, Placement
from tests.conftest import World
from tests.learning.conftest import Unit, unit  # noqa: F401 - the unit fixture, shared with the learning tests
from tests.lti.lms_services import Services
from tests.lti.platform import INSTRUCTOR, LEARNER, Lms, launch

MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"


@pytest.fixture
def services(world: World) -> Iterator[Services]:
    lms = Lms.start()
    lms.register(world.district)
    world.section.sourced_id = "class-m5a"
    world.section.save()
    for person, sourced_id in ((world.teacher, "teacher-tess"), (world.student, "stu-ana")):
        person.sourced_id = sourced_id
        person.save()
    yield Services(lms, Key.objects.as_jwks())
    lms.stop()


def _launch(services: Services, user_id: str, sourced_id: str, role: str) -> Client:
    client = Client()
    lis = {"person_sourcedid": sourced_id, "course_section_sourcedid": "class-m5a"}
    response = launch(
        client, services.lms, user_id=user_id, roles=[role], lis=lis, extra=services.ags_claims()
    )
    assert response.status_code == 302, response.content
    return client


def _master(student: User, unit: Unit, capture: Callable[..., Any]) -> None:  # noqa: F811
    progress = Progress.objects.create(student=student, competency=unit.a, attempts=6, mastery=0.97)
    with capture(execute=True):
        mark_mastered(progress, timezone.now(), by="teacher")
        progress.save()


def test_a_mastery_lands_in_the_lms_gradebook(
    world: World,
    unit: Unit,  # noqa: F811 - the imported fixture
    services: Services,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _launch(services, "lms-ana", "stu-ana", LEARNER)
    placement = place(context=LtiContext.objects.get(), choice=f"competency:{unit.a.pk}")
    _master(world.student, unit, django_capture_on_commit_callbacks)

    (lineitem,) = services.book.lineitems.values()
    assert (lineitem["resourceId"], lineitem["tag"], lineitem["scoreMaximum"]) == (
        placement.resource_id,
        "cairn",
        4,
    )
    (score,) = services.book.scores
    assert score["userId"] == "lms-ana"
    assert (score["scoreGiven"], score["scoreMaximum"], score["comment"]) == (4, 4, "Mastered")
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    assert Placement.objects.get().lineitem_url == lineitem["id"]

    services.book.fail_scores = 1  # the LMS has a bad minute: the task posts again (backoff, in a worker)
    assert tasks.send_score.apply(args=(placement.pk, world.student.pk), throw=False).get() is True
    assert len(services.book.scores) == 2 and len(services.book.lineitems) == 1
    assert LtiServiceException in tasks.send_score.autoretry_for


def test_a_student_the_lms_never_launched_gets_no_score(
    world: World,
    unit: Unit,  # noqa: F811 - the imported fixture
    services: Services,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _launch(services, "lms-teacher-1", "teacher-tess", INSTRUCTOR)
    place(context=LtiContext.objects.get(), choice=f"competency:{unit.a.pk}")
    _master(world.classmate, unit, django_capture_on_commit_callbacks)
    assert services.book.scores == []


def test_the_class_list_comes_from_the_lms_without_second_accounts(
    world: World, services: Services, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    world.classmate.email = "cam@example.org"
    world.classmate.save()
    teacher = _launch(services, "lms-teacher-1", "teacher-tess", INSTRUCTOR)
    learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
    services.book.members = [
        {"user_id": "lms-ana", "roles": [learner], "lis_person_sourcedid": "stu-ana"},
        {"user_id": "lms-cam", "roles": [learner], "email": "cam@example.org"},
        {"user_id": "lms-new", "roles": [learner], "given_name": "Nia", "family_name": "Okafor"},
        {"user_id": "lms-gone", "roles": [learner], "status": "Inactive", "given_name": "Gus"},
        {"user_id": "lms-mentor", "roles": [MENTOR], "given_name": "Max"},
    ]
    people = User.objects.count()
    url = reverse("lti-pull-members", args=[world.section.pk])
    for _ in range(2):  # pulling again changes nothing
        assert teacher.post(url).status_code == 302
    assert User.objects.count() == people + 1
    assert LtiIdentity.objects.get(subject="lms-ana").user == world.student
    assert LtiIdentity.objects.get(subject="lms-cam").user == world.classmate
    new = LtiIdentity.objects.get(subject="lms-new").user
    assert new.first_name == "Nia"
    current = Enrolment.objects.current().filter(section=world.section, kind="student")
    assert current.filter(user=new).count() == 1
    assert not User.objects.filter(first_name__in=["Gus", "Max"]).exists()
    assert Client().post(url).status_code == 302  # signed out: to the sign-in page
    other = Client()
    other.force_login(world.colleague)
    assert other.post(url).status_code == 404


def test_an_activity_and_the_diagnostic_are_scored_on_the_scale(
    world: World,
    unit: Unit,  # noqa: F811 - the imported fixture
    services: Services,
) -> None:
    _launch(services, "lms-ana", "stu-ana", LEARNER)
    context = LtiContext.objects.get()
    activity = place(context=context, choice=f"content:{unit.video.pk}")
    diagnostic = place(context=context, choice="diagnostic")
    assert tasks.send_score.apply(args=(activity.pk, world.student.pk)).get() is False  # not done yet
    ActivityCompletion.objects.create(student=world.student, content=unit.video, minutes=6)
    test = Diagnostic.objects.create(slug="fractions", title="Fractions")
    Administration.objects.create(
        diagnostic=test,
        student=world.student,
        status=Administration.Status.FINISHED,
        school_year="2026-27",
        bank=[],
        theta=1.5,  # 1 / (1 + e^-1.5) = 0.82: "Approaching mastery" (0.8) on the default scale
        finished_at=timezone.now(),
    )
    for placement in (activity, diagnostic):
        assert tasks.send_score.apply(args=(placement.pk, world.student.pk)).get() is True
    scores = {s["comment"]: s["scoreGiven"] for s in services.book.scores}
    assert scores == {"Mastered": 4, "Approaching mastery": 3}
    assert len(services.book.lineitems) == 2

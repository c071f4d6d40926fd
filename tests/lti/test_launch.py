"""An LMS launches Cairn (driven by lti1p3platform, the platform side, in-process): a learner lands on their
path, an instructor on Today for the class; people are found again by (issuer, subject), by roster id or
email, never made twice; the session is a normal Cairn session, framed and cookied for the LMS only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from cairn.accounts.models import Enrolment, Role, RoleAssignment, Section, User
from cairn.lti.launch import current_launch
from cairn.lti.models import ContextSection, LtiIdentity
from tests.conftest import World
from tests.lti.platform import INSTRUCTOR, LEARNER, Lms, launch, start_login


@pytest.fixture
def lms(world: World) -> Iterator[Lms]:
    platform = Lms.start()
    platform.register(world.district)
    yield platform
    platform.stop()


def _me(client: Client) -> dict[str, object]:
    response = client.get("/api/v1/me")
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_a_new_learner_lands_on_their_path_signed_in_as_a_student(world: World, lms: Lms) -> None:
    client = Client()
    response = launch(client, lms, user_id="lms-student-7", roles=[LEARNER], email="sam@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("learning-path")
    person = User.objects.get(lti_identities__subject="lms-student-7")
    assert (person.first_name, person.last_name, person.email) == ("Sam", "Lee", "sam@example.org")
    assert not person.has_usable_password()
    me = _me(client)
    assert me["username"] == person.username and "student" in str(me)
    # The course became a class in the district, and the learner is in it.
    section = Section.objects.get(lti_contexts__context__id_on_platform="course-1")
    assert section.school.district == world.district and section.name == "Math 5"
    assert Enrolment.objects.current().filter(user=person, section=section, kind="student").exists()
    assert client.get(reverse("learning-path")).status_code == 200
    # The session is an LMS one: framed by the LMS, its cookies sent to a third party.
    page = client.get(reverse("learning-path"))
    assert "frame-ancestors https://lms.example.org http://127.0.0.1:" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page
    cookie = response.cookies["sessionid"]
    assert cookie["samesite"] == "None" and cookie["secure"]


def test_an_instructor_lands_on_today_for_the_rostered_class_and_is_found_again(
    world: World, lms: Lms
) -> None:
    world.section.sourced_id = "class-m5a"
    world.section.save()
    world.teacher.sourced_id = "teacher-tess"
    world.teacher.save()
    lis = {"person_sourcedid": "teacher-tess", "course_section_sourcedid": "class-m5a"}
    client = Client()
    response = launch(client, lms, user_id="lms-teacher-1", roles=[INSTRUCTOR], lis=lis)
    # Tess is rostered: her own account, on Today for her rostered class (no new class, no new person).
    assert response.status_code == 302
    assert response["Location"] == reverse("insights-today", kwargs={"section_id": world.section.pk})
    assert _me(client)["username"] == world.teacher.username
    assert ContextSection.objects.get().section == world.section
    info_client = Client()
    again = launch(info_client, lms, user_id="lms-teacher-1", roles=[INSTRUCTOR])  # no lis this time
    assert again["Location"] == response["Location"]
    assert LtiIdentity.objects.get(subject="lms-teacher-1").user == world.teacher
    assert User.objects.filter(first_name="Sam").count() == 0
    assert client.get(response["Location"]).status_code == 200


def test_a_rostered_student_is_matched_by_email_and_the_launch_is_kept_for_services(
    world: World, lms: Lms
) -> None:
    world.student.email = "ana@example.org"
    world.student.save()
    client = Client()
    before = User.objects.count()
    response = launch(client, lms, user_id="lms-ana", roles=[LEARNER], email="ANA@example.org")
    assert response.status_code == 302 and User.objects.count() == before
    assert _me(client)["username"] == world.student.username
    # The launch behind the session, for deep linking, grades and membership.
    request = client.get(reverse("learning-path")).wsgi_request
    info = current_launch(request)
    assert info is not None and info.user == world.student and info.context is not None
    assert info.message_launch.get_launch_data()["sub"] == "lms-ana"
    assert RoleAssignment.objects.filter(user=world.student, role=Role.STUDENT).count() == 1


def test_pages_outside_the_lms_keep_denying_frames_and_lax_cookies(world: World, lms: Lms) -> None:
    client = Client()
    client.force_login(world.student)
    page = client.get(reverse("learning-path"))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    signin = Client().post(reverse("login"), {"username": world.student.username, "password": "x"})
    assert all(c["samesite"] != "None" for c in signin.cookies.values())
    # The LMS's doors may be framed by registered platforms only.
    check = Client().get(lms.login_url("lms-student-1"))
    assert "frame-ancestors https://lms.example.org" in check["Content-Security-Policy"]
    assert "X-Frame-Options" not in check
    assert Client().get(reverse("lti-jwks")).json()["keys"][0]["alg"] == "RS256"


def test_over_https_pylti1p3_keys_the_login_by_its_own_cookie_and_a_replay_elsewhere_fails(
    world: World,
) -> None:
    lms = Lms.start(tool="https://testserver")
    try:
        lms.register(world.district)
        client = Client()
        params = start_login(client, lms, "lms-secure-1", secure=True)
        assert client.cookies["lti1p3-session-id"]["samesite"] == "None"
        assert "Partitioned" in client.cookies["lti1p3-session-id"].OutputString()
        form = lms.launch_form(params, user_id="lms-secure-1", roles=[LEARNER])
        other = Client()
        start_login(other, lms, "lms-secure-1", secure=True)  # its own login, its own session-id cookie
        assert other.post("/lti/launch/", form, secure=True).status_code == 403
        response = client.post("/lti/launch/", form, secure=True)
        assert response.status_code == 302 and response["Location"] == reverse("learning-path")
    finally:
        lms.stop()

"""Each access rule, both ways, for pages and the API.

The `world` fixture (tests/conftest.py) says who is who."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from cairn.accounts import access
from tests.conftest import (
    PASSWORD,
    SECTION_RULES,
    STUDENT_RULES,
    World,
    access_cases,
    api_client_for,
    client_for,
)

HOMES = {
    "student": "/student/",
    "guardian": "/guardian/",
    "teacher": "/teacher/",
    "leader": "/school/",
    "district_admin": "/district/",
    "platform_admin": "/platform/",
}


@pytest.mark.parametrize(("viewer", "target", "allowed"), access_cases(STUDENT_RULES))
def test_student_page_follows_the_rule(world: World, viewer: str, target: str, allowed: bool) -> None:
    student = getattr(world, target)
    response = client_for(getattr(world, viewer)).get(f"/students/{student.pk}/")
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert student.display_name in response.content.decode()


@pytest.mark.parametrize(("viewer", "target", "allowed"), access_cases(STUDENT_RULES))
def test_student_api_follows_the_rule(world: World, viewer: str, target: str, allowed: bool) -> None:
    student = getattr(world, target)
    client = client_for(getattr(world, viewer))
    response = client.get(f"/api/v1/students/{student.pk}")
    assert response.status_code == (200 if allowed else 404)
    listed = {row["id"] for row in client.get("/api/v1/students?limit=500").json()["items"]}
    assert (student.pk in listed) is allowed


@pytest.mark.parametrize(("viewer", "target", "allowed"), access_cases(SECTION_RULES))
def test_section_roster_follows_the_rule(world: World, viewer: str, target: str, allowed: bool) -> None:
    section = getattr(world, target)
    client = client_for(getattr(world, viewer))
    assert client.get(f"/sections/{section.pk}/").status_code == (200 if allowed else 404)
    assert client.get(f"/api/v1/sections/{section.pk}").status_code == (200 if allowed else 404)
    listed = {row["id"] for row in client.get("/api/v1/sections").json()}
    assert (section.pk in listed) is allowed


def test_roster_lists_only_current_students(world: World) -> None:
    body = client_for(world.teacher).get(f"/api/v1/sections/{world.section.pk}").json()
    names = {s["username"] for s in body["students"]}
    assert names == {world.student.username, world.classmate.username}  # not the one whose enrolment ended
    assert [t["username"] for t in body["teachers"]] == [world.teacher.username]


def test_access_module_agrees_with_rules(world: World) -> None:
    for viewer, (yes, no) in STUDENT_RULES.items():
        visible = set(access.visible_students(getattr(world, viewer)).values_list("pk", flat=True))
        assert {getattr(world, n).pk for n in yes} <= visible, viewer
        assert not {getattr(world, n).pk for n in no} & visible, viewer


@pytest.mark.parametrize("viewer", sorted(HOMES))
def test_each_role_lands_on_its_own_home(world: World, viewer: str) -> None:
    client = client_for(getattr(world, viewer))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == HOMES[viewer]
    assert client.get(HOMES[viewer]).status_code == 200
    for other, url in HOMES.items():
        if other != viewer:
            assert client.get(url).status_code == 403, f"{viewer} reached {other}'s home"


def test_person_with_two_roles_gets_both(world: World) -> None:
    from cairn.accounts.models import Role
    from cairn.accounts.services import grant_role, link_guardian

    link_guardian(world.teacher, world.schoolmate)  # a teacher whose own child is at the school
    world.teacher.refresh_from_db()
    client = client_for(world.teacher)
    assert client.get("/guardian/").status_code == 200
    assert client.get(f"/students/{world.schoolmate.pk}/").status_code == 200
    grant_role(world.teacher, Role.SCHOOL_LEADER, school=world.sister_school)
    assert client.get(f"/students/{world.sister_student.pk}/").status_code == 200
    assert client.get(f"/students/{world.stranger.pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/teacher/", "/student/", "/students/1/", "/sections/1/"])
def test_anonymous_is_sent_to_login(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", ["/api/v1/me", "/api/v1/students", "/api/v1/sections", "/api/v1/students/1"])
def test_api_refuses_anonymous(db: None, url: str) -> None:
    assert Client().get(url).status_code == 401


def test_api_token_auth_applies_the_same_rules(world: World) -> None:
    client = api_client_for(world.teacher)
    me = client.get("/api/v1/me").json()
    assert me["username"] == world.teacher.username
    assert me["roles"] == ["teacher"]
    assert client.get(f"/api/v1/students/{world.student.pk}").status_code == 200
    assert client.get(f"/api/v1/students/{world.schoolmate.pk}").status_code == 404
    assert Client(headers={"Authorization": "Bearer not-a-token"}).get("/api/v1/me").status_code == 401


def test_revoked_token_and_inactive_person_are_refused(world: World) -> None:
    from django.utils import timezone

    from cairn.accounts.models import ApiToken

    teacher = api_client_for(world.teacher)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert teacher.get("/api/v1/me").status_code == 401
    leader = api_client_for(world.leader)
    world.leader.is_active = False
    world.leader.save()
    assert leader.get("/api/v1/me").status_code == 401


def test_login_form_logs_in_with_password(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": world.teacher.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/teacher/").status_code == 200


def test_person_is_refused_without_a_signed_in_person(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    from cairn.core.errors import Forbidden

    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(Forbidden, match="Log in first"):  # 403 on a page and in the API alike
        access.person(request)

"""Who the API lets in, and how: a bearer token writes with no CSRF dance; a browser session still needs the
CSRF token for writes (the check Django's test client skips unless told to enforce it)."""

from __future__ import annotations

from django.test import Client

from cairn.agency.models import Reflection
from tests.conftest import World, api_client_for, client_for

REFLECTION = {"feeling": "ok", "learned": "equivalent fractions"}


def test_a_token_client_writes_through_the_api_without_a_csrf_cookie(world: World) -> None:
    response = api_client_for(world.student).post(
        "/api/v1/learning/reflections", REFLECTION, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Reflection.objects.filter(student=world.student, learned="equivalent fractions").exists()


def test_a_token_client_reads_as_its_owner(world: World) -> None:
    response = api_client_for(world.teacher).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == world.teacher.username


def test_a_session_write_without_the_csrf_token_is_refused(world: World) -> None:
    client = client_for(world.student, csrf_checks=True)
    response = client.post("/api/v1/learning/reflections", REFLECTION, content_type="application/json")
    assert response.status_code == 403
    assert not Reflection.objects.filter(student=world.student).exists()


def test_a_session_write_with_the_csrf_token_goes_through(world: World) -> None:
    client = client_for(world.student, csrf_checks=True)
    client.get("/learn/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/learning/reflections",
        REFLECTION,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_a_wrong_token_gets_nothing(world: World) -> None:
    wrong = Client(enforce_csrf_checks=True, headers={"Authorization": "Bearer not-a-token"})
    assert wrong.get("/api/v1/me").status_code == 401

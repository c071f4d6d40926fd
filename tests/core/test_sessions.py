"""Sessions end when idle or too old, personal pages are never cached, and logout clears the browser."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from cairn.accounts import services
from cairn.core.sessions import IDLE_MINUTES, LAST_SEEN, SIGNED_IN_AT
from tests.conftest import PASSWORD, World, client_for


def _age(client: Client, *, idle_minutes: float = 0, signed_in_hours: float = 0) -> None:
    """Pretend the session's last request was `idle_minutes` ago and its sign-in `signed_in_hours` ago."""
    client.get("/")  # the first signed-in request stamps the session
    session = client.session
    now = time.time()
    session[LAST_SEEN] = int(now - idle_minutes * 60)
    session[SIGNED_IN_AT] = int(now - max(signed_in_hours * 3600, idle_minutes * 60))
    session.save()


def test_a_student_idle_past_the_limit_is_signed_out_and_sent_to_the_login_page(world: World) -> None:
    client = client_for(world.student)
    _age(client, idle_minutes=31)
    response = client.get("/student/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/student/"
    assert "expired" in str(next(iter(get_messages(response.wsgi_request))))
    assert client.get("/student/").status_code == 302  # still out: the session is gone, not just refused


def test_signing_in_starts_the_clocks(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": world.student.username, "password": PASSWORD})
    assert response.status_code == 302
    assert time.time() - client.session[SIGNED_IN_AT] < 60
    assert client.session[IDLE_MINUTES] == 30


def test_a_student_within_the_limit_stays_and_the_clock_restarts(world: World) -> None:
    client = client_for(world.student)
    _age(client, idle_minutes=29)
    assert client.get("/student/").status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 60


def test_staff_get_the_longer_idle_limit(world: World) -> None:
    client = client_for(world.teacher)
    _age(client, idle_minutes=100)
    assert client.get("/teacher/").status_code == 200
    assert client.session[IDLE_MINUTES] == 120
    _age(client, idle_minutes=121)
    assert client.get("/teacher/").status_code == 302


def test_the_idle_limit_follows_the_settings(world: World, settings: Any) -> None:
    settings.CAIRN_SESSION_IDLE_MINUTES = 5
    client = client_for(world.student)
    _age(client, idle_minutes=6)
    assert client.get("/student/").status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(world: World) -> None:
    client = client_for(world.teacher)
    _age(client, idle_minutes=1, signed_in_hours=12.1)
    response = client.get("/teacher/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_api_answers_an_expired_session_with_401(world: World) -> None:
    client = client_for(world.student)
    _age(client, idle_minutes=31)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_bearer_token_still_speaks_for_a_request_whose_session_expired(world: World) -> None:
    client = client_for(world.student)
    _age(client, idle_minutes=31)
    token = services.create_api_token(world.student, "test")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert client.get("/student/").status_code == 302  # the session itself is gone


def test_an_htmx_request_is_sent_to_the_login_page_as_a_whole(world: World) -> None:
    client = client_for(world.student)
    _age(client, idle_minutes=31)
    response = client.get("/student/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?next=/student/"


def test_personal_pages_and_the_api_are_never_stored(world: World) -> None:
    client = client_for(world.student)
    assert client.get("/student/")["Cache-Control"] == "no-store"
    assert client.get("/api/v1/me")["Cache-Control"] == "no-store"
    assert Client().get("/api/v1/openapi.json")["Cache-Control"] == "no-store"


def test_logout_tells_the_browser_to_forget_the_site(world: World) -> None:
    client = client_for(world.student)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/student/", "/login/"])
def test_no_clear_site_data_when_nobody_signed_out(world: World, path: str) -> None:
    assert not client_for(world.student).get(path).has_header("Clear-Site-Data")

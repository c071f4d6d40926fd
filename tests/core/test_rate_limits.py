"""Rate limits: the API per person and per address before sign-in, downloads per person; a calm 429."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import World, api_client_for, client_for


def test_the_api_limits_each_person_not_everyone(world: World, settings: Any) -> None:
    settings.CAIRN_API_RATE = "3/m"
    teacher, student = api_client_for(world.teacher), api_client_for(world.student)
    assert [teacher.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = teacher.get("/api/v1/me")
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many requests."}
    assert 0 < int(refused["Retry-After"]) <= 60
    assert student.get("/api/v1/me").status_code == 200  # another person has their own count
    # The same person through a browser session shares the count: it is per person, not per token.
    assert client_for(world.teacher).get("/api/v1/me").status_code == 429


def test_the_default_rate_fits_the_answer_loop(world: World) -> None:
    client = api_client_for(world.student)
    assert all(client.get("/api/v1/me").status_code == 200 for _ in range(30))


def test_callers_not_signed_in_are_limited_by_address(world: World, settings: Any) -> None:
    settings.CAIRN_API_ANON_RATE = "2/m"
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    assert [stranger.get("/api/v1/me").status_code for _ in range(2)] == [401, 401]
    assert stranger.get("/api/v1/me").status_code == 429
    # A client-sent X-Forwarded-For doesn't buy a fresh count (no trusted proxy is configured).
    assert stranger.get("/api/v1/me", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.8").get("/api/v1/me").status_code == 401


def test_grade_book_downloads_are_limited_per_person_with_a_calm_page(world: World, settings: Any) -> None:
    settings.CAIRN_EXPORT_RATE = "2/h"
    url = reverse("insights-export", args=[world.section.pk])
    teacher = client_for(world.teacher)
    assert [teacher.get(url).status_code for _ in range(2)] == [200, 200]
    refused = teacher.get(url)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "Please wait a little" in page
    assert "about 60 minutes" in page
    assert int(refused["Retry-After"]) > 0
    assert client_for(world.colleague).get(url).status_code != 429  # not a limit on everyone


def test_429_and_the_error_statuses_are_in_the_openapi(world: World) -> None:
    schema = api_client_for(world.teacher).get("/api/v1/openapi.json").json()
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            assert {"400", "401", "403", "404", "409", "422", "429"} <= set(operation["responses"])
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]

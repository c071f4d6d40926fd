"""Every paginated API operation checks limit and offset in one place: a bad value is a 400 naming it."""

from __future__ import annotations

import pytest

from tests.conftest import World, api_client_for

PAGINATED = ["/api/v1/students", "/api/v1/curriculum/content", "/api/v1/curriculum/competencies"]


@pytest.mark.parametrize("url", PAGINATED)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 10**30}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": 10**30}, "offset"),
        ({"offset": -1}, "offset"),
    ],
)
def test_a_bad_limit_or_offset_is_refused_naming_it(
    world: World, url: str, query: dict[str, int], field: str
) -> None:
    response = api_client_for(world.teacher).get(url, query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    assert field in body["detail"]


@pytest.mark.parametrize("url", PAGINATED)
def test_limits_within_bounds_page_through(world: World, url: str) -> None:
    client = api_client_for(world.teacher)
    whole = client.get(url, {"limit": 500}).json()
    assert whole["count"] == len(whole["items"]) or len(whole["items"]) == 500
    first = client.get(url, {"limit": 1, "offset": 0}).json()
    assert len(first["items"]) == min(1, whole["count"])
    assert client.get(url, {"offset": 1_000_000}).json()["items"] == []


def test_the_bounds_are_in_the_openapi(world: World) -> None:
    schema = api_client_for(world.teacher).get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/students"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500
    assert params["offset"]["schema"]["minimum"] == 0

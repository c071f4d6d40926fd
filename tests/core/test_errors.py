"""One error type, mapped once: the same CairnError gives the same status on a page and in the API."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests.core.error_urls import KINDS

pytestmark = pytest.mark.urls("tests.core.error_urls")

STATUS = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_api_answers_with_the_errors_status_and_fields(db: None, kind: str) -> None:
    response = Client().get(f"/api/refuse/{kind}")
    assert response.status_code == STATUS[kind]
    assert response.json() == {
        "detail": f"refused as {kind}",
        "fields": {"answer": "a number", "minutes": "at most 300"},
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_page_shows_the_error_with_its_status(db: None, kind: str) -> None:
    response = Client().get(f"/refuse/{kind}")
    assert response.status_code == STATUS[kind]
    assert f"refused as {kind}" in response.content.decode()


def test_an_htmx_request_gets_the_message_as_a_fragment(db: None) -> None:
    response = Client().post("/refuse/conflict", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert response.content.decode().strip() == '<p class="error" role="alert">refused as conflict</p>'


def test_a_form_post_flashes_the_message_and_goes_back_to_the_form(db: None) -> None:
    response = Client().post("/refuse/invalid", {"next": "/form?step=2"})
    assert response.status_code == 302
    assert response["Location"] == "/form?step=2"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["refused as invalid"]


def test_a_form_post_never_goes_back_to_another_site(db: None) -> None:
    response = Client().post(
        "/refuse/invalid",
        {"next": "https://evil.example/phish"},
        headers={"Referer": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/refuse/invalid"

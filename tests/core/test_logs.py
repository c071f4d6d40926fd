"""Logs are JSON lines that carry the request id and the person, and never a secret."""

from __future__ import annotations

import contextvars
import json
import logging

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cairn.core.logs import JsonFormatter, RequestContextFilter, redact
from tests.conftest import World, client_for

log = logging.getLogger("cairn.tests.logs")


def _logging_view(request: HttpRequest) -> HttpResponse:
    log.info("looked at the page with password=hunter22")
    return HttpResponse("ok")


urlpatterns = [path("logged", _logging_view)]


@pytest.fixture
def lines() -> list[str]:
    """What the JSON handler writes while the test runs, one entry a line."""
    written: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            written.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    yield written
    log.removeHandler(handler)


@pytest.mark.urls(__name__)
def test_a_log_line_carries_time_level_request_id_and_person(world: World, lines: list[str]) -> None:
    response = client_for(world.student).get("/logged", headers={"X-Request-ID": "proxy-id-12345"})
    assert response["X-Request-ID"] == "proxy-id-12345"
    entry = json.loads(lines[-1])
    assert entry["request_id"] == "proxy-id-12345"
    assert entry["user_id"] == world.student.pk
    assert entry["level"] == "INFO"
    assert entry["logger"] == "cairn.tests.logs"
    assert entry["time"].endswith("+00:00")
    assert "hunter22" not in lines[-1]
    assert entry["message"] == "looked at the page with password=***"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("incoming", ["", "short", "bad id\nwith a newline forged-line-1234", "x" * 200])
def test_an_odd_incoming_request_id_is_replaced(db: None, lines: list[str], incoming: str) -> None:
    from django.test import Client

    response = Client().get("/logged", headers={"X-Request-ID": incoming} if incoming else {})
    request_id = response["X-Request-ID"]
    assert request_id != incoming
    assert len(request_id) == 32
    assert json.loads(lines[-1])["request_id"] == request_id
    assert "user_id" not in json.loads(lines[-1])  # nobody signed in


def test_outside_a_request_there_is_no_request_id(lines: list[str]) -> None:
    contextvars.Context().run(log.warning, "nightly job")  # as in a worker that serves no request
    entry = json.loads(lines[-1])
    assert set(entry) == {"time", "level", "logger", "message"}


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer abc.def-123",
        "token=abc123 next",
        'sessionid="abc123"',
        "password: abc123",
    ],
)
def test_secrets_are_masked(text: str) -> None:
    assert "abc" not in redact(text)
    assert "***" in redact(text)

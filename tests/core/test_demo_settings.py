"""The demo runs without DEBUG (Cairn's error pages, never Django's debug page) and keeps its session on
plain HTTP through SECURE_COOKIES, a setting of its own (issue 18, dead ends)."""

from __future__ import annotations

import os

import pytest

from cairn.cli.demo import demo_environment
from tests.accounts.test_security import _settings_with

DEMO_VARS = ("DEBUG", "SECURE_COOKIES", "ALLOWED_HOSTS", "EMAIL_BACKEND", "LOG_FORMAT")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in DEMO_VARS:
        # setenv first, so the undo removes what demo_environment sets (a delenv of a missing name records
        # nothing to undo, and the demo's settings would leak into later tests).
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return monkeypatch


def test_the_demo_runs_without_debug_and_with_cookies_over_plain_http(clean_env: pytest.MonkeyPatch) -> None:
    demo_environment("127.0.0.1")
    assert "DEBUG" not in os.environ
    assert os.environ["SECURE_COOKIES"] == "0"
    assert os.environ["EMAIL_BACKEND"].endswith("console.EmailBackend")  # reset mail shown, not lost
    assert "127.0.0.1" in os.environ["ALLOWED_HOSTS"].split(",")


def test_the_demo_on_every_interface_answers_any_host_name(clean_env: pytest.MonkeyPatch) -> None:
    demo_environment("0.0.0.0")
    assert os.environ["ALLOWED_HOSTS"] == "*"


def test_the_demo_keeps_what_the_environment_already_says(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SECURE_COOKIES", "1")
    demo_environment("127.0.0.1")
    assert os.environ["SECURE_COOKIES"] == "1"


def test_secure_cookies_off_lets_cookies_travel_over_http_without_debug(tmp_path) -> None:  # type: ignore[no-untyped-def]
    demo = _settings_with({"CAIRN_DATA_DIR": str(tmp_path), "SECURE_COOKIES": "0"})
    assert demo["DEBUG"] is False
    assert demo["SESSION_COOKIE_SECURE"] is False
    assert demo["CSRF_COOKIE_SECURE"] is False
    assert demo["SECURE_HSTS_SECONDS"] == 0
    prod = _settings_with({"CAIRN_DATA_DIR": str(tmp_path), "SECURE_COOKIES": ""})
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["SECURE_HSTS_SECONDS"] > 0

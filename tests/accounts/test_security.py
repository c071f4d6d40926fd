"""Security defaults: CSRF, CSP, slowing after repeated failures, secure cookies outside DEBUG, passwords."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import PASSWORD, World, client_for


def test_csp_header_forbids_inline_and_foreign_scripts(db: None) -> None:
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_login_form_needs_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": world.teacher.username, "password": PASSWORD})
    assert response.status_code == 403


def test_api_write_with_session_needs_csrf(world: World) -> None:
    client = client_for(world.teacher, csrf_checks=True)
    # No write endpoint is open to teachers yet; a POST to a GET route must still be refused, never run.
    assert client.post("/api/v1/me").status_code in {401, 403, 405}


def test_repeated_failed_logins_slow_the_account_without_locking_others(world: World) -> None:
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        response = client.post("/login/", {"username": world.teacher.username, "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error
    slowed = client.post("/login/", {"username": world.teacher.username, "password": PASSWORD})
    assert slowed.status_code == 200  # refused for a few seconds, with the wait (see test_throttling)
    assert "seconds, then try again" in slowed.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person on the same device is not slowed by someone else's failures.
    other = client.post("/login/", {"username": world.leader.username, "password": PASSWORD})
    assert other.status_code == 302


def test_failures_below_the_limit_do_not_slow(world: World) -> None:
    client = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(3):
        client.post("/login/", {"username": world.teacher.username, "password": "wrong-password"})
    assert (
        client.post("/login/", {"username": world.teacher.username, "password": PASSWORD}).status_code == 302
    )


def test_password_validators_refuse_weak_passwords() -> None:
    for weak in ["password123", "12345678901", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a-long-unusual-passphrase")


def _settings_with(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, cairn.project.settings as s; print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'DATABASES'"
        "]}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_production_settings_are_secure_by_default(tmp_path) -> None:
    prod = _settings_with({"CAIRN_DATA_DIR": str(tmp_path)})
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"]
    assert prod["CSRF_COOKIE_SECURE"]
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert (tmp_path / "secret_key").exists()  # generated once, kept for the next start
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_debug_and_database_url_come_from_the_environment(tmp_path) -> None:
    dev = _settings_with(
        {
            "CAIRN_DATA_DIR": str(tmp_path),
            "DEBUG": "1",
            "DATABASE_URL": "postgres://cairn:pw@db.example:5433/cairn",
        }
    )
    assert dev["DEBUG"] is True
    assert dev["SESSION_COOKIE_SECURE"] is False
    db = dev["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["PORT"] == 5433
    assert db["NAME"] == "cairn"
    lite = _settings_with({"CAIRN_DATA_DIR": str(tmp_path)})["DATABASES"]["default"]
    assert lite["ENGINE"] == "cairn.project.sqlite_backend"  # Django's, with writers queuing on a file lock
    assert "journal_mode=WAL" in lite["OPTIONS"]["init_command"]

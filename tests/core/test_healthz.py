"""The health check tells a load balancer ok or not, and a stranger nothing more."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client


def test_a_failing_database_gives_503_without_its_error(
    db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise OperationalError('could not connect to server at "db.internal" (10.1.2.3)')

    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR, logger="cairn.core.views"):
        patch.setattr(connection, "cursor", broken)
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert "db.internal" in caplog.text  # the operator finds the reason in the log

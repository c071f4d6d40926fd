"""Schemathesis against the API, in-process (Django's WSGI app, no server, no network), as a teacher and as a
student with their bearer tokens: no request may end in a server error, and every status the API answers
must be one the OpenAPI document lists for that operation.

Bounded to stay a few minutes on two cores: a handful of examples per operation, derandomized (the same
examples every run), no example database. Writes really run against the test database, inside each test's
transaction. The rate limit is raised here: the fuzzer sends far more than a person would.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from cairn.accounts import services
from cairn.accounts.models import User
from tests.conftest import World

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
EXAMPLES = settings(
    max_examples=5,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_tests_connection() -> Iterator[None]:
    """Calling the WSGI app fires request_started/request_finished, whose close_old_connections would close
    the test's own connection in the middle of its transaction on PostgreSQL. Django's test client unhooks
    it the same way for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _check(case: schemathesis.Case, person: User) -> None:
    token = services.create_api_token(person, "schemathesis")
    with override_settings(CAIRN_API_RATE="100000/m"):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, status_code_conformance],
        )


@schema.parametrize()
@EXAMPLES
def test_the_api_as_a_teacher(case: schemathesis.Case, world: World) -> None:
    _check(case, world.teacher)


@schema.parametrize()
@EXAMPLES
def test_the_api_as_a_student(case: schemathesis.Case, world: World) -> None:
    _check(case, world.student)

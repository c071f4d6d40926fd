"""The learning unit of tests/learning and a loopback LRS for the outbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.learning.conftest import unit  # noqa: F401  (the fixture)
from tests.xapi.lrs import PASSWORD, USERNAME, LoopbackLRS


@pytest.fixture
def lrs() -> Iterator[LoopbackLRS]:
    server = LoopbackLRS()
    with override_settings(
        XAPI_LRS_URL=server.url, XAPI_LRS_USERNAME=USERNAME, XAPI_LRS_PASSWORD=PASSWORD,
        CAIRN_BASE_URL="https://cairn.example.org",
    ):  # fmt: skip
        yield server
    server.stop()

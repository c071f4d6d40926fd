"""The agency tests use the learning tests' tiny unit."""

from tests.learning.conftest import unit  # noqa: F401

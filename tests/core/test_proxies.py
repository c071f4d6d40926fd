"""Forwarding headers count only when a configured proxy sends them."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from cairn.core.proxies import client_from_forwarded_for, trusted_networks
from tests.conftest import World

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.1"]


def test_the_client_is_the_right_most_hop_that_is_not_a_proxy(behind_proxy: None) -> None:
    networks = trusted_networks()
    # The client wrote "6.6.6.6" itself; our proxies appended the rest.
    assert client_from_forwarded_for("6.6.6.6, 203.0.113.9, 192.0.2.1", PROXY, networks) == "203.0.113.9"
    assert client_from_forwarded_for("203.0.113.9", PROXY, networks) == "203.0.113.9"
    assert client_from_forwarded_for("10.0.0.5, 10.0.0.6", PROXY, networks) == "10.0.0.5"
    assert client_from_forwarded_for("not-an-address", PROXY, networks) == PROXY


def test_a_stranger_cannot_claim_https(db: None, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client(REMOTE_ADDR="198.51.100.7").get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_trusted_proxy_may_say_the_request_came_over_https(
    db: None, settings: Any, behind_proxy: None
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client(REMOTE_ADDR=PROXY).get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def _fail_login(remote_addr: str, forwarded_for: str, username: str) -> str:
    Client(REMOTE_ADDR=remote_addr).post(
        "/login/",
        {"username": username, "password": "wrong-password"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return AccessAttempt.objects.get(username=username).ip_address  # type: ignore[no-any-return]


def test_the_login_throttle_sees_the_client_behind_a_trusted_proxy(world: World, behind_proxy: None) -> None:
    assert _fail_login(PROXY, "6.6.6.6, 203.0.113.9", world.student.username) == "203.0.113.9"


def test_the_login_throttle_ignores_a_strangers_forwarded_for(world: World, behind_proxy: None) -> None:
    assert _fail_login("198.51.100.7", "203.0.113.9", world.student.username) == "198.51.100.7"

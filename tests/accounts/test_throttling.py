"""The sign-in throttle fits schools: a classmate's failures slow an account for seconds, never lock it;
the delay grows with each failure; an address that sprays guesses over many accounts waits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings

from cairn.accounts import throttle
from cairn.accounts.models import SignInFailure
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db
SCHOOL_ADDRESS = "203.0.113.7"


def _try(username: str, password: str, address: str = SCHOOL_ADDRESS) -> tuple[int, str]:
    response = Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})
    return response.status_code, response.content.decode()


def _age_failures(seconds: int) -> None:
    """Move every recorded failure ``seconds`` into the past, as if that much time went by."""
    for failure in SignInFailure.objects.all():
        failure.at -= dt.timedelta(seconds=seconds)
        failure.save(update_fields=["at"])


def test_a_classmates_failures_only_make_the_student_wait_a_little(world: World) -> None:
    for _ in range(5):  # a classmate at the next desk, on the school's one address
        status, _ = _try(world.student.username, "wrong guess")
        assert status == 200
    status, page = _try(world.student.username, PASSWORD)
    assert status == 200  # refused for now, with the wait, before the password is even checked
    assert "Wait" in page and "seconds" in page
    assert "ask your teacher" not in page.lower()
    _age_failures(60)
    status, _ = _try(world.student.username, PASSWORD)
    assert status == 302  # in, a minute later, with no one's help
    # The success cleared the account's slowing.
    assert throttle.wait_seconds(username=world.student.username, address=SCHOOL_ADDRESS) == 0


def test_the_delay_grows_with_each_failure() -> None:
    free = 3
    with override_settings(CAIRN_SIGNIN_FREE_FAILURES=free, CAIRN_SIGNIN_MAX_DELAY_SECONDS=300):
        delays = [throttle.account_delay_seconds(n) for n in range(free + 8)]
    assert delays[:free] == [0] * free
    assert delays[free:] == [5, 10, 20, 40, 80, 160, 300, 300]
    waits = []
    for _ in range(7):
        throttle.record_failure(username="someone", address=None)
        waits.append(throttle.wait_seconds(username="someone", address=None))
    assert waits == [0, 0, 0, 5, 10, 20, 40]


def test_early_tries_are_refused_without_counting(world: World) -> None:
    for _ in range(4):
        _try(world.teacher.username, "nope")
    counted = SignInFailure.objects.count()
    for _ in range(5):
        _, page = _try(world.teacher.username, "nope again")
        assert "Wait" in page
    assert SignInFailure.objects.count() == counted  # refused tries checked no password and count nothing


def test_usernames_are_counted_whatever_their_case(world: World) -> None:
    for _ in range(4):
        _try(world.student.username.upper(), "wrong")
    assert throttle.wait_seconds(username=world.student.username, address=None) > 0


@override_settings(CAIRN_SIGNIN_ADDRESS_FAILURES=20)
def test_spraying_from_one_address_is_refused_across_accounts(world: World) -> None:
    for n in range(21):  # one guess at each of many accounts: never slowed per account
        status, page = _try(f"made-up-{n}", "Password1")
        assert "Wait" not in page
    status, page = _try(world.teacher.username, PASSWORD)
    assert "Wait" in page  # the address waits, even for an account it never tried
    assert status == 200
    # Another address is not held up by it.
    status, _ = _try(world.teacher.username, PASSWORD, address="198.51.100.2")
    assert status == 302
    _age_failures(int(throttle.ADDRESS_WINDOW.total_seconds()) + 1)
    status, _ = _try(world.teacher.username, PASSWORD)
    assert status == 302

"""load_demo will not put ~300 accounts with a published password beside a district's real people."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cairn.accounts.models import District, User
from cairn.project.management.commands import load_demo
from tests.conftest import World


class _PastTheGuard(Exception):
    pass


@pytest.fixture
def seeding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding the demo takes a minute; these tests only need to know whether it would start."""

    def seed(**kwargs: object) -> None:
        raise _PastTheGuard

    monkeypatch.setattr(load_demo, "seed_demo_district", seed)


def test_it_refuses_a_database_with_real_people(world: World, seeding: None) -> None:
    with pytest.raises(CommandError, match="--force") as refused:
        call_command("load_demo", verbosity=0)
    assert "ana_lopez" in str(refused.value)
    assert not District.objects.filter(slug="maple-valley").exists()


def test_force_loads_it_anyway(world: World, seeding: None) -> None:
    with pytest.raises(_PastTheGuard):
        call_command("load_demo", "--force", verbosity=0)


@pytest.mark.parametrize("usernames", [[], ["admin.maple", "mrivera", "student001", "guardian150"]])
def test_an_empty_or_demo_database_is_loaded(db: None, seeding: None, usernames: list[str]) -> None:
    for username in usernames:
        User.objects.create_user(username=username)
    with pytest.raises(_PastTheGuard):
        call_command("load_demo", verbosity=0)


def test_a_student_numbered_like_the_demo_but_named_otherwise_is_a_real_person(db: None) -> None:
    User.objects.create_user(username="student001x")
    assert load_demo.real_people() == ["student001x"]

"""The command line, run as a newcomer would: in a fresh data folder, in a separate process."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_cairn


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run_cairn("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ["demo", "serve", "manage", "evaluate"]:
        assert command in result.stdout


def test_demo_sets_up_a_fresh_install_and_prints_logins(tmp_path: Path) -> None:
    result = run_cairn("demo", "--no-serve", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Demo logins" in result.stdout
    assert "mrivera" in result.stdout
    # The demo shows the product: the first class has students stuck, idle, ahead and behind their goal, so
    # its teacher's Today has many kinds of action (a student's stuck reflection in their words among them)
    # and the class view's filters find someone.
    story = re.search(
        r"Grade 4 Math A on Today: (.*); class view: (\d+) stuck, (\d+) not active", result.stdout
    )
    assert story is not None, result.stdout
    kinds = set(story.group(1).split(", "))
    assert {"stuck", "voice"} <= kinds and len(kinds) >= 4, kinds
    assert int(story.group(2)) > 0 and int(story.group(3)) > 0
    assert (tmp_path / "cairn.sqlite3").exists()
    again = run_cairn("demo", "--no-serve", data_dir=tmp_path)  # a second run finds the demo and keeps it
    assert again.returncode == 0
    assert again.stdout.count("mrivera") == 1


def test_unknown_command_fails_with_a_message(tmp_path: Path) -> None:
    result = run_cairn("no-such-command", data_dir=tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr

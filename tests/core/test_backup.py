"""``cairn backup`` and ``cairn restore``, run as an operator runs them: separate processes on real database
files (the suite's own database is in memory), the restored copy read back row by row."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from cairn.cli.backup import MANIFEST, SQLITE_COPY, pg_binary
from cairn.core.errors import CairnError
from tests.conftest import run_cairn

# Migrate, load the demo (no history), and have three students each answer a question twice (a first miss
# keeps it open for a second try), through the services, as the API would.
MAKE_DATA = """
import uuid
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", weeks=0, verbosity=0)
from cairn.accounts.models import Role, User
from cairn.curriculum.models import Competency
from cairn.engine import items
from cairn.learning.selectors.path import student_path
from cairn.learning.services import practice, questions

def wrong(served):
    spec = questions.item_instance(served).spec
    if isinstance(spec, items.ChoiceSpec):
        return next(c.id for c in spec.choices if c.id not in spec.correct)
    return "9999" if isinstance(spec, items.NumericSpec) else "not this"

for s in User.objects.filter(role_assignments__role=Role.STUDENT).distinct().order_by("pk")[:3]:
    row = next(r for r in student_path(s).rows if r.status in ("ready", "in_progress"))
    served = questions.serve(s, Competency.objects.get(pk=row.competency_id))
    for _ in range(2):
        practice.answer_and_next(s, str(served.token), str(uuid.uuid4()), wrong(served))
"""

# What "the same students and answers" means: every person, every answer with its attempt id, and the
# progress counters, by username (the same SQL on SQLite and PostgreSQL).
QUERIES = {
    "people": "SELECT username, first_name, last_name FROM accounts_user ORDER BY username",
    "attempts": "SELECT u.username, a.client_attempt_id, a.answer, a.correct, a.try_number, a.item_id "
    "FROM learning_attempt a JOIN accounts_user u ON u.id = a.student_id",
    "progress": "SELECT u.username, p.competency_id, p.attempts, p.correct, p.status "
    "FROM learning_progress p JOIN accounts_user u ON u.id = p.student_id",
}


def _rows(fetch: Any) -> dict[str, list[tuple[object, ...]]]:
    """Each query's rows, sorted and with booleans as bools (SQLite keeps them as 0/1)."""
    out = {}
    for name, sql in QUERIES.items():
        rows = [
            tuple(bool(v) if name == "attempts" and i == 3 else v for i, v in enumerate(r))
            for r in fetch(sql)
        ]
        out[name] = sorted(rows, key=repr)
    return out


def _sqlite_rows(data_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{data_dir / 'cairn.sqlite3'}?mode=ro", uri=True)
    try:
        return _rows(lambda sql: conn.execute(sql).fetchall())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo, three students' answers and a media file."""
    data_dir = tmp_path_factory.mktemp("source")
    made = run_cairn("manage", "shell", "-c", MAKE_DATA, data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    (data_dir / "media" / "uploads").mkdir(parents=True)
    (data_dir / "media" / "uploads" / "note.txt").write_text("kept")
    return data_dir


def test_a_restored_backup_holds_the_same_students_and_answers(source: Path, tmp_path: Path) -> None:
    original = _sqlite_rows(source)
    assert len(original["attempts"]) == 6
    assert len(original["people"]) > 3

    made = run_cairn("backup", str(tmp_path / "backup"), data_dir=source)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["database"] == "sqlite"
    assert manifest["media"] == "media"
    assert "0001_initial" in manifest["migrations"]["learning"]
    # The copy is one self-contained file: no WAL beside it to lose.
    copy = sqlite3.connect(tmp_path / "backup" / SQLITE_COPY)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()

    fresh = tmp_path / "fresh"
    restored = run_cairn("restore", str(tmp_path / "backup"), data_dir=fresh)
    assert restored.returncode == 0, restored.stderr
    assert _sqlite_rows(fresh) == original
    assert (fresh / "media" / "uploads" / "note.txt").read_text() == "kept"
    # And Cairn itself serves it: the ORM of a new process reads the students' answers back.
    counted = run_cairn(
        "manage", "shell", "-c",
        "from cairn.learning.models import Attempt; print(Attempt.objects.filter(correct=False).count())",
        data_dir=fresh,
    )  # fmt: skip
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.strip().splitlines()[-1] == "6"


def test_restore_refuses_to_overwrite_data_unless_forced(source: Path, tmp_path: Path) -> None:
    assert run_cairn("backup", str(tmp_path / "backup"), data_dir=source).returncode == 0
    target = tmp_path / "target"
    assert run_cairn("restore", str(tmp_path / "backup"), data_dir=target).returncode == 0
    with sqlite3.connect(target / "cairn.sqlite3") as conn:
        conn.execute("DELETE FROM learning_attempt WHERE try_number = 2")

    refused = run_cairn("restore", str(tmp_path / "backup"), data_dir=target)
    assert refused.returncode == 1
    assert "already holds data" in refused.stderr
    assert "--force" in refused.stderr
    assert len(_sqlite_rows(target)["attempts"]) == 3  # untouched

    forced = run_cairn("restore", "--force", str(tmp_path / "backup"), data_dir=target)
    assert forced.returncode == 0, forced.stderr
    assert _sqlite_rows(target) == _sqlite_rows(source)


def test_restore_refuses_a_folder_without_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "not-a-backup").mkdir()
    (tmp_path / "not-a-backup" / SQLITE_COPY).write_bytes(b"")
    result = run_cairn("restore", str(tmp_path / "not-a-backup"), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "not a Cairn backup" in result.stderr
    assert MANIFEST in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    result = run_cairn("backup", str(tmp_path / "full"), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["something"]


# --- PostgreSQL: when the suite runs on PostgreSQL and pg_dump is installed -------------------------------
def _pg_available() -> bool:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return False
    try:
        pg_binary("pg_dump")
        pg_binary("pg_restore")
    except CairnError:
        return False
    return True


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two throwaway databases on the suite's PostgreSQL server: a source and an empty target."""
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    names = [f"cairn_backup_{role}_{os.getpid()}" for role in ("src", "dst")]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        src, dst = (urlunsplit(parts._replace(path=f"/{name}")) for name in names)
        yield src, dst
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(not _pg_available(), reason="needs the suite on PostgreSQL and pg_dump/pg_restore")
def test_postgresql_backup_restores_the_same_students_and_answers(
    pg_databases: tuple[str, str], tmp_path: Path
) -> None:
    import psycopg

    src, dst = pg_databases

    def rows(url: str) -> dict[str, list[tuple[object, ...]]]:
        with psycopg.connect(url) as conn:
            return _rows(lambda sql: conn.execute(sql).fetchall())

    made = run_cairn("manage", "shell", "-c", MAKE_DATA, data_dir=tmp_path / "a", database_url=src)
    assert made.returncode == 0, made.stderr
    backed = run_cairn("backup", str(tmp_path / "backup"), data_dir=tmp_path / "a", database_url=src)
    assert backed.returncode == 0, backed.stderr
    assert json.loads((tmp_path / "backup" / MANIFEST).read_text())["database"] == "postgresql"

    restored = run_cairn("restore", str(tmp_path / "backup"), data_dir=tmp_path / "b", database_url=dst)
    assert restored.returncode == 0, restored.stderr
    original = rows(src)
    assert len(original["attempts"]) == 6
    assert rows(dst) == original
    again = run_cairn("restore", str(tmp_path / "backup"), data_dir=tmp_path / "b", database_url=dst)
    assert again.returncode == 1
    assert "--force" in again.stderr

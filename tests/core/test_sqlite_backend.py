"""Cairn's SQLite backend: a database file runs in WAL mode, and a transaction on it holds the writer lock
until it ends."""

from __future__ import annotations

import copy
import fcntl
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler

from cairn.project.settings import SQLITE_OPTIONS


def _connection(path: Path):  # type: ignore[no-untyped-def]
    handler = ConnectionHandler(
        {"default": {"ENGINE": "cairn.project.sqlite_backend", "NAME": str(path), "OPTIONS": SQLITE_OPTIONS}}
    )
    return handler["default"]


def _lock_is_free(path: Path) -> bool:
    fd = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_database_file_runs_in_wal_mode(tmp_path: Path, django_db_blocker: pytest.FixtureRequest) -> None:
    """The tests' own database lives in memory, where SQLite has no WAL to turn on; so this opens a file
    database configured exactly as the project's settings configure the real one, and asks it."""
    config = copy.deepcopy(settings.DATABASES["default"])
    if config["ENGINE"] != "cairn.project.sqlite_backend":
        pytest.skip(f"the database is {config['ENGINE']}; WAL is SQLite's")
    config["NAME"] = str(tmp_path / "cairn.sqlite3")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]  # a database of its own, not the test one
        conn = ConnectionHandler({"default": config})["default"]
        try:
            with conn.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
        finally:
            conn.close()


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_a_transaction_holds_the_writer_lock_until_it_ends(
    tmp_path: Path, end: str, django_db_blocker: pytest.FixtureRequest
) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]  # a database of its own, not the test one
        _transaction_then(tmp_path / "cairn.sqlite3", end)


def _transaction_then(db: Path, end: str) -> None:
    conn = _connection(db)
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    assert _lock_is_free(db)  # autocommit statements don't queue

    # What transaction.atomic() does: BEGIN IMMEDIATE, here behind the lock.
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    assert not _lock_is_free(db)

    getattr(conn, end)()
    assert _lock_is_free(db)
    if end != "close":
        conn.set_autocommit(True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            assert cursor.fetchone()[0] == (1 if end == "commit" else 0)
        conn.close()


def test_an_in_memory_database_needs_no_lock_file(django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        conn = _connection(Path(":memory:"))
        conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
        conn.commit()
        conn.close()
    assert not Path(":memory:.writer-lock").exists()

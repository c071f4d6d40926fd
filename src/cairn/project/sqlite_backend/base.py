"""Django's SQLite backend, with writers queuing on an OS file lock instead of SQLite's busy loop.

SQLite allows one writer at a time. A second writer that finds the database locked is put to sleep by
SQLite's busy handler in growing steps (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms) and wakes only
to try again, so under concurrent answers a short wait for a 5 ms transaction often costs 20–200 ms.
Here every transaction (Django starts them with ``BEGIN IMMEDIATE``, see settings) first takes an
exclusive ``flock`` on a file beside the database; the kernel wakes the next writer the moment the lock is
released. Written by hand because neither Django nor the sqlite3 module exposes SQLite's busy handler;
the file lock is the standard way to queue writers across processes (gunicorn workers) and threads.

Single statements outside a transaction (autocommit writes) still use SQLite's own locking; in-memory
databases (the tests) need no queue.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writing = False

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writer-lock"

    def _acquire_writer(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writing:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writing = True

    def _release_writer(self) -> None:
        if self._writing and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writing = False

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_writer()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            self._release_writer()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None

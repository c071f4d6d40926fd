"""``cairn backup DIR`` and ``cairn restore DIR``: a consistent copy of the database (and media) and back.

SQLite is copied with its online backup API, page by page inside read transactions, so the copy is
consistent while the server keeps answering (copying the file could catch a half-written transaction or miss
what is still in the WAL). PostgreSQL goes through ``pg_dump --format=custom`` and ``pg_restore``. Next to
the copy, ``manifest.json`` records when it was made, by which Cairn, from which database vendor and at
which migration state: restore reads it first, so it refuses a folder that is not a backup, or a backup of
the other vendor, before it touches anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cairn.core.errors import CairnError, Conflict, Invalid

MANIFEST = "manifest.json"
SQLITE_COPY = "cairn.sqlite3"
PG_DUMP = "cairn.pgdump"
MEDIA = "media"
PAGES_PER_STEP = 4096  # SQLite pages copied per step of the backup API (16 MiB at the default page size)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    b = subparsers.add_parser(
        "backup",
        help="copy the database (and media) into DIR, consistently, while Cairn runs",
        description="Write a consistent copy of the database, the media folder and a manifest into DIR "
        "(created if missing; it must be empty).",
    )
    b.add_argument("dir", type=Path, metavar="DIR")
    b.set_defaults(func=run_backup)
    r = subparsers.add_parser(
        "restore",
        help="restore a backup made by `cairn backup` into this install's database",
        description="Restore the database and media from DIR (made by `cairn backup`). Refuses a database "
        "that already holds data unless --force is given.",
    )
    r.add_argument("dir", type=Path, metavar="DIR")
    r.add_argument("--force", action="store_true", help="overwrite a database that already holds data")
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    return _reporting("backup", lambda: backup(args.dir))


def run_restore(args: argparse.Namespace) -> int:
    return _reporting("restore", lambda: restore(args.dir, force=args.force))


def _reporting(command: str, action: Callable[[], object]) -> int:
    """Run the action; a refusal is one line on stderr and exit status 1, not a traceback."""
    try:
        action()
    except CairnError as exc:
        print(f"cairn {command}: {exc.message}", file=sys.stderr)
        return 1
    return 0


def backup(target: Path) -> dict[str, Any]:
    """Copy the database and the media folder into ``target``, then write the manifest (last, so a folder
    with a manifest holds a whole backup); returns the manifest."""
    from cairn.cli.django_setup import setup_django

    setup_django(migrate=False)
    from django.conf import settings
    from django.db import connection

    target = target.resolve()
    if target.exists() and any(target.iterdir()):
        raise Conflict(f"{target} is not empty; back up into a new or empty folder.")
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        _copy_sqlite(Path(settings.DATABASES["default"]["NAME"]), target / SQLITE_COPY, to_backup=True)
        database_file = SQLITE_COPY
    elif vendor == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--no-owner", f"--file={target / PG_DUMP}")
        database_file = PG_DUMP
    else:
        raise Invalid(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    media = Path(settings.MEDIA_ROOT)
    has_media = media.is_dir() and any(media.iterdir())
    if has_media:
        shutil.copytree(media, target / MEDIA)
    manifest = {
        "format": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cairn_version": _version(),
        "database": vendor,
        "database_file": database_file,
        "media": MEDIA if has_media else None,
        "migrations": _applied_migrations(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"Backed up the {vendor} database{' and media' if has_media else ''} to {target} ({size:,} bytes).")
    return manifest


def restore(source: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore the database and media from a backup folder into this install; returns its manifest."""
    source = source.resolve()
    manifest = read_manifest(source)
    from cairn.cli.django_setup import setup_django

    setup_django(migrate=False)
    from django.conf import settings
    from django.db import connection, connections

    vendor = connection.vendor
    if manifest.get("database") != vendor:
        raise Invalid(
            f"{source} holds a {manifest.get('database')} backup, but this install uses {vendor}; "
            "restore it into an install on the same database."
        )
    copy = source / Path(str(manifest.get("database_file", ""))).name
    if not copy.is_file():
        raise Invalid(f"{source} is incomplete: the manifest names {copy.name}, which is missing.")
    if not force and (people := _people()):
        raise Conflict(
            f"The database already holds data ({people} people); restoring would replace it. "
            "Back it up first (`cairn backup DIR`), then run again with --force."
        )
    connections.close_all()
    if vendor == "sqlite":
        _copy_sqlite(copy, Path(settings.DATABASES["default"]["NAME"]), to_backup=False)
    else:
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--exit-on-error", str(copy))  # fmt: skip
    if manifest.get("media") and (source / MEDIA).is_dir():
        shutil.copytree(source / MEDIA, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    print(f"Restored the {vendor} backup of {manifest.get('created_at')} from {source}.")
    _say_migration_gap(manifest.get("migrations") or {})
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.is_file():
        raise Invalid(
            f"{source} is not a Cairn backup: it has no {MANIFEST} (`cairn backup DIR` writes one)."
        )
    try:
        manifest = json.loads(path.read_text())
    except ValueError as exc:
        raise Invalid(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict):
        raise Invalid(f"{path} is not a Cairn backup manifest.")
    return manifest


def _copy_sqlite(source: Path, target: Path, *, to_backup: bool) -> None:
    """Copy one SQLite database onto another with the backup API. A backup ends in rollback-journal mode:
    one self-contained file (the install's connections switch the restored copy back to WAL)."""
    if not source.is_file():
        raise Invalid(f"There is no SQLite database at {source}.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        total = src.execute("PRAGMA page_count").fetchone()[0]
        big = total > 8 * PAGES_PER_STEP
        verb = "Backing up" if to_backup else "Restoring"

        def progress(status: int, remaining: int, pages: int) -> None:
            if big:
                print(f"\r{verb}: {100 * (pages - remaining) // max(pages, 1)}%", end="", file=sys.stderr)

        src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
        if big:
            print(file=sys.stderr)
        if to_backup:
            dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise CairnError(f"The copy at {target} failed SQLite's integrity check: {check}")
    finally:
        dst.close()
        src.close()


def pg_binary(name: str) -> str:
    """``pg_dump``/``pg_restore`` from PATH, else the newest under /usr/lib/postgresql/*/bin (Debian keeps
    them there); a dump made by an older pg_dump than the server is refused by PostgreSQL."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return versions[-1]
    raise CairnError(
        f"{name} was not found on PATH or under /usr/lib/postgresql/*/bin; install PostgreSQL's client "
        "programs (Debian/Ubuntu: apt-get install postgresql-client)."
    )


def _run_pg(program: str, *args: str) -> None:
    """Run pg_dump or pg_restore against the configured database; the password travels in the environment,
    not on the command line where other users could read it."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    argv = [pg_binary(program), f"--dbname={db['NAME']}", *args]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CairnError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")


def _people() -> int:
    """How many people the database holds: what makes it a school's data, worth refusing to overwrite. (A
    freshly migrated database already has rows, from migrate's own data migrations, but no people.)"""
    from django.contrib.auth import get_user_model
    from django.db import connection

    model = get_user_model()
    if model._meta.db_table not in connection.introspection.table_names():
        return 0
    return int(model.objects.count())


def _applied_migrations() -> dict[str, list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _say_migration_gap(backed_up: dict[str, list[str]]) -> None:
    """Tell the operator when the backup's migration state differs from this Cairn's migrations."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    had = {(app, name) for app, names in backed_up.items() for name in names}
    if unknown := had - known:
        print(f"Warning: the backup has {len(unknown)} migrations this Cairn does not know (it was made by a "
              "newer version); upgrade Cairn before serving it.", file=sys.stderr)  # fmt: skip
    if known - had:
        print("This Cairn has migrations the backup lacks: run `cairn manage migrate` before serving.")


def _version() -> str:
    from cairn import __version__

    return __version__

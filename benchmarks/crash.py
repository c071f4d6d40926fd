"""Benchmark: no acknowledged answer is lost or counted twice when every server process is killed.

Set-up (from ``answer_loop``): a throwaway data folder, migrated, the demo loaded, ``--students`` students
with a session each, ``cairn serve`` on loopback. Then client threads answer through the API back to back
for ``--seconds``, each answer with a client-made attempt id. ``--kills`` times during the load the gunicorn
master and all its workers get ``kill -9`` together, and the server is started again; the load goes on
through the restarts. A client whose request got no response (refused, reset, cut off) sends the same answer
with the same attempt id again, as a real client retries: the server must count it once.

Afterwards every acknowledged answer (a 2xx response the client read, with its attempt id) is looked up:

- ``lost``: acknowledged, but no Attempt row holds its attempt id;
- ``duplicated``: Attempt rows beyond one per (student, attempt id), plus answers counted twice: for each
  (student, competency) the growth of ``Progress.attempts`` over the growth of its Attempt rows.

The kill takes down processes, not the machine: what a process wrote before dying is in the OS's cache and
survives, so this tests that an answer is acknowledged only after its transaction commits, and that a
retried answer is not counted again; it does not test power loss (SQLite runs ``synchronous=NORMAL``).

SQLite by default; PostgreSQL when ``DATABASE_URL`` is set: a throwaway database ``cairn_crash_<pid>`` is
created on that server and dropped afterwards.

    python benchmarks/crash.py [--students 40] [--seconds 24] [--kills 2] [--workers 2] [--threads 8]

Last line: JSON with keys acknowledged, lost, duplicated (and database, kills, retried, errors, ...).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from answer_loop import Loop, Student, each, free_port, request, serve, setup

# What a request to a killed (or not yet restarted) server raises.
NO_RESPONSE = (OSError, http.client.HTTPException)


@dataclass
class Pending:
    """An answer sent but not acknowledged: it is sent again, with the same attempt id."""

    attempt_id: str
    token: str
    answer: str


class CrashLoop(Loop):
    """The answer loop's clients, keeping every acknowledged attempt id and retrying unanswered ones."""

    def __init__(self, port: int, students: list[Student], seed: int) -> None:
        super().__init__(port, students, seed)
        self.acknowledged: dict[str, int] = {}  # attempt id -> student pk
        self.pending: dict[int, Pending] = {}  # student pk -> the answer to send again
        self.retried = 0
        self.no_response = 0

    def pick(self) -> Student | None:
        """Any idle student: one without an open question opens one first (see ``answer``)."""
        with self.lock:
            idle = [s for s in self.students if not s.busy]
            if not idle:
                return None
            student = self.rng.choice(idle)
            student.busy = True
            return student

    def reopen(self, student: Student) -> None:
        """Open a question on the first ready competency of the student's path."""
        status, path, _ = request(self.port, "GET", "/api/v1/learning/path", student.cookie)
        rows = path.get("competencies", []) if status == 200 else []
        ready = [r for r in rows if r["status"] in ("ready", "in_progress")]  # type: ignore[union-attr,index]
        if ready:
            cid = ready[0]["competency_id"]  # type: ignore[index]
            status, question, _ = request(
                self.port, "POST", f"/api/v1/learning/practice/{cid}", student.cookie
            )
            if status == 200:
                self.prepare(student, question)

    def answer(self, student: Student) -> float | None:
        """Send the student's pending answer again, or a new one; None when no response came back."""
        try:
            if student.pk not in self.pending and not student.token:
                self.reopen(student)
                if not student.token:
                    return None
            pending = self.pending.get(student.pk)
            if pending is None:
                pending = Pending(str(uuid.uuid4()), student.token, student.answer)
                self.pending[student.pk] = pending
            else:
                self.retried += 1
            status, body, elapsed = request(
                self.port, "POST", f"/api/v1/learning/questions/{pending.token}/answer", student.cookie,
                {"attempt_id": pending.attempt_id, "answer": pending.answer},
            )  # fmt: skip
            del self.pending[student.pk]  # a response came: the server decided, no retry
            student.token = ""
            if not 200 <= status < 300:
                self.errors += 1
                return None
            with self.lock:
                self.acknowledged[pending.attempt_id] = student.pk
            nxt, board = body.get("next_question"), body.get("next_options")
            self.prepare(student, nxt if isinstance(nxt, dict) else None, board)  # type: ignore[arg-type]
            return elapsed
        except (*NO_RESPONSE, RuntimeError):  # RuntimeError: a response that was not JSON (a dying worker)
            with self.lock:
                self.no_response += 1
            time.sleep(0.2)  # the server is down: don't spin
            return None
        finally:
            student.busy = False


def server_pids(master: int) -> list[int]:
    """The gunicorn master and every process under it (Linux /proc)."""
    out, todo = [], [master]
    while todo:
        pid = todo.pop()
        out.append(pid)
        with suppress(OSError):
            todo += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie holds no socket and no database connection


def kill_all(server: subprocess.Popen[bytes]) -> int:
    """kill -9 the master and all workers at once; returns how many processes died."""
    pids = server_pids(server.pid)
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(pids)


def start(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``cairn serve``, returned once a worker answers (its app loaded), not just once the port listens."""
    server = serve(data_dir, port, workers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz", "")[0] == 200:
                return server
        except (*NO_RESPONSE, RuntimeError):
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"the server did not answer; see {data_dir / 'server.log'}")


def load(loop: CrashLoop, threads: int, stop: threading.Event) -> list[threading.Thread]:
    def client() -> None:
        while not stop.is_set():
            student = loop.pick()
            if student is None:
                time.sleep(0.002)
                continue
            loop.answer(student)

    out = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for th in out:
        th.start()
    return out


def counts(pks: list[int]) -> tuple[Counter[tuple[int, int]], Counter[tuple[int, int]]]:
    """Per (student, competency): Progress.attempts, and the number of Attempt rows."""
    from django.db.models import Count

    from cairn.learning.models import Attempt, Progress

    progress = Counter(
        {(p.student_id, p.competency_id): p.attempts for p in Progress.objects.filter(student_id__in=pks)}
    )
    rows = Attempt.objects.filter(student_id__in=pks).values("student_id", "competency_id")
    attempts = Counter({(r["student_id"], r["competency_id"]): r["n"] for r in rows.annotate(n=Count("id"))})
    return progress, attempts


def verify(
    loop: CrashLoop, before: tuple[Counter[tuple[int, int]], Counter[tuple[int, int]]]
) -> dict[str, object]:
    """Look every acknowledged answer up, and compare the progress counters with the Attempt rows."""
    from django.db import connection
    from django.db.models import Count

    from cairn.learning.models import Attempt

    pks = [s.pk for s in loop.students]
    stored = Counter(
        (r["student_id"], str(r["client_attempt_id"]))
        for r in Attempt.objects.filter(student_id__in=pks).values("student_id", "client_attempt_id")
    )
    lost = sum(1 for aid, pk in loop.acknowledged.items() if stored[(pk, aid)] == 0)
    extra_rows = sum(n - 1 for n in stored.values() if n > 1)
    same_id = Attempt.objects.values("client_attempt_id").annotate(n=Count("id")).filter(n__gt=1).count()
    progress, attempts = counts(pks)
    keys = set(progress) | set(attempts) | set(before[0]) | set(before[1])
    growth = {k: (progress[k] - before[0][k], attempts[k] - before[1][k]) for k in keys}
    counted_twice = sum(max(0, p - a) for p, a in growth.values())
    mismatched = sum(1 for p, a in growth.values() if p != a)
    table = Attempt._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    unique = any(
        c["unique"] and c["columns"] == ["student_id", "client_attempt_id"] for c in constraints.values()
    )
    return {
        "acknowledged": len(loop.acknowledged),
        "lost": lost,
        "duplicated": extra_rows + counted_twice,
        "attempt_ids_shared_across_students": same_id,
        "progress_mismatches": mismatched,
        "attempt_rows_added": sum(a for _, a in growth.values()),
        "unique_constraint_in_db": unique,
    }


@contextmanager
def throwaway_database() -> Iterator[str]:
    """SQLite in the data folder, or, with DATABASE_URL set, a new database on that server (dropped after)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield "sqlite"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"cairn_crash_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield "postgresql"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        os.environ["DATABASE_URL"] = url


def run(args: argparse.Namespace, data_dir: Path, database: str) -> dict[str, object]:
    """Set up, load, kill and restart ``--kills`` times, load on, stop, verify."""
    students = setup(data_dir, args.students)
    port = free_port()
    server = start(data_dir, port, args.workers)
    loop = CrashLoop(port, students, args.seed)
    try:
        each(students, loop.reopen)
        print(f"{sum(1 for s in students if s.token)} students have a question open", file=sys.stderr)
        before = counts([s.pk for s in students])
        stop = threading.Event()
        threads = load(loop, args.threads, stop)
        # The load runs `seconds` in all, split into kills + 1 stretches while the server is up; each kill
        # comes at a random moment in the second half of its stretch, and the last stretch ends the run.
        stretch = args.seconds / (args.kills + 1)
        killed, downtime = [], []
        for k in range(args.kills):
            time.sleep(stretch * random.uniform(0.5, 1.0))
            acked = len(loop.acknowledged)
            t0 = time.monotonic()
            killed.append(kill_all(server))
            server = start(data_dir, port, args.workers)
            downtime.append(time.monotonic() - t0)
            print(f"kill {k + 1}: {killed[-1]} processes killed after {acked} acknowledged answers; "
                  f"answering again after {downtime[-1]:.1f} s", file=sys.stderr, flush=True)  # fmt: skip
        time.sleep(stretch)
        stop.set()
        for th in threads:
            th.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = verify(loop, before)
    return {
        **result,
        "database": database,
        "kills": len(killed),
        "processes_killed": sum(killed),
        "restart_s": round(max(downtime, default=0.0), 1),
        "no_response": loop.no_response,
        "retried": loop.retried,
        "errors": loop.errors,
        "students": args.students,
        "workers": args.workers,
        "seconds": args.seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=24.0, help="seconds of load, restarts not counted")
    parser.add_argument("--kills", type=int, default=2, help="kill-restart cycles during the load")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="client threads answering back to back")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)

    data_dir = Path(tempfile.mkdtemp(prefix="cairn-crash-"))
    try:
        with throwaway_database() as database:
            print(
                f"data folder {data_dir} ({database}); setting up {args.students} students…", file=sys.stderr
            )
            result = run(args, data_dir, database)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result))
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

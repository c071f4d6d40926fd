"""Benchmark: the families' weekly digests of a large district, rendered and sent by SMTP.

Set-up (not timed): a throwaway data folder with a fresh SQLite database (WAL), migrated; ``--students``
students, each with a guardian (one guardian in twenty has two children; one in five reads Spanish; every
guardian has an address), 40 competencies with "I can" statements in English and Spanish, and each student's
last week: two competencies mastered, two in progress, a weekly goal for half of them and a teacher's note
for one in ten (bulk inserts). An SMTP server on loopback (aiosmtpd, in a process of its own so that it does
not share this one's CPU) accepts and counts the mail.

Timed: the beat task's work, through the same code path: guardian ids in batches of ``--batch``
(``cairn.families.tasks.guardian_batches``, an iterator), each batch through the
``cairn.families.send_digest_batch`` task in ``--workers`` processes (a Celery worker's pool): the
batch's reads, each digest rendered (text and HTML, in the guardian's language, with its signed links)
and sent over one SMTP connection per batch, and the batch recorded in ``DigestSent``. A worker's resident
memory is read after a third of the district and at the end, to show that it does not grow with it.

    python benchmarks/digest.py [--students 30000] [--batch 200]

Last line: JSON with keys digests_per_s (target >= 50 on 2 cores), students, digests, received (by the SMTP
server), digests_per_cpu_s (per second of the workers' CPU: what a machine busy with other work does not
change), workers, peak_rss_mb (the largest process), rss_mb_at_third and rss_mb_at_end (a worker's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

SMTP_SERVER = """
import asyncio, signal, sys
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})  # for sigwait, in every thread
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
c.stop()
print(Count.n, flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def setup(data_dir: Path, n_students: int, port: int) -> dt.date:
    """Build the district; returns this Monday (the digests tell about the week before it)."""
    os.environ.update(
        CAIRN_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="cairn.project.settings",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
    )
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "DEBUG"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cairn.accounts.models import GuardianLink, User
    from cairn.agency.models import WeeklyGoal
    from cairn.curriculum.models import Competency, Framework
    from cairn.families.models import TeacherNote
    from cairn.learning.models import Progress

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    last_week = timezone.make_aware(dt.datetime.combine(monday - dt.timedelta(days=5), dt.time(10)))
    n_guardians = n_students - n_students // 20
    with transaction.atomic():
        framework = Framework.objects.create(identifier="bench", title="Bench math")
        comps = Competency.objects.bulk_create(
            Competency(
                framework=framework,
                identifier=f"bench-{k}",
                code=f"B.{k}",
                statement=f"Standard {k} in the framework's words",
                student_statement=f"I can do step {k} of fractions",
                translations={"es": {"student_statement": f"Puedo hacer el paso {k} de las fracciones"}},
                list_order=k,
            )
            for k in range(40)
        )
        teacher = User.objects.create(username="bench-teacher", first_name="Rosa", last_name="Rivera")
        students = User.objects.bulk_create(
            (
                User(username=f"s{k:06d}", first_name=f"Kid{k}", last_name="Bench", password="!")
                for k in range(n_students)
            ),
            batch_size=5000,
        )
        guardians = User.objects.bulk_create(
            (
                User(
                    username=f"g{k:06d}",
                    first_name=f"Parent{k}",
                    last_name="Bench",
                    email=f"g{k:06d}@example.org",
                    language="es" if k % 5 == 0 else "en",
                    password="!",
                )
                for k in range(n_guardians)
            ),
            batch_size=5000,
        )
        GuardianLink.objects.bulk_create(
            (GuardianLink(guardian=guardians[k % n_guardians], student=s) for k, s in enumerate(students)),
            batch_size=5000,
        )
        Progress.objects.bulk_create(
            (
                Progress(
                    student=s,
                    competency=comps[(k + j) % 40],
                    status="mastered" if j < 2 else "in_progress",
                    mastery=0.96 if j < 2 else 0.5,
                    attempts=5,
                    mastered_at=last_week if j < 2 else None,
                    last_attempt_at=last_week,
                )
                for k, s in enumerate(students)
                for j in range(4)
            ),
            batch_size=5000,
        )
        WeeklyGoal.objects.bulk_create(
            (
                WeeklyGoal(student=s, week_start=monday - dt.timedelta(weeks=1), competencies=3, minutes=90)
                for s in students[::2]
            ),
            batch_size=5000,
        )
        TeacherNote.objects.bulk_create(
            (
                TeacherNote(student=s, author=teacher, body="A good week: kept at it after a miss.")
                for s in students[::10]
            ),
            batch_size=5000,
        )
        TeacherNote.objects.update(created_at=last_week)
    return monday


def _batch(job: tuple[list[int], str]) -> tuple[int, int, float, float]:
    """One batch task in a worker process (as a Celery worker runs it): (sent, guardians, worker's rss, the
    batch's CPU seconds)."""
    from cairn.families import tasks

    ids, week = job
    cpu = time.process_time()
    sent = tasks.send_digest_batch(ids, week)
    return sent, len(ids), rss_mb(), time.process_time() - cpu


def send_all(
    monday: dt.date, batch: int, n_guardians: int, workers: int
) -> tuple[int, float, float, float, float]:
    """Every guardian's digest through the batch task, in ``workers`` processes (forked after set-up, like a
    Celery worker's pool); returns (sent, seconds, the workers' CPU seconds, a worker's rss at a third of the
    district, at the end)."""
    from django.db import connections
    from django.urls import reverse

    from cairn.families import tasks

    reverse("families-preferences")  # the URLconf, imported once before the fork as a worker would
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # no line per batch
    jobs = ((ids, monday.isoformat()) for ids in tasks.guardian_batches(batch))
    connections.close_all()
    sent, cpu, third_rss, end_rss = 0, 0.0, 0.0, 0.0
    bar = tqdm(total=n_guardians, unit=" guardians", mininterval=2, file=sys.stderr)
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=None) as pool:
        for done, guardians, rss, batch_cpu in pool.imap_unordered(_batch, jobs):
            sent, cpu = sent + done, cpu + batch_cpu
            bar.update(guardians)
            end_rss = rss
            if not third_rss and bar.n >= n_guardians // 3:
                third_rss = rss
    elapsed = time.perf_counter() - start
    bar.close()
    return sent, elapsed, cpu, third_rss, end_rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (a Celery worker's pool)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    try:
        with tempfile.TemporaryDirectory(prefix="cairn-digest-") as tmp:
            t0 = time.perf_counter()
            monday = setup(Path(tmp), args.students, port)
            from cairn.accounts.models import GuardianLink

            n_guardians = GuardianLink.objects.values("guardian_id").distinct().count()
            print(
                f"set-up {time.perf_counter() - t0:.1f} s: {args.students} students, {n_guardians} guardians",
                flush=True,
            )
            sent, elapsed, cpu, third_rss, end_rss = send_all(monday, args.batch, n_guardians, args.workers)
    finally:
        server.terminate()
        received = int((server.communicate(timeout=30)[0] or "0").split()[-1])
    per_s = sent / elapsed if elapsed else 0.0
    print(f"sent {sent} digests in {elapsed:.1f} s: {per_s:.0f}/s; the server received {received}")
    peak = (
        max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        / 1024
    )
    print(
        json.dumps(
            {
                "digests_per_s": round(per_s, 1),
                "digests_per_cpu_s": round(sent / cpu, 1) if cpu else 0.0,
                "workers": args.workers,
                "students": args.students,
                "digests": sent,
                "received": received,
                "peak_rss_mb": round(peak, 1),
                "rss_mb_at_third": round(third_rss, 1),
                "rss_mb_at_end": round(end_rss, 1),
                "load_avg_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()

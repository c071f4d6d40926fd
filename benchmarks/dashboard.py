"""Benchmark: server time to render a teacher's class view and Today, from stored state.

Set-up (not timed): a throwaway data folder with a fresh SQLite database (WAL), migrated; a curriculum of
``--competencies`` competencies (six domains, prerequisite chains within each and a few across) each with
approved practice and a teacher-led activity, one of them with a broken link; one section of
``--students`` students and their teacher; and a term (``--weeks`` school weeks) of stored learning
state, as the practice loop leaves it: answers (attempts, each with its served item) spread over the term,
progress per student and competency (mastered, in progress, checking, stuck with an open alert, not
started), weekly goals, a few release rules, teacher overrides and saved groups. The state is written
directly (bulk inserts) rather than replayed through the practice loop: the dashboards only read it, and a
replay of a term would take many minutes.

Timed: ``--requests`` GETs of each page through Django's test client (the whole server side: middleware,
session, view, queries, template), after a few warm-up requests; p50 and p90 of the wall time per request,
and the p50 of the process's CPU time per request (on a shared, busy machine the wall time also counts the
wait for a CPU; the CPU time is the work itself).

    python benchmarks/dashboard.py [--students 35] [--competencies 60] [--weeks 16] [--requests 40]

Last line: JSON with keys class_view_p50_ms, today_p50_ms (and more).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path


def setup(data_dir: Path, n_students: int, n_competencies: int, weeks: int, seed: int) -> tuple[int, int]:
    """Build the section and its term of stored state; returns (section id, teacher id)."""
    os.environ["CAIRN_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cairn.project.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cairn.accounts import services as accounts
    from cairn.accounts.models import Course, District, Enrolment, Role, School, Section
    from cairn.agency.models import WeeklyGoal
    from cairn.agency.selectors import week_start
    from cairn.curriculum.models import (
        Competency,
        Content,
        CourseCompetency,
        Framework,
        Item,
        Prerequisite,
        Status,
    )
    from cairn.insights.models import SmallGroup
    from cairn.learning.models import Alert, Attempt, PathOverride, Progress, ReleaseRule, ServedItem

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    today = timezone.localdate()
    term_start = today - dt.timedelta(weeks=weeks)
    with transaction.atomic():
        district = District.objects.create(name="Bench District", slug="bench")
        school = School.objects.create(district=district, name="Bench Elementary", code="BE")
        section = Section.objects.create(
            school=school, name="Grade 5 Math", code="M5", grade="5", term_start=term_start, term_end=today
        )
        teacher = accounts.create_person(
            username="teacher",
            first_name="Tara",
            last_name="Teach",
            role=Role.TEACHER,
            school=school,
            password_hash="!",
        )
        accounts.enrol(teacher, section, Enrolment.Kind.TEACHER, term_start)
        students = []
        for i in range(n_students):
            s = accounts.create_person(
                username=f"s{i:03d}",
                first_name=f"Student{i:03d}",
                last_name=f"Bench{i:03d}",
                role=Role.STUDENT,
                school=school,
                grade="5",
                password_hash="!",
            )
            accounts.enrol(s, section, Enrolment.Kind.STUDENT, term_start)
            students.append(s)

        framework = Framework.objects.create(identifier="bench-fw", title="Bench standards")
        domains = ["NF", "OA", "NBT", "MD", "G", "RP"]
        per = n_competencies // len(domains)
        competencies = []
        for d, domain in enumerate(domains):
            for k in range(per):
                competencies.append(
                    Competency(
                        framework=framework,
                        identifier=f"bench-{domain}-{k}",
                        code=f"5.{domain}.{k + 1}",
                        statement=f"Standard {k + 1} of {domain}: a statement of what students can do.",
                        item_type="Standard",
                        domain=domain,
                        grade_low=5,
                        grade_high=5,
                        list_order=d * 100 + k,
                    )
                )
        Competency.objects.bulk_create(competencies)
        competencies = list(Competency.objects.filter(framework=framework).order_by("list_order"))
        edges = []
        for d in range(len(domains)):
            chain = competencies[d * per : (d + 1) * per]
            edges += [(chain[k], chain[k + 1]) for k in range(len(chain) - 1)]
            if d:  # a few prerequisites across domains
                edges.append((competencies[(d - 1) * per + 2], chain[4]))
        Prerequisite.objects.bulk_create(Prerequisite(prerequisite=a, competency=b) for a, b in edges)
        # The section studies a course of all of them: the pages read the scoped path, as real classes do.
        course = Course.objects.create(
            district=district, name="Grade 5 Math", code="M5", grade_low=5, grade_high=5
        )
        CourseCompetency.objects.bulk_create(
            CourseCompetency(course=course, competency=c, position=i) for i, c in enumerate(competencies)
        )
        Section.objects.filter(pk=section.pk).update(course=course)
        for c in competencies:
            item = Item.objects.create(
                identifier=f"item-{c.code}",
                kind="numeric",
                stem=f"Question on {c.code}?",
                spec={"kind": "numeric", "answer": "1"},
                status=Status.APPROVED,
            )
            item.competencies.add(c)
            activity = Content.objects.create(
                identifier=f"offline-{c.code}",
                title=f"Teacher-led: {c.code} with manipulatives",
                kind="offline",
                status=Status.APPROVED,
                estimated_minutes=20,
            )
            activity.competencies.add(c)
        broken = Content.objects.create(
            identifier="broken-video",
            title="A video that moved",
            kind="video",
            url="https://example.org/gone",
            status=Status.APPROVED,
            link_status=Content.LinkStatus.BROKEN,
        )
        broken.competencies.add(*competencies[1 : 1 + len(domains) * per : per])
        ReleaseRule.objects.create(
            competency=competencies[per - 1], section=section, rule={"kind": "from_date", "date": str(today)}
        )
        ReleaseRule.objects.create(
            competency=competencies[2 * per - 1],
            rule={"kind": "when_mastered", "competency": competencies[per - 2].code},
        )

        # A term of work: each student works down each domain's chain, faster or slower.
        school_days = [term_start + dt.timedelta(days=i) for i in range((today - term_start).days + 1)]
        school_days = [d for d in school_days if d.weekday() < 5]
        items = {c.pk: Item.objects.get(identifier=f"item-{c.code}") for c in competencies}
        progress_rows, served_rows, attempt_rows, alert_rows = [], [], [], []
        for s in students:
            speed = rng.uniform(0.3, 1.0)
            idle = rng.random() < 0.1
            for d in range(len(domains)):
                chain = competencies[d * per : (d + 1) * per]
                reach = int(speed * per * rng.uniform(0.5, 1.0))
                for k, c in enumerate(chain[: reach + 1]):
                    done = k < reach
                    n = rng.randint(4, 14) if done else rng.randint(1, 12)
                    mastery, trail = rng.uniform(0.1, 0.3), []
                    day_index = min(
                        len(school_days) - 1, int(len(school_days) * (k + rng.random()) / (per + 1))
                    )
                    if idle:
                        day_index = min(day_index, len(school_days) - 15)
                    when = timezone.make_aware(dt.datetime.combine(school_days[day_index], dt.time(9, 0)))
                    for _ in range(n):
                        correct = rng.random() < 0.3 + 0.6 * mastery
                        mastery = min(0.99, mastery + (0.12 if correct else -0.03) * rng.uniform(0.5, 1.5))
                        trail.append(round(max(mastery, 0.01), 4))
                        when += dt.timedelta(seconds=rng.randint(25, 90))
                        served = ServedItem(
                            student=s,
                            competency=c,
                            item=items[c.pk],
                            served_at=when,
                            tries=1,
                            closed=True,
                            solved=correct,
                        )
                        served_rows.append(served)
                        attempt_rows.append(
                            Attempt(
                                student=s,
                                client_attempt_id=uuid.UUID(int=rng.getrandbits(128)),
                                served=served,
                                competency=c,
                                item=items[c.pk],
                                answer="1" if correct else "2",
                                correct=correct,
                                p_correct=0.5,
                                mastery_after=trail[-1],
                                created_at=when,
                            )
                        )
                    spinning = not done and n >= 10 and rng.random() < 0.4
                    status = Progress.Status.MASTERED if done else Progress.Status.IN_PROGRESS
                    if not done and not spinning and trail[-1] > 0.9:
                        status = Progress.Status.CHECKING
                    progress_rows.append(
                        Progress(
                            student=s,
                            competency=c,
                            status=status,
                            mastery=0.97 if done else trail[-1],
                            uncertainty=0.15 if done else (trail[-1] * (1 - trail[-1])) ** 0.5,
                            attempts=n,
                            correct=n // 2,
                            recent_estimates=trail[-21:],
                            spinning=spinning,
                            mastered_at=when if done else None,
                            mastered_by="check" if done else "",
                            last_attempt_at=when,
                        )
                    )
                    if spinning:
                        alert_rows.append(
                            Alert(
                                student=s,
                                competency=c,
                                kind=Alert.Kind.WHEEL_SPINNING,
                                created_at=when,
                                message=f"{n} tries on {c.code} without getting closer to mastery.",
                            )
                        )
        ServedItem.objects.bulk_create(served_rows, batch_size=2000)
        Attempt.objects.bulk_create(attempt_rows, batch_size=2000)
        Progress.objects.bulk_create(progress_rows, batch_size=2000)
        Alert.objects.bulk_create(alert_rows)
        monday = week_start(today)
        WeeklyGoal.objects.bulk_create(
            WeeklyGoal(
                student=s, week_start=monday, competencies=rng.randint(1, 4), minutes=rng.choice([60, 90])
            )
            for s in students[::2]
        )
        for s in students[:4]:
            PathOverride.objects.create(
                student=s, competency=competencies[3], action="assign", reason="Bench", set_by=teacher
            )
        group = SmallGroup.objects.create(
            section=section,
            competency=competencies[2],
            name="Saved group",
            for_date=today,
            created_by=teacher,
        )
        group.students.set(students[:5])
    return section.pk, teacher.pk


class QueryCounter:
    """Counts the SQL statements a request runs (a database execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def measure(client: object, path: str, n: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Wall time and this process's CPU time per request, in ms. On a busy machine the wall time includes
    waiting for a CPU; the CPU time is the work the server did."""
    wall, cpu = [], []
    for i in range(warmup + n):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, secure=True)  # type: ignore[attr-defined]
        elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        if i >= warmup:
            wall.append(elapsed)
            cpu.append(elapsed_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=35)
    parser.add_argument("--competencies", type=int, default=60)
    parser.add_argument("--weeks", type=int, default=16)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", help="copy the data folder here, to look at it afterwards")
    parser.add_argument(
        "--profile", action="store_true", help="print where one request of each page spends time"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    with tempfile.TemporaryDirectory(prefix="cairn-dashboard-") as tmp:
        t0 = time.perf_counter()
        section_id, teacher_id = setup(Path(tmp), args.students, args.competencies, args.weeks, args.seed)
        if args.keep:
            import shutil

            shutil.copytree(tmp, args.keep, dirs_exist_ok=True)
        from django.db import connection
        from django.test import Client

        from cairn.accounts.models import User
        from cairn.learning.models import Attempt, Progress

        print(
            f"set-up {time.perf_counter() - t0:.1f} s: {args.students} students × {args.competencies} "
            f"competencies, {Attempt.objects.count()} answers over {args.weeks} weeks, "
            f"{Progress.objects.count()} progress rows",
            flush=True,
        )
        client = Client()
        client.force_login(User.objects.get(pk=teacher_id))
        pages = {
            "class_view": f"/teach/sections/{section_id}/class/",
            "today": f"/teach/sections/{section_id}/today/",
        }
        results: dict[str, object] = {}
        for name, path in pages.items():
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                first = client.get(path, secure=True)
            if first.status_code != 200:
                raise SystemExit(f"GET {path} answered {first.status_code}")
            queries = counter.count
            times, cpu = measure(client, path, args.requests)
            p50 = statistics.median(times)
            p90 = statistics.quantiles(times, n=10)[-1]
            cpu50 = statistics.median(cpu)
            size = len(client.get(path, secure=True).content)
            print(
                f"{name:<11} p50 {p50:6.1f} ms  p90 {p90:6.1f} ms  CPU p50 {cpu50:6.1f} ms  "
                f"({queries} queries, {size / 1024:.0f} KiB)"
            )
            results[f"{name}_p50_ms"] = round(p50, 1)
            results[f"{name}_p90_ms"] = round(p90, 1)
            results[f"{name}_cpu_p50_ms"] = round(cpu50, 1)
        if args.profile:
            import cProfile
            import pstats

            for name, path in pages.items():
                profiler = cProfile.Profile()
                profiler.runcall(client.get, path, secure=True)
                print(f"--- {name}")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        results["load_avg_1m"] = round(os.getloadavg()[0], 2)
        results["cpus"] = os.cpu_count()
        print(json.dumps(results))


if __name__ == "__main__":
    main()

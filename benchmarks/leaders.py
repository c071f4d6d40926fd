"""Benchmark: server time to render the leaders' homes of a large district, from stored rollups.

Set-up (not timed): a throwaway data folder with a fresh SQLite database (WAL), migrated; one district of
``--schools`` schools and ``--students`` students (bulk inserts: people with a student role at their
school), 20 classes per school each with its teacher, a district admin and a principal; three goals (a
mastery rate, active days, small groups per week) with ``--days`` days of stored daily figures per school
and for the district (``MeasureValue`` rows, as the nightly rollup leaves them), rising at most schools and
flat at one in five, so the district page has off-track cells and actions to write.

Timed: ``--requests`` GETs of each page through Django's test client (middleware, session, view, queries,
template), after a few warm-up requests; p50 and p90 of the wall time per request and the p50 of the
process's CPU time per request.

    python benchmarks/leaders.py [--schools 50] [--students 30000] [--days 120] [--requests 30]

Last line: JSON with keys district_home_p50_ms (target ≤ 300) and school_home_p50_ms (target ≤ 200).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOALS = [
    ("80% of grade 4 students proficient in math", "mastery_rate", 30.0, 80.0, 0.45),
    ("Students practise three days a week", "active_days", 1.5, 3.0, 0.012),
    ("Every class pulls small groups twice a week", "small_groups_per_week", 0.8, 2.0, 0.009),
]


def setup(data_dir: Path, n_schools: int, n_students: int, days: int) -> tuple[int, int, int, int]:
    """Build the district and its stored figures; returns (district, school, admin, principal) ids."""
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
    from cairn.accounts.models import District, Enrolment, Role, RoleAssignment, School, Section, User
    from cairn.leaders.models import Goal, MeasureValue

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    start = today - dt.timedelta(days=days)
    with transaction.atomic():
        district = District.objects.create(name="Bench Unified", slug="bench")
        schools = School.objects.bulk_create(
            [School(district=district, name=f"School {k:02d}", code=f"S{k:02d}") for k in range(n_schools)]
        )
        people = User.objects.bulk_create(
            [User(username=f"s{k:05d}", password="!") for k in range(n_students)]
            + [
                User(username=f"t{k:04d}", first_name="Teacher", last_name=f"{k}", password="!")
                for k in range(20 * n_schools)
            ],
            batch_size=2000,
        )
        students, teachers = people[:n_students], people[n_students:]
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=u, role=Role.STUDENT, school=schools[k % n_schools])
                for k, u in enumerate(students)
            ]
            + [
                RoleAssignment(user=u, role=Role.TEACHER, school=schools[k // 20])
                for k, u in enumerate(teachers)
            ],
            batch_size=2000,
        )
        sections = Section.objects.bulk_create(
            [
                Section(
                    school=schools[k // 20],
                    name=f"Class {k}",
                    code=f"C{k}",
                    term_start=start,
                    term_end=today + dt.timedelta(days=60),
                )
                for k in range(20 * n_schools)
            ]
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(user=t, section=s, kind=Enrolment.Kind.TEACHER, start_date=start)
                for t, s in zip(teachers, sections, strict=True)
            ]
        )
        admin = accounts.create_person(
            username="admin", first_name="Ada", last_name="Admin", role=Role.DISTRICT_ADMIN, district=district
        )
        principal = accounts.create_person(
            username="principal",
            first_name="Pat",
            last_name="Principal",
            role=Role.SCHOOL_LEADER,
            school=schools[0],
        )
        rows = []
        for title, key, baseline, target, slope in GOALS:
            goal = Goal.objects.create(
                district=district,
                title=title,
                measure_key=key,
                baseline=baseline,
                target=target,
                start_date=start,
                target_date=today + dt.timedelta(days=150),
            )
            for day in range(days + 1):
                on = start + dt.timedelta(days=day)
                for k, school in enumerate(schools):
                    rate = 0.0 if k % 5 == 3 else slope
                    rows.append(
                        MeasureValue(
                            goal=goal,
                            school=school,
                            on=on,
                            value=baseline + rate * day,
                            n=n_students // n_schools,
                        )
                    )
                rows.append(
                    MeasureValue(
                        goal=goal, school=None, on=on, value=baseline + slope * 0.8 * day, n=n_students
                    )
                )
        MeasureValue.objects.bulk_create(rows, batch_size=5000)
    return district.pk, schools[0].pk, admin.pk, principal.pk


def logged_in(user_id: int) -> object:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from cairn.accounts import devices, two_factor
    from cairn.accounts.models import User

    user = User.objects.get(pk=user_id)
    client = Client()
    client.force_login(user)
    if two_factor.required_for(user):  # the admin's second sign-in step, as the tests pass it
        device = devices.install_app_device(user=user, key_hex=b"cairn-bench-totp-key".hex())
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def measure(client: object, path: str, n: int, warmup: int = 3) -> tuple[list[float], list[float]]:
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
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--students", type=int, default=30_000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    with tempfile.TemporaryDirectory(prefix="cairn-leaders-") as tmp:
        t0 = time.perf_counter()
        district_id, school_id, admin_id, principal_id = setup(
            Path(tmp), args.schools, args.students, args.days
        )
        from cairn.leaders.models import MeasureValue

        print(
            f"set-up {time.perf_counter() - t0:.1f} s: {args.schools} schools, {args.students} students, "
            f"{MeasureValue.objects.count()} stored figures over {args.days} days",
            flush=True,
        )
        pages = {
            "district_home": (admin_id, f"/leaders/districts/{district_id}/"),
            "school_home": (principal_id, f"/leaders/schools/{school_id}/"),
        }
        results: dict[str, object] = {}
        for name, (user_id, path) in pages.items():
            client = logged_in(user_id)
            times, cpu = measure(client, path, args.requests)
            p50, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
            size = len(client.get(path, secure=True).content)  # type: ignore[attr-defined]
            print(
                f"{name:<14} p50 {p50:6.1f} ms  p90 {p90:6.1f} ms  "
                f"CPU p50 {statistics.median(cpu):6.1f} ms  ({size / 1024:.0f} KiB)"
            )
            results[f"{name}_p50_ms"] = round(p50, 1)
            results[f"{name}_p90_ms"] = round(p90, 1)
            results[f"{name}_cpu_p50_ms"] = round(statistics.median(cpu), 1)
        results["load_avg_1m"] = round(os.getloadavg()[0], 2)
        print(json.dumps(results))


if __name__ == "__main__":
    main()

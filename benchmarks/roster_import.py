"""Benchmark: import a large district's OneRoster CSV package (``cairn import oneroster``'s writer).

Set-up (not timed): a throwaway data folder with a fresh database, migrated, and a synthesised OneRoster 1.1
bulk package (zip) of a district of ``--students`` students in proportion: one school per 1,000 students,
40 classes and 50 teachers per school, each student in 6 classes, one guardian for every 20 students
(linked through agentSourcedIds), teachers and guardians with an email; vendor ``ext_`` columns as real
exports have them. Timed: the whole import (``CsvPackage`` + ``apply_roster``, one transaction, and the
invitations sent after it commits, to Django's dummy mail backend), then the same package a second time
(everything unchanged). Memory: the process's peak resident set (``ru_maxrss``); the rows stream, so it
follows the district's lookups, not the file.

    python benchmarks/roster_import.py [--students 50000]

SQLite always; PostgreSQL too when ``DATABASE_URL`` is set (a separate process, on that database).
Last line: JSON with keys students, seconds, peak_rss_mb (SQLite), and more.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

STUDENTS_PER_SCHOOL = 1000
CLASSES_PER_SCHOOL = 40
TEACHERS_PER_SCHOOL = 50
CLASSES_PER_STUDENT = 6
STUDENTS_PER_GUARDIAN = 20


def _writer(folder: Path, name: str, columns: list[str]) -> tuple[object, csv.writer]:  # type: ignore[valid-type]
    handle = (folder / f"{name}.csv").open("w", newline="")
    writer = csv.writer(handle)
    writer.writerow(columns)
    return handle, writer


def synthesise(folder: Path, students: int) -> Path:
    """Write the package's CSVs one row at a time and zip them; returns the zip."""
    schools = max(1, students // STUDENTS_PER_SCHOOL)
    start, end = dt.date.today() - dt.timedelta(days=60), dt.date.today() + dt.timedelta(days=200)
    files = ["orgs", "academicSessions", "courses", "classes", "users", "enrollments"]
    with (folder / "manifest.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerows([["propertyName", "value"], ["manifest.version", "1.0"], ["oneroster.version", "1.1"]])
        w.writerows([f"file.{name}", "bulk"] for name in files)
        w.writerows([f"file.{name}", "absent"] for name in ("demographics", "roles"))
    h, w = _writer(
        folder,
        "orgs",
        ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
    )
    w.writerow(["d", "", "", "Bench District", "district", "BD", ""])
    w.writerows([f"s{i}", "", "", f"School {i}", "school", f"S{i}", "d"] for i in range(schools))
    h.close()
    h, w = _writer(
        folder,
        "academicSessions",
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "type",
            "startDate",
            "endDate",
            "parentSourcedId",
            "schoolYear",
        ],
    )
    w.writerow(["y", "", "", "Year", "schoolYear", start.isoformat(), end.isoformat(), "", str(end.year)])
    h.close()
    subjects = ["Math", "ELA", "Science", "Social Studies", "Art", "Music"]
    h, w = _writer(
        folder,
        "courses",
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "schoolYearSourcedId",
            "title",
            "courseCode",
            "grades",
            "orgSourcedId",
            "subjects",
            "ext_dept",
        ],
    )
    w.writerows(
        [
            f"c{g}-{s}",
            "",
            "",
            "y",
            f"{subject} {g}",
            f"{subject[:3].upper()}{g}",
            f"{g:02d}",
            "d",
            subject,
            "x",
        ]
        for g in range(1, 9)
        for s, subject in enumerate(subjects)
    )
    h.close()
    h, w = _writer(
        folder,
        "classes",
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "grades",
            "courseSourcedId",
            "classCode",
            "classType",
            "location",
            "schoolSourcedId",
            "termSourcedIds",
            "subjects",
            "ext_room",
        ],
    )
    for i in range(schools):
        for k in range(CLASSES_PER_SCHOOL):
            g, s = 1 + k % 8, (k // 8) % len(subjects)
            w.writerow(
                [
                    f"k{i}-{k}",
                    "",
                    "",
                    f"{subjects[s]} {g} ({k})",
                    f"{g:02d}",
                    f"c{g}-{s}",
                    f"K{k}",
                    "scheduled",
                    "",
                    f"s{i}",
                    "y",
                    "",
                    "101",
                ]
            )
    h.close()
    h, w = _writer(
        folder,
        "users",
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "enabledUser",
            "orgSourcedIds",
            "role",
            "username",
            "userIds",
            "givenName",
            "familyName",
            "middleName",
            "identifier",
            "email",
            "sms",
            "phone",
            "agentSourcedIds",
            "grades",
            "password",
            "ext_lunch",
        ],
    )
    for i in range(schools):
        for t in range(TEACHERS_PER_SCHOOL):
            w.writerow(
                [
                    f"t{i}-{t}",
                    "",
                    "",
                    "true",
                    f"s{i}",
                    "teacher",
                    f"t{i}-{t}",
                    "",
                    "Tea",
                    f"Cher{t}",
                    "",
                    "",
                    f"t{i}-{t}@bench.test",
                    "",
                    "",
                    "",
                    "",
                    "secret",
                    "",
                ]
            )
    for n in range(students):
        agent = f"g{n // STUDENTS_PER_GUARDIAN}" if n % STUDENTS_PER_GUARDIAN == 0 else ""
        w.writerow(
            [
                f"u{n}",
                "",
                "",
                "true",
                f"s{min(n // STUDENTS_PER_SCHOOL, schools - 1)}",
                "student",
                f"u{n}",
                "",
                "Stu",
                f"Dent{n}",
                "",
                str(n),
                "",
                "",
                "",
                agent,
                f"{1 + n % 8:02d}",
                "secret",
                "free",
            ]
        )
    for g in range((students + STUDENTS_PER_GUARDIAN - 1) // STUDENTS_PER_GUARDIAN):
        w.writerow(
            [
                f"g{g}",
                "",
                "",
                "true",
                "d",
                "parent",
                f"g{g}",
                "",
                "Par",
                f"Ent{g}",
                "",
                "",
                f"g{g}@home.test",
                "",
                "",
                f"u{g * STUDENTS_PER_GUARDIAN}",
                "",
                "",
                "",
            ]
        )
    h.close()
    h, w = _writer(
        folder,
        "enrollments",
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "classSourcedId",
            "schoolSourcedId",
            "userSourcedId",
            "role",
            "primary",
            "beginDate",
            "endDate",
        ],
    )
    for i in range(schools):
        for k in range(CLASSES_PER_SCHOOL):
            w.writerow(
                [
                    f"et{i}-{k}",
                    "",
                    "",
                    f"k{i}-{k}",
                    f"s{i}",
                    f"t{i}-{k % TEACHERS_PER_SCHOOL}",
                    "teacher",
                    "true",
                    "",
                    "",
                ]
            )
    for n in range(students):
        school = min(n // STUDENTS_PER_SCHOOL, schools - 1)
        for c in range(CLASSES_PER_STUDENT):
            k = (n * 7 + c * 5) % CLASSES_PER_SCHOOL
            w.writerow(
                [f"e{n}-{c}", "", "", f"k{school}-{k}", f"s{school}", f"u{n}", "student", "false", "", ""]
            )
    h.close()
    package = folder / "roster.zip"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["manifest", *files]:
            archive.write(folder / f"{name}.csv", f"{name}.csv")
            (folder / f"{name}.csv").unlink()
    return package


def run_once(data_dir: Path, package: Path) -> dict[str, object]:
    """Migrate a fresh database, import the package twice; the figures of this process."""
    os.environ["CAIRN_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cairn.project.settings"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cairn.accounts.models import District
    from cairn.accounts.rosters.apply import apply_roster
    from cairn.accounts.rosters.csv_package import CsvPackage

    call_command("migrate", verbosity=0)
    district = District.objects.create(name="Bench District", slug="bench")
    figures: dict[str, object] = {"database": connection.vendor}
    for run in ("first", "again"):
        began, cpu = time.perf_counter(), time.process_time()
        source = CsvPackage(package)
        report = apply_roster(district, source)
        source.close()
        figures[f"{run}_seconds"] = round(time.perf_counter() - began, 1)
        figures[f"{run}_cpu_seconds"] = round(time.process_time() - cpu, 1)
        figures[f"{run}_summary"] = report.as_json()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--package", type=Path, help=argparse.SUPPRESS)  # the child process's
    args = parser.parse_args()
    if args.package:  # one database, in this process
        with tempfile.TemporaryDirectory(prefix="cairn-roster-db-") as data_dir:
            print(json.dumps(run_once(Path(data_dir), args.package)))
        return
    with tempfile.TemporaryDirectory(prefix="cairn-roster-bench-") as folder:
        began = time.perf_counter()
        package = synthesise(Path(folder), args.students)
        size_mb = package.stat().st_size / 2**20
        print(f"synthesised {package.name}: {size_mb:.1f} MB zipped in {time.perf_counter() - began:.0f} s")
        results = {}
        databases = [("sqlite", None)] + (
            [("postgresql", os.environ["DATABASE_URL"])] if os.environ.get("DATABASE_URL") else []
        )
        for name, url in databases:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            if url:
                env["DATABASE_URL"] = url
            child = subprocess.run(
                [sys.executable, __file__, "--package", str(package)], env=env, capture_output=True, text=True
            )
            if child.returncode:
                sys.exit(f"{name}: {child.stderr[-3000:]}")
            results[name] = json.loads(child.stdout.strip().splitlines()[-1])
            r = results[name]
            print(
                f"{name}: first import {r['first_seconds']} s ({r['first_cpu_seconds']} s CPU), "
                f"again {r['again_seconds']} s ({r['again_cpu_seconds']} s CPU), "
                f"peak RSS {r['peak_rss_mb']} MB"
            )
            print(f"  {json.dumps(r['first_summary'])}")
            print(f"  {json.dumps(r['again_summary'])}")
    sqlite = results["sqlite"]
    last = {
        "students": args.students,
        "seconds": sqlite["first_seconds"],
        "peak_rss_mb": sqlite["peak_rss_mb"],
        "cpu_seconds": sqlite["first_cpu_seconds"],
        "again_seconds": sqlite["again_seconds"],
        "package_mb": round(size_mb, 1),
    }
    if "postgresql" in results:
        last["postgresql_seconds"] = results["postgresql"]["first_seconds"]
        last["postgresql_cpu_seconds"] = results["postgresql"]["first_cpu_seconds"]
        last["postgresql_peak_rss_mb"] = results["postgresql"]["peak_rss_mb"]
    print(json.dumps(last))


if __name__ == "__main__":
    main()

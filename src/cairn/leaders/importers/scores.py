"""Outside test scores from CSV: ``cairn import scores FILE.csv --district NAME`` and the upload page.

Columns (header names are matched loosely: case, spaces and the usual vendor names): student (Cairn
username or id, or OneRoster ``sourcedId``), assessment, window or date (at least one), subject, score and
an optional scale. All-or-nothing: an unknown student or a bad value anywhere refuses the whole file, naming
every row at fault, and nothing is written. Importing the same file again changes nothing: a score is
matched on student + assessment + window (else date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, Role, RoleAssignment, User
from cairn.core.errors import Invalid
from cairn.curriculum.importers import ImportReport
from cairn.leaders.models import OutsideScore

# normalized header (lowercase letters and digits only) -> our column
ALIASES = {
    "student": "student",
    "studentid": "student",
    "studentsourcedid": "student",
    "sourcedid": "student",
    "usersourcedid": "student",
    "username": "student",
    "cairnid": "student",
    "assessment": "assessment",
    "assessmentname": "assessment",
    "test": "assessment",
    "testname": "assessment",
    "window": "window",
    "testwindow": "window",
    "administration": "window",
    "term": "window",
    "date": "date",
    "testdate": "date",
    "administrationdate": "date",
    "completeddate": "date",
    "subject": "subject",
    "contentarea": "subject",
    "testsubject": "subject",
    "score": "score",
    "scalescore": "score",
    "scaledscore": "score",
    "ritscore": "score",
    "rit": "score",
    "scale": "scale",
    "scorescale": "scale",
    "scalename": "scale",
}
REQUIRED = ("student", "assessment", "score")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y")
MAX_LISTED = 50
FIELDS = ("subject", "window", "on", "score", "scale")


@dataclass(frozen=True)
class ScoreRow:
    line: int
    student: User
    assessment: str
    subject: str
    window: str
    on: dt.date | None
    score: float
    scale: str

    @property
    def period(self) -> str:
        return self.window or (self.on.isoformat() if self.on else "")


def _column(header: str) -> str | None:
    return ALIASES.get(re.sub(r"[^a-z0-9]", "", header.lower()))


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not a date (YYYY-MM-DD)")


def district_students(district: District) -> dict[str, User]:
    """Every student of the district by sourced id, username and id (the three ways a file names one)."""
    ids = RoleAssignment.objects.filter(role=Role.STUDENT, school__district=district).values("user_id")
    found: dict[str, User] = {}
    for user in User.objects.filter(pk__in=ids):
        found[str(user.pk)] = user
        found[user.username] = user
        if user.sourced_id:
            found[user.sourced_id] = user
    return found


def _row(line: int, raw: dict[str, str], students: dict[str, User]) -> tuple[ScoreRow | None, list[str]]:
    problems = []
    key = raw.get("student", "").strip()
    student = students.get(key)
    if student is None:
        problems.append(
            f"row {line}: no student {key!r} in this district" if key else f"row {line}: no student"
        )
    assessment = raw.get("assessment", "").strip()
    if not assessment:
        problems.append(f"row {line}: no assessment name")
    try:
        score = float(raw.get("score", "").strip().replace(",", "."))
    except ValueError:
        problems.append(f"row {line}: score {raw.get('score', '')!r} is not a number")
    on = None
    try:
        on = _date(raw.get("date", ""))
    except ValueError as exc:
        problems.append(f"row {line}: {exc}")
    window = raw.get("window", "").strip()
    if not window and on is None and not problems:
        problems.append(f"row {line}: neither a window nor a date")
    if problems or student is None:
        return None, problems
    subject, scale = raw.get("subject", "").strip(), raw.get("scale", "").strip()
    return ScoreRow(line, student, assessment, subject, window, on, score, scale), []


def parse(text: str, district: District) -> list[ScoreRow]:
    """Every row, checked; raises ``Invalid`` listing every problem (file, row, what) if any."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {h: _column(h) for h in reader.fieldnames or []}
    missing = [c for c in REQUIRED if c not in columns.values()]
    if "window" not in columns.values() and "date" not in columns.values():
        missing.append("window or date")
    if missing:
        raise Invalid(f"The file has no column for: {', '.join(missing)}.", field="file")
    students = district_students(district)
    rows: list[ScoreRow] = []
    problems: list[str] = []
    seen: dict[tuple[int, str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        data = {col: (raw.get(h) or "") for h, col in columns.items() if col}
        row, found = _row(line, data, students)
        problems += found
        if row is not None:
            key = (row.student.pk, row.assessment, row.period)
            if key in seen:
                problems.append(f"row {line}: the same student, assessment and window as row {seen[key]}")
            seen[key] = line
            rows.append(row)
    if problems:
        listed = problems[:MAX_LISTED] + (
            [f"… and {len(problems) - MAX_LISTED} more"] if len(problems) > MAX_LISTED else []
        )
        raise Invalid(
            f"Nothing was imported: {len(problems)} problem(s).\n" + "\n".join(listed), field="file"
        )
    if not rows:
        raise Invalid("The file has no scores.", field="file")
    return rows


@transaction.atomic
def import_scores(
    source: Path | str, *, district: District, by: User | None = None, name: str = "", dry_run: bool = False
) -> ImportReport:
    """Parse and write every score in one transaction (upsert); ``source`` is a path or the file's text.
    ``dry_run`` does it all, then rolls back."""
    text = source.read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    rows = parse(text, district)
    batch = (
        f"{name or (source.name if isinstance(source, Path) else 'upload')} {timezone.now():%Y-%m-%d %H:%M}"
    )
    report = _write(rows, district=district, by=by, batch=batch)
    transaction.set_rollback(dry_run)
    return report


def _write(rows: Iterable[ScoreRow], *, district: District, by: User | None, batch: str) -> ImportReport:
    rows = list(rows)
    existing = {
        (s.student_id, s.assessment, s.period): s
        for s in OutsideScore.objects.filter(district=district, student__in={r.student for r in rows})
    }
    report = ImportReport()
    new, changed = [], []
    for r in rows:
        values = {"subject": r.subject, "window": r.window, "on": r.on, "score": r.score, "scale": r.scale}
        old = existing.get((r.student.pk, r.assessment, r.period))
        if old is None:
            new.append(
                OutsideScore(
                    district=district,
                    student=r.student,
                    assessment=r.assessment,
                    period=r.period,
                    imported_by=by,
                    batch=batch,
                    **values,
                )
            )
            report.count("scores", created=True)
            continue
        report.count("scores", created=False)
        if any(getattr(old, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(old, k, v)
            old.batch, old.imported_by = batch, by
            changed.append(old)
    OutsideScore.objects.bulk_create(new, batch_size=1000)
    OutsideScore.objects.bulk_update(changed, [*FIELDS, "batch", "imported_by"], batch_size=1000)
    return report

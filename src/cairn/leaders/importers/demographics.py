"""Students' demographics from a OneRoster ``demographics.csv`` (1.1 or 1.2), plus the columns districts add
for the groups they must watch (free or reduced lunch, English learner, IEP, 504 plan; e.g. ``metadata.frl``):
``cairn import demographics FILE.csv --district NAME``. All-or-nothing like the scores: an unknown student
refuses the file, naming the rows. A re-import replaces each student's row (the roster is the source)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.db import transaction

from cairn.accounts.models import District, User
from cairn.core.errors import Invalid
from cairn.curriculum.importers import ImportReport
from cairn.leaders.importers.scores import MAX_LISTED, district_students
from cairn.leaders.models import Demographics

RACES = {
    "americanindianoralaskanative": "American Indian or Alaska Native",
    "asian": "Asian",
    "blackorafricanamerican": "Black or African American",
    "nativehawaiianorotherpacificislander": "Native Hawaiian or Other Pacific Islander",
    "white": "White",
}
FLAGS = {
    "frl": "frl",
    "freereducedlunch": "frl",
    "ell": "ell",
    "englishlearner": "ell",
    "iep": "iep",
    "504": "plan504",
    "plan504": "plan504",
    "section504": "plan504",
}
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower().removeprefix("metadata."))


def _flag(text: str) -> bool | None:
    text = text.strip().lower()
    return True if text in TRUE else False if text in FALSE else None


def _race(row: dict[str, str]) -> str:
    if _flag(row.get("hispanicorlatinoethnicity", "")):
        return "Hispanic or Latino"
    races = [label for key, label in RACES.items() if _flag(row.get(key, ""))]
    if _flag(row.get("demographicracetwoormoreraces", "")) or len(races) > 1:
        return "Two or more races"
    return races[0] if races else ""


def _fields(row: dict[str, str]) -> dict[str, object]:
    fields: dict[str, object] = {"race_ethnicity": _race(row)}
    sex = row.get("sex", "").strip().lower()
    fields["gender"] = {"male": "Male", "female": "Female", "other": "Other"}.get(sex, "")
    for key, field in FLAGS.items():
        if key in row:
            fields[field] = _flag(row[key])
    return fields


@transaction.atomic
def import_demographics(source: Path | str, *, district: District, name: str = "") -> ImportReport:
    text = source.read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {h: _norm(h) for h in reader.fieldnames or []}
    if "sourcedid" not in headers.values():
        raise Invalid("The file has no sourcedId column (OneRoster demographics.csv).", field="file")
    students = district_students(district)
    found: list[tuple[User, dict[str, object]]] = []
    problems = []
    for line, raw in enumerate(reader, start=2):
        row = {headers[h]: (v or "") for h, v in raw.items() if h in headers}
        student = students.get(row["sourcedid"].strip())
        if student is None:
            problems.append(f"row {line}: no student {row['sourcedid']!r} in this district")
        else:
            found.append((student, _fields(row)))
    if problems:
        raise Invalid(
            f"Nothing was imported: {len(problems)} problem(s).\n" + "\n".join(problems[:MAX_LISTED])
        )
    report = ImportReport()
    label = name or (source.name if isinstance(source, Path) else "upload")
    for student, fields in found:
        _, created = Demographics.objects.update_or_create(
            student=student, defaults={**fields, "source": label}
        )
        report.count("demographics", created=created)
    return report

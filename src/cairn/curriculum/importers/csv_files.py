"""CSV imports: competencies (a framework as a spreadsheet) and content (a library list).

Competencies CSV columns (a header row is required; extra columns are ignored):
    framework, code, statement           required
    student_statement                    optional; what students read ("I can ..."), up to 160 characters;
                                         left as it is when the column is empty or missing
    identifier                           optional; default: a UUID derived from framework and code
    grades                               e.g. "4", "K", "3;4" or "3-5"
    domain, type, parent                 parent: the code of the heading or standard it belongs under
    prerequisites                        codes separated by ";" (from this file or already imported)

Content CSV columns:
    identifier, title, kind              required (kind: video, reading, interactive, practice,
                                         project, offline)
    url or body                          one of them is required
    competencies                         codes or identifiers separated by ";"
    grades, minutes, language, licence, cost, source
    captions, transcript, alt_text, read_aloud    yes/no
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cairn.curriculum.importers import Problem

# A fixed namespace, so the same framework and code give the same identifier on every install.
CAIRN_NAMESPACE = uuid.UUID("6f1b8f3e-4f7c-5a0e-9d55-0c6a1f2b7e10")
KINDS = {"video", "reading", "interactive", "practice", "project", "offline"}
COSTS = {"free", "freemium", "paid"}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


def derived_identifier(*parts: str) -> str:
    return str(uuid.uuid5(CAIRN_NAMESPACE, "|".join(parts)))


def parse_grades(value: str) -> tuple[int | None, int | None, str | None]:
    """'4' -> (4, 4); 'K' -> (0, 0); '3-5' or '3;4;5' -> (3, 5); '' -> (None, None). Third: an error."""
    text = value.strip().upper().replace("–", "-")
    if not text:
        return None, None, None
    parts = [p.strip() for p in text.replace(";", "-").replace(",", "-").split("-") if p.strip()]
    numbers = []
    for part in parts:
        if part in {"K", "KG"}:
            numbers.append(0)
        elif part.isdigit() and int(part) <= 12:
            numbers.append(int(part))
        else:
            return None, None, f"not a grade: {part!r} (K, 1..12, or a range like 3-5)"
    return min(numbers), max(numbers), None


def _rows(path: Path, required: list[str]) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(path.name, "file", f"cannot be read as UTF-8 text: {exc}")]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [Problem(path.name, "header", f"missing column(s): {', '.join(missing)}")]
    rows = []
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if any(row.values()):
            rows.append((number, row))
    return rows, []


@dataclass(frozen=True)
class CompetencyRow:
    row: int
    framework: str
    identifier: str
    code: str
    statement: str
    student_statement: str
    grade_low: int | None
    grade_high: int | None
    domain: str
    item_type: str
    parent: str
    prerequisites: tuple[str, ...]


def read_competencies_csv(path: Path) -> tuple[list[CompetencyRow], list[Problem]]:
    rows, problems = _rows(path, ["framework", "code", "statement"])
    out: list[CompetencyRow] = []
    codes: dict[tuple[str, str], int] = {}
    for number, row in rows:
        where = f"row {number}"
        for column in ("framework", "code", "statement"):
            if not row.get(column):
                problems.append(Problem(path.name, f"{where}, field {column}", "missing"))
        low, high, error = parse_grades(row.get("grades", ""))
        if error:
            problems.append(Problem(path.name, f"{where}, field grades", error))
        if len(row.get("student_statement", "")) > 160:
            problems.append(
                Problem(path.name, f"{where}, field student_statement", "longer than 160 characters")
            )
        key = (row.get("framework", ""), row.get("code", ""))
        if all(key) and key in codes:
            problems.append(Problem(path.name, f"{where}, field code", f"repeats row {codes[key]}"))
        codes[key] = number
        out.append(
            CompetencyRow(
                row=number,
                framework=row.get("framework", ""),
                identifier=row.get("identifier") or derived_identifier(*key),
                code=row.get("code", ""),
                statement=row.get("statement", ""),
                student_statement=row.get("student_statement", ""),
                grade_low=low,
                grade_high=high,
                domain=row.get("domain", ""),
                item_type=row.get("type", "") or "Standard",
                parent=row.get("parent", ""),
                prerequisites=tuple(p.strip() for p in row.get("prerequisites", "").split(";") if p.strip()),
            )
        )
    return out, problems


@dataclass(frozen=True)
class ContentRow:
    row: int
    identifier: str
    title: str
    kind: str
    url: str
    body: str
    competencies: tuple[str, ...]
    grade_low: int | None
    grade_high: int | None
    minutes: int | None
    language: str
    licence: str
    cost: str
    source: str
    captions: bool
    transcript: bool
    alt_text: bool
    read_aloud: bool


def read_content_csv(path: Path) -> tuple[list[ContentRow], list[Problem]]:
    rows, problems = _rows(path, ["identifier", "title", "kind"])
    out: list[ContentRow] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        where = f"row {number}"

        def bad(field: str, message: str, where: str = where) -> None:
            problems.append(Problem(path.name, f"{where}, field {field}", message))

        for column in ("identifier", "title", "kind"):
            if not row.get(column):
                bad(column, "missing")
        if row.get("identifier") in seen:
            bad("identifier", f"repeats row {seen[row['identifier']]}")
        seen[row.get("identifier", "")] = number
        kind = row.get("kind", "").lower()
        if kind and kind not in KINDS:
            bad("kind", f"unknown kind {kind!r} ({', '.join(sorted(KINDS))})")
        url = row.get("url", "")
        if url and (urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc):
            bad("url", f"not an http(s) URL: {url!r}")
        if not url and not row.get("body"):
            bad("url", "a url or a body is needed")
        low, high, error = parse_grades(row.get("grades", ""))
        if error:
            bad("grades", error)
        minutes_text = row.get("minutes", "")
        minutes = None
        if minutes_text:
            if minutes_text.isdigit() and 0 < int(minutes_text) <= 600:
                minutes = int(minutes_text)
            else:
                bad("minutes", f"not a number of minutes (1..600): {minutes_text!r}")
        cost = (row.get("cost") or "free").lower()
        if cost not in COSTS:
            bad("cost", f"unknown cost {cost!r} ({', '.join(sorted(COSTS))})")
        flags = {}
        for flag in ("captions", "transcript", "alt_text", "read_aloud"):
            value = row.get(flag, "").lower()
            if value not in YES | NO:
                bad(flag, f"expected yes or no, got {value!r}")
            flags[flag] = value in YES
        out.append(
            ContentRow(
                row=number,
                identifier=row.get("identifier", ""),
                title=row.get("title", ""),
                kind=kind,
                url=url,
                body=row.get("body", ""),
                competencies=tuple(c.strip() for c in row.get("competencies", "").split(";") if c.strip()),
                grade_low=low,
                grade_high=high,
                minutes=minutes,
                language=row.get("language") or "en",
                licence=row.get("licence", "") or row.get("license", ""),
                cost=cost,
                source=row.get("source", ""),
                **flags,
            )
        )
    return out, problems

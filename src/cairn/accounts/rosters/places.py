"""The roster's places: orgs (the district and its schools), terms, OneRoster courses, and classes (Cairn
sections, given a course by the district's mapping rules)."""

from __future__ import annotations

from typing import Any

from cairn.accounts.models import Course, CourseMappingRule, School, Section
from cairn.accounts.rosters.context import Context, Term
from cairn.accounts.rosters.source import RosterRow
from cairn.accounts.rosters.values import grade_label, grade_number, parse_date

_SCHOOL_FIELDS = ("name", "code", "active")
_SECTION_FIELDS = (
    "school_id",
    "course_id",
    "name",
    "code",
    "subject",
    "grade",
    "term_start",
    "term_end",
    "active",
)


def apply_orgs(ctx: Context) -> None:
    """The district's org (remembered by its sourcedId) and its schools; other org types are noted."""
    counts = ctx.report.counts["orgs"]
    district = ctx.district
    existing = {s.sourced_id: s for s in School.objects.filter(district=district).exclude(sourced_id="")}
    by_code = {s.code: s for s in School.objects.filter(district=district, sourced_id="")}
    codes = set(School.objects.filter(district=district).values_list("code", flat=True))
    others: set[str] = set()
    for row in ctx.rows("orgs"):
        kind, sid = row.get("type").lower(), row.sourced_id
        if not sid:
            ctx.skip(row, "no sourcedId")
        elif kind == "district":
            ctx.district_orgs.add(sid)
            if district.sourced_id in ("", sid) and not row.deleted:
                changed = district.sourced_id != sid
                district.sourced_id = sid
                if changed:
                    district.save(update_fields=["sourced_id"])
                counts.updated += changed
                counts.unchanged += not changed
            else:
                ctx.report.notes.append(f"orgs.csv line {row.line}: another district's org {sid}, ignored")
        elif kind == "school":
            school = existing.get(sid) or by_code.pop(row.get("identifier"), None)
            ctx.schools[sid] = _school(ctx, row, school, codes)
        else:
            others.add(kind or "(blank)")
    if others:
        ctx.report.notes.append(f"orgs of type {', '.join(sorted(others))} are not schools: ignored")
    ctx.schools.update({sid: s for sid, s in existing.items() if sid not in ctx.schools})


def _school(ctx: Context, row: RosterRow, school: School | None, codes: set[str]) -> School:
    counts = ctx.report.counts["orgs"]
    values = {
        "name": row.get("name")[:200] or row.sourced_id,
        "code": (row.get("identifier") or row.sourced_id)[:40],
        "active": not row.deleted,
    }
    if school is not None:
        values["code"] = school.code  # a school keeps its code
    elif values["code"] in codes:  # another school has that identifier: the roster id is unique
        values["code"] = row.sourced_id[:40]
    codes.add(str(values["code"]))
    if school is None:
        school = School.objects.create(district=ctx.district, sourced_id=row.sourced_id, **values)
        counts.created += 1
        return school
    before = {f: getattr(school, f) for f in _SCHOOL_FIELDS}
    if before == values and school.sourced_id == row.sourced_id:
        counts.unchanged += 1
        return school
    for name, value in values.items():
        setattr(school, name, value)
    school.sourced_id = row.sourced_id
    school.save()
    if before["active"] and not school.active:
        counts.ended += 1
    else:
        counts.updated += 1
    return school


def read_terms(ctx: Context) -> None:
    for row in ctx.rows("academicSessions"):
        try:
            start, end = parse_date(row.get("startDate")), parse_date(row.get("endDate"))
        except ValueError as bad:
            ctx.skip(row, f"{bad}")
            continue
        if start is None or end is None or end < start:
            ctx.skip(row, "startDate and endDate are needed, in order")
            continue
        ctx.terms[row.sourced_id] = Term(start, end)


def read_courses(ctx: Context) -> None:
    for row in ctx.rows("courses"):
        ctx.courses[row.sourced_id] = (row.ids("subjects"), row.ids("grades"))


def apply_classes(ctx: Context) -> list[int]:
    """Sections, bulk-written: each class's school and terms must be in the roster (or already known).
    Returns the ids of the sections it ended (their enrolments end too)."""
    counts = ctx.report.counts["classes"]
    district = ctx.district
    rules = list(CourseMappingRule.objects.filter(district=district).select_related("course"))
    sections = {
        s.sourced_id: s for s in Section.objects.filter(school__district=district).exclude(sourced_id="")
    }
    codes = {(s.school_id, s.code) for s in sections.values()} | set(
        Section.objects.filter(school__district=district, sourced_id="").values_list("school_id", "code")
    )
    new: list[Section] = []
    changed: list[Section] = []
    ended: list[int] = []
    for row in ctx.rows("classes"):
        values = _section_values(ctx, row, rules, sections.get(row.sourced_id))
        if values is None:
            continue
        section = sections.get(row.sourced_id)
        if section is None:
            if row.deleted:
                continue  # to be deleted and never imported: nothing to do
            code = values["code"]
            if (values["school_id"], code) in codes:
                values["code"] = row.sourced_id[:40]
            codes.add((values["school_id"], values["code"]))
            section = Section(sourced_id=row.sourced_id, **values)
            sections[row.sourced_id] = section
            new.append(section)
            counts.created += 1
            continue
        values["code"] = section.code  # a section keeps the code it was given
        before = {f: getattr(section, f) for f in _SECTION_FIELDS}
        if before == values:
            counts.unchanged += 1
            continue
        for name, value in values.items():
            setattr(section, name, value)
        changed.append(section)
        if before["active"] and not section.active:
            counts.ended += 1
            ended.append(section.pk)
        else:
            counts.updated += 1
    Section.objects.bulk_create(new, batch_size=500)
    Section.objects.bulk_update(changed, list(_SECTION_FIELDS), batch_size=500)
    ctx.sections = {sid: (s.pk, s.term_start) for sid, s in sections.items()}
    return ended


def _section_values(
    ctx: Context, row: RosterRow, rules: list[CourseMappingRule], section: Section | None
) -> dict[str, Any] | None:
    school = ctx.schools.get(row.get("schoolSourcedId"))
    if school is None:
        ctx.skip(row, f"school {row.get('schoolSourcedId') or '(blank)'} is not in orgs")
        return None
    course_sid = row.get("courseSourcedId")
    if course_sid and course_sid not in ctx.courses and ctx.source.mode("courses") != "absent":
        ctx.skip(row, f"course {course_sid} is not in courses")
        return None
    terms = [ctx.terms[t] for t in row.ids("termSourcedIds") if t in ctx.terms]
    if not terms and section is None:
        ctx.skip(row, f"term {row.get('termSourcedIds') or '(blank)'} is not in academicSessions")
        return None
    start = min(t.start for t in terms) if terms else section.term_start  # type: ignore[union-attr]
    end = max(t.end for t in terms) if terms else section.term_end  # type: ignore[union-attr]
    subjects, grades = ctx.courses.get(course_sid, ([], []))
    subjects, grades = row.ids("subjects") or subjects, row.ids("grades") or grades
    course = match_course(rules, subjects, grades)
    title = row.get("title")[:200] or row.sourced_id
    if course is None and not row.deleted:
        ctx.report.unmatched_classes.append(
            f"{title} ({row.sourced_id}: {', '.join(subjects) or 'no subject'}"
            f", grades {', '.join(grades) or 'none'})"
        )
    return {
        "school_id": school.pk,
        "course_id": course.pk if course else None,
        "name": title,
        "code": (row.get("classCode") or row.sourced_id)[:40],
        "subject": (subjects[0] if subjects else "")[:80],
        "grade": grade_label(grades[0]) if grades else "",
        "term_start": start,
        "term_end": end,
        "active": not row.deleted,
    }


def match_course(rules: list[CourseMappingRule], subjects: list[str], grades: list[str]) -> Course | None:
    """The first rule whose subject is one of the class's (or blank) and whose grades include one of its."""
    wanted = {s.casefold() for s in subjects}
    numbers = [n for n in (grade_number(g) for g in grades) if n is not None]
    for rule in rules:
        if rule.subject and rule.subject.casefold() not in wanted:
            continue
        if any(rule.grade_low <= n <= rule.grade_high for n in numbers):
            return rule.course
    return None

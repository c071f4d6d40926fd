"""Where a school's teachers need support: per teaching practice, how many teachers are at each level. Counts
only (no names, no ranking); the district sees a school's counts only when it has enough teachers that a
count does not point at a person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cairn.accounts.models import District, Role, RoleAssignment, School
from cairn.curriculum.models import Competency
from cairn.curriculum.naming import student_words
from cairn.leaders import teacher_paths
from cairn.leaders.teacher_paths import NO_EVIDENCE, SMALLEST_SCHOOL, Level
from cairn.learning.models import Progress

BELOW = ("beginning", "developing")


@dataclass(frozen=True)
class SupportRow:
    competency: Competency
    name: str
    counts: list[tuple[Level, int]]  # teachers at each level, lowest first
    no_evidence: int
    needs_support: bool  # at least half of the teachers with evidence are below "established"


@dataclass(frozen=True)
class SchoolSupport:
    school: School
    teachers: int
    rows: list[SupportRow]  # empty when hidden
    hidden: bool  # too few teachers to show counts to the district


def school_support(school: School, practices: list[Competency], *, for_district: bool) -> SchoolSupport:
    teacher_ids = set(
        RoleAssignment.objects.filter(role=Role.TEACHER, school=school).values_list("user_id", flat=True)
    )
    if for_district and len(teacher_ids) < SMALLEST_SCHOOL:
        return SchoolSupport(school, len(teacher_ids), [], True)
    progress = Progress.objects.filter(student_id__in=teacher_ids, competency__in=practices).only(
        "competency_id", "mastery", "evidence_from"
    )
    levels: dict[int, Counter[str]] = {c.pk: Counter() for c in practices}
    for row in progress:
        levels[row.competency_id][teacher_paths.level_key(row)] += 1
    rows = []
    for competency in practices:
        count = levels[competency.pk]
        known = sum(n for key, n in count.items() if key != NO_EVIDENCE)
        below = sum(count[key] for key in BELOW)
        rows.append(
            SupportRow(
                competency=competency,
                name=student_words(competency),
                counts=[(level, count[level.key]) for level in teacher_paths.levels()],
                no_evidence=len(teacher_ids) - known,
                needs_support=known > 0 and 2 * below >= known,
            )
        )
    return SchoolSupport(school, len(teacher_ids), rows, False)


def district_support(district: District) -> list[SchoolSupport]:
    """Each active school's counts, for the district (small schools hidden)."""
    practices = teacher_paths.practices_of(teacher_paths.course_of(district))
    schools = School.objects.filter(district=district, active=True).order_by("name")
    return [school_support(school, practices, for_district=True) for school in schools]

"""A student's path: every competency of their curriculum as mastered, in progress, ready or locked (with
the reason), from stored progress, teacher overrides and release rules. Reads only; no model runs here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cairn.accounts.models import Enrolment, User
from cairn.curriculum.models import Competency, Item, Prerequisite
from cairn.curriculum.models import Status as ContentStatus
from cairn.engine import graph
from cairn.engine.release import Facts, Rule, evaluate, rule_from_dict
from cairn.learning import overrides
from cairn.learning.models import ActivityCompletion, Progress, ReleaseRule


@dataclass(frozen=True)
class PathRow:
    competency_id: int
    code: str
    statement: str
    domain: str
    status: str  # mastered, in_progress, ready, locked
    reasons: tuple[str, ...]
    set_by_teacher: bool
    mastery: float
    uncertainty: float
    attempts: int
    checking: bool
    spinning: bool
    review_due: dt.datetime | None


@dataclass(frozen=True)
class Path:
    rows: list[PathRow]
    edges: list[tuple[str, str]]  # (prerequisite, competency)

    def by_code(self) -> dict[str, PathRow]:
        return {row.code: row for row in self.rows}

    def counts(self) -> dict[str, int]:
        counts = {"mastered": 0, "in_progress": 0, "ready": 0, "locked": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


def path_competencies() -> list[Competency]:
    """The competencies students work on: those with approved practice, prerequisites first."""
    competencies = list(
        Competency.objects.filter(items__status=ContentStatus.APPROVED)
        .distinct()
        .order_by("list_order", "code")
    )
    codes = [c.code for c in competencies]
    order = {code: i for i, code in enumerate(graph.topological_order(codes, _edges(competencies)))}
    return sorted(competencies, key=lambda c: order[c.code])


def _edges(competencies: list[Competency]) -> list[tuple[str, str]]:
    ids = {c.pk: c.code for c in competencies}
    return [
        (ids[pre], ids[comp])
        for pre, comp in Prerequisite.objects.filter(
            competency_id__in=ids, prerequisite_id__in=ids
        ).values_list("prerequisite_id", "competency_id")
    ]


def student_path(student: User, *, today: dt.date | None = None) -> Path:
    competencies = path_competencies()
    edges = _edges(competencies)
    codes = [c.code for c in competencies]
    prerequisites: dict[str, list[str]] = {code: [] for code in codes}
    for pre, comp in edges:
        prerequisites[comp].append(pre)
    progress = {p.competency_id: p for p in Progress.objects.filter(student=student)}
    code_of = {c.pk: c.code for c in competencies}
    mastered = {
        code_of[cid] for cid, p in progress.items() if cid in code_of and p.status == Progress.Status.MASTERED
    }
    started = {code_of[cid] for cid, p in progress.items() if cid in code_of and p.attempts > 0}
    teacher = overrides.marks_for(student)
    sections = (
        Enrolment.objects.current().filter(user=student, kind=Enrolment.Kind.STUDENT).values("section_id")
    )
    rules: dict[str, list[Rule]] = {}
    for r in ReleaseRule.objects.filter(Q(section__isnull=True) | Q(section_id__in=sections)).select_related(
        "competency"
    ):
        rules.setdefault(r.competency.code, []).append(rule_from_dict(r.rule))
    completed = frozenset(
        str(i)
        for i in ActivityCompletion.objects.filter(student=student).values_list(
            "content__identifier", flat=True
        )
    )
    facts = Facts(
        mastered=frozenset(mastered | teacher.skipped),  # a skipped competency holds nothing back
        started=frozenset(started),
        completed_activities=completed,
        today=today or timezone.localdate(),
        diagnostic_level=diagnostic_level(student),
        teacher_unlocked=teacher.unlocked,
        teacher_locked=teacher.locked,
    )
    states = evaluate(codes, prerequisites, rules, facts)
    rows = []
    for c in competencies:
        state = states[c.code]
        p = progress.get(c.pk)
        rows.append(
            PathRow(
                competency_id=c.pk,
                code=c.code,
                statement=c.statement,
                domain=c.domain,
                status=state.status.value,
                reasons=(note,) if (note := teacher.note(c.code, state.status.value)) else state.reasons,
                set_by_teacher=state.set_by_teacher or note is not None,
                mastery=p.mastery if p else 0.0,
                uncertainty=p.uncertainty if p else 0.5,
                attempts=p.attempts if p else 0,
                checking=bool(p and p.status == Progress.Status.CHECKING),
                spinning=bool(p and p.spinning),
                review_due=p.review_due if p else None,
            )
        )
    return Path(rows=rows, edges=edges)


def diagnostic_level(student: User) -> float | None:
    """The ability estimate (logit scale) of the student's latest finished diagnostic; None before one."""
    from cairn.assessments.selectors import latest_ability  # assessments builds on learning: import late

    return latest_ability(student)


def has_practice(competency: Competency) -> bool:
    return Item.objects.filter(competencies=competency, status=ContentStatus.APPROVED).exists()

"""The student's choice board: gather candidates from the path and the library and rank them with the engine.
What the student picks is recorded by :mod:`cairn.learning.services.board`."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import User
from cairn.curriculum.access import content_for_student
from cairn.engine.recommend import Candidate, Recommendation, StudentProfile, choice_board
from cairn.engine.release import Status
from cairn.learning import learner
from cairn.learning.models import ActivityChoice, LearnerState, PathOverride
from cairn.learning.selectors.path import Path, student_path


@dataclass(frozen=True)
class BoardOption:
    option_id: str  # "practice:<competency id>", "review:<competency id>" or "content:<content id>"
    title: str
    kind: str
    competency: str
    minutes: int
    why: str
    url: str


def _grade_number(grade: str) -> float | None:
    if grade.upper() == "K":
        return 0.0
    try:
        return float(grade)
    except ValueError:
        return None


def build_board(student: User, path: Path | None = None, *, size: int = 4) -> list[BoardOption]:
    path = path or student_path(student)
    now = timezone.now()
    state_row = LearnerState.objects.filter(student=student).first()
    state = state_row.state if state_row else learner.initial_state()
    assigned = set(
        PathOverride.objects.filter(
            student=student, active=True, action=PathOverride.Action.ASSIGN
        ).values_list("competency_id", flat=True)
    )
    dependents: dict[str, int] = {}
    for pre, _ in path.edges:
        dependents[pre] = dependents.get(pre, 0) + 1
    open_rows = [r for r in path.rows if r.status in (Status.READY, Status.IN_PROGRESS)]
    candidates: list[Candidate] = []
    for row in open_rows:
        p = learner.predict(state, row.code)
        candidates.append(
            Candidate(
                activity_id=f"practice:{row.competency_id}",
                title=f"Practice {row.code}",
                kind="practice",
                competency=row.code,
                p_correct=p,
                mastery=row.mastery,
                dependents=dependents.get(row.code, 0),
                minutes=10,
                assigned_by_teacher=row.competency_id in assigned,
            )
        )
    for row in path.rows:
        if row.status == Status.MASTERED and row.review_due is not None and row.review_due <= now:
            candidates.append(
                Candidate(
                    activity_id=f"review:{row.competency_id}",
                    title=f"Review {row.code}",
                    kind="review",
                    competency=row.code,
                    p_correct=learner.predict(state, row.code),
                    mastery=row.mastery,
                    minutes=3,
                    review_due=True,
                )
            )
    by_id = {r.competency_id: r for r in open_rows}
    # What may reach this student (approved, theirs to see, hidden or replaced per section) is the
    # curriculum's rule; the board only narrows it to activities on open competencies.
    contents = (
        content_for_student(student)
        .filter(competencies__in=list(by_id))
        .exclude(kind="practice")
        .prefetch_related("competencies")
        .distinct()
    )
    for content in contents:
        aligned = next((by_id[c.pk] for c in content.competencies.all() if c.pk in by_id), None)
        if aligned is None:
            continue
        row = aligned
        features = {
            name
            for name in ("captions", "transcript", "alt_text", "read_aloud")
            if getattr(content, name, False)
        }
        candidates.append(
            Candidate(
                activity_id=f"content:{content.pk}",
                title=content.title,
                kind=content.kind,
                competency=row.code,
                p_correct=learner.predict(state, row.code),
                mastery=row.mastery,
                dependents=dependents.get(row.code, 0),
                reading_level=content.reading_level,
                language=content.language,
                accessibility=frozenset(features),
                minutes=content.estimated_minutes or 10,
                assigned_by_teacher=row.competency_id in assigned,
            )
        )
    recent = list(
        ActivityChoice.objects.filter(student=student)
        .order_by("-created_at")
        .values_list("chosen_kind", flat=True)[:3]
    )
    profile = StudentProfile(
        reading_level=_grade_number(student.grade),
        recent_kinds=tuple(recent),
        spinning=frozenset(r.code for r in path.rows if r.spinning),
    )
    return [_option(rec) for rec in choice_board(candidates, profile, size=size)]


def _option(rec: Recommendation) -> BoardOption:
    c = rec.candidate
    kind, _, ident = c.activity_id.partition(":")
    if kind == "content":
        url = reverse("learning-activity", args=[int(ident)])
    else:
        url = reverse("learning-practice", args=[int(ident)])
    return BoardOption(
        option_id=c.activity_id,
        title=c.title,
        kind=c.kind,
        competency=c.competency,
        minutes=c.minutes,
        why=rec.why,
        url=url,
    )

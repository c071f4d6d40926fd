"""The student's choice board: gather candidates from the path, the library and the apps above learning (the
registry in :mod:`cairn.learning.board_sources`: a teacher's tiered task, an autonomy lesson) and rank them
with the engine for this student, fitted to their learner profile (:mod:`cairn.learning.profiles`: language,
reading level, the supports of their plan, the ways they like to learn; "fewer choices" makes it shorter).
What the student picks is recorded by :mod:`cairn.learning.services.board`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import Enrolment, User
from cairn.curriculum.access import content_for_student
from cairn.curriculum.models import Content
from cairn.curriculum.naming import student_words
from cairn.engine.recommend import Candidate, Recommendation, StudentProfile, choice_board
from cairn.engine.release import Status
from cairn.learning import board_sources, learner, profiles
from cairn.learning.models import ActivityChoice, ActivityCompletion, LearnerState, PathOverride
from cairn.learning.selectors.board_why import why
from cairn.learning.selectors.path import Path, PathRow, student_path

FEWER_CHOICES = 2  # the board's size for a student whose plan says "fewer choices at once"
# Cairn's own practice page reads its questions aloud (a button) for a student whose plan says so.
PRACTICE_SUPPORTS = frozenset({profiles.Accommodation.READ_ALOUD.value})


@dataclass(frozen=True)
class BoardOption:
    option_id: str  # "practice:<competency id>", "review:<competency id>" or "content:<content id>"
    title: str
    kind: str
    competency: str  # the code, for the API and staff
    minutes: int
    why: str
    url: str
    competency_name: str = ""  # what the student reads: the "I can" statement
    label: str = ""  # above the title, from a board source: "Your task"


def build_board(student: User, path: Path | None = None, *, size: int = 4) -> list[BoardOption]:
    """The 3-4 activities the student chooses from, each with why: practice and content on the open
    competencies of the path (``path``, when the caller has read it already) and due reviews, ranked by
    the engine for this student and their learner profile."""
    path = path or student_path(student)
    fit = profiles.fit_for(student)
    if profiles.Accommodation.FEWER_CHOICES in fit.needs:
        size = min(size, FEWER_CHOICES)
    now = timezone.now()
    state_row = LearnerState.objects.filter(student=student).first()
    state = state_row.state if state_row else learner.initial_state()
    assigned = set(
        PathOverride.objects.filter(
            student=student, active=True, action=PathOverride.Action.ASSIGN
        ).values_list("competency_id", flat=True)
    )
    dependents = Counter(pre for pre, _ in path.edges)
    open_rows = [r for r in path.rows if r.status in (Status.READY, Status.IN_PROGRESS)]
    extras = {extra.candidate.activity_id: extra for extra in board_sources.extras(student, path)}
    candidates = [
        *(_practice(row, state, dependents, assigned) for row in open_rows),
        *(_review(row, state) for row in path.rows if _review_due(row, now)),
        *_content(student, open_rows, state, dependents, assigned),
        *(extra.candidate for extra in extras.values()),
    ]
    recent = list(
        ActivityChoice.objects.filter(student=student)
        .order_by("-created_at")
        .values_list("chosen_kind", flat=True)[:3]
    )
    profile = StudentProfile(
        reading_level=fit.reading_level,
        language=fit.language,
        needs=fit.needs & profiles.CONTENT_NEEDS,
        preferred_kinds=fit.preferred_kinds,
        recent_kinds=tuple(recent),
        spinning=frozenset(r.code for r in path.rows if r.spinning),
    )
    names = {r.code: student_words(r) for r in path.rows}
    return [_option(rec, names, extras) for rec in choice_board(candidates, profile, size=size)]


def _practice(row: PathRow, state: dict[str, Any], dependents: Counter[str], assigned: set[int]) -> Candidate:
    return Candidate(
        activity_id=f"practice:{row.competency_id}",
        title=student_words(row),
        kind="practice",
        competency=row.code,
        p_correct=learner.predict(state, row.competency_id),
        mastery=row.mastery,
        dependents=dependents[row.code],
        minutes=10,
        accessibility=PRACTICE_SUPPORTS,
        assigned_by_teacher=row.competency_id in assigned,
    )


def _review_due(row: PathRow, now: dt.datetime) -> bool:
    return row.status == Status.MASTERED and row.review_due is not None and row.review_due <= now


def _review(row: PathRow, state: dict[str, Any]) -> Candidate:
    return Candidate(
        activity_id=f"review:{row.competency_id}",
        title=student_words(row),
        kind="review",
        competency=row.code,
        p_correct=learner.predict(state, row.competency_id),
        mastery=row.mastery,
        minutes=3,
        accessibility=PRACTICE_SUPPORTS,
        review_due=True,
    )


def _content(
    student: User,
    open_rows: list[PathRow],
    state: dict[str, Any],
    dependents: Counter[str],
    assigned: set[int],
) -> Iterator[Candidate]:
    """Activities on the open competencies. What may reach this student (approved, theirs to see, hidden
    or replaced per section) is the curriculum's rule; the board only narrows it to open competencies."""
    by_id = {r.competency_id: r for r in open_rows}
    contents = (
        content_for_student(student)
        .filter(competencies__in=list(by_id))
        .exclude(kind="practice")
        .prefetch_related("competencies")
        .distinct()
    )
    for content in contents:
        row = next((by_id[c.pk] for c in content.competencies.all() if c.pk in by_id), None)
        if row is None:
            continue
        features = {
            name
            for name in ("captions", "transcript", "alt_text", "read_aloud")
            if getattr(content, name, False)
        }
        yield Candidate(
            activity_id=f"content:{content.pk}",
            title=content.title,
            kind=content.kind,
            competency=row.code,
            p_correct=learner.predict(state, row.competency_id),
            mastery=row.mastery,
            dependents=dependents[row.code],
            reading_level=content.reading_level,
            language=content.language,
            accessibility=frozenset(features),
            minutes=content.estimated_minutes or 10,
            assigned_by_teacher=row.competency_id in assigned,
        )


def _option(
    rec: Recommendation, names: dict[str, str], extras: dict[str, board_sources.BoardExtra]
) -> BoardOption:
    c = rec.candidate
    kind, _, ident = c.activity_id.partition(":")
    if c.activity_id in extras:
        url = extras[c.activity_id].url
    elif kind == "content":
        url = reverse("learning-activity", args=[int(ident)])
    else:
        url = reverse("learning-practice", args=[int(ident)])
    return BoardOption(
        option_id=c.activity_id,
        title=c.title,
        kind=c.kind,
        competency=c.competency,
        minutes=c.minutes,
        why=why(rec),
        url=url,
        competency_name=names.get(c.competency, ""),
        label=extras[c.activity_id].label if c.activity_id in extras else "",
    )


def sections_using(content: Content) -> list[int]:
    """The sections (enrolled now) of the students who chose the content on their board or did it: whose
    teachers are told when its link breaks (registered with curriculum's notices when the app starts)."""
    students = ActivityChoice.objects.filter(chosen=f"content:{content.pk}").values("student_id")
    done = ActivityCompletion.objects.filter(content=content).values("student_id")
    return list(
        Enrolment.objects.current()
        .filter(kind=Enrolment.Kind.STUDENT)
        .filter(Q(user_id__in=students) | Q(user_id__in=done))
        .values_list("section_id", flat=True)
        .distinct()
    )

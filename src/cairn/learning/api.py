"""The student loop over JSON, so a mobile app or an LMS can drive it. Students act on themselves; staff read
a student's path through the access rules. Refusals are CairnErrors, rendered by the API's one handler.
Release rules have their own router (:mod:`cairn.learning.release_rules_api`); goals and reflections are
agency's (:mod:`cairn.agency.api`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from cairn.accounts import access
from cairn.accounts.models import Role, User
from cairn.core import audit
from cairn.core.errors import Forbidden, NotFound
from cairn.curriculum.models import Competency
from cairn.curriculum.naming import competency_name
from cairn.learning.selectors.board import BoardOption, build_board
from cairn.learning.selectors.path import Path, student_path
from cairn.learning.selectors.scope import scope_by_course_id
from cairn.learning.services import board as board_service
from cairn.learning.services import practice, questions

router = Router(tags=["learning"])


class PathRowOut(Schema):
    competency_id: int
    code: str
    statement: str
    status: str
    reasons: list[str]
    set_by_teacher: bool
    mastery: float
    uncertainty: float
    attempts: int
    checking: bool
    spinning: bool
    review_due: dt.datetime | None
    name: str = Field(
        "",
        description="The competency as the reader should read it: its code for staff, its short "
        "“I can …” statement for the student and their family (never a code).",
    )
    student_statement: str = Field("", description="The student-facing “I can …” statement, when written.")
    student_reasons: list[str] = Field(
        [],
        description="The same reasons as `reasons`, in the student's words: competencies by their “I can …” "
        "statements, diagnostic levels and dates in words, no codes. What a student app shows.",
    )
    mastered_by: str = Field(
        "",
        description="How a mastered competency was mastered: check, teacher or diagnostic; empty otherwise.",
    )
    evidence_from: list[str] = Field(
        [],
        description="Other tools (by the name the district registered) whose xAPI statements moved this "
        "estimate; newest first.",
    )


class PathOut(Schema):
    student_id: int
    counts: dict[str, int]
    competencies: list[PathRowOut]
    edges: list[tuple[str, str]]


class OptionOut(Schema):
    option_id: str
    title: str
    kind: str
    competency: str
    minutes: int
    why: str
    competency_name: str = Field("", description="The competency as the student reads it (“I can …”).")
    url: str = Field("", description="The Cairn page where the student does it.")


class ChooseIn(Schema):
    option_id: str


class PracticeQuestionOut(Schema):
    token: str
    competency: str
    competency_id: int
    purpose: str
    stem: str
    kind: str
    choices: list[dict[str, str]]
    hints_available: int
    hints_shown: list[str]
    tries: int
    figure: dict[str, Any] | None = Field(
        None, description="The item's figure (number line, fraction bar, area grid, counters) as data."
    )


class PracticeAnswerIn(Schema):
    attempt_id: uuid.UUID
    answer: str


class FeedbackOut(Schema):
    correct: bool
    message: str
    competency: str
    mastery_before: float
    mastery_after: float
    status: str
    event: str
    retry: bool
    solution: list[str]
    answer_text: str
    unlocked: list[str]
    next_question: PracticeQuestionOut | None = None
    next_options: list[OptionOut] = []


class HintOut(Schema):
    hint: str


def _student(request: HttpRequest) -> User:
    user = access.person(request)
    if Role.STUDENT not in access.roles_of(user):
        raise Forbidden(_("Only students practice; staff read paths at /students/{id}/path."))
    return user


def _path_out(student: User, path: Path, viewer: User) -> dict[str, object]:
    return {
        "student_id": student.pk,
        "counts": path.counts(),
        "competencies": [
            row.__dict__
            | {
                "reasons": list(row.reasons),
                "student_reasons": list(row.student_reasons),
                "name": competency_name(row, viewer),
            }
            for row in path.rows
        ],
        "edges": path.edges,
    }


@router.get("/path", response=PathOut, summary="My path: every competency's status, with reasons")
def my_path(request: HttpRequest, course: int | None = None) -> dict[str, object]:
    """Over all my current courses, or in one (``course``: the course's id)."""
    student = _student(request)
    return _path_out(student, student_path(student, scope=scope_by_course_id(student, course)), student)


@router.get("/students/{student_id}/path", response=PathOut, summary="A student's path (access rules apply)")
def student_path_api(request: HttpRequest, student_id: int, course: int | None = None) -> dict[str, object]:
    viewer = access.person(request)
    student = User.objects.filter(pk=student_id).first()
    if student is None or not access.can_view_student(viewer, student):
        raise NotFound(_("No such student."))
    audit.record(audit.AuditAction.VIEWED_STUDENT, actor=request.user, student=student, request=request)
    return _path_out(student, student_path(student, scope=scope_by_course_id(student, course)), viewer)


@router.get(
    "/students/{student_id}/board",
    response=list[OptionOut],
    summary="A student's next steps: their choice board (access rules apply)",
    description="The 3-4 activities the student would choose from now, each with why, ranked for them: what "
    "an outside tool reads back after sending evidence (xAPI statements to /xapi/statements). Same access "
    "rules as the student's path; `course` narrows it to one of the student's courses.",
)
def student_board_api(request: HttpRequest, student_id: int, course: int | None = None) -> list[BoardOption]:
    viewer = access.person(request)
    student = User.objects.filter(pk=student_id).first()
    if student is None or not access.can_view_student(viewer, student):
        raise NotFound(_("No such student."))
    audit.record(audit.AuditAction.VIEWED_STUDENT, actor=request.user, student=student, request=request)
    return build_board(student, student_path(student, scope=scope_by_course_id(student, course)))


@router.get("/board", response=list[OptionOut], summary="My choice board: 3-4 next activities, each with why")
def board(request: HttpRequest) -> list[BoardOption]:
    return build_board(_student(request))


@router.post("/board/choose", response=OptionOut, summary="Record my choice from the board")
def choose(request: HttpRequest, body: ChooseIn) -> BoardOption:
    student = _student(request)
    return board_service.choose(student, body.option_id, build_board(student))


@router.post(
    "/practice/{competency_id}", response=PracticeQuestionOut, summary="Serve (or resume) a question"
)
def serve(request: HttpRequest, competency_id: int) -> questions.Question:
    student = _student(request)
    competency = Competency.objects.filter(pk=competency_id).first()
    if competency is None:
        raise NotFound(_("This competency is not on your path."))
    return questions.question_for(questions.serve(student, competency))


@router.post("/questions/{token}/hint", response=HintOut, summary="Reveal the next hint")
def hint(request: HttpRequest, token: str) -> dict[str, str]:
    return {"hint": questions.reveal_hint(_student(request), token)}


@router.post(
    "/questions/{token}/answer",
    response=FeedbackOut,
    summary="Answer; idempotent on attempt_id. The response carries the next question or the refreshed board",
)
def answer(request: HttpRequest, token: str, body: PracticeAnswerIn) -> dict[str, object]:
    student = _student(request)
    feedback, step = practice.answer_and_next(student, token, str(body.attempt_id), body.answer)
    return feedback.to_dict() | {
        "next_question": step.question,
        "next_options": step.options,
        "unlocked": step.unlocked,
    }

"""The student loop over JSON, so a mobile app or an LMS can drive it. Students act on themselves; staff read
a student's path through the access rules."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from cairn.accounts import access
from cairn.accounts.models import Role, Section, User
from cairn.agency import pace as agency
from cairn.curriculum.models import Competency
from cairn.learning import board as board_service
from cairn.learning import practice, release_rules
from cairn.learning.path import Path, student_path

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


class GoalIn(Schema):
    competencies: int
    minutes: int
    note: str = ""


class PaceOut(Schema):
    week_start: dt.date
    goal_competencies: int | None
    goal_minutes: int | None
    mastered: int
    minutes: int
    on_track: bool | None
    message: str
    advice: str = ""


class ReflectionIn(Schema):
    feeling: str
    learned: str = ""
    next_step: str = ""
    ask_teacher: str = ""


def _student(request: HttpRequest) -> User:
    user = access.person(request)
    if Role.STUDENT not in access.roles_of(user):
        raise HttpError(403, "Only students practise; staff read paths at /students/{id}/path.")
    return user


def _path_out(student: User, path: Path) -> dict[str, object]:
    return {
        "student_id": student.pk,
        "counts": path.counts(),
        "competencies": [row.__dict__ | {"reasons": list(row.reasons)} for row in path.rows],
        "edges": path.edges,
    }


@router.get("/path", response=PathOut, summary="My path: every competency's status, with reasons")
def my_path(request: HttpRequest) -> dict[str, object]:
    student = _student(request)
    return _path_out(student, student_path(student))


@router.get("/students/{student_id}/path", response=PathOut, summary="A student's path (access rules apply)")
def student_path_api(request: HttpRequest, student_id: int) -> dict[str, object]:
    student = get_object_or_404(User, pk=student_id)
    if not access.can_view_student(access.person(request), student):
        raise Http404("No such student.")
    return _path_out(student, student_path(student))


@router.get("/board", response=list[OptionOut], summary="My choice board: 3-4 next activities, each with why")
def board(request: HttpRequest) -> list[board_service.BoardOption]:
    return board_service.build_board(_student(request))


@router.post("/board/choose", response=OptionOut, summary="Record my choice from the board")
def choose(request: HttpRequest, body: ChooseIn) -> board_service.BoardOption:
    student = _student(request)
    try:
        return board_service.choose(student, body.option_id, board_service.build_board(student))
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc


@router.post(
    "/practice/{competency_id}", response=PracticeQuestionOut, summary="Serve (or resume) a question"
)
def serve(request: HttpRequest, competency_id: int) -> practice.Question:
    student = _student(request)
    competency = get_object_or_404(Competency, pk=competency_id)
    row = student_path(student).by_code().get(competency.code)
    if row is None:
        raise Http404("This competency is not on your path.")
    if row.status == "locked":
        raise HttpError(403, "Locked: " + "; ".join(row.reasons))
    try:
        return practice.question_for(practice.serve(student, competency))
    except practice.PracticeError as exc:
        raise HttpError(409, str(exc)) from exc


@router.post("/questions/{token}/hint", response=HintOut, summary="Reveal the next hint")
def hint(request: HttpRequest, token: str) -> dict[str, str]:
    try:
        return {"hint": practice.reveal_hint(_student(request), token)}
    except practice.PracticeError as exc:
        raise HttpError(400, str(exc)) from exc


@router.post(
    "/questions/{token}/answer",
    response=FeedbackOut,
    summary="Answer; idempotent on attempt_id. The response carries the next question or the refreshed board",
)
def answer(request: HttpRequest, token: str, body: PracticeAnswerIn) -> dict[str, object]:
    student = _student(request)
    try:
        feedback, step = practice.answer_and_next(student, token, str(body.attempt_id), body.answer)
    except practice.PracticeError as exc:
        raise HttpError(400, str(exc)) from exc
    return feedback.to_dict() | {
        "next_question": step.question,
        "next_options": step.options,
        "unlocked": step.unlocked,
    }


def _pace_out(student: User, advice: str = "") -> dict[str, object]:
    p = agency.pace(student)
    return {
        "week_start": p.week_start,
        "goal_competencies": p.goal.competencies if p.goal else None,
        "goal_minutes": p.goal.minutes if p.goal else None,
        "mastered": p.mastered,
        "minutes": p.minutes,
        "on_track": p.on_track,
        "message": p.message,
        "advice": advice,
    }


@router.get("/goal", response=PaceOut, summary="My goal for this week and my pace")
def get_goal(request: HttpRequest) -> dict[str, object]:
    return _pace_out(_student(request))


@router.put("/goal", response=PaceOut, summary="Set my goal for this week")
def put_goal(request: HttpRequest, body: GoalIn) -> dict[str, object]:
    student = _student(request)
    try:
        _, advice = agency.set_goal(student, body.competencies, body.minutes, body.note)
    except agency.GoalError as exc:
        raise HttpError(400, str(exc)) from exc
    return _pace_out(student, advice)


@router.post("/reflections", response={201: dict[str, int]}, summary="Send an end-of-session reflection")
def reflect(request: HttpRequest, body: ReflectionIn) -> Status:
    try:
        r = agency.reflect(_student(request), body.feeling, body.learned, body.next_step, body.ask_teacher)
    except agency.GoalError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, {"id": r.pk})


# -- teachers: a section's release rules -----------------------------------------------------------------
class RuleIn(Schema):
    competency_id: int
    kind: str
    value: str


class RuleOut(Schema):
    pk: int
    competency: str
    sentence: str
    created_by: str
    created_at: dt.datetime


def _managed_section(request: HttpRequest, section_id: int) -> Section:
    section = get_object_or_404(Section, pk=section_id)
    viewer = access.person(request)
    if not access.can_view_section(viewer, section):
        raise Http404("No such section.")
    if not release_rules.can_manage(viewer, section):
        raise HttpError(403, "Only a current teacher of this section can change its release rules.")
    return section


@router.get("/sections/{section_id}/rules", response=list[RuleOut], summary="A section's release rules")
def list_rules(request: HttpRequest, section_id: int) -> list[release_rules.RuleView]:
    return release_rules.rules_for(_managed_section(request, section_id))


@router.post(
    "/sections/{section_id}/rules",
    response={201: list[RuleOut]},
    summary="Add a release rule: kind when_mastered (value: a code), after_activity (an activity id), "
    "from_date (YYYY-MM-DD) or diagnostic_above (a level)",
)
def add_rule(request: HttpRequest, section_id: int, body: RuleIn) -> Status:
    section = _managed_section(request, section_id)
    competency = get_object_or_404(Competency, pk=body.competency_id)
    try:
        rule = release_rules.build_rule(body.kind, body.value)
        release_rules.add_rule(access.person(request), section, competency, rule)
    except release_rules.RuleError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, release_rules.rules_for(section))


@router.delete(
    "/sections/{section_id}/rules/{rule_id}", response={204: None}, summary="Remove a release rule"
)
def delete_rule(request: HttpRequest, section_id: int, rule_id: int) -> Status:
    section = _managed_section(request, section_id)
    try:
        release_rules.remove_rule(access.person(request), section, rule_id)
    except release_rules.RuleError as exc:
        raise HttpError(404, str(exc)) from exc
    return Status(204, None)

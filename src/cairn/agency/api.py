"""A student's goal, pace and reflections over JSON. Mounted beside learning's router, under
/api/v1/learning/, where these paths have always been."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from cairn.accounts import access
from cairn.accounts.models import Role, User
from cairn.agency import selectors, services
from cairn.core.errors import Forbidden

router = Router(tags=["agency"])


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
        raise Forbidden(_("Only students set goals and reflect."))
    return user


def _pace_out(student: User, advice: str = "") -> dict[str, object]:
    p = selectors.pace(student)
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
    _goal, advice = services.set_goal(student, body.competencies, body.minutes, body.note)
    return _pace_out(student, advice)


@router.post("/reflections", response={201: dict[str, int]}, summary="Send an end-of-session reflection")
def reflect(request: HttpRequest, body: ReflectionIn) -> Status:
    student = _student(request)
    r = services.reflect(student, body.feeling, body.learned, body.next_step, body.ask_teacher)
    return Status(201, {"id": r.pk})

"""Diagnostics over JSON: a student starts or resumes a sitting, gets the open question, answers it and reads
the result; staff read placements and growth of the sections and students the access rules let them see.
A sitting never exposes more than its one open question."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cairn.accounts import access
from cairn.accounts.models import Role, Section, User
from cairn.core import audit
from cairn.core.errors import Conflict, Forbidden, Invalid

from . import selectors
from .models import Administration, Diagnostic
from .services import sittings
from .windows import is_school_year, school_year_of

router = Router(tags=["diagnostics"])


class DiagnosticDueOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    max_items: int
    due: bool
    reason: str
    open_sitting_id: int | None


class SittingQuestionOut(Schema):
    token: str
    number: int
    max_items: int
    stem: str
    kind: str
    choices: list[dict[str, str]]


class SittingStateOut(Schema):
    id: int
    diagnostic_id: int
    status: str
    answered: int
    question: SittingQuestionOut | None = None


class SittingAnswerIn(Schema):
    token: str
    answer: str


class PlacedCompetencyOut(Schema):
    competency_id: int
    code: str
    statement: str
    probability: float


class SittingResultOut(Schema):
    sitting_id: int
    diagnostic_id: int
    student_id: int
    status: str
    school_year: str
    season: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    answered: int
    stop_reason: str
    theta: float | None
    se: float | None
    mastered: list[PlacedCompetencyOut]
    ready: list[PlacedCompetencyOut]
    newly_mastered: list[str]


class WindowScoreOut(Schema):
    season: str
    theta: float
    se: float
    sitting_id: int


class StudentPlacementOut(Schema):
    student_id: int
    name: str
    latest_sitting_id: int | None
    theta: float | None
    se: float | None
    finished_at: dt.datetime | None
    in_progress: bool
    mastered: int
    ready: list[str]
    seasons: list[WindowScoreOut]
    growth: float | None
    growth_se: float | None


class WindowSummaryOut(Schema):
    season: str
    assessed: int
    mean_theta: float | None


class SectionGrowthOut(Schema):
    section_id: int
    school_year: str
    seasons: list[WindowSummaryOut]
    students_with_growth: int
    mean_growth: float | None
    students: list[StudentPlacementOut]


def _student(request: HttpRequest) -> User:
    user = access.person(request)
    if Role.STUDENT not in access.roles_of(user):
        raise Forbidden(
            _("Only students take diagnostics; staff read results under /sections and /students.")
        )
    return user


def _sitting_out(sitting: Administration) -> dict[str, object]:
    out: dict[str, object] = {
        "id": sitting.pk,
        "diagnostic_id": sitting.diagnostic_id,
        "status": sitting.status,
        "answered": sitting.answered,
        "question": None,
    }
    response = sittings.current_response(sitting)
    if response is not None:
        out["question"] = sittings.question_for(response)
    sitting.refresh_from_db(fields=["status", "answered"])
    out["status"], out["answered"] = sitting.status, sitting.answered
    return out


def _own_sitting(request: HttpRequest, sitting_id: int) -> Administration:
    return sittings.sitting_of(_student(request), sitting_id)


def _result_out(sitting: Administration) -> dict[str, object]:
    result = selectors.result_of(sitting)
    finished = sitting.status == Administration.Status.FINISHED
    return {
        "sitting_id": sitting.pk,
        "diagnostic_id": sitting.diagnostic_id,
        "student_id": sitting.student_id,
        "status": sitting.status,
        "school_year": sitting.school_year,
        "season": sitting.season,
        "started_at": sitting.started_at,
        "finished_at": sitting.finished_at,
        "answered": sitting.answered,
        "stop_reason": sitting.stop_reason,
        "theta": sitting.theta if finished else None,
        "se": sitting.se if finished else None,
        "mastered": result.mastered,
        "ready": result.ready,
        "newly_mastered": result.newly_mastered,
    }


@router.get(
    "/diagnostics", response=list[DiagnosticDueOut], summary="Open diagnostics, and which are due for me"
)
def list_diagnostics(request: HttpRequest) -> list[dict[str, object]]:
    student = _student(request)
    due = {d.diagnostic.pk: d for d in selectors.due(student)}
    out = []
    for diagnostic in selectors.open_diagnostics():
        found = due.get(diagnostic.pk)
        out.append(
            {
                "id": diagnostic.pk,
                "slug": diagnostic.slug,
                "title": diagnostic.title,
                "description": diagnostic.description,
                "max_items": diagnostic.max_items,
                "due": found is not None,
                "reason": found.reason if found else "",
                "open_sitting_id": found.sitting.pk if found and found.sitting else None,
            }
        )
    return out


@router.post(
    "/diagnostics/{diagnostic_id}/sittings",
    response=SittingStateOut,
    summary="Start a sitting, or resume my open one (it returns the open question)",
)
def start(request: HttpRequest, diagnostic_id: int) -> dict[str, object]:
    student = _student(request)
    diagnostic = get_object_or_404(Diagnostic, pk=diagnostic_id, active=True)
    return _sitting_out(sittings.start(student, diagnostic))


@router.get(
    "/sittings/{sitting_id}",
    response=SittingStateOut,
    summary="My sitting and its open question (served now if none is open; the same one on every call)",
)
def next_question(request: HttpRequest, sitting_id: int) -> dict[str, object]:
    return _sitting_out(_own_sitting(request, sitting_id))


@router.post(
    "/sittings/{sitting_id}/answer",
    response=SittingStateOut,
    summary="Answer the open question; returns the next one, or the sitting finished",
)
def answer(request: HttpRequest, sitting_id: int, body: SittingAnswerIn) -> dict[str, object]:
    sitting = _own_sitting(request, sitting_id)
    return _sitting_out(sittings.answer(sitting.student, sitting.pk, body.token, body.answer))


@router.get(
    "/sittings/{sitting_id}/result", response=SittingResultOut, summary="A finished sitting's placement"
)
def result(request: HttpRequest, sitting_id: int) -> dict[str, object]:
    sitting = get_object_or_404(Administration.objects.select_related("student"), pk=sitting_id)
    if not access.can_view_student(access.person(request), sitting.student):
        raise Http404("No such diagnostic.")
    if sitting.status != Administration.Status.FINISHED:
        raise Conflict(_("This diagnostic is not finished yet."))
    return _result_out(sitting)


@router.get(
    "/students/{student_id}/sittings",
    response=list[SittingResultOut],
    summary="A student's diagnostics (access rules)",
)
def student_sittings(request: HttpRequest, student_id: int) -> list[dict[str, object]]:
    student = get_object_or_404(User, pk=student_id)
    if not access.can_view_student(access.person(request), student):
        raise Http404("No such student.")
    audit.record(audit.AuditAction.VIEWED_STUDENT, actor=request.user, student=student, request=request)
    return [_result_out(s) for s in selectors.sittings_of(student)]


def _placement_out(row: selectors.StudentPlacement) -> dict[str, object]:
    finished = row.latest
    return {
        "student_id": row.student.pk,
        "name": row.student.display_name,
        "latest_sitting_id": finished.pk if finished else None,
        "theta": finished.theta if finished else None,
        "se": finished.se if finished else None,
        "finished_at": finished.finished_at if finished else None,
        "in_progress": row.in_progress,
        "mastered": row.mastered,
        "ready": row.ready,
        "seasons": [score for score in row.by_season if score is not None],
        "growth": row.growth,
        "growth_se": row.growth_se,
    }


def _visible_section(request: HttpRequest, section_id: int) -> Section:
    section = get_object_or_404(Section, pk=section_id)
    if not access.can_view_section(access.person(request), section):
        raise Http404("No such section.")
    return section


def _year(value: str | None) -> str:
    if value is None or value == "":
        return school_year_of(timezone.localdate())
    if not is_school_year(value):
        raise Invalid(f"school_year must look like 2025-26, got {value!r}", field="school_year")
    return value


@router.get(
    "/sections/{section_id}/placements",
    response=list[StudentPlacementOut],
    summary="Placements of a section's students (access rules)",
)
def placements(
    request: HttpRequest, section_id: int, school_year: str | None = None
) -> list[dict[str, object]]:
    section = _visible_section(request, section_id)
    rows = selectors.section_placements(section, school_year=_year(school_year))
    return [_placement_out(r) for r in rows]


@router.get(
    "/sections/{section_id}/growth",
    response=SectionGrowthOut,
    summary="Growth across this year's fall, winter and spring windows, for program evaluation",
)
def growth(request: HttpRequest, section_id: int, school_year: str | None = None) -> dict[str, object]:
    section = _visible_section(request, section_id)
    year = _year(school_year)
    rows = selectors.section_placements(section, school_year=year)
    summary = selectors.section_growth(rows, year)
    return {
        "section_id": section.pk,
        "school_year": summary.school_year,
        "seasons": summary.seasons,
        "students_with_growth": summary.students_with_growth,
        "mean_growth": summary.mean_growth,
        "students": [_placement_out(r) for r in rows],
    }

"""Reads shared by the diagnostic pages and API: what is due for a student, a sitting's result, a section's
placements and growth across the year's windows. Callers have already asked cairn.accounts.access."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.curriculum.models import Competency
from cairn.curriculum.ownership import approved_items_for_student
from cairn.engine.release import Status as PathStatus
from cairn.learning.selectors.path import for_student, student_path

from . import bank as bank_module
from .models import Administration, Diagnostic, Season
from .windows import open_window, school_year_of

SEASONS = [Season.FALL, Season.WINTER, Season.SPRING]

# Said to a student when a season's window opens (one whole sentence per season, for translation).
CHECK_IN_OPEN = {
    "fall": gettext_lazy("The fall check-in is open: see how much you have grown."),
    "winter": gettext_lazy("The winter check-in is open: see how much you have grown."),
    "spring": gettext_lazy("The spring check-in is open: see how much you have grown."),
}


def latest_ability(student: User) -> float | None:
    """The ability estimate of the student's latest finished diagnostic (None if they have none)."""
    theta: float | None = (
        Administration.objects.filter(student=student, status=Administration.Status.FINISHED)
        .order_by("-finished_at", "-pk")
        .values_list("theta", flat=True)
        .first()
    )
    return theta


def open_diagnostics() -> QuerySet[Diagnostic]:
    """The diagnostics students may take now (an inactive one is kept for its results only)."""
    return Diagnostic.objects.filter(active=True)


@dataclass(frozen=True)
class Due:
    diagnostic: Diagnostic
    reason: str
    sitting: Administration | None  # an open sitting to resume


def _has_items(diagnostic: Diagnostic, student: User) -> bool:
    covered = bank_module.scope(diagnostic, on_path=for_student(student))
    return approved_items_for_student(student).filter(competencies__in=covered).exists()


def due(student: User, today: dt.date | None = None) -> list[Due]:
    """Diagnostics the student should take now: one left open (resume it), a first placement, or a
    re-assessment window that is open and not yet taken this school year."""
    today = today or timezone.localdate()
    year = school_year_of(today)
    found = []
    for diagnostic in open_diagnostics().prefetch_related("windows"):
        sittings = Administration.objects.filter(diagnostic=diagnostic, student=student)
        open_sitting = sittings.filter(status=Administration.Status.IN_PROGRESS).first()
        if open_sitting is not None:
            found.append(
                Due(diagnostic, _("You started this diagnostic: continue where you stopped."), open_sitting)
            )
            continue
        finished = sittings.filter(status=Administration.Status.FINISHED)
        window = open_window(diagnostic, today)
        if not finished.exists():
            reason = _("Take it once so your path starts in the right place.")
        elif window is not None and not finished.filter(school_year=year, season=window.season).exists():
            reason = str(CHECK_IN_OPEN.get(window.season, CHECK_IN_OPEN["fall"]))
        else:
            continue
        if _has_items(diagnostic, student):
            found.append(Due(diagnostic, reason, None))
    return found


@dataclass(frozen=True)
class PlacedCompetency:
    competency_id: int
    code: str
    statement: str
    probability: float
    student_statement: str = ""
    mastered_by: str = ""  # for what the path holds now: check, estimate, diagnostic or teacher
    translations: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)  # "I can" in others


@dataclass(frozen=True)
class Result:
    sitting: Administration
    mastered: list[PlacedCompetency]
    ready: list[PlacedCompetency]
    newly_mastered: list[str]
    # What the student's path holds as mastered now, however it got there (the diagnostic, practice, a
    # teacher): the result page shows it beside the placement so the two never seem to disagree.
    mastered_now: list[PlacedCompetency] = field(default_factory=list)


def result_of(sitting: Administration) -> Result:
    """A finished sitting's placement, with the competencies spelled out (empty lists while in progress)."""
    placement = sitting.placement or {}
    ids = set(placement.get("mastered", [])) | set(placement.get("ready", []))
    names = {
        pk: (statement, student_statement, translations)
        for pk, statement, student_statement, translations in Competency.objects.filter(
            pk__in=ids
        ).values_list("pk", "statement", "student_statement", "translations")
    }
    probability = placement.get("probability", {})
    codes = placement.get("codes", {})

    def rows(keys: Iterable[int]) -> list[PlacedCompetency]:
        out = [
            PlacedCompetency(
                int(k),
                codes.get(str(k), str(k)),
                names.get(int(k), ("", "", {}))[0],
                float(probability.get(str(k), 0)),
                names.get(int(k), ("", "", {}))[1],
                translations=names.get(int(k), ("", "", {}))[2] or {},
            )
            for k in keys
        ]
        return sorted(out, key=lambda r: r.code)

    return Result(
        sitting=sitting,
        mastered=rows(placement.get("mastered", [])),
        ready=rows(placement.get("ready", [])),
        newly_mastered=list((sitting.seeded or {}).get("mastered", [])),
        mastered_now=mastered_now(sitting.student) if sitting.finished_at else [],
    )


def mastered_now(student: User) -> list[PlacedCompetency]:
    """The competencies the student's path shows as mastered now (the same evaluation as the path page),
    and how each was mastered."""
    return [
        PlacedCompetency(
            row.competency_id,
            row.code,
            row.statement,
            row.mastery,
            row.student_statement,
            row.mastered_by or "teacher",  # mastered on the path with no record: a teacher's skip
            translations=row.translations,
        )
        for row in student_path(student).rows
        if row.status == PathStatus.MASTERED
    ]


def sittings_of(student: User) -> QuerySet[Administration]:
    return (
        Administration.objects.filter(student=student)
        .select_related("diagnostic")
        .order_by("-started_at", "-pk")
    )


# -- a section's placements and growth ---------------------------------------------------------------
@dataclass(frozen=True)
class SeasonScore:
    season: str
    theta: float
    se: float
    sitting_id: int


@dataclass(frozen=True)
class StudentPlacement:
    student: User
    latest: Administration | None
    in_progress: bool
    mastered: int
    ready: list[str]
    seasons: dict[str, SeasonScore] = field(default_factory=dict)  # this school year, by season
    growth: float | None = None  # latest season's ability minus the earliest's, this school year
    growth_se: float | None = None

    @property
    def by_season(self) -> list[SeasonScore | None]:
        """This year's scores in window order (None for a window not taken), for tables."""
        return [self.seasons.get(season) for season in SEASONS]


def _scores_by_student(
    students: list[User], school_year: str, diagnostic: Diagnostic | None
) -> dict[int, dict[str, SeasonScore]]:
    finished = Administration.objects.filter(
        student__in=students, status=Administration.Status.FINISHED, school_year=school_year
    ).exclude(season="")
    if diagnostic is not None:
        finished = finished.filter(diagnostic=diagnostic)
    scores: dict[int, dict[str, SeasonScore]] = {}
    # The latest sitting of each season counts (a retake replaces an earlier one in the same window).
    for s in finished.order_by("finished_at", "pk"):
        scores.setdefault(s.student_id, {})[s.season] = SeasonScore(s.season, s.theta, s.se, s.pk)
    return scores


def growth_of(seasons: dict[str, SeasonScore]) -> tuple[float | None, float | None]:
    """Growth from the earliest to the latest season taken, with the SE of the difference."""
    taken = [seasons[s] for s in SEASONS if s in seasons]
    if len(taken) < 2:
        return None, None
    first, last = taken[0], taken[-1]
    return round(last.theta - first.theta, 3), round(math.hypot(first.se, last.se), 3)


def section_placements(
    section: Section, *, school_year: str | None = None, diagnostic: Diagnostic | None = None
) -> list[StudentPlacement]:
    """Each current student of the section: their latest placement, and this year's scores by window."""
    year = school_year or school_year_of(timezone.localdate())
    students = list(access.students_in_section(section).order_by("last_name", "first_name", "pk"))
    sittings = Administration.objects.filter(student__in=students).select_related("diagnostic")
    if diagnostic is not None:
        sittings = sittings.filter(diagnostic=diagnostic)
    latest: dict[int, Administration] = {}
    in_progress: set[int] = set()
    for s in sittings.order_by("finished_at", "pk"):
        if s.status == Administration.Status.FINISHED:
            latest[s.student_id] = s
        else:
            in_progress.add(s.student_id)
    scores = _scores_by_student(students, year, diagnostic)
    rows = []
    for student in students:
        sitting = latest.get(student.pk)
        placement = (sitting.placement or {}) if sitting else {}
        codes = placement.get("codes", {})
        seasons = scores.get(student.pk, {})
        growth, growth_se = growth_of(seasons)
        rows.append(
            StudentPlacement(
                student=student,
                latest=sitting,
                in_progress=student.pk in in_progress,
                mastered=len(placement.get("mastered", [])),
                ready=sorted(codes.get(str(k), str(k)) for k in placement.get("ready", [])),
                seasons=seasons,
                growth=growth,
                growth_se=growth_se,
            )
        )
    return rows


@dataclass(frozen=True)
class SeasonSummary:
    season: str
    label: str
    assessed: int
    mean_theta: float | None


@dataclass(frozen=True)
class SectionGrowth:
    school_year: str
    seasons: list[SeasonSummary]
    students_with_growth: int
    mean_growth: float | None


def section_growth(rows: list[StudentPlacement], school_year: str) -> SectionGrowth:
    """The section's picture for program evaluation: who was assessed in each window, the mean ability,
    and the mean growth of students assessed in at least two windows."""
    summaries = []
    for season in SEASONS:
        thetas = [r.seasons[season].theta for r in rows if season in r.seasons]
        mean = round(sum(thetas) / len(thetas), 3) if thetas else None
        summaries.append(SeasonSummary(season, str(Season(season).label), len(thetas), mean))
    growths = [r.growth for r in rows if r.growth is not None]
    return SectionGrowth(
        school_year=school_year,
        seasons=summaries,
        students_with_growth=len(growths),
        mean_growth=round(sum(growths) / len(growths), 3) if growths else None,
    )


def visible_sections_for_placements(user: User) -> QuerySet[Section]:
    return access.visible_sections(user).select_related("school").order_by("school__name", "name")

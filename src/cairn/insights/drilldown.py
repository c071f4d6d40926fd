"""Reads for a student's drill-down page: their latest answers, goals, reflections, choices, overrides and
alerts, and the learner model's estimate after each answer. Callers have checked the person may see the
student's section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cairn.accounts.models import User
from cairn.agency.models import Reflection, WeeklyGoal
from cairn.learning.models import ActivityChoice, ActivityCompletion, Alert, Attempt, PathOverride
from cairn.learning.selectors.overrides import history


@dataclass
class StudentDetail:
    student: User
    attempts: list[Attempt]
    goals: list[WeeklyGoal]
    reflections: list[Reflection]
    choices: list[ActivityChoice]
    completions: list[ActivityCompletion]
    overrides: list[PathOverride]
    alerts: list[Alert]


def student_detail(student: User, *, limit: int = 30) -> StudentDetail:
    return StudentDetail(
        student=student,
        attempts=list(
            Attempt.objects.filter(student=student)
            .select_related("competency")
            .order_by("-created_at", "-pk")[:limit]
        ),
        goals=list(WeeklyGoal.objects.filter(student=student).order_by("-week_start")[:6]),
        reflections=list(Reflection.objects.filter(student=student).order_by("-created_at")[:10]),
        choices=list(ActivityChoice.objects.filter(student=student).order_by("-created_at")[:15]),
        completions=list(
            ActivityCompletion.objects.filter(student=student)
            .select_related("content")
            .order_by("-completed_at")[:15]
        ),
        overrides=history([student], limit=30),
        alerts=list(
            Alert.objects.filter(student=student).select_related("competency").order_by("-created_at")[:15]
        ),
    )


def mastery_trajectories(student: User, *, lines: int = 4) -> dict[str, list[tuple[dt.datetime, float]]]:
    """The learner model's estimate after each answer, for the competencies the student worked on last."""
    recent: list[int] = []
    for cid in (
        Attempt.objects.filter(student=student)
        .order_by("-created_at")
        .values_list("competency_id", flat=True)[:300]
    ):
        if cid not in recent:
            recent.append(cid)
        if len(recent) == lines:
            break
    out: dict[str, list[tuple[dt.datetime, float]]] = {}
    for code, when, value in (
        Attempt.objects.filter(student=student, competency_id__in=recent, try_number=1)
        .order_by("created_at", "pk")
        .values_list("competency__code", "created_at", "mastery_after")
    ):
        out.setdefault(code, []).append((when, value))
    return out

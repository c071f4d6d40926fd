"""A short lesson on an autonomy skill on the student's choice board: the lesson of their weakest observed
skill, when it is weak (level 1-2), in their language, and not again within two weeks of doing it.
Registered with :mod:`cairn.learning.board_sources` in ``AgencyConfig.ready``; at most one option."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.agency import autonomy
from cairn.agency.autonomy_signals import skill_competencies, student_skills
from cairn.curriculum.models import Content, Status
from cairn.engine.recommend import Candidate
from cairn.learning.board_sources import BoardExtra
from cairn.learning.models import ActivityCompletion

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.learning.selectors.path import Path

SOURCE = "autonomy"
RESTING = dt.timedelta(days=14)


def lesson_for(student: User, skill: autonomy.Skill) -> Content | None:
    """The skill's approved lesson in the student's language (English when there is none in theirs)."""
    competency = skill_competencies().get(skill.key)
    if competency is None:
        return None
    lessons = {c.language: c for c in Content.objects.filter(competencies=competency, status=Status.APPROVED)}
    return lessons.get((student.language or "en").split("-")[0]) or lessons.get("en")


def board_lesson(student: User, path: Path) -> Iterable[BoardExtra]:
    if not skill_competencies():  # the framework is not installed here
        return []
    weakest = autonomy.weakest(student_skills(student).observed)
    if weakest is None:
        return []
    skill = autonomy.skill(weakest.skill)
    lesson = lesson_for(student, skill)
    recently = timezone.now() - RESTING
    if (
        lesson is None
        or ActivityCompletion.objects.filter(
            student=student, content__competencies__code=skill.code, completed_at__gte=recently
        ).exists()
    ):
        return []
    candidate = Candidate(
        activity_id=f"{SOURCE}:{lesson.pk}",
        title=lesson.title,
        kind=lesson.kind,
        competency=skill.code,
        p_correct=0.8,
        mastery=(weakest.level or 1) / 4,
        reading_level=lesson.reading_level,
        language=lesson.language,
        accessibility=frozenset({"read_aloud"}),
        minutes=lesson.estimated_minutes or 4,
    )
    url = reverse("learning-activity", args=[lesson.pk])
    return [BoardExtra(candidate=candidate, url=url, label=_("A learning skill"))]

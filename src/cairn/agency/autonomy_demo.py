"""The demo's learning skills: the framework installed, goals in the two weeks before this one for the
cast's goal setters (the modest ones kept, the ambitious ones not), a few reflections, and the first
teacher's ratings of three students. Observed levels then vary across the class from its own history, and
Today suggests teaching goal setting to the students who never set one. Deterministic; a second run adds
nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cairn.accounts.models import Enrolment, Section, User
from cairn.agency.autonomy_services import install_framework
from cairn.agency.autonomy_signals import class_students, skill_competencies
from cairn.agency.models import Reflection, SkillRating, WeeklyGoal
from cairn.agency.selectors import week_start
from cairn.learning.demo import Cast

RATINGS = [("goals", 2, "Sets goals when I remind her."), ("help", 3, ""), ("persist", 4, "")]


def seed_demo_autonomy(cast: Cast | None, day: dt.date | None = None) -> int:
    """Install the framework and give the cast's history its autonomy side; returns the ratings made."""
    install_framework()
    if cast is None:
        return 0
    day = day or timezone.localdate()
    for weeks in (1, 2):
        monday = week_start(day) - dt.timedelta(weeks=weeks)
        for ids, competencies, minutes in [(cast.on_track, 1, 20), (cast.behind, 4, 240)]:
            for student_id in sorted(ids):
                WeeklyGoal.objects.get_or_create(
                    student_id=student_id,
                    week_start=monday,
                    defaults={"competencies": competencies, "minutes": minutes},
                )
    for n, student_id in enumerate(sorted(cast.ahead | cast.on_track)):
        _reflections(student_id, day, count=1 + n % 3)
    return _ratings()


def _reflections(student_id: int, day: dt.date, count: int) -> None:
    if Reflection.objects.filter(student_id=student_id).exists():
        return
    for back in range(count):
        when = dt.datetime.combine(
            day - dt.timedelta(days=2 + back * 3), dt.time(14, 30), tzinfo=timezone.get_current_timezone()
        )
        reflection = Reflection.objects.create(
            student_id=student_id,
            feeling=Reflection.Feeling.OK,
            learned="Equivalent fractions",
            next_step="Try the number line first",
        )
        Reflection.objects.filter(pk=reflection.pk).update(created_at=when)


def _ratings() -> int:
    section = (
        Section.objects.filter(enrolments__user__username="mrivera", enrolments__kind=Enrolment.Kind.TEACHER)
        .order_by("code")
        .first()
    )
    teacher = User.objects.filter(username="mrivera").first()
    competencies = skill_competencies()
    if section is None or teacher is None or SkillRating.objects.filter(rater=teacher).exists():
        return 0
    made = 0
    for student, (key, level, note) in zip(class_students(section)[:3], RATINGS, strict=False):
        SkillRating.objects.create(
            student=student, competency=competencies[key], level=level, note=note, rater=teacher
        )
        made += 1
    return made

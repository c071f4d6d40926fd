"""The demo district's surveys: Cairn's defaults installed, the student survey given in a fall (pre) and a
spring (post) window to every school, with deterministic answers a little higher in spring. One school has
only 4 answers in spring, so its results page shows the suppression ("fewer than 5 answered"); this week's
class pulse has 3 answers in the first class by code (hidden the same way) and 8 in the first teacher's
class (shown to them). A second run changes nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, Enrolment, Role, Section, User
from cairn.surveys import pulse, services
from cairn.surveys.models import Survey, SurveyWindow
from cairn.surveys.respondents import place_of

STUDENT_SURVEY = "How school is going for me"
PULSE_TEACHER = "mrivera"  # the demo's first teacher: their class's pulse has enough answers to show


def _pupils(section: Section) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Enrolment.objects.current()
            .filter(section=section, kind=Enrolment.Kind.STUDENT)
            .values("user_id")
        ).order_by("username")
    )


def _answers(survey: Survey, rng: random.Random, lift: float) -> dict[int, int]:
    """A plausible respondent: one leaning (how they feel about school) shared by all their answers."""
    leaning = rng.gauss(3.2 + lift, 0.7)
    answers = {}
    for q in survey.questions.all():
        value = leaning + rng.gauss(0, 0.6)
        answers[q.pk] = max(1, min(5, round(6 - value if q.reverse_scored else value)))
    return answers


def _fill(window: SurveyWindow, people: list[User], rng: random.Random, lift: float, on: dt.date) -> int:
    done = 0
    for person in people:
        place = place_of(window, person)
        if place is not None:
            services.record(
                window=window, person=person, place=place, answers=_answers(window.survey, rng, lift), on=on
            )
            done += 1
    return done


@transaction.atomic
def seed_demo_surveys(district: District, *, seed: int = 2026, today: dt.date | None = None) -> int:
    """Install and answer the demo's surveys; the number of submissions written (0 on a second run)."""
    if SurveyWindow.objects.filter(survey__district=district).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    surveys = {s.title: s for s in services.install_defaults(district=district)}
    student_survey = surveys[STUDENT_SURVEY]
    fall = services.open_window(
        survey=student_survey,
        name="Fall (pre)",
        opens=today - dt.timedelta(days=70),
        closes=today - dt.timedelta(days=56),
    )
    spring = services.open_window(
        survey=student_survey,
        name="Spring (post)",
        opens=today - dt.timedelta(days=7),
        closes=today + dt.timedelta(days=7),
    )
    written = 0
    schools = list(district.schools.order_by("name"))
    for index, school in enumerate(schools):
        students = list(
            User.objects.filter(
                role_assignments__role=Role.STUDENT, role_assignments__school=school
            ).order_by("username")
        )
        written += _fill(fall, students[: max(5, len(students) * 4 // 5)], rng, 0.0, fall.opens)
        spring_people = (
            students[:4] if index == len(schools) - 1 else students[: max(5, len(students) * 3 // 4)]
        )
        written += _fill(spring, spring_people, rng, 0.35, spring.opens)
    if surveys.get("Class pulse") is not None:
        first = Section.objects.filter(school__district=district).order_by("code").first()
        demo_class = (
            Section.objects.filter(
                school__district=district,
                enrolments__user__username=PULSE_TEACHER,
                enrolments__kind=Enrolment.Kind.TEACHER,
            )
            .order_by("code")
            .first()
        )
        # The first class by code: 3 answers (hidden); the first teacher's class: 8 (shown to them).
        for section, count in [(first, 3), (demo_class, 8)]:
            window = pulse.open_week(section=section, today=today) if section is not None else None
            if window is not None and section is not None:
                written += _fill(window, _pupils(section)[:count], rng, 0.2, max(window.opens, today))
    return written

"""Reads for the family page: one child's week in plain language, for their guardians.

What a family reads: the child's courses with what they are working on now and what comes next ("I can"
statements, never codes), what they mastered this week, their weekly goal and pace, the teachers' notes to
the family, and what personalized learning means in the child's district. Never: accommodations, other
students, scores or ranks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Enrolment, GuardianLink, User
from cairn.agency.selectors import Pace, pace, week_start
from cairn.core.errors import NotFound
from cairn.curriculum.models import Competency
from cairn.curriculum.naming import student_words
from cairn.curriculum.ownership import student_district_ids
from cairn.engine.release import Status
from cairn.families.models import DigestPreference, TeacherNote
from cairn.leaders.models import Definition
from cairn.learning.models import Progress
from cairn.learning.selectors.path import student_paths

WORKING_ON_SHOWN = 4
NOTES_SHOWN = 5


@dataclass(frozen=True)
class CourseWork:
    name: str
    working_on: list[str]  # started, not mastered yet
    next_up: list[str]  # open to start
    mastered: int
    total: int


@dataclass(frozen=True)
class FamilyPage:
    child: User
    courses: list[CourseWork]
    mastered_this_week: list[str]
    pace: Pace
    notes: list[TeacherNote]
    district_words: str  # the district's plain-language definition of personalized learning, or ""


def linked_child(guardian: User, child_id: int) -> User:
    """The guardian's child ``child_id``; NotFound for anyone else's (the same answer as no such child)."""
    link = (
        GuardianLink.objects.filter(guardian=guardian, student_id=child_id).select_related("student").first()
    )
    if link is None:
        raise NotFound(_("No such child."))
    return link.student


def children(guardian: User) -> QuerySet[User]:
    return User.objects.filter(guardian_links__guardian=guardian).order_by("first_name", "pk")


def teaches_student(user: User, student: User) -> bool:
    """Whether ``user`` teaches ``student`` now: a current teacher of one of the student's current classes."""
    taught = Enrolment.objects.current().filter(user=user, kind=Enrolment.Kind.TEACHER).values("section_id")
    return (
        Enrolment.objects.current()
        .filter(user=student, kind=Enrolment.Kind.STUDENT, section_id__in=taught)
        .exists()
    )


def family_page(child: User, *, today: dt.date | None = None) -> FamilyPage:
    today = today or timezone.localdate()
    courses = []
    for scope, path in student_paths(child, today=today):
        rows = path.rows
        courses.append(
            CourseWork(
                name=scope.name or _("All subjects"),
                working_on=[student_words(r) for r in rows if r.status == Status.IN_PROGRESS][
                    :WORKING_ON_SHOWN
                ],
                next_up=[student_words(r) for r in rows if r.status == Status.READY][:2],
                mastered=sum(1 for r in rows if r.status == Status.MASTERED),
                total=len(rows),
            )
        )
    return FamilyPage(
        child=child,
        courses=courses,
        mastered_this_week=mastered_since(child, week_start(today)),
        pace=pace(child, today),
        notes=list(TeacherNote.objects.filter(student=child).select_related("author")[:NOTES_SHOWN]),
        district_words=district_words(child),
    )


def mastered_since(child: User, monday: dt.date) -> list[str]:
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=timezone.get_current_timezone())
    competencies = Competency.objects.filter(
        progress__student=child,
        progress__status=Progress.Status.MASTERED,
        progress__mastered_at__gte=start,
    ).order_by("progress__mastered_at")
    return [student_words(c) for c in competencies]


def district_words(child: User) -> str:
    definition = (
        Definition.objects.filter(district_id__in=student_district_ids(child))
        .exclude(family_text="")
        .order_by("-created_at", "-version")
        .first()
    )
    return definition.family_text if definition else ""


def frequency_of(guardian: User) -> str:
    preference = DigestPreference.objects.filter(guardian=guardian).first()
    return preference.frequency if preference else DigestPreference.Frequency.WEEKLY

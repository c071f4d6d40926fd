"""Who may answer a survey window: its audience (students, teachers or families) within its scope (a
section, a school or the whole district), and where their answer is counted (school, section)."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Q

from cairn.accounts.models import Enrolment, GuardianLink, Role, RoleAssignment, School, Section, User
from cairn.surveys.models import Survey, SurveyWindow


class Place(NamedTuple):
    school: School | None
    section: Section | None


def _school_q(window: SurveyWindow) -> Q:
    if window.section is not None:
        return Q(school_id=window.section.school_id)
    if window.school_id:
        return Q(school_id=window.school_id)
    return Q(school__district_id=window.survey.district_id)


def _member_place(window: SurveyWindow, user: User, role: Role) -> Place | None:
    """Where a student or teacher in scope sits; None when out of scope."""
    if window.section is not None:
        kind = Enrolment.Kind.STUDENT if role == Role.STUDENT else Enrolment.Kind.TEACHER
        enrolled = Enrolment.objects.current().filter(section=window.section, user=user, kind=kind)
        return Place(window.section.school, window.section) if enrolled.exists() else None
    row = (
        RoleAssignment.objects.filter(_school_q(window), user=user, role=role)
        .select_related("school")
        .first()
    )
    return Place(row.school, None) if row else None


def place_of(window: SurveyWindow, user: User) -> Place | None:
    """Where ``user``'s answer in ``window`` counts, or None when they are not asked."""
    audience = window.survey.audience
    if audience == Survey.Audience.STUDENT:
        return _member_place(window, user, Role.STUDENT)
    if audience == Survey.Audience.TEACHER:
        return _member_place(window, user, Role.TEACHER)
    for link in GuardianLink.objects.filter(guardian=user).select_related("student"):
        place = _member_place(window, link.student, Role.STUDENT)
        if place is not None:
            return place
    return None

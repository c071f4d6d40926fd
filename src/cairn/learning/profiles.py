"""Reading a student's learner profile: who may see which part, and what the board and pages take from it.

The profile (:class:`cairn.learning.models.LearnerProfile`) has two parts:

- the student's own part (interests, strengths, preferred ways to learn, language): the student edits it,
  and staff who look after the student see and edit it too;
- the plan's part (reading level, the accommodations of an IEP or 504 plan and their source): only staff
  who look after the student see or change it. They are the student's teachers now and the leaders of the
  student's school (standing in for a case manager, which Cairn has no role for). Not other teachers, not
  district or platform admins, not guardians, and not the student's pages or API: the board and the
  practice pages *use* accommodations (read aloud, larger text, fewer choices) without ever naming them.

The rules are built from :mod:`cairn.accounts.access` (who teaches which section now, which schools a
person leads); this module never re-implements who may see whom."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cairn.accounts import access
from cairn.accounts.models import Enrolment, Role, RoleAssignment, Section, User
from cairn.learning.models import LearnerProfile

Accommodation = LearnerProfile.Accommodation
# The accommodations the board's engine matches against content features (the others act on pages).
CONTENT_NEEDS = frozenset({Accommodation.READ_ALOUD.value})
KINDS = ("practice", "video", "reading", "interactive", "project", "offline")
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class LearnerFit:
    """What the board and the student's pages take from the profile (no names of accommodations shown)."""

    language: str
    reading_level: float | None
    needs: frozenset[str]
    preferred_kinds: frozenset[str]


def profile_of(student: User) -> LearnerProfile:
    """The student's profile, or an unsaved empty one (nothing is written by reading)."""
    return LearnerProfile.objects.filter(student=student).first() or LearnerProfile(student=student)


def looks_after(viewer: User, student: User) -> bool:
    """Whether ``viewer`` is staff who teaches ``student`` now or leads the student's school: who sees
    and edits the whole profile, accommodations included."""
    if viewer.pk == student.pk or not access.can_view_student(viewer, student):
        return False
    sections = Section.objects.filter(
        pk__in=Enrolment.objects.current()
        .filter(user=student, kind=Enrolment.Kind.STUDENT)
        .values("section_id")
    )
    if any(access.teaches_section(viewer, section) for section in sections):
        return True
    student_schools = RoleAssignment.objects.filter(user=student, role=Role.STUDENT).values("school_id")
    return (
        Role.SCHOOL_LEADER in access.roles_of(viewer)
        and RoleAssignment.objects.filter(
            user=viewer, role=Role.SCHOOL_LEADER, school_id__in=student_schools
        ).exists()
    )


def _grade_number(grade: str) -> float | None:
    if grade.upper() == "K":
        return 0.0
    try:
        return float(grade)
    except ValueError:
        return None


def fit_for(student: User) -> LearnerFit:
    """Language, reading level (the profile's, else the grade), needs and preferred kinds of the student."""
    profile = profile_of(student)
    level = profile.reading_level
    return LearnerFit(
        language=profile.language or student.language or "en",
        reading_level=float(level)
        if isinstance(level, Decimal | int | float)
        else _grade_number(student.grade),
        needs=frozenset(profile.accommodations or ()),
        preferred_kinds=frozenset(profile.preferred_kinds or ()),
    )


def accommodations_for_pages(user: User) -> frozenset[str]:
    """The accommodations that change how the signed-in student's own pages look and act (read aloud,
    larger text, extended time). Read once per request by the template tags and cached on the user."""
    cached: frozenset[str] | None = getattr(user, "_cairn_accommodations", None)
    if cached is None:
        cached = frozenset()
        if user.is_authenticated and Role.STUDENT in access.roles_of(user):
            row = LearnerProfile.objects.filter(student=user).values_list("accommodations", flat=True).first()
            cached = frozenset(row or ())
        user._cairn_accommodations = cached  # type: ignore[attr-defined]
    return cached


EXTENDED_TIME = 1.5  # the usual IEP/504 "time and a half"


def time_allowed(student: User, seconds: float) -> float:
    """The time a timed thing gives this student: 1.5× with "extended time" in their plan. Cairn times
    nothing today (no diagnostic, quiz or practice timer: checked for issue 14); a timer added later asks
    here."""
    needs = LearnerProfile.objects.filter(student=student).values_list("accommodations", flat=True).first()
    return seconds * EXTENDED_TIME if Accommodation.EXTENDED_TIME in (needs or ()) else seconds

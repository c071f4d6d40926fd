"""Reads for the survey pages: which windows a person is asked to answer now, and a district's surveys."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cairn.accounts.models import District, GuardianLink, RoleAssignment, User
from cairn.surveys.models import Survey, SurveyWindow, Taken
from cairn.surveys.respondents import place_of


@dataclass(frozen=True)
class Invitation:
    window: SurveyWindow
    taken: bool


def invitations(user: User) -> list[Invitation]:
    """The open windows of active surveys that ``user`` is asked to answer, and whether they already did."""
    today = timezone.localdate()
    children = GuardianLink.objects.filter(guardian=user).values("student_id")
    district_ids = RoleAssignment.objects.filter(
        Q(user=user) | Q(user_id__in=children), school__isnull=False
    ).values("school__district_id")
    windows = SurveyWindow.objects.filter(
        survey__active=True, survey__district_id__in=district_ids, opens__lte=today, closes__gte=today
    ).select_related("survey", "section__school", "school")
    taken = set(Taken.objects.filter(person=user).values_list("window_id", flat=True))
    return [Invitation(w, w.pk in taken) for w in windows if place_of(w, user) is not None]


def district_surveys(district: District) -> list[Survey]:
    return list(Survey.objects.filter(district=district).prefetch_related("questions", "windows"))


def questions_text(survey: Survey) -> str:
    """The editor's question box for a survey (the inverse of ``services.parse_questions``)."""
    return "\n".join(
        f"{q.scale} | {q.text}" + (" | reverse" if q.reverse_scored else "") for q in survey.questions.all()
    )


def previous_window(window: SurveyWindow) -> SurveyWindow | None:
    """The same survey's latest earlier window in the same scope: the "pre" of a pre/post comparison."""
    return (
        SurveyWindow.objects.filter(
            survey=window.survey, opens__lt=window.opens, school=window.school, section=window.section
        )
        .order_by("-opens")
        .first()
    )


def school_choices(district: District) -> list[tuple[int, str]]:
    return list(district.schools.order_by("name").values_list("pk", "name"))

"""The weekly class pulse on the survey engine: the district's "Class pulse" survey (kind ``pulse``) gets a
window per class per week (open Monday to Sunday, so a
student who answers late in the week still can), opened each Monday by the ``cairn.surveys.open_pulses``
task (beat) or by ``open_week`` on demand. Students take it on the usual survey page (anonymous: a
``Taken`` row says only that they answered); their teacher sees the class's result through
``results.pulse_for_section``, and only when at least 5 answered."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cairn.accounts.models import Enrolment, Section, User
from cairn.surveys import services
from cairn.surveys.models import Question, Survey, SurveyWindow
from cairn.surveys.selectors import invitations

WEEK_DAYS = 7


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def pulse_survey(district_id: int) -> Survey | None:
    return (
        Survey.objects.filter(district_id=district_id, kind=Survey.Kind.PULSE, active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def open_week(*, section: Section, today: dt.date | None = None) -> SurveyWindow | None:
    """This week's pulse window for the class (the one already open, or a new one); None when the
    district has no active pulse survey."""
    monday = monday_of(today or timezone.localdate())
    survey = pulse_survey(section.school.district_id)
    if survey is None:
        return None
    existing = SurveyWindow.objects.filter(survey=survey, section=section, opens=monday).first()
    if existing is not None:
        return existing
    name = _("Week of %(day)s") % {"day": formats.date_format(monday, "MONTH_DAY_FORMAT")}
    return services.open_window(
        survey=survey,
        name=name,
        opens=monday,
        closes=monday + dt.timedelta(days=WEEK_DAYS - 1),
        section=section,
    )


def open_weekly_pulses(*, today: dt.date | None = None) -> int:
    """Open this week's pulse for every class with students in a district that has a pulse survey; how
    many windows it opened (0 when run twice)."""
    monday = monday_of(today or timezone.localdate())
    districts = Survey.objects.filter(kind=Survey.Kind.PULSE, active=True).values("district_id")
    sections = Section.objects.filter(
        school__district_id__in=districts,
        pk__in=Enrolment.objects.current().filter(kind=Enrolment.Kind.STUDENT).values("section_id"),
    ).select_related("school")
    already = set(
        SurveyWindow.objects.filter(survey__kind=Survey.Kind.PULSE, opens=monday).values_list(
            "section_id", flat=True
        )
    )
    opened = 0
    for section in sections.exclude(pk__in=already).order_by("pk"):
        if open_week(section=section, today=monday) is not None:
            opened += 1
    return opened


def due_for(student: User) -> list[SurveyWindow]:
    """This week's pulses the student is asked to take and has not taken."""
    return [
        inv.window
        for inv in invitations(student)
        if inv.window.survey.kind == Survey.Kind.PULSE and not inv.taken
    ]


def question_text(question: Question, language: str | None = None) -> str:
    """The question in the active language (its ``translations``), else as written."""
    lang = (language or get_language() or "en").split("-")[0]
    return str(question.translations.get(lang) or question.text)

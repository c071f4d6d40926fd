"""A student's own steps: this week's goal (with a word of guidance when it looks unrealistic) and an
end-of-session reflection for their teachers. Reads (pace, suggestions) are :mod:`cairn.agency.selectors`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cairn.accounts.models import User
from cairn.agency import voice
from cairn.agency.models import Reflection, WeeklyGoal
from cairn.agency.selectors import suggest_goal, week_start
from cairn.core.errors import Invalid


@transaction.atomic
def set_goal(
    student: User, competencies: int, minutes: int, note: str = "", today: dt.date | None = None
) -> tuple[WeeklyGoal, str]:
    """Save this week's goal; returns it with a word of guidance when it looks unrealistic."""
    if not 1 <= competencies <= 20:
        raise Invalid(gettext("Pick between 1 and 20 competencies for a week."), field="competencies")
    if not 10 <= minutes <= 600:
        raise Invalid(gettext("Pick between 10 and 600 minutes for a week."), field="minutes")
    suggestion = suggest_goal(student, today)
    goal, _ = WeeklyGoal.objects.update_or_create(
        student=student,
        week_start=week_start(today or timezone.localdate()),
        defaults={"competencies": competencies, "minutes": minutes, "note": note[:300]},
    )
    advice = ""
    if competencies > 2 * suggestion.competencies:
        advice = gettext(
            "That's ambitious: %(basis)s A goal you can reach builds momentum; you can always raise it."
        ) % {"basis": suggestion.basis}
    elif competencies < suggestion.competencies / 2:
        advice = gettext("You can aim higher: %(basis)s") % {"basis": suggestion.basis}
    return goal, advice


@transaction.atomic
def reflect(
    student: User, feeling: str, learned: str = "", next_step: str = "", ask_teacher: str = ""
) -> Reflection:
    """Save the reflection; one that asks the teacher something or says the student is stuck or
    frustrated also becomes a message in the class voice inbox and on the teacher's Today."""
    if feeling not in Reflection.Feeling.values:
        raise Invalid(gettext("Choose how the session felt."), field="feeling")
    reflection = Reflection.objects.create(
        student=student,
        feeling=feeling,
        learned=learned[:500],
        next_step=next_step[:500],
        ask_teacher=ask_teacher[:500],
    )
    voice.from_reflection(reflection)
    return reflection

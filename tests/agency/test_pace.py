"""Goals and pace: minutes from the learning log, realistic suggestions, guidance, reflections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.agency import selectors as pace
from cairn.agency import services
from cairn.agency.models import Reflection, WeeklyGoal
from cairn.core.errors import Invalid
from cairn.learning.models import ActivityCompletion, Attempt, Progress, ServedItem
from tests.conftest import World
from tests.learning.conftest import Unit

MONDAY = dt.date(2026, 11, 16)


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _answers(world: World, unit: Unit, times: list[dt.datetime]) -> None:
    for i, when in enumerate(times):
        served = ServedItem.objects.create(student=world.student, competency=unit.a, item=unit.numeric)
        Attempt.objects.create(
            student=world.student, client_attempt_id=f"00000000-0000-0000-0000-{i:012d}", served=served,
            competency=unit.a, item=unit.numeric, answer="4", correct=True, p_correct=0.5, mastery_after=0.5,
            created_at=when,
        )  # fmt: skip


def test_minutes_count_gaps_within_a_sitting_capped_and_activities(world: World, unit: Unit) -> None:
    # 09:00 (first answer: 1 min), 09:02 (+2), 09:04 (+2), then 10:00 (a new sitting: +5 capped).
    _answers(world, unit, [_at(MONDAY, 9, 0), _at(MONDAY, 9, 2), _at(MONDAY, 9, 4), _at(MONDAY, 10, 0)])
    ActivityCompletion.objects.create(
        student=world.student, content=unit.video, minutes=6, completed_at=_at(MONDAY, 11, 0)
    )
    assert pace.minutes_in(world.student, MONDAY) == 1 + 2 + 2 + 5 + 6
    assert pace.minutes_in(world.student, MONDAY + dt.timedelta(weeks=1)) == 0  # nothing next week


def test_pace_against_a_goal(world: World, unit: Unit) -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    no_goal = pace.pace(world.student, today=wednesday)
    assert no_goal.goal is None
    assert no_goal.on_track is None
    assert "Set a goal" in no_goal.message
    services.set_goal(world.student, 2, 30, today=wednesday)
    behind = pace.pace(world.student, today=wednesday)
    assert behind.on_track is False
    assert behind.message == "Behind your plan: 2 more to master and 30 more minutes in 2 school days left."
    assert behind.days_left == 2
    thursday = pace.pace(world.student, today=wednesday + dt.timedelta(days=1)).message
    assert thursday.endswith("in 1 school day left.")
    assert pace.pace(world.student, today=MONDAY + dt.timedelta(days=6)).message.endswith(
        "minutes this week."
    )
    Progress.objects.create(
        student=world.student,
        competency=unit.a,
        status=Progress.Status.MASTERED,
        mastered_at=_at(MONDAY, 9, 0),
    )
    Progress.objects.create(
        student=world.student,
        competency=unit.d,
        status=Progress.Status.MASTERED,
        mastered_at=_at(MONDAY, 9, 5),
    )
    _answers(world, unit, [_at(MONDAY, 9, m) for m in range(0, 60, 2)])
    done = pace.pace(world.student, today=wednesday)
    assert done.mastered == 2
    assert done.minutes >= 30
    assert done.message == "Goal reached. Well done!"


def test_suggestions_follow_the_students_own_recent_weeks(world: World, unit: Unit) -> None:
    first = pace.suggest_goal(world.student, today=MONDAY)
    assert (first.competencies, first.minutes) == (2, 60)
    last_week = MONDAY - dt.timedelta(weeks=1)
    start = _at(last_week, 9, 0)
    _answers(world, unit, [start + dt.timedelta(minutes=m) for m in range(0, 100, 2)])  # 1 + 49·2 = 99 min
    Progress.objects.create(
        student=world.student, competency=unit.a, status=Progress.Status.MASTERED,
        mastered_at=_at(last_week, 10, 0),
    )  # fmt: skip
    suggestion = pace.suggest_goal(world.student, today=MONDAY)
    assert suggestion.competencies == 1
    assert suggestion.minutes == 110  # a little above own pace
    assert suggestion.basis == "Your last active week: about 1 competency and 99 minutes a week."


def test_goal_guidance_and_bad_goals(world: World, unit: Unit) -> None:
    _, advice = services.set_goal(world.student, 9, 60, today=MONDAY)
    assert "ambitious" in advice
    _, advice = services.set_goal(world.student, 2, 60, today=MONDAY)
    assert advice == ""
    assert WeeklyGoal.objects.filter(student=world.student).count() == 1  # this week's goal, updated
    for competencies, minutes in [(0, 60), (21, 60), (2, 5), (2, 601)]:
        with pytest.raises(Invalid):
            services.set_goal(world.student, competencies, minutes, today=MONDAY)
    assert WeeklyGoal.objects.get(student=world.student).competencies == 2


def test_reflections_need_a_feeling(world: World) -> None:
    with pytest.raises(Invalid, match="how the session felt"):
        services.reflect(world.student, "meh")
    r = services.reflect(world.student, "stuck", ask_teacher="Can we go over 4.NF.A.1?")
    assert Reflection.objects.get() == r
    assert r.ask_teacher.startswith("Can we")


def test_counted_things_read_in_proper_plurals() -> None:
    from cairn.core.templatetags.cairn_format import quantity

    said = [quantity(n, "competency", "competencies") for n in (0, 1, 1.0, 1.04, 1.5, 2.0, 2.25)]
    assert said == [
        "0 competencies", "1 competency", "1 competency", "1 competency",
        "1.5 competencies", "2 competencies", "2.2 competencies",
    ]  # fmt: skip

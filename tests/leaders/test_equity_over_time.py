"""Equity over time: the rollup stores each student group's figure of a goal whose measure is per student
(groups under 10 stored suppressed), the page draws each group's line and the gap from those stored
figures, and only leaders see it. The demo district has the data to show it."""

from __future__ import annotations

import datetime as dt

import pytest

from cairn.accounts import services as accounts
from cairn.accounts.models import Role, User
from cairn.agency.models import WeeklyGoal
from cairn.leaders import equity, rollups
from cairn.leaders.models import Demographics, Goal, GroupValue
from tests.conftest import World, client_for

TODAY = dt.date(2026, 11, 4)
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def _students(world: World, count: int) -> list[User]:
    return [
        accounts.create_person(
            username=f"kid{k}", first_name="Kid", last_name=str(k), role=Role.STUDENT, school=world.school
        )
        for k in range(count)
    ]


@pytest.fixture
def goal(world: World) -> Goal:
    """24 students: 12 English learners (4 set a goal this week), 12 not (9 did); 3 with a 504 plan."""
    kids = _students(world, 24)
    for k, kid in enumerate(kids):
        Demographics.objects.create(student=kid, ell=k < 12, plan504=k < 3)
        if (k < 12 and k < 4) or (k >= 12 and k < 21):
            WeeklyGoal.objects.create(student=kid, week_start=MONDAY, competencies=1, minutes=30)
    return Goal.objects.create(
        district=world.district,
        title="Students set goals",
        measure_key="goals_set",
        baseline=20,
        target=80,
        start_date=TODAY - dt.timedelta(days=30),
        target_date=TODAY + dt.timedelta(days=150),
    )


def test_rollup_stores_each_groups_figure_and_suppresses_small_groups(world: World, goal: Goal) -> None:
    rollups.roll_up(district=world.district, on=TODAY)
    rollups.roll_up(district=world.district, on=TODAY)  # a rerun replaces the day's rows
    ell = {
        v.group: (v.value, v.n)
        for v in GroupValue.objects.filter(goal=goal, school=world.school, dimension="ell", on=TODAY)
    }
    assert ell == {"yes": (pytest.approx(100 * 4 / 12), 12), "no": (pytest.approx(100 * 9 / 12), 12)}
    plan = dict(
        GroupValue.objects.filter(goal=goal, school=None, dimension="plan504").values_list("group", "n")
    )
    assert plan["yes"] == 3
    assert GroupValue.objects.get(goal=goal, school=None, dimension="plan504", group="yes").value is None
    rollups.roll_up(district=world.district, on=TODAY + dt.timedelta(days=7))
    found = equity.over_time(goal, world.school, "ell")
    assert found is not None  # no goals set the next week: both groups at 0, no gap
    assert found.gaps == [(TODAY, pytest.approx(100 * 5 / 12)), (TODAY + dt.timedelta(days=7), 0.0)]


@pytest.mark.parametrize(
    ("viewer", "where", "sees"),
    [
        ("district_admin", "district", True),
        ("leader", "school", True),
        ("leader", "district", False),
        ("teacher", "school", False),
        ("student", "school", False),
        ("guardian", "school", False),
    ],
)
def test_the_page_shows_gaps_over_time_to_leaders_only(
    world: World, goal: Goal, viewer: str, where: str, sees: bool
) -> None:
    rollups.roll_up(district=world.district, on=TODAY)
    path = {
        "district": f"/leaders/districts/{world.district.pk}/equity/",
        "school": f"/leaders/schools/{world.school.pk}/equity/",
    }[where]
    response = client_for(getattr(world, viewer)).get(path, {"goal": goal.pk})
    if not sees:
        assert response.status_code in (403, 404)
        return
    page = response.content.decode()
    assert response.status_code == 200 and "English learners" in page and "<svg" in page
    assert "fewer than 10" in page  # the 504 plan group


def test_demo_district_has_demographics_scores_walkthroughs_and_gaps(db: None) -> None:
    import time

    from cairn.accounts.demo import seed_demo_district
    from cairn.leaders.demo import seed_demo_leaders
    from cairn.leaders.models import OutsideScore, Walkthrough

    district = seed_demo_district()
    began = time.perf_counter()
    assert seed_demo_leaders(district) == 3
    took = time.perf_counter() - began
    assert took < 10, took
    students = User.objects.filter(role_assignments__role=Role.STUDENT).count()
    assert Demographics.objects.count() == students == 150
    assert OutsideScore.objects.count() == 2 * students
    assert Walkthrough.objects.filter(school__district=district).count() == 6
    mastery = Goal.objects.get(district=district, measure_key="mastery_rate")
    found = equity.over_time(mastery, None, "frl")
    assert found is not None and found.first_gap is not None and found.last_gap < found.first_gap
    assert GroupValue.objects.filter(goal=mastery, value__isnull=True).exists()  # small groups suppressed
    print(f"seed_demo_leaders: {took:.2f} s")

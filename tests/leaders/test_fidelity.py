"""Implementation fidelity indicators, computed from what Cairn stores and registered as goal measures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.core import audit
from cairn.core.models import AuditAction
from cairn.insights.models import SmallGroup, StationPlan
from cairn.leaders import fidelity, measures
from cairn.learning.models import Alert
from tests.conftest import World

TODAY = timezone.localdate()
STATIONS = [
    {"name": "With me", "kind": "teacher_led", "activity": ""},
    {"name": "Practice", "kind": "online", "activity": ""},
    {"name": "Puzzle", "kind": "collaborative", "activity": ""},
]


def _plan(world: World, day: dt.date, schedule: list[list[int]]) -> StationPlan:
    return StationPlan.objects.create(
        section=world.section,
        title="Fractions rotation",
        lesson_date=day,
        block_minutes=15,
        stations=STATIONS,
        groups=[[], [], []],
        schedule=schedule,
    )


def test_indicators_are_registered_and_computed_per_school_and_district(world: World) -> None:
    for key in ("alerts_seen_to", "station_plans_per_week", "screen_time_balance", "teacher_active_days"):
        assert measures.get(key) is not None
    # Oak has two classes: two plans this week (one a fortnight ago does not count)
    _plan(world, TODAY, [[0, 1, 2], [1, 2, 0], [2, 0, 1]])  # 3 of 9 cells online
    _plan(world, TODAY - dt.timedelta(days=2), [[1, 1, 1]])  # 3 of 3 online
    _plan(world, TODAY - dt.timedelta(days=14), [[1, 1, 1]])
    oak = fidelity.station_plans_per_week(world.district, world.school, TODAY, {})
    assert (oak.value, oak.n) == (1.0, 2)
    balance = measures.get("screen_time_balance").value(world.district, world.school, TODAY, {})  # type: ignore[union-attr]
    assert balance.value == pytest.approx(50.0) and balance.n == 2  # 6 of 12 station blocks on screens
    assert fidelity.screen_time_balance(world.district, world.sister_school, TODAY, {}).value is None

    # groups pulled per week is L1's measure; it still reads this week's groups only
    SmallGroup.objects.create(section=world.section, name="g", for_date=TODAY, done_at=timezone.now())
    assert measures.get("small_groups_per_week").value(world.district, world.school, TODAY, {}).value == 0.5  # type: ignore[union-attr]

    seen = Alert.objects.create(student=world.student, kind=Alert.Kind.choices[0][0], message="stuck")
    Alert.objects.create(student=world.classmate, kind=Alert.Kind.choices[0][0], message="stuck")
    Alert.objects.filter(pk=seen.pk).update(resolved_at=timezone.now())
    alerts = fidelity.alerts_seen_to(world.district, None, TODAY, {})
    assert (alerts.value, alerts.n) == (50.0, 2)

    audit.record(AuditAction.VIEWED_STUDENT, actor=world.teacher, student=world.student)
    active = fidelity.teacher_active_days(world.district, world.school, TODAY, {})
    assert active.n == 3 and active.value == pytest.approx(
        1 / 3
    )  # Oak's three teachers, one day between them

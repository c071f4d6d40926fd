"""A teacher leaves or is erased without a ProtectedError, their records kept; retention erases only the
students of a district whose classes all ended longer ago than it keeps data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.accounts.models import ApiToken, Enrolment, RoleAssignment, User
from cairn.accounts.services import create_api_token
from cairn.core.errors import Invalid
from cairn.core.privacy import name_or_former_staff
from cairn.curriculum.models import Review
from cairn.insights.models import SmallGroup, TieredTask
from cairn.learning.models import PathOverride
from cairn.privacy.models import RetentionPolicy
from cairn.privacy.services.erasure import erase_person
from cairn.privacy.services.retention import enforce_retention, students_past_retention
from cairn.privacy.services.staff import offboard_staff
from tests.conftest import World
from tests.privacy.conftest import History


def test_offboarding_keeps_records_and_ends_everything_else(history: History, world: World) -> None:
    teacher = world.teacher
    create_api_token(teacher, "laptop")
    offboard_staff(teacher)
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert not RoleAssignment.objects.filter(user=teacher).exists()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert not Enrolment.objects.current(on=tomorrow).filter(user=teacher).exists()
    assert Enrolment.objects.filter(user=teacher).exists()  # the history of what they taught stays
    assert not ApiToken.objects.filter(user=teacher, revoked_at__isnull=True).exists()
    override = PathOverride.objects.get(student=history.student)
    assert override.set_by == teacher
    assert name_or_former_staff(override.set_by) == "Tess Teacher (former staff)"
    assert SmallGroup.objects.filter(created_by=teacher).exists()


def test_offboarding_is_for_staff(world: World) -> None:
    with pytest.raises(Invalid):
        offboard_staff(world.student)


def test_deleting_or_erasing_a_teacher_is_not_blocked(history: History, world: World) -> None:
    erase_person(world.teacher, reason="command")  # no ProtectedError
    assert Review.objects.get().reviewer is None
    assert TieredTask.objects.get().created_by is None
    world.colleague.delete()  # the Django admin's delete works too now
    User.objects.filter(pk=world.teacher.pk).delete()
    assert PathOverride.objects.filter(student=history.student).exists()


def test_retention_erases_only_students_past_their_districts_limit(world: World) -> None:
    today = timezone.localdate()
    # fay_gone's class ended 30 days ago; North keeps 365 days by default, so nobody is past it yet.
    assert students_past_retention(world.district, today=today) == []
    RetentionPolicy.objects.create(district=world.district, keep_days=30)
    assert students_past_retention(world.district, today=today) == []  # exactly 30 days: kept
    later = today + dt.timedelta(days=1)
    assert students_past_retention(world.district, today=later) == [world.former_student]
    # South keeps a shorter time but its student is still in class.
    RetentionPolicy.objects.create(district=world.other_district, keep_days=30)
    assert students_past_retention(world.other_district, today=later) == []
    counts = enforce_retention(today=later)
    assert counts["erased"] == 1
    gone = User.objects.get(pk=world.former_student.pk)
    assert gone.username.startswith("erased-") and not gone.is_active
    for present in (world.student, world.classmate, world.stranger):
        assert User.objects.get(pk=present.pk).username == present.username
    assert enforce_retention(today=later)["erased"] == 0  # erased once

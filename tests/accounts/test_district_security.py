"""A district's sign-in settings: the idle limit of its students' and guardians' sessions."""

from __future__ import annotations

import time

import pytest

from cairn.accounts.models import SecuritySettings
from cairn.accounts.sessions import idle_minutes
from cairn.core.sessions import LAST_SEEN
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_idle_limit_comes_from_the_students_district(world: World) -> None:
    assert idle_minutes(world.student) == 30  # CAIRN_SESSION_IDLE_MINUTES without a district setting
    SecuritySettings.objects.create(district=world.district, student_idle_minutes=10)
    assert idle_minutes(world.student) == 10
    assert idle_minutes(world.guardian) == 10  # their child's district
    assert idle_minutes(world.stranger) == 30  # another district
    assert idle_minutes(world.teacher) == 120  # staff keep the staff limit


def test_a_students_session_ends_after_the_districts_idle_limit(world: World) -> None:
    SecuritySettings.objects.create(district=world.district, student_idle_minutes=10)
    client = client_for(world.student)
    assert client.get("/student/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 11 * 60
    session.save()
    response = client.get("/student/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")

"""The audit trail: append-only in the database (triggers on SQLite and PostgreSQL), a hash chain that shows
tampering, and one event from each place a student's data is read, exported or changed."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from cairn.accounts import services
from cairn.accounts.models import Enrolment, Role
from cairn.core import audit
from cairn.core.models import AuditAction, AuditEvent
from cairn.learning.services import overrides
from tests.conftest import PASSWORD, World, api_client_for, client_for
from tests.learning.conftest import Unit, unit  # noqa: F401  (the fixture, shared)

TRIGGERS = importlib.import_module("cairn.core.migrations.0002_audit_append_only")
TABLE = AuditEvent._meta.db_table


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _drop_triggers() -> None:
    """What someone with the database's owner password could do: the chain must still show the change."""
    with connection.cursor() as cursor:
        for statement in TRIGGERS.DOWN[connection.vendor]:
            cursor.execute(statement)


@pytest.fixture
def trail(world: World) -> list[AuditEvent]:
    return [
        audit.record(AuditAction.VIEWED_STUDENT, actor=world.teacher, student=world.student, detail={"n": i})
        for i in range(3)
    ]


# ------------------------------------------------------------------------------------ append-only
@pytest.mark.django_db
def test_an_event_cannot_be_changed_through_the_orm(trail: list[AuditEvent]) -> None:
    event = trail[0]
    event.detail = {"n": 99}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()


@pytest.mark.django_db
def test_an_event_cannot_be_deleted_through_the_orm(trail: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        trail[0].delete()


@pytest.mark.django_db
def test_the_trail_cannot_be_changed_in_bulk(trail: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(actor_id=None)


@pytest.mark.django_db
def test_the_trail_cannot_be_emptied_in_bulk(trail: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [f"UPDATE {TABLE} SET actor_role = 'platform_admin'", f"DELETE FROM {TABLE}"],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_the_trail(trail: list[AuditEvent], sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(actor_role="platform_admin").count() == 0


@pytest.mark.django_db
def test_events_are_still_appended(trail: list[AuditEvent]) -> None:
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED_STUDENT).count() == 3


# ------------------------------------------------------------------------------------- the chain
@pytest.mark.django_db
def test_an_untouched_chain_verifies(trail: list[AuditEvent]) -> None:
    assert audit.verify_chain() is None


@pytest.mark.django_db
def test_each_event_links_to_the_one_before(trail: list[AuditEvent]) -> None:
    assert [e.previous_hash for e in trail[1:]] == [e.hash for e in trail[:-1]]


@pytest.mark.django_db
def test_the_first_event_links_to_the_genesis_hash(trail: list[AuditEvent]) -> None:
    assert AuditEvent.objects.order_by("id").first().previous_hash == audit.GENESIS  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_changed_event_breaks_the_chain_at_that_event(trail: list[AuditEvent]) -> None:
    _drop_triggers()
    AuditEvent.objects.filter(pk=trail[1].pk).update(actor_id=None)
    assert audit.verify_chain() == trail[1].pk


@pytest.mark.django_db
def test_a_removed_event_breaks_the_chain_at_the_next(trail: list[AuditEvent]) -> None:
    _drop_triggers()
    AuditEvent.objects.filter(pk=trail[1].pk).delete()
    assert audit.verify_chain() == trail[2].pk


@pytest.mark.django_db
def test_a_rehashed_event_still_breaks_the_chain_after_it(trail: list[AuditEvent]) -> None:
    """Recomputing the changed row's own hash doesn't help: the next row points at the old one."""
    _drop_triggers()
    changed = AuditEvent.objects.get(pk=trail[1].pk)
    changed.actor_id = None
    changed.hash = audit.chain_hash(changed.previous_hash, changed)
    changed.save()
    assert audit.verify_chain() == trail[2].pk


@pytest.mark.django_db
def test_the_trail_keeps_no_secret(world: World) -> None:
    event = audit.record(
        AuditAction.SIGNED_IN, actor=world.teacher, detail={"password": "x", "token": "y", "way": "form"}
    )
    assert AuditEvent.objects.get(pk=event.pk).detail == {"way": "form"}


@pytest.mark.django_db
def test_the_actor_is_named_by_id_and_widest_role(world: World) -> None:
    event = audit.record(AuditAction.VIEWED_STUDENT, actor=world.district_admin, student=world.student)
    assert (event.actor_id, event.actor_role) == (world.district_admin.pk, Role.DISTRICT_ADMIN)


# ------------------------------------------------------------------------------------- the hooks
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/students/{student}/",
        "/teach/sections/{section}/students/{student}/",
    ],
    ids=["accounts-page", "insights-page"],
)
def test_a_page_about_one_student_records_one_view(world: World, url: str) -> None:
    client = client_for(world.teacher)
    response = client.get(url.format(student=world.student.pk, section=world.section.pk))
    assert response.status_code == 200
    views = _events(AuditAction.VIEWED_STUDENT)
    assert [(e.actor_id, e.student_id) for e in views] == [(world.teacher.pk, world.student.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/students/{student}",
        "/api/v1/learning/students/{student}/path",
        "/api/v1/diagnostic/students/{student}/sittings",
    ],
    ids=["accounts", "learning-path", "assessments-sittings"],
)
def test_an_api_read_of_one_student_records_one_view(world: World, url: str) -> None:
    response = api_client_for(world.teacher).get(url.format(student=world.student.pk))
    assert response.status_code == 200
    views = _events(AuditAction.VIEWED_STUDENT)
    assert [(e.actor_id, e.student_id) for e in views] == [(world.teacher.pk, world.student.pk)]


@pytest.mark.django_db
def test_a_refused_read_records_nothing(world: World) -> None:
    response = client_for(world.teacher).get(f"/students/{world.stranger.pk}/")
    assert response.status_code == 404
    assert not _events(AuditAction.VIEWED_STUDENT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/teach/sections/{section}/today/",
        "/teach/sections/{section}/class/",
        "/teach/sections/{section}/groups/",
        "/sections/{section}/",
        "/api/v1/insights/sections/{section}/today",
        "/api/v1/insights/sections/{section}/class",
    ],
)
def test_a_class_view_records_one_event_per_request_not_one_per_student(world: World, url: str) -> None:
    client = client_for(world.teacher)
    before = AuditEvent.objects.count()
    response = client.get(url.format(section=world.section.pk))
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    (event,) = _events(AuditAction.VIEWED_CLASS)
    assert (event.actor_id, event.section_id, event.student_id) == (world.teacher.pk, world.section.pk, None)


@pytest.mark.django_db
def test_the_grade_book_export_is_recorded(world: World) -> None:
    response = client_for(world.teacher).get(f"/teach/sections/{world.section.pk}/export.csv")
    assert response.status_code == 200
    (event,) = _events(AuditAction.EXPORTED)
    assert (event.section_id, event.detail["what"]) == (world.section.pk, "gradebook")


@pytest.mark.django_db
def test_an_override_is_recorded_per_student(world: World, unit: Unit) -> None:  # noqa: F811
    overrides.override(world.teacher, [world.student, world.classmate], unit.b, "skip", "Knows it")
    events = _events(AuditAction.OVERRIDE)
    assert {e.student_id for e in events} == {world.student.pk, world.classmate.pk}
    assert events[0].detail == {"competency": unit.b.code, "action": "skip"}


@pytest.mark.django_db
def test_a_granted_role_is_recorded_with_who_granted_it(world: World) -> None:
    services.grant_role(world.colleague, Role.SCHOOL_LEADER, school=world.school, by=world.district_admin)
    (event,) = _events(AuditAction.ROLE_CHANGED)[-1:]
    assert (event.actor_id, event.district_id, event.detail["user_id"]) == (
        world.district_admin.pk,
        world.district.pk,
        world.colleague.pk,
    )


@pytest.mark.django_db
def test_an_enrolment_is_recorded_about_the_student(world: World) -> None:
    services.enrol(world.schoolmate, world.section, Enrolment.Kind.STUDENT, dt.date(2026, 9, 1))
    (event,) = _events(AuditAction.ENROLMENT_CHANGED)[-1:]
    assert (event.student_id, event.section_id) == (world.schoolmate.pk, world.section.pk)


@pytest.mark.django_db
def test_a_sign_in_is_recorded(world: World) -> None:
    from django.test import Client

    response = Client().post("/login/", {"username": world.student.username, "password": PASSWORD})
    assert response.status_code == 302
    (event,) = _events(AuditAction.SIGNED_IN)[-1:]
    assert (event.actor_id, event.actor_role) == (world.student.pk, Role.STUDENT)


@pytest.mark.django_db
def test_a_failed_sign_in_is_recorded_without_the_name_typed(world: World) -> None:
    from django.test import Client

    Client().post("/login/", {"username": world.student.username, "password": "wrong-password-1"})
    (event,) = _events(AuditAction.SIGN_IN_FAILED)
    assert (event.actor_id, event.detail) == (None, {"account_id": world.student.pk})
    assert world.student.username not in str(event.detail)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(world: World) -> None:
    """Writers in parallel threads (own connections) must each link to the true tail, never fork it. On
    PostgreSQL the advisory lock serialises them; SQLite's IMMEDIATE transactions do the same on a file
    database, but the test suite's shared in-memory database answers "table is locked" instead of waiting."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that waits for its write lock (PostgreSQL)")
    import threading

    from django.db import connections

    def write(n: int) -> None:
        try:
            for i in range(10):
                audit.record(AuditAction.VIEWED_CLASS, actor=world.teacher, detail={"writer": n, "i": i})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED_CLASS).count() == 40
    assert audit.verify_chain() is None

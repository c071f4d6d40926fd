"""The audit trail's page: a district admin asks who saw one of their students' data in a date range, and can
download the answer as a spreadsheet-safe CSV (the download itself is recorded)."""

from __future__ import annotations

import csv
import io

import pytest

from cairn.core import audit
from cairn.core.models import AuditAction, AuditEvent
from tests.conftest import World, client_for

URL = "/privacy/audit/"


@pytest.fixture
def seen(world: World) -> World:
    audit.record(AuditAction.VIEWED_STUDENT, actor=world.teacher, student=world.student)
    audit.record(
        AuditAction.EXPORTED, actor=world.teacher, student=world.student, detail={"what": "gradebook"}
    )
    audit.record(AuditAction.VIEWED_STUDENT, actor=world.teacher, student=world.classmate)
    return world


@pytest.mark.django_db
def test_the_district_admin_sees_who_saw_their_student(seen: World) -> None:
    response = client_for(seen.district_admin).get(URL, {"student": seen.student.pk})
    assert response.status_code == 200
    events = [
        e for e in response.context["events"] if e["what"] in {"Exported data", "Viewed a student's data"}
    ]
    assert [(e["who"], e["what"]) for e in events] == [
        (seen.teacher.display_name, "Exported data"),
        (seen.teacher.display_name, "Viewed a student's data"),
    ]


@pytest.mark.django_db
def test_the_page_without_a_student_offers_the_districts_students_only(seen: World) -> None:
    response = client_for(seen.district_admin).get(URL)
    offered = set(response.context["students"])
    assert seen.student in offered
    assert seen.stranger not in offered


@pytest.mark.django_db
def test_a_date_range_before_the_events_shows_none(seen: World) -> None:
    response = client_for(seen.district_admin).get(
        URL, {"student": seen.student.pk, "from": "2020-01-01", "to": "2020-12-31"}
    )
    assert response.context["events"] == []


@pytest.mark.django_db
def test_a_school_leader_sees_their_schools_student(seen: World) -> None:
    response = client_for(seen.leader).get(URL, {"student": seen.student.pk})
    assert response.status_code == 200


@pytest.mark.django_db
def test_another_districts_student_is_not_found(seen: World) -> None:
    response = client_for(seen.district_admin).get(URL, {"student": seen.stranger.pk})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["teacher", "student", "guardian"])
def test_people_who_oversee_no_school_are_refused(seen: World, who: str) -> None:
    response = client_for(getattr(seen, who)).get(URL, {"student": seen.student.pk})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_csv_lists_the_events_with_formulas_defused(seen: World) -> None:
    seen.teacher.first_name, seen.teacher.preferred_name = "=cmd|x", ""
    seen.teacher.save()
    response = client_for(seen.district_admin).get(URL, {"student": seen.student.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["When (UTC)", "Who", "Role", "What"]
    assert rows[1][1] == f"'=cmd|x {seen.teacher.last_name}"


@pytest.mark.django_db
def test_the_csv_download_is_itself_recorded(seen: World) -> None:
    client_for(seen.district_admin).get(URL, {"student": seen.student.pk, "format": "csv"})
    event = AuditEvent.objects.filter(action=AuditAction.EXPORTED, actor_id=seen.district_admin.pk).get()
    assert (event.student_id, event.detail["what"]) == (seen.student.pk, "audit trail")


@pytest.mark.django_db
def test_the_district_home_links_to_the_page(seen: World) -> None:
    response = client_for(seen.district_admin).get("/district/")
    assert URL.encode() in response.content

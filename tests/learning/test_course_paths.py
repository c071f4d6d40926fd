"""Paths scoped to courses: a section's course decides what its students' paths, the class view and the
teacher's pickers cover; a student in two courses has two paths; a teacher may change one section's list
(logged); evidence belongs to the student and follows them into the next grade's course."""

from __future__ import annotations

import datetime as dt

import pytest

from cairn.accounts import services as accounts
from cairn.accounts.models import Course, Enrolment, Section
from cairn.core.errors import Forbidden
from cairn.core.models import AuditAction, AuditEvent
from cairn.curriculum.services import courses
from cairn.engine.release import Status
from cairn.insights.selectors import class_state
from cairn.learning.models import Progress, ReleaseRule
from cairn.learning.selectors.path import for_section, path_competencies, student_path, student_paths
from cairn.learning.services.section_scope import adjust_section
from tests.conftest import World, api_client_for, client_for
from tests.learning.conftest import Unit


def _course(world: World, code: str, competencies: list[int], grade: int = 4) -> Course:
    course = courses.create_course(
        actor=None, district=world.district, name=f"Math {code}", code=code, grade_low=grade, grade_high=grade
    )
    courses.set_course_competencies(actor=None, course=course, competency_ids=competencies)
    return course


def _codes(competencies: list) -> list[str]:  # type: ignore[type-arg]
    return [c.code for c in competencies]


def test_the_sections_course_scopes_paths_the_class_view_and_pickers(world: World, unit: Unit) -> None:
    # Without a course anywhere: every competency with approved practice, as before.
    assert set(_codes(for_section(world.section))) == {unit.a.code, unit.b.code, unit.c.code, unit.d.code}
    course = _course(world, "M4", [unit.d.pk, unit.b.pk, unit.a.pk])
    courses.set_section_course(actor=world.district_admin, section=world.section, course=course)
    # The course's order breaks ties; a prerequisite (a before b) still comes first.
    assert _codes(for_section(world.section)) == [unit.d.code, unit.a.code, unit.b.code]
    assert [r.code for r in student_path(world.student).rows] == [unit.d.code, unit.a.code, unit.b.code]
    assert _codes(class_state(world.section).competencies) == [unit.d.code, unit.a.code, unit.b.code]
    page = client_for(world.teacher).get(f"/learn/sections/{world.section.pk}/rules/").content.decode()
    assert f'value="{unit.c.pk}"' not in page and f'value="{unit.a.pk}"' in page
    # The sister section (grade 5, no course, none of the district's courses fits it) keeps every competency.
    assert len(for_section(world.sister_section)) == 4
    # A section without a course takes the district's course that fits its grade.
    Section.objects.filter(pk=world.sister_section.pk).update(grade="4")
    world.sister_section.refresh_from_db()
    assert _codes(for_section(world.sister_section)) == [unit.d.code, unit.a.code, unit.b.code]


def test_a_student_in_two_courses_has_two_paths(world: World, unit: Unit) -> None:
    first = _course(world, "M4", [unit.a.pk, unit.b.pk])
    second = _course(world, "SCI", [unit.d.pk])
    courses.set_section_course(actor=None, section=world.section, course=first)
    courses.set_section_course(actor=None, section=world.sister_section, course=second)
    accounts.enrol(world.student, world.sister_section, Enrolment.Kind.STUDENT, dt.date.today())
    paths = student_paths(world.student)
    assert [(scope.name, [r.code for r in path.rows]) for scope, path in paths] == [
        ("Math M4", [unit.a.code, unit.b.code]),
        ("Math SCI", [unit.d.code]),
    ]
    page = client_for(world.student).get("/learn/").content.decode()
    assert "Math M4" in page and "Math SCI" in page
    api = api_client_for(world.student)
    one = api.get(f"/api/v1/learning/path?course={second.pk}").json()
    assert [c["code"] for c in one["competencies"]] == [unit.d.code]
    both = api.get("/api/v1/learning/path").json()
    assert {c["code"] for c in both["competencies"]} == {unit.a.code, unit.b.code, unit.d.code}
    other = Course.objects.create(district=world.district, name="Not theirs", code="X")
    assert api.get(f"/api/v1/learning/path?course={other.pk}").status_code == 404


def test_evidence_follows_the_student_into_the_next_grades_course(world: World, unit: Unit) -> None:
    """Mastery of a grade-4 competency shows on the grade-5 course's path, where it is a prerequisite."""
    grade4 = _course(world, "M4", [unit.a.pk, unit.d.pk], grade=4)
    grade5 = _course(world, "M5", [unit.a.pk, unit.b.pk, unit.c.pk], grade=5)
    courses.set_section_course(actor=None, section=world.section, course=grade4)
    Progress.objects.create(
        student=world.student, competency=unit.a, status=Progress.Status.MASTERED, mastery=0.97, attempts=6
    )
    assert student_path(world.student).by_code()[unit.a.code].status == Status.MASTERED
    # Next year: the grade-4 enrolment ends, the student joins a grade-5 section of the grade-5 course.
    Enrolment.objects.filter(user=world.student).update(end_date=dt.date.today() - dt.timedelta(days=1))
    courses.set_section_course(actor=None, section=world.sister_section, course=grade5)
    accounts.enrol(world.student, world.sister_section, Enrolment.Kind.STUDENT, dt.date.today())
    path = student_path(world.student).by_code()
    assert list(path) == [unit.a.code, unit.b.code, unit.c.code]
    assert path[unit.a.code].status == Status.MASTERED
    assert path[unit.a.code].mastery == pytest.approx(0.97)
    assert path[unit.b.code].status == Status.READY  # its prerequisite, mastered last year, holds
    assert path[unit.c.code].status == Status.LOCKED


def test_a_teacher_changes_their_own_sections_list_and_it_is_logged(world: World, unit: Unit) -> None:
    course = _course(world, "M4", [unit.a.pk, unit.b.pk])
    courses.set_section_course(actor=None, section=world.section, course=course)
    client = client_for(world.teacher)
    url = f"/learn/sections/{world.section.pk}/competencies/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"competency": unit.d.pk, "action": "add", "reason": "Measurement week"})
    assert response.status_code == 302
    adjust_section(
        teacher=world.teacher,
        section=world.section,
        competency_id=unit.b.pk,
        action="remove",
        reason="Next term",
    )
    assert _codes(for_section(world.section)) == [unit.a.code, unit.d.code]
    assert [r.code for r in student_path(world.student).rows] == [unit.a.code, unit.d.code]
    events = AuditEvent.objects.filter(action=AuditAction.OVERRIDE, section_id=world.section.pk)
    assert sorted(e.detail["scope"] for e in events) == ["add", "remove"]
    # Only for that section; and only its current teachers change it.
    assert world.sister_section.pk not in {s.pk for s in Section.objects.filter(adjustments__isnull=False)}
    with pytest.raises(Forbidden):
        adjust_section(
            teacher=world.colleague,
            section=world.section,
            competency_id=unit.a.pk,
            action="remove",
            reason="x",
        )
    assert client_for(world.colleague).get(url).status_code in (403, 404)
    empty = client.post(url, {"competency": unit.a.pk, "action": "remove", "reason": " "})
    assert empty.status_code == 400


def test_a_courses_release_rule_holds_for_its_sections_only(world: World, unit: Unit) -> None:
    course = _course(world, "M4", [unit.a.pk, unit.d.pk])
    courses.set_section_course(actor=None, section=world.section, course=course)
    later = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    ReleaseRule.objects.create(competency=unit.d, course=course, rule={"kind": "from_date", "date": later})
    assert student_path(world.student).by_code()[unit.d.code].status == Status.LOCKED
    assert student_path(world.schoolmate).by_code()[unit.d.code].status == Status.READY
    assert len(path_competencies()) == 4  # no scope: the global set

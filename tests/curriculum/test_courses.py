"""Courses: a district admin makes one, fills it from a subject and grade band or by hand, orders it and puts
sections in it; nobody else may; the demo district gets Grade 4 and Grade 5 Math."""

from __future__ import annotations

import pytest

from cairn.accounts.demo import seed_demo_district
from cairn.accounts.models import Course, Section
from cairn.core.errors import Forbidden, Invalid
from cairn.curriculum import courses as reads
from cairn.curriculum.demo import seed_demo_curriculum
from cairn.curriculum.models import Competency, Framework
from cairn.curriculum.services import courses
from tests.conftest import World, client_for


def _standards(world: World) -> dict[str, Competency]:
    public = Framework.objects.create(identifier="fw-math", title="Math", subject="Mathematics")
    own = Framework.objects.create(
        identifier="fw-own", title="Ours", subject="Mathematics", district=world.district
    )
    theirs = Framework.objects.create(
        identifier="fw-far", title="Theirs", subject="Mathematics", district=world.other_district
    )
    science = Framework.objects.create(identifier="fw-sci", title="Science", subject="Science")

    def comp(fw: Framework, code: str, grade: int, kind: str = "Standard") -> Competency:
        return Competency.objects.create(
            framework=fw,
            identifier=code,
            code=code,
            statement=code,
            item_type=kind,
            grade_low=grade,
            grade_high=grade,
        )

    return {
        c.code: c
        for c in [
            comp(public, "3.A", 3),
            comp(public, "4.A", 4),
            comp(public, "4.B", 4),
            comp(public, "4.X", 4, kind="Cluster"),
            comp(own, "4.OWN", 4),
            comp(theirs, "4.FAR", 4),
            comp(science, "4.SCI", 4),
            comp(public, "5.A", 5),
        ]
    }


def test_an_admin_builds_a_course_by_band_and_by_hand(world: World) -> None:
    found = _standards(world)
    admin = world.district_admin
    course = courses.create_course(
        actor=admin,
        district=world.district,
        name="Grade 4 Math",
        code="MATH-4",
        subject="Mathematics",
        grade_low=4,
        grade_high=4,
    )
    # The band: grade 4 math standards, public or the district's own (no clusters, no other district's).
    assert courses.fill_from_band(actor=admin, course=course) == 3
    assert [c.code for c in reads.course_competencies(course)] == ["4.A", "4.B", "4.OWN"]
    # By hand, in the order given; then one moved earlier.
    courses.set_course_competencies(
        actor=admin, course=course, competency_ids=[found["4.B"].pk, found["3.A"].pk]
    )
    courses.move_competency(actor=admin, course=course, competency_id=found["3.A"].pk, by=-1)
    assert [c.code for c in reads.course_competencies(course)] == ["3.A", "4.B"]
    with pytest.raises(Invalid):
        courses.set_course_competencies(actor=admin, course=course, competency_ids=[found["4.FAR"].pk])
    with pytest.raises(Invalid):
        courses.create_course(actor=admin, district=world.district, name="Again", code="math-4")
    with pytest.raises(Invalid):
        courses.create_course(
            actor=admin, district=world.district, name="Bad", code="B", grade_low=5, grade_high=4
        )
    for outsider in (world.teacher, world.leader):
        with pytest.raises(Forbidden):
            courses.set_course_competencies(actor=outsider, course=course, competency_ids=[])
    with pytest.raises(Invalid):  # a course of another district
        far = Course.objects.create(district=world.other_district, name="Far", code="F")
        courses.set_section_course(actor=None, section=world.section, course=far)


def test_the_course_pages(world: World) -> None:
    found = _standards(world)
    client = client_for(world.district_admin)
    url = f"/curriculum/districts/{world.district.pk}/courses/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Grade 4 Math",
            "code": "MATH-4",
            "subject": "",
            "grade_low": "4",
            "grade_high": "4",
            "active": "on",
        },
    )
    course = Course.objects.get(code="MATH-4")
    assert response.status_code == 302 and response["Location"].endswith(f"/courses/{course.pk}/")
    refused = client.post(url, {"name": "Twin", "code": "MATH-4"})
    assert refused.status_code == 400 and "already" in refused.content.decode()
    page = f"/curriculum/courses/{course.pk}/"
    client.post(page, {"action": "band", "subject": "Mathematics", "grade_low": "4", "grade_high": "4"})
    assert [c.code for c in reads.course_competencies(course)] == ["4.A", "4.B", "4.OWN"]
    client.post(page, {"action": "pick", "competencies": [found["5.A"].pk, found["4.A"].pk]})
    assert [c.code for c in reads.course_competencies(course)] == ["5.A", "4.A"]
    client.post(f"{page}move/", {"competency": found["4.A"].pk, "by": "-1"})
    assert [c.code for c in reads.course_competencies(course)] == ["4.A", "5.A"]
    assert "4.A" in client.get(page).content.decode()
    client.post(
        f"/curriculum/districts/{world.district.pk}/courses/section/",
        {"section": world.section.pk, "course": course.pk},
    )
    assert Section.objects.get(pk=world.section.pk).course == course
    # Nobody else sees the district's courses.
    assert client_for(world.teacher).get(url).status_code == 404
    assert client_for(world.teacher).get(page).status_code == 404
    assert (
        client_for(world.district_admin)
        .get(f"/curriculum/districts/{world.other_district.pk}/courses/")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_the_demo_district_gets_two_courses() -> None:
    district = seed_demo_district()
    seed_demo_curriculum()
    four, five = Course.objects.filter(district=district).order_by("code")
    assert (four.name, five.name) == ("Grade 4 Math", "Grade 5 Math")
    codes5 = [c.code for c in reads.course_competencies(five)]
    assert any(code.startswith("5.") for code in codes5) and any(code.startswith("4.") for code in codes5)
    sections = Section.objects.filter(school__district=district)
    assert {s.course_id for s in sections.filter(grade="4")} == {four.pk}
    assert {s.course_id for s in sections.filter(grade="5")} == {five.pk}
    assert {s.course_id for s in sections.filter(grade="6")} == {None}
    before = [c.pk for c in reads.course_competencies(five)]
    seed_demo_curriculum()  # a second run changes nothing
    assert Course.objects.filter(district=district).count() == 2
    assert [c.pk for c in reads.course_competencies(five)] == before

"""Teachers learn on the same engine: the district's practices become a course, evidence from what Cairn sees
and from walkthroughs moves each teacher's own path (once), the teacher chooses what to learn next and whether
to share, and who sees what (the teacher, their principal, not another school's, the district only on
opt-in, never a student; the district sees counts, not names)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from cairn.accounts.models import Course, Role
from cairn.curriculum.models import Competency, Content, CourseCompetency, Status
from cairn.insights.models import SmallGroup
from cairn.leaders import services, teacher_paths, teacher_support
from cairn.leaders.models import PathSharing, PracticeEvidence, PracticeFocus, Walkthrough, WalkthroughMark
from cairn.leaders.teacher_evidence import feed_evidence
from cairn.learning.models import Progress
from tests.conftest import World, _person, client_for

TODAY = timezone.localdate()
LAST_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday() + 7)


def _define(world: World, *pillars: str) -> None:
    services.save_definition(
        district=world.district,
        author=world.district_admin,
        pillars={p: {"teachers": "Teachers group from the class view."} for p in pillars},
    )


def _practice(code: str) -> Competency:
    return Competency.objects.get(code=code, framework__subject="Professional learning")


def test_a_saved_definition_makes_its_practices_a_course_with_approved_pd_content(world: World) -> None:
    _define(world, "personal_paths")
    course = Course.objects.get(district=world.district, code="PL-PRACTICES")
    codes = list(CourseCompetency.objects.filter(course=course).values_list("competency__code", flat=True))
    assert codes == ["TP.1", "TP.2", "TP.4", "TP.5"]  # the practices of the pillar chosen, in order
    grouping = _practice("TP.1")
    assert grouping.framework.district is None and grouping.framework.title == "Teaching practices"
    assert grouping.translations["es"]["student_statement"].startswith("Puedo")
    assert set(grouping.content.values_list("kind", "status")) == {
        (Content.Kind.READING, Status.APPROVED),
        (Content.Kind.OFFLINE, Status.APPROVED),
    }
    _define(world, "personal_paths", "competency_progression")  # a new version widens the course
    assert CourseCompetency.objects.filter(course=course).count() == 6
    assert Competency.objects.filter(framework__subject="Professional learning").count() == 6  # not doubled


def test_evidence_from_small_groups_and_walkthroughs_moves_the_teachers_path_once(world: World) -> None:
    _define(world, "personal_paths", "flexible_environments")
    SmallGroup.objects.create(
        section=world.section,
        name="Fractions",
        for_date=LAST_MONDAY,
        created_by=world.teacher,
        done_at=timezone.now(),
    )
    visit = Walkthrough.objects.create(
        school=world.school, section=world.section, teacher=world.teacher, observer=world.leader
    )
    WalkthroughMark.objects.create(
        walkthrough=visit, look_for="small_group", pillar="flexible_environments", seen=True
    )
    fed = feed_evidence(district=world.district, on=TODAY, weeks=2)
    assert fed > 0
    assert feed_evidence(district=world.district, on=TODAY, weeks=2) == 0  # idempotent
    grouping = Progress.objects.get(student=world.teacher, competency=_practice("TP.1"))
    colleague = Progress.objects.get(student=world.colleague, competency=_practice("TP.1"))
    assert grouping.mastery > colleague.mastery  # pulled a group last week; the colleague did not
    station = PracticeEvidence.objects.get(teacher=world.teacher, key=f"walkthrough:{visit.marks.get().pk}")
    assert station.competency.code == "TP.2" and station.score == 1.0
    path = teacher_paths.path_for(world.teacher)
    row = next(r for r in path.rows if r.competency.code == "TP.1")
    assert row.level != teacher_paths.NO_EVIDENCE
    assert [words for _, words in row.evidence] == ["pulled a small group", "no small group marked taught"]
    with translation.override("es"):
        spanish = teacher_paths.path_for(world.teacher)
    assert spanish.rows[0].name.startswith("Puedo")


def test_a_teacher_reads_their_path_chooses_what_to_learn_and_opts_in(world: World) -> None:
    _define(world, "personal_paths")
    client = client_for(world.teacher)
    page = client.get("/leaders/me/path/")
    assert page.status_code == 200
    assert "I can use data to group students" in page.content.decode()
    tiering = _practice("TP.4")
    assert client.post("/leaders/me/path/working-on/", {"competency": tiering.pk}).status_code == 302
    assert PracticeFocus.objects.get(teacher=world.teacher).competency == tiering
    assert "Pull one small group" not in client.get("/leaders/me/path/").content.decode()  # tiering's task
    outside = _practice("TP.6")  # not in this district's course
    assert client.post("/leaders/me/path/working-on/", {"competency": outside.pk}).status_code == 302
    assert PracticeFocus.objects.get(teacher=world.teacher).competency == tiering  # refused, unchanged
    client.post("/leaders/me/path/sharing/", {"beyond_principal": "on"})
    assert PathSharing.objects.get(teacher=world.teacher).beyond_principal


@pytest.mark.parametrize(
    ("viewer", "shared", "status"),
    [
        ("teacher", False, 200),
        ("leader", False, 200),  # the principal of the teacher's school
        ("other_principal", False, 404),
        ("district_admin", False, 404),  # beyond the principal only on opt-in
        ("district_admin", True, 200),
        ("student", True, 403),
    ],
)
def test_who_sees_a_teachers_path(world: World, viewer: str, shared: bool, status: int) -> None:
    _define(world, "personal_paths")
    teacher_paths.set_sharing(teacher=world.teacher, beyond_principal=shared)
    people = {
        "other_principal": _person("sam_sister", Role.SCHOOL_LEADER, school=world.sister_school),
        "teacher": world.teacher,
        "leader": world.leader,
        "district_admin": world.district_admin,
        "student": world.student,
    }
    response = client_for(people[viewer]).get(f"/leaders/teachers/{world.teacher.pk}/path/")
    assert response.status_code == status


def test_the_district_sees_counts_per_school_never_names(world: World) -> None:
    _define(world, "personal_paths")
    SmallGroup.objects.create(
        section=world.section,
        name="Fractions",
        for_date=LAST_MONDAY,
        created_by=world.teacher,
        done_at=timezone.now(),
    )
    feed_evidence(district=world.district, on=TODAY, weeks=1)
    schools = {s.school: s for s in teacher_support.district_support(world.district)}
    oak, pine = schools[world.school], schools[world.sister_school]
    assert oak.teachers == 3 and not oak.hidden and pine.hidden  # Pine has too few teachers to show
    grouping = next(r for r in oak.rows if r.competency.code == "TP.1")
    assert sum(n for _, n in grouping.counts) + grouping.no_evidence == 3
    district_page = client_for(world.district_admin).get(f"/leaders/districts/{world.district.pk}/support/")
    html = district_page.content.decode()
    assert district_page.status_code == 200 and "Oak Elementary" in html
    assert world.teacher.get_full_name() not in html and world.colleague.get_full_name() not in html
    school_page = (
        client_for(world.leader).get(f"/leaders/schools/{world.school.pk}/support/").content.decode()
    )
    assert world.teacher.get_full_name() in school_page  # the principal reaches each teacher's path
    admin_school = client_for(world.district_admin).get(f"/leaders/schools/{world.school.pk}/support/")
    assert world.teacher.get_full_name() not in admin_school.content.decode()


def test_the_demo_seeds_evidence_an_opt_in_and_a_school_needing_support_once(world: World) -> None:
    from cairn.leaders.teacher_demo import seed_teacher_paths

    _define(world, "personal_paths")
    _person("pia_pine", Role.TEACHER, school=world.sister_school)  # Pine: the last school by code
    assert seed_teacher_paths(world.district, TODAY) > 0
    assert seed_teacher_paths(world.district, TODAY) == 0  # a second run changes nothing
    practices = teacher_paths.practices_of(teacher_paths.course_of(world.district))
    pine = teacher_support.school_support(world.sister_school, practices, for_district=False)
    oak = teacher_support.school_support(world.school, practices, for_district=False)
    tiering = {s.school.code: next(r for r in s.rows if r.competency.code == "TP.4") for s in (pine, oak)}
    assert tiering["PINE"].needs_support and not tiering["OAK"].needs_support
    assert PathSharing.objects.filter(beyond_principal=True).count() == 1

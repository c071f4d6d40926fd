"""What teachers change from the insights pages: groups, tiered tasks, station plans and Today's steps.
Each refuses bad input with the field named and nothing written, and only a teacher of the class may."""

from __future__ import annotations

import datetime as dt

import pytest

from cairn.core.errors import Conflict, Forbidden, Invalid
from cairn.curriculum.models import Content, SectionContent
from cairn.insights.models import SmallGroup, StationPlan, TieredAssignment, TieredTask
from cairn.insights.services import groups, overrides, tiered, today_steps
from cairn.insights.services.stations import StationInput, plan_stations
from cairn.learning.models import Alert, PathOverride, Progress
from cairn.learning.selectors.path import student_path
from tests.insights.conftest import Classroom, progress


def test_save_a_group_with_a_snapshot_and_edit_it(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    progress(s[0], u.a, mastery=0.3)
    group = groups.save_group(
        w.teacher,
        w.section,
        student_ids=[s[0].pk, s[1].pk, s[2].pk],
        competency_id=u.a.pk,
        activity_id=classroom.lesson.pk,
    )
    assert group.name == f"{u.a.code} mini-lesson"
    assert group.activity == classroom.lesson
    assert group.snapshot == {str(s[0].pk): 0.3, str(s[1].pk): 0.0, str(s[2].pk): 0.0}
    assert group.for_date > dt.date.today()
    assert group.for_date.weekday() < 5
    groups.update_group(w.teacher, group, add=[s[3].pk], remove=[s[1].pk], name="Strips", clear_activity=True)
    group.refresh_from_db()
    assert set(group.students.values_list("pk", flat=True)) == {s[0].pk, s[2].pk, s[3].pk}
    assert group.name == "Strips"
    assert group.activity is None
    assert str(s[3].pk) in group.snapshot


def test_group_input_is_checked_and_nothing_is_written(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    with pytest.raises(Invalid, match=f"Not students of {w.section.name} now: {w.schoolmate.pk}"):
        groups.save_group(w.teacher, w.section, student_ids=[s[0].pk, w.schoolmate.pk])
    with pytest.raises(Invalid, match=str(w.former_student.pk)):
        groups.save_group(w.teacher, w.section, student_ids=[w.former_student.pk])
    with pytest.raises(Invalid, match="at least one"):
        groups.save_group(w.teacher, w.section, student_ids=[])
    with pytest.raises(Invalid, match="not on the students' paths"):
        groups.save_group(w.teacher, w.section, student_ids=[s[0].pk], competency_id=999_999)
    with pytest.raises(Invalid, match="not approved"):
        groups.save_group(w.teacher, w.section, student_ids=[s[0].pk], activity_id=999_999)
    with pytest.raises(Forbidden):
        groups.save_group(w.colleague, w.section, student_ids=[s[0].pk])
    with pytest.raises(Forbidden):
        groups.save_group(w.leader, w.section, student_ids=[s[0].pk])
    assert not SmallGroup.objects.exists()
    group = groups.save_group(w.teacher, w.section, student_ids=[s[0].pk], competency_id=u.a.pk)
    with pytest.raises(Invalid, match="delete it instead"):
        groups.update_group(w.teacher, group, remove=[s[0].pk])
    assert list(group.students.all()) == [s[0]]


def test_regroup_follows_the_data(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    for student in s[:4]:
        progress(student, u.d, mastery=0.3)
    for student in s[4:]:
        progress(student, u.a, Progress.Status.MASTERED, mastery=0.97)
    group = groups.save_group(w.teacher, w.section, student_ids=[x.pk for x in s[:4]], competency_id=u.d.pk)
    progress(s[0], u.d, Progress.Status.MASTERED, mastery=0.97)  # moved on
    for student in s[4:]:
        progress(student, u.d, mastery=0.2)  # and two more now need it
    groups.regroup(w.teacher, group)
    assert set(group.students.values_list("pk", flat=True)) == {x.pk for x in s[1:]}
    check_in = groups.save_group(w.teacher, w.section, student_ids=[s[0].pk], name="Check-in")
    with pytest.raises(Conflict, match="no competency"):
        groups.regroup(w.teacher, check_in)
    groups.finish_group(w.teacher, group)
    assert SmallGroup.objects.get(pk=group.pk).done_at is not None
    groups.delete_group(w.teacher, check_in)
    assert not SmallGroup.objects.filter(pk=check_in.pk).exists()


def test_a_tiered_task_assigns_levels_by_mastery_and_keeps_the_teachers_moves(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    progress(s[0], u.a, mastery=0.2)
    progress(s[1], u.a, mastery=0.6)
    progress(s[2], u.a, mastery=0.85)
    progress(s[3], u.a, Progress.Status.MASTERED, mastery=0.7)
    task = tiered.create_tiered_task(
        w.teacher,
        w.section,
        competency_id=u.a.pk,
        title="Fraction walls",
        support="Use strips.",
        core="Build the wall.",
        extend="Find all the equivalences.",
    )
    tiers = dict(task.assignments.values_list("student_id", "tier"))
    assert tiers == {
        s[0].pk: "support",
        s[1].pk: "core",
        s[2].pk: "extend",
        s[3].pk: "extend",  # mastered: the extension, whatever the estimate
        s[4].pk: "core",  # no evidence yet: the task as written
        s[5].pk: "core",
    }
    tiered.move_to_tier(w.teacher, task, s[0].pk, "core")
    progress(s[1], u.a, mastery=0.1)
    tiered.retier(w.teacher, task)
    tiers = dict(task.assignments.values_list("student_id", "tier"))
    assert tiers[s[0].pk] == "core"
    assert tiers[s[1].pk] == "support"
    with pytest.raises(Invalid, match="Unknown level 'hard'"):
        tiered.move_to_tier(w.teacher, task, s[0].pk, "hard")
    with pytest.raises(Invalid, match="support_below < extend_from"):
        tiered.create_tiered_task(
            w.teacher,
            w.section,
            competency_id=u.a.pk,
            title="T",
            support="a",
            core="b",
            extend="c",
            support_below=0.9,
            extend_from=0.5,
        )
    with pytest.raises(Invalid, match="extend can't be empty"):
        tiered.create_tiered_task(
            w.teacher, w.section, competency_id=u.a.pk, title="T", support="a", core="b", extend=" "
        )
    assert TieredTask.objects.count() == 1
    assert TieredAssignment.objects.count() == 6


def test_a_station_plan_balances_screens_and_the_stuck_meet_the_teacher_first(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    progress(s[0], u.a, mastery=0.2, attempts=12, spinning=True)
    progress(s[1], u.a, mastery=0.25, attempts=11, spinning=True)
    chosen = [
        StationInput("Teacher table", "teacher_led", "Strips"),
        StationInput("Laptops", "online"),
        StationInput("Partner game", "collaborative"),
    ]
    plan = plan_stations(
        w.teacher,
        w.section,
        title="Tuesday",
        lesson_date=dt.date(2026, 11, 24),
        block_minutes=15,
        rotations=3,
        stations=chosen,
    )
    assert len(plan.groups) == 3
    assert sorted(len(g) for g in plan.groups) == [2, 2, 2]
    assert sorted(i for g in plan.groups for i in g) == sorted(x.pk for x in s)
    teacher = next(i for i, st in enumerate(plan.stations) if st["kind"] == "teacher_led")
    first_at_teacher = plan.schedule[0].index(teacher)
    assert set(plan.groups[first_at_teacher]) == {s[0].pk, s[1].pk}
    assert plan.stations[teacher]["activity"] == "Strips"
    for bad, field in [
        ({"block_minutes": 2}, "block_minutes"),
        ({"rotations": 9}, "stations"),
        ({"stations": [StationInput("Solo", "online")]}, "stations"),
        ({"stations": [StationInput("A", "teacher_led"), StationInput("B", "lecture")]}, "station 2 kind"),
        ({"stations": [StationInput("", "online"), StationInput("B", "online")]}, "station 1 name"),
    ]:
        kwargs = {
            "title": "T",
            "lesson_date": dt.date(2026, 11, 24),
            "block_minutes": 15,
            "rotations": 2,
            "stations": chosen,
        }
        with pytest.raises(Invalid) as caught:
            plan_stations(w.teacher, w.section, **{**kwargs, **bad})  # type: ignore[arg-type]
        assert caught.value.field == field
    assert StationPlan.objects.count() == 1


def test_todays_one_click_steps(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    progress(s[0], u.a, mastery=0.3, attempts=12, spinning=True)
    progress(w.schoolmate, u.a, mastery=0.3, attempts=12, spinning=True)  # another class's student
    alerts = list(Alert.objects.values_list("pk", flat=True))
    assert today_steps.resolve_alerts(w.teacher, w.section, alerts) == 1  # only this class's
    assert Alert.objects.get(student=w.schoolmate).resolved_at is None

    progress(s[1], u.a, Progress.Status.MASTERED, mastery=0.97)
    results = today_steps.assign_challenges(w.teacher, w.section, [s[1].pk], "Ready for a challenge")
    assert [(o.competency, o.action) for r in results for o in r.created] == [(u.b, "assign")]
    assert student_path(s[1]).by_code()[u.b.code].reasons == ("Assigned by your teacher",)

    choice = today_steps.hide_content(w.teacher, w.section, u.video)
    assert (choice.action, choice.section) == (SectionContent.Action.HIDE, w.section)
    with pytest.raises(Forbidden):
        today_steps.hide_content(w.colleague, w.section, u.video)


def test_an_override_for_a_group_or_the_whole_class(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    group = groups.save_group(w.teacher, w.section, student_ids=[s[0].pk, s[1].pk], competency_id=u.a.pk)
    result = overrides.override(
        w.teacher, w.section, competency_id=u.c.pk, action="unlock", reason="Ready", group_id=group.pk
    )
    assert {o.student_id for o in result.created} == {s[0].pk, s[1].pk}
    progress(s[2], u.d, Progress.Status.MASTERED, mastery=0.97)
    result = overrides.override(
        w.teacher, w.section, competency_id=u.d.pk, action="skip", reason="Not this term", whole_section=True
    )
    assert len(result.created) == 5
    assert [x for x, _ in result.unchanged] == [s[2]]
    assert PathOverride.objects.filter(action="skip", active=True).count() == 5
    other = groups.save_group(w.colleague, w.sister_section, student_ids=[w.schoolmate.pk])
    with pytest.raises(Invalid, match=f"No group {other.pk} in {w.section.name}"):
        overrides.override(
            w.teacher, w.section, competency_id=u.a.pk, action="lock", reason="x", group_id=other.pk
        )
    with pytest.raises(Invalid, match="Unknown action"):
        overrides.override(
            w.teacher, w.section, competency_id=u.a.pk, action="boost", reason="x", student_ids=[s[0].pk]
        )
    with pytest.raises(Invalid, match="No competency 999999"):
        overrides.override(
            w.teacher, w.section, competency_id=999_999, action="lock", reason="x", student_ids=[s[0].pk]
        )
    assert Content.objects.filter(pk=classroom.lesson.pk).exists()

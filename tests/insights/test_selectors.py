"""The class's stored state as the teacher pages read it, checked against the per-student reads it must
agree with (the student's own path, the student's own pace)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from cairn.agency import selectors as agency
from cairn.agency.models import WeeklyGoal
from cairn.curriculum.models import Content, SectionContent, Status
from cairn.insights import selectors
from cairn.learning.models import ActivityCompletion, PathOverride, Progress, ReleaseRule
from cairn.learning.selectors.path import student_path
from cairn.learning.services import overrides, practice, questions
from tests.conftest import right_answer
from tests.insights.conftest import Classroom, progress


def _answer(student, competency, right: bool) -> None:  # type: ignore[no-untyped-def]
    served = questions.serve(student, competency)
    wrong = "z" if served.item.kind == "choice" else "999"
    text = right_answer(served) if right else wrong
    practice.submit_answer(student, str(served.token), str(uuid.uuid4()), text)


def test_the_class_paths_agree_with_each_students_own_path(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    s = classroom.students
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97)
    progress(s[1], u.a, mastery=0.5)
    progress(s[2], u.a, Progress.Status.MASTERED, mastery=0.96)
    progress(s[2], u.b, Progress.Status.CHECKING, mastery=0.95)
    overrides.override(w.teacher, [s[3]], u.c, PathOverride.Action.ASSIGN, "Stretch")
    overrides.override(w.teacher, [s[4]], u.b, PathOverride.Action.SKIP, "Not needed")
    overrides.override(w.teacher, [s[5]], u.d, PathOverride.Action.LOCK, "Later")
    overrides.override(w.teacher, [s[1]], u.a, PathOverride.Action.RESET, "Again")
    ReleaseRule.objects.create(
        competency=u.d, section=w.section, rule={"kind": "after_activity", "activity": "v1"}
    )
    ReleaseRule.objects.create(
        competency=u.d, section=w.sister_section, rule={"kind": "from_date", "date": "2999-01-01"}
    )
    ActivityCompletion.objects.create(student=s[0], content=u.video)
    u.video.identifier = "v1"
    u.video.save()
    state = selectors.class_state(w.section)
    for student in s:
        own = student_path(student)
        for row in own.rows:
            c = next(c for c in state.competencies if c.code == row.code)
            cell = state.cell(student.pk, c.pk)
            assert (cell.status, cell.set_by_teacher) == (row.status, row.set_by_teacher), (student, row.code)
        assert [r.code for r in own.rows] == [c.code for c in state.competencies]
    assert state.cell(s[4].pk, u.b.pk).state == "skipped"
    assert state.cell(s[2].pk, u.b.pk).state == "checking"
    assert state.cell(s[0].pk, u.d.pk).status == "ready"
    assert state.cell(s[1].pk, u.d.pk).status == "locked"


def test_only_current_students_are_in_the_class_state(classroom: Classroom) -> None:
    w = classroom.world
    state = selectors.class_state(w.section)
    assert {s.pk for s in state.students} == {s.pk for s in classroom.students}
    assert w.former_student.pk not in state.cells
    assert w.schoolmate.pk not in state.cells


def test_cells_summaries_and_confidence(classroom: Classroom) -> None:
    u, s = classroom.unit, classroom.students
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97, attempts=8)
    progress(s[0], u.b, mastery=0.5, attempts=2)
    progress(s[0], u.d, mastery=0.85, attempts=9, spinning=True, uncertainty=0.16)  # answers that disagree
    state = selectors.class_state(classroom.world.section)
    a, b, d = (state.cell(s[0].pk, c.pk) for c in (u.a, u.b, u.d))
    assert (a.state, a.confidence, a.text, a.label) == (
        "mastered",
        "high",
        "✓",
        "mastered, mastery 97% (high confidence, 8 answers)",
    )
    assert (b.state, b.confidence, b.text) == ("in_progress", "low", "…50")  # two answers: little evidence
    assert (d.state, d.confidence) == ("stuck", "medium")
    assert d.label == "stuck, mastery 85% (medium confidence, 9 answers)"
    blank = state.cell(s[1].pk, u.c.pk)
    assert (blank.state, blank.confidence, blank.text) == ("locked", "none", "·")
    summary = state.summaries[s[0].pk]
    assert (summary.mastered, summary.in_progress, summary.ready) == (1, 2, 0)  # C waits for B
    assert summary.stuck == [u.d.code]
    assert summary.mastered_this_week == 1
    assert abs(summary.mean_mastery - (0.97 + 0.5 + 0.85) / 3) < 1e-9
    assert summary.last_active is not None
    assert state.summaries[s[1].pk].last_active is None


def test_needs_put_stuck_first_then_lowest_mastery_then_what_just_opened(classroom: Classroom) -> None:
    u, s = classroom.unit, classroom.students
    progress(s[0], u.a, mastery=0.6)
    progress(s[0], u.d, mastery=0.2, attempts=12, spinning=True)
    state = selectors.class_state(classroom.world.section)
    needs = selectors.needs_of(state, s[0].pk)
    assert [(n.competency, n.spinning, n.started) for n in needs] == [
        (u.d.code, True, True),
        (u.a.code, False, True),
    ]
    fresh = selectors.needs_of(state, s[1].pk)
    # Just opened, in curriculum order (the path's: prerequisites first, then by code).
    assert [(n.competency, n.started) for n in fresh] == [(u.d.code, False), (u.a.code, False)]


def test_suggested_groups_and_their_teacher_led_activity(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    for student in s[:4]:
        progress(student, u.a, mastery=0.3)
    state = selectors.class_state(w.section)
    grouping = selectors.suggested_groups(state)
    assert grouping.groups[0].competency == u.a.code
    # The four working on A, and the two who haven't started anything join them (A is their next need too).
    assert set(grouping.groups[0].students) == {x.pk for x in s}
    assert grouping.groups[0].started == 4
    # Offline first; a broken link or a section's hidden content is never suggested.
    project = Content.objects.create(
        identifier="proj-a", title="A project", kind=Content.Kind.PROJECT, status=Status.APPROVED
    )
    project.competencies.add(u.a)
    assert selectors.teacher_led_activities(w.section, [u.a.code]) == {u.a.code: classroom.lesson}
    classroom.lesson.link_status = Content.LinkStatus.BROKEN
    classroom.lesson.save()
    assert selectors.teacher_led_activities(w.section, [u.a.code]) == {u.a.code: project}
    SectionContent.objects.create(section=w.section, content=project, action="hide", set_by=w.teacher)
    assert selectors.teacher_led_activities(w.section, [u.a.code]) == {}


def test_broken_content_lists_who_could_meet_it(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    u.video.link_status = Content.LinkStatus.BROKEN
    u.video.save()
    for student in s[:2]:
        progress(student, u.a, Progress.Status.MASTERED, mastery=0.97)
    state = selectors.class_state(w.section)
    found = selectors.broken_content(state)
    assert [(c, {x.pk for x in who}) for c, who in found] == [(u.video, {x.pk for x in s[2:]})]
    SectionContent.objects.create(section=w.section, content=u.video, action="hide", set_by=w.teacher)
    assert selectors.broken_content(selectors.class_state(w.section)) == []


def test_class_pace_agrees_with_each_students_own_pace(classroom: Classroom) -> None:
    u, s = classroom.unit, classroom.students
    today = timezone.localdate()
    monday = agency.week_start(today)
    for student, (competencies, minutes) in zip(s[:3], [(1, 10), (3, 300), (1, 600)], strict=True):
        WeeklyGoal.objects.create(
            student=student, week_start=monday, competencies=competencies, minutes=minutes
        )
    for right in (True, True, False, True, True, True):
        _answer(s[0], u.a, right)
    ActivityCompletion.objects.create(student=s[1], content=u.video, minutes=25)
    paces = selectors.class_pace(s, today)
    assert set(paces) == {x.pk for x in s[:3]}
    for student in s[:3]:
        own = agency.pace(student, today)
        mine = paces[student.pk]
        assert (mine.mastered, mine.minutes, mine.on_track, mine.days_left) == (
            own.mastered,
            own.minutes,
            own.on_track,
            own.days_left,
        )
    assert paces[s[1].pk].minutes == 25


def test_version_changes_when_a_student_answers_or_a_teacher_steps_in(classroom: Classroom) -> None:
    u, w = classroom.unit, classroom.world
    first = selectors.version(w.section)
    assert selectors.version(w.section) == first
    _answer(w.student, u.a, True)
    second = selectors.version(w.section)
    assert second != first
    overrides.override(w.teacher, [w.classmate], u.d, PathOverride.Action.LOCK, "Later")
    assert selectors.version(w.section) != second


def test_mastered_by_week_counts_what_is_mastered_by_when(classroom: Classroom) -> None:
    u, s = classroom.unit, classroom.students
    now = timezone.now()
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97, when=now - dt.timedelta(days=20))
    progress(s[1], u.a, Progress.Status.MASTERED, mastery=0.97, when=now - dt.timedelta(days=2))
    weekly = selectors.mastered_by_week(selectors.class_state(classroom.world.section), weeks=4)
    assert [round(v * len(s)) for _, v in weekly] == [0, 1, 1, 2]

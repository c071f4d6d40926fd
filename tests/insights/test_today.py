"""Today: at most five actions, each found in the stored state, ranked by impact, with one step and a why."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cairn.agency.models import WeeklyGoal
from cairn.agency.selectors import week_start
from cairn.curriculum.models import Content
from cairn.insights import selectors
from cairn.insights.links import step_link
from cairn.insights.services import groups
from cairn.insights.today import LIMIT, Action, Kind, Step, Target, rank, today_actions
from cairn.learning.models import Progress
from tests.insights.conftest import Classroom, progress


def _actions(classroom: Classroom) -> list[Action]:
    return today_actions(selectors.class_state(classroom.world.section))


def _by_kind(actions: list[Action]) -> dict[str, Action]:
    return {a.kind: a for a in actions}


def test_a_quiet_class_with_no_history_gets_a_check_in_and_little_else(classroom: Classroom) -> None:
    actions = _actions(classroom)
    kinds = _by_kind(actions)
    # Nobody has done anything yet: everyone is "not active", and the six all need the same first step.
    assert set(kinds) == {"inactive", "group"}
    assert len(kinds["inactive"].students) == 6
    assert kinds["inactive"].step.label == "Make a check-in group"


def test_stuck_students_come_first_and_two_on_one_competency_make_a_group(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    progress(s[0], u.a, mastery=0.25, attempts=14, spinning=True)
    progress(s[1], u.a, mastery=0.3, attempts=11, spinning=True)
    progress(s[2], u.d, mastery=0.3, attempts=12, spinning=True)
    for student in s[3:]:
        progress(student, u.d, mastery=0.6)
    actions = _actions(classroom)
    assert actions[0].kind == "stuck"
    assert {x.pk for x in actions[0].students} == {s[0].pk, s[1].pk}
    top = actions[0]
    assert top.title == f"2 stuck on {u.a.code}"
    assert "14, 11 tries on 4.NF.A.1 without getting closer to mastery" in top.why
    assert "Mini-lesson: “Fraction strips at the teacher table”" in top.why
    assert step_link(top.step)["url"] == reverse("insights-group-save", args=[w.section.pk])
    fields = dict(top.step.fields)
    assert fields["competency"] == str(u.a.pk)
    assert fields["activity"] == str(classroom.lesson.pk)
    assert sorted(v for k, v in top.step.fields if k == "student") == sorted(str(x.pk) for x in s[:2])
    assert top.more is not None
    assert top.more.label == "Mark as seen to"
    single = next(a for a in actions if a.kind == "stuck" and a is not top)
    assert single.step.method == "get"
    assert str(step_link(single.step)["url"]).endswith(f"/students/{s[2].pk}/")


def test_inactive_behind_challenge_and_broken_content(classroom: Classroom) -> None:
    u, s = classroom.unit, classroom.students
    long_ago = timezone.now() - dt.timedelta(days=20)
    progress(s[0], u.a, mastery=0.4, when=long_ago)  # inactive for weeks
    progress(s[1], u.a, Progress.Status.MASTERED, mastery=0.97)
    progress(s[1], u.d, Progress.Status.MASTERED, mastery=0.97)  # two this week: ready for a challenge
    for student in s[2:]:
        progress(student, u.a, mastery=0.5)
    today = timezone.localdate()
    WeeklyGoal.objects.create(student=s[2], week_start=week_start(today), competencies=5, minutes=600)
    u.video.link_status = Content.LinkStatus.BROKEN
    u.video.save()
    kinds = _by_kind(_actions(classroom))
    assert [x.pk for x in kinds["inactive"].students] == [s[0].pk]
    assert "Last active" in kinds["inactive"].why
    assert [x.pk for x in kinds["challenge"].students] == [s[1].pk]
    assert f"mastered 2 this week, {u.b.code} is next" in kinds["challenge"].why
    assert step_link(kinds["challenge"].step)["url"] == reverse(
        "insights-assign-challenges", args=[classroom.world.section.pk]
    )
    assert [x.pk for x in kinds["behind"].students] == [s[2].pk]
    assert "0 of 5 mastered, 0 of 600 minutes" in kinds["behind"].why
    assert kinds["broken"].title == f"Broken link: {u.video.title}"
    assert step_link(kinds["broken"].step)["url"] == reverse(
        "insights-content-hide", args=[classroom.world.section.pk, u.video.pk]
    )


def test_a_group_already_saved_is_not_suggested_again(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    for student in s:
        progress(student, u.a, mastery=0.3)
    group = _by_kind(_actions(classroom))["group"]
    groups.save_group(w.teacher, w.section, student_ids=[x.pk for x in group.students], competency_id=u.a.pk)
    assert "group" not in _by_kind(_actions(classroom))


def test_never_more_than_five_ranked_by_impact() -> None:
    step = Step("Do", Target.GROUPS, (1,))
    candidates = [Action(Kind.GROUP, f"g{i}", "why", float(i), (), step) for i in range(8)]
    candidates.append(Action(Kind.STUCK, "tie", "why", 7.0, (), step))
    ranked = rank(candidates)
    assert len(ranked) == LIMIT
    assert [a.title for a in ranked] == ["tie", "g7", "g6", "g5", "g4"]  # a tie goes to the more urgent kind

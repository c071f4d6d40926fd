"""Teacher overrides (cairn.learning.services.overrides): each action's effect on the student's path, end to
end, and the rules: who may, what is logged, and bad input changing nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from cairn.core.errors import Forbidden, Invalid
from cairn.curriculum.models import Competency, Framework
from cairn.learning import learner
from cairn.learning.models import Alert, Attempt, LearnerState, PathOverride, Progress, ServedItem
from cairn.learning.selectors import board
from cairn.learning.selectors.overrides import history, may_override
from cairn.learning.selectors.path import student_path
from cairn.learning.services import overrides, practice, questions
from tests.conftest import client_for, right_answer
from tests.insights.conftest import Classroom, progress

Action = PathOverride.Action


def _answer(student, competency, right: bool, *, at=None) -> practice.Feedback:  # type: ignore[no-untyped-def]
    served = questions.serve(student, competency, at=at)
    wrong = "z" if served.item.kind == "choice" else "999"
    text = right_answer(served) if right else wrong
    feedback = practice.submit_answer(student, str(served.token), str(uuid.uuid4()), text, at=at)
    if feedback.retry:
        feedback = practice.submit_answer(student, str(served.token), str(uuid.uuid4()), text, at=at)
    return feedback


def test_assign_opens_a_locked_competency_and_puts_it_first_on_the_board(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    assert student_path(w.student).by_code()[u.c.code].status == "locked"
    result = overrides.override(w.teacher, [w.student], u.c, Action.ASSIGN, "Ready for the next unit")
    assert len(result.created) == 1
    assert not result.unchanged
    row = student_path(w.student).by_code()[u.c.code]
    assert (row.status, row.reasons, row.set_by_teacher) == ("ready", ("Assigned by your teacher",), True)
    first = board.build_board(w.student)[0]
    assert first.competency == u.c.code
    assert first.why == "Your teacher assigned this."
    # The student's page says so too.
    page = client_for(w.student).get("/learn/").content.decode()
    assert "Assigned by your teacher" in page
    assert "set by your teacher" in page


def test_lock_closes_a_ready_competency_and_practice_refuses_it(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    overrides.override(w.teacher, [w.student], u.d, Action.LOCK, "Not this week")
    row = student_path(w.student).by_code()[u.d.code]
    assert (row.status, row.reasons, row.set_by_teacher) == ("locked", ("Locked by your teacher",), True)
    assert client_for(w.student).get(f"/learn/practice/{u.d.pk}/").status_code == 403
    overrides.override(w.teacher, [w.student], u.d, Action.UNLOCK, "Back on")
    assert student_path(w.student).by_code()[u.d.code].status == "ready"


def test_skip_frees_what_builds_on_it(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    progress(w.student, u.a, Progress.Status.MASTERED, mastery=0.97)
    assert student_path(w.student).by_code()[u.c.code].reasons == ("Needs 4.NF.B.3 first",)
    overrides.override(w.teacher, [w.student], u.b, Action.SKIP, "Covered in the pull-out programme")
    rows = student_path(w.student).by_code()
    assert rows[u.b.code].reasons == ("Skipped by your teacher",)
    assert rows[u.b.code].set_by_teacher
    assert rows[u.c.code].status == "ready"
    # Skipping writes no mastery: the grade book and the class view see it was skipped, not mastered.
    assert not Progress.objects.filter(student=w.student, competency=u.b).exists()
    assert u.b.code not in {o.competency for o in board.build_board(w.student)}


def test_mark_mastered_records_the_teachers_word_and_starts_review(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    open_a, open_d = questions.serve(w.student, u.a), questions.serve(w.student, u.d)
    progress(w.student, u.a, mastery=0.3, attempts=12, spinning=True)
    overrides.override(w.teacher, [w.student], u.a, Action.MASTERED, "Showed it on paper in class")
    p = Progress.objects.get(student=w.student, competency=u.a)
    assert (p.status, p.mastered_by, p.spinning) == ("mastered", "teacher", False)
    assert p.mastered_at is not None
    assert p.review_due is not None
    assert p.review_due > p.mastered_at
    assert not Alert.objects.filter(student=w.student, resolved_at__isnull=True).exists()
    rows = student_path(w.student).by_code()
    assert rows[u.a.code].reasons == ("Marked mastered by your teacher",)
    assert rows[u.b.code].status == "ready"  # what builds on it opens
    assert ServedItem.objects.get(pk=open_a.pk).closed  # a question served before is not coming back
    assert not ServedItem.objects.get(pk=open_d.pk).closed  # other competencies' questions stay open


def test_reset_starts_a_competency_over_but_keeps_the_history(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    # Hours apart: a question whose solution was shown doesn't come back in the same sitting (one item here).
    sittings = [timezone.now() + dt.timedelta(hours=4 * i) for i in range(1, 6)]
    for right, at in zip((True, False, True, True), sittings, strict=False):
        _answer(w.student, u.a, right, at=at)
    served = questions.serve(w.student, u.a, at=sittings[-1])  # an open question, left unanswered
    answers = Attempt.objects.filter(student=w.student).count()
    before = Progress.objects.get(student=w.student, competency=u.a)
    assert before.attempts >= 4
    assert before.mastery > 0.2
    Alert.objects.create(student=w.student, competency=u.a, kind=Alert.Kind.WHEEL_SPINNING, message="m")

    overrides.override(w.teacher, [w.student], u.a, Action.RESET, "Start again after the mini-lesson")

    p = Progress.objects.get(student=w.student, competency=u.a)
    assert (p.status, p.attempts, p.correct, p.recent_estimates, p.spinning) == (
        "not_started",
        0,
        0,
        [],
        False,
    )
    assert p.mastery == pytest.approx(learner.mastery(learner.initial_state(), u.a.pk)[0])
    state = LearnerState.objects.get(student=w.student).state
    assert learner.skill_mastery(state, u.a.pk).n == 0  # the learner model forgot it
    assert Attempt.objects.filter(student=w.student).count() == answers  # the history stays
    assert not Alert.objects.filter(student=w.student, resolved_at__isnull=True).exists()
    assert ServedItem.objects.get(pk=served.pk).closed
    row = student_path(w.student).by_code()[u.a.code]
    assert (row.status, row.reasons) == ("ready", ("Started over by your teacher",))
    # Practice starts fresh: a new question, and the first answer moves mastery from the prior.
    feedback = _answer(w.student, u.a, True, at=sittings[-1] + dt.timedelta(hours=4))
    assert feedback.mastery_before == pytest.approx(p.mastery, abs=1e-4)


def test_a_reset_reopens_a_mastered_competency_and_other_actions_leave_it(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    progress(w.student, u.a, Progress.Status.MASTERED, mastery=0.97)
    result = overrides.override(w.teacher, [w.student, w.classmate], u.a, Action.LOCK, "Hold")
    assert [s for s, _ in result.unchanged] == [w.student]
    assert "already mastered" in result.unchanged[0][1]
    assert [o.student for o in result.created] == [w.classmate]
    overrides.override(w.teacher, [w.student], u.a, Action.RESET, "Redo")
    assert Progress.objects.get(student=w.student, competency=u.a).status == "not_started"


def test_a_later_override_replaces_the_earlier_and_both_stay_in_the_log(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    overrides.override(w.teacher, [w.student], u.d, Action.LOCK, "First")
    overrides.override(w.teacher, [w.student], u.d, Action.UNLOCK, "Second")
    log = history([w.student])
    assert [(o.action, o.reason, o.active, o.set_by) for o in log] == [
        ("unlock", "Second", True, w.teacher),
        ("lock", "First", False, w.teacher),
    ]


def test_only_a_current_teacher_of_the_student_may_override(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    for outsider in (w.colleague, w.former_teacher, w.leader, w.district_admin, w.guardian, w.student):
        with pytest.raises(Forbidden):
            overrides.override(outsider, [w.student], u.a, Action.ASSIGN, "Not mine to change")
    # One student out of reach refuses the whole batch: nothing is written.
    with pytest.raises(Forbidden, match=str(w.schoolmate.pk)):
        overrides.override(w.teacher, [w.student, w.schoolmate], u.a, Action.ASSIGN, "Mixed")
    assert not PathOverride.objects.exists()
    assert may_override(w.teacher, w.student)
    assert not may_override(w.colleague, w.student)


def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(classroom: Classroom) -> None:
    w, u = classroom.world, classroom.unit
    with pytest.raises(Invalid, match="reason"):
        overrides.override(w.teacher, [w.student], u.a, Action.ASSIGN, "   ")
    with pytest.raises(Invalid, match="under 300"):
        overrides.override(w.teacher, [w.student], u.a, Action.ASSIGN, "x" * 301)
    with pytest.raises(Invalid, match="Unknown action 'promote'"):
        overrides.override(w.teacher, [w.student], u.a, "promote", "Why not")
    with pytest.raises(Invalid, match="at least one student"):
        overrides.override(w.teacher, [], u.a, Action.ASSIGN, "Nobody")
    framework = Framework.objects.get(identifier="fw-test")
    bare = Competency.objects.create(
        framework=framework, identifier="id-bare", code="9.X.1", statement="No items"
    )
    with pytest.raises(Invalid, match="no approved practice"):
        overrides.override(w.teacher, [w.student], bare, Action.ASSIGN, "Off the path")
    assert not PathOverride.objects.exists()
    assert not Progress.objects.exists()

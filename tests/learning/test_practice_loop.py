from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from cairn.core.errors import Conflict, Invalid, NotFound
from cairn.engine.release import Status
from cairn.learning.models import Alert, Attempt, Progress, ServedItem
from cairn.learning.selectors.board import build_board
from cairn.learning.selectors.path import student_path
from cairn.learning.services import board, practice, questions
from cairn.learning.services.outcomes import Event
from tests.conftest import World, right_answer
from tests.learning.conftest import Unit


def _answer(world: World, unit_competency, right: bool = True):  # type: ignore[no-untyped-def]
    served = questions.serve(world.student, unit_competency)
    text = right_answer(served) if right else "999"
    return served, practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), text)


def test_path_shows_status_and_reasons(world: World, unit: Unit) -> None:
    rows = student_path(world.student).by_code()
    assert rows["4.NF.A.1"].status == Status.READY
    assert rows["4.NF.B.3"].status == Status.LOCKED
    assert rows["4.NF.B.3"].reasons == ("Needs 4.NF.A.1 first",)
    assert rows["4.MD.A.1"].status == Status.READY


def test_right_answer_raises_mastery_and_is_recorded_once(world: World, unit: Unit) -> None:
    served = questions.serve(world.student, unit.a)
    attempt_id = str(uuid.uuid4())
    first = practice.submit_answer(world.student, str(served.token), attempt_id, "4")
    assert first.correct
    assert first.mastery_after > first.mastery_before
    again = practice.submit_answer(world.student, str(served.token), attempt_id, "4")  # a double submit
    assert again == first
    assert Attempt.objects.filter(student=world.student).count() == 1
    assert Progress.objects.get(student=world.student, competency=unit.a).attempts == 1


def test_wrong_answer_allows_a_second_try_then_shows_the_solution(world: World, unit: Unit) -> None:
    served = questions.serve(world.student, unit.a)
    first = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "5")
    assert not first.correct
    assert first.retry
    assert not first.solution
    assert questions.reveal_hint(world.student, str(served.token)) == "Split 8 into two equal parts."
    second = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "6")
    assert not second.retry
    assert second.solution == ["8 ÷ 2 = 4."]
    assert second.answer_text == "4"
    with pytest.raises(Conflict, match="finished"):
        practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "4")
    # Only the first try moved the learner model.
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.attempts == 2
    assert len(progress.recent_estimates) == 1


def test_bad_input_records_nothing(world: World, unit: Unit) -> None:
    served = questions.serve(world.student, unit.a)
    for bad in ["", "seven-ish"]:
        with pytest.raises(Invalid):
            practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), bad)
    with pytest.raises(Invalid, match="attempt id"):
        practice.submit_answer(world.student, str(served.token), "not-a-uuid", "4")
    with pytest.raises(NotFound, match="not given to you"):
        practice.submit_answer(world.classmate, str(served.token), str(uuid.uuid4()), "4")  # someone else's
    with pytest.raises(NotFound, match="not given to you"):
        practice.submit_answer(world.student, str(uuid.uuid4()), str(uuid.uuid4()), "4")  # never served
    choice = questions.serve(world.student, unit.d)
    with pytest.raises(Invalid, match="Choose one"):
        practice.submit_answer(world.student, str(choice.token), str(uuid.uuid4()), "z")
    assert not Attempt.objects.exists()
    assert ServedItem.objects.get(pk=served.pk).tries == 0


def test_reload_serves_the_same_question_and_drafts_never_appear(world: World, unit: Unit) -> None:
    first = questions.serve(world.student, unit.a)
    assert questions.serve(world.student, unit.a) == first
    seen = set()
    for _ in range(15):
        served, _ = _answer(world, unit.a)
        seen.add(served.item.identifier)
    assert seen == {"half-of-8"}


def test_template_items_vary_and_grade_their_own_answer(world: World, unit: Unit) -> None:
    from cairn.curriculum.models import Prerequisite

    Prerequisite.objects.filter(competency=unit.b).delete()
    stems = set()
    for _ in range(6):
        served, feedback = _answer(world, unit.b)
        stems.add(questions.question_for(served).stem)
        assert feedback.correct
    assert len(stems) > 1


def test_mastery_needs_the_check_and_unlocks_the_next_competency(world: World, unit: Unit) -> None:
    events = []
    for _ in range(40):
        _, feedback = _answer(world, unit.a)
        events.append(feedback.event)
        if feedback.event == Event.MASTERED:
            break
    assert Event.CHECK_STARTED in events
    assert events[-1] == Event.MASTERED
    check_start = events.index(Event.CHECK_STARTED)
    assert len(events) - check_start - 1 == 3  # three check questions, all right
    served = ServedItem.objects.filter(student=world.student).latest("served_at")
    step = practice.next_step(world.student, str(served.token), feedback)
    assert step.unlocked == ["4.NF.B.3"]
    assert step.question is None
    assert step.options  # the board, refreshed
    rows = student_path(world.student).by_code()
    assert rows["4.NF.A.1"].status == Status.MASTERED
    assert rows["4.NF.B.3"].status == Status.READY
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.review_due is not None
    assert progress.mastered_by == "check"


def test_a_missed_check_sends_the_student_back_to_practice(world: World, unit: Unit) -> None:
    while True:
        _, feedback = _answer(world, unit.a)
        if feedback.event == Event.CHECK_STARTED:
            break
    served = questions.serve(world.student, unit.a)
    assert served.purpose == ServedItem.Purpose.CHECK
    with pytest.raises(Conflict, match="Hints are off"):
        questions.reveal_hint(world.student, str(served.token))
    miss = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "3")
    assert miss.event == Event.CHECK_FAILED
    assert not miss.retry
    assert (
        Progress.objects.get(student=world.student, competency=unit.a).status == Progress.Status.IN_PROGRESS
    )


def test_wheel_spinning_stops_drilling_and_alerts_the_teacher(world: World, unit: Unit) -> None:
    # Enough different questions: one whose worked solution was shown doesn't come back in the sitting.
    unit.template.competencies.add(unit.a)
    events = []
    for _ in range(12):
        served = questions.serve(world.student, unit.a)
        for _try in range(2):
            fb = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "0")
            if not fb.retry:
                break
        events.append(fb.event)
        if fb.event == Event.SPINNING:
            break
    assert events[-1] == Event.SPINNING
    assert len(events) == 10
    assert Alert.objects.filter(student=world.student, kind=Alert.Kind.WHEEL_SPINNING).count() == 1
    with pytest.raises(Conflict, match=r"won.t help"):
        questions.serve(world.student, unit.a)
    options = build_board(world.student)
    assert all(not (o.kind == "practice" and o.competency == "4.NF.A.1") for o in options[:1])
    board.complete_activity(world.student, unit.video)  # a different way in lifts the stop
    assert questions.serve(world.student, unit.a)


def _interleave(monkeypatch: pytest.MonkeyPatch, meanwhile) -> list[bool]:  # type: ignore[no-untyped-def]
    """Run ``meanwhile`` between the answer's optimistic read and its write, as a second request would;
    returns the ``locked`` flag of each read the answer made."""
    reads: list[bool] = []
    real_read = practice._read

    def read(student, token, answer, *, locked, serve_next):  # type: ignore[no-untyped-def]
        reads.append(locked)
        rows = real_read(student, token, answer, locked=locked, serve_next=serve_next)
        if not locked:
            meanwhile()
        return rows

    monkeypatch.setattr(practice, "_read", read)
    return reads


def test_a_hint_taken_meanwhile_is_counted_by_redoing_the_answer(
    world: World, unit: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(world, unit.a)
    served = questions.serve(world.student, unit.a)
    reads = _interleave(monkeypatch, lambda: questions.reveal_hint(world.student, str(served.token)))
    practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), right_answer(served))
    assert reads == [False, True]  # the optimistic write found the row changed, and the answer was redone
    attempt = Attempt.objects.get(served=served)
    assert attempt.hints_used == 1  # the redo saw the hint the first read missed
    assert Progress.objects.get(student=world.student, competency=unit.a).attempts == 2


def test_progress_changed_meanwhile_is_not_overwritten(
    world: World, unit: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(world, unit.a)
    served = questions.serve(world.student, unit.a)

    def teacher_flags_it() -> None:  # any other write to the row, e.g. an activity lifting the guard
        Progress.objects.filter(student=world.student, competency=unit.a).update(
            spinning=True, updated_at=timezone.now()
        )

    reads = _interleave(monkeypatch, teacher_flags_it)
    feedback, step = practice.answer_and_next(
        world.student, str(served.token), str(uuid.uuid4()), right_answer(served)
    )
    assert reads == [False, True]
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.spinning
    assert progress.attempts == 2  # both writes are there
    assert step.question is None  # and the redo saw the guard: no more drilling, the board instead
    assert feedback.correct


def test_an_answer_without_interference_writes_once_and_serves_the_next_question(
    world: World, unit: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(world, unit.a)
    served = questions.serve(world.student, unit.a)
    reads = _interleave(monkeypatch, lambda: None)
    feedback, step = practice.answer_and_next(world.student, str(served.token), str(uuid.uuid4()), "5")
    assert reads == [False]
    assert feedback.retry
    assert step.question
    assert step.question.token == str(served.token)
    feedback, step = practice.answer_and_next(world.student, str(served.token), str(uuid.uuid4()), "4")
    assert reads == [False, False]
    assert step.question is not None
    assert step.question.token != str(served.token)
    assert ServedItem.objects.filter(student=world.student, competency=unit.a, closed=False).count() == 1


def test_a_double_submit_of_a_first_miss_counts_once(world: World, unit: Unit) -> None:
    served = questions.serve(world.student, unit.a)
    attempt_id = str(uuid.uuid4())
    first = practice.submit_answer(world.student, str(served.token), attempt_id, "5")
    assert first.retry  # the question stays open for a second try...
    again = practice.submit_answer(world.student, str(served.token), attempt_id, "5")
    assert again == first  # ...and the same attempt again is a replay, not the second try
    assert ServedItem.objects.get(pk=served.pk).tries == 1
    assert Attempt.objects.filter(student=world.student).count() == 1
    assert Progress.objects.get(student=world.student, competency=unit.a).attempts == 1


def test_a_question_whose_solution_was_shown_does_not_come_back_that_sitting(
    world: World, unit: Unit
) -> None:
    """Seeds differ but variants repeat (many seeds give one variant), so the rule is on what the student
    reads; with only one question left, practice stops for the sitting rather than show it again."""
    served = questions.serve(world.student, unit.a)
    for _try in range(2):
        feedback = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "5")
    assert feedback.solution
    assert practice.next_step(world.student, str(served.token), feedback, board=False).question is None
    with pytest.raises(Conflict, match="worked solution"):
        questions.serve(world.student, unit.a)
    tomorrow = timezone.now() + questions.SITTING
    assert questions.serve(world.student, unit.a, at=tomorrow).item == unit.numeric

    unit.template.competencies.add(unit.a)  # now there are others: the loop goes on without it
    ServedItem.objects.filter(student=world.student).delete()
    shown_stems = set()
    for _ in range(8):
        served = questions.serve(world.student, unit.a)
        assert questions.question_for(served).stem not in shown_stems
        for _try in range(2):
            feedback = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "0")
        shown_stems.add(questions.question_for(served).stem)
        following = practice.next_step(world.student, str(served.token), feedback, board=False).question
        assert following is not None and following.stem not in shown_stems

"""The web app's learner model: the engine's AppModel through learning.learner, its state in the database,
the nightly refit, the steps a student sees, and the same predictions as ``cairn evaluate --model app``."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from cairn.engine import items as item_engine
from cairn.engine.kt.app import AppModel
from cairn.engine.kt.app_fit import BOUNDS
from cairn.engine.kt.base import Evidence
from cairn.engine.review import ReviewSchedule
from cairn.learning import learner
from cairn.learning.models import Attempt, LearnerModelFit, LearnerState, Progress
from cairn.learning.services import practice, questions
from cairn.learning.services.outcomes import Event
from cairn.learning.services.questions import item_instance
from tests.conftest import World, client_for, right_answer
from tests.learning.conftest import Unit

_sittings = itertools.count(1)


def _later() -> dt.datetime:
    """Each question in a sitting of its own: a question whose solution was shown doesn't come back within
    one, and the unit has one item per competency."""
    return timezone.now() + dt.timedelta(hours=4 * next(_sittings))


def _answer(world: World, competency, right: bool, *, hint: bool = False) -> practice.Feedback:  # type: ignore[no-untyped-def]
    at = _later()
    served = questions.serve(world.student, competency, at=at)
    if hint:
        questions.reveal_hint(world.student, str(served.token))
    text = right_answer(served) if right else _wrong_answer(served)
    return practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), text, at=at)


def _wrong_answer(served) -> str:  # type: ignore[no-untyped-def]
    spec = item_instance(served).spec
    if isinstance(spec, item_engine.ChoiceSpec):
        return next(c.id for c in spec.choices if c.id not in spec.correct)
    return "999"


def test_the_answer_loop_stores_what_the_engine_app_model_predicts_for_the_same_history(
    world: World, unit: Unit
) -> None:
    """Issue 16: the same history through AppModel.predict/update, the methods `cairn evaluate --model app`
    calls, gives the p_correct and mastery the answer loop stored."""
    for right in (True, False, True, True, False, True):
        at = _later()
        served = questions.serve(world.student, unit.a, at=at)
        text = right_answer(served) if right else "999"
        practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), text, at=at)
        if not right:  # close the second try, which is no fresh evidence
            practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "999", at=at)
    _answer(world, unit.d, True)
    model = learner.current_model()
    assert isinstance(model, AppModel)
    state = model.initial_state()
    firsts = Attempt.objects.filter(student=world.student, try_number=1).order_by("created_at", "pk")
    assert firsts.count() == 7
    for attempt in firsts:
        when = attempt.created_at.timestamp()
        assert attempt.p_correct == pytest.approx(
            model.predict(state, attempt.competency_id, item=attempt.item_id, now=when), abs=1e-4
        )
        piece = Evidence(attempt.competency_id, float(attempt.correct), at=when, item=attempt.item_id)
        state = model.update(state, piece)
        assert attempt.mastery_after == pytest.approx(
            model.skill_mastery(state, attempt.competency_id, now=when).p, abs=1e-4
        )
    stored = learner.engine_state(LearnerState.objects.get(student=world.student).state)
    assert model.skill_mastery(stored, unit.a.pk).n == 6
    assert model.skill_mastery(stored, unit.a.pk).p == pytest.approx(model.skill_mastery(state, unit.a.pk).p)


def test_one_right_answer_from_a_fresh_start_never_reaches_the_threshold(world: World, unit: Unit) -> None:
    feedback = _answer(world, unit.a, True)
    assert feedback.event == Event.NONE
    assert feedback.mastery_after < 0.95
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.status == Progress.Status.IN_PROGRESS


def test_an_answer_after_a_hint_is_weaker_evidence(world: World, unit: Unit) -> None:
    plain = _answer(world, unit.d, True)
    hinted = _answer(world, unit.a, True, hint=True)
    assert hinted.mastery_before == pytest.approx(plain.mastery_before)
    assert plain.mastery_before < hinted.mastery_after < plain.mastery_after


def test_one_slip_never_undoes_a_well_evidenced_mastery(world: World, unit: Unit) -> None:
    for _ in range(6):
        _answer(world, unit.d, True)
    progress = Progress.objects.get(student=world.student, competency=unit.d)
    assert progress.mastery >= 0.95
    feedback = _answer(world, unit.d, False)
    assert feedback.mastery_after >= 0.8
    assert feedback.mastery_before - feedback.mastery_after < 0.2


def test_the_stored_uncertainty_comes_from_the_evidence(world: World, unit: Unit) -> None:
    for _ in range(5):
        _answer(world, unit.a, True)
    consistent = Progress.objects.get(student=world.student, competency=unit.a)
    for right in (True, False, True, False, True):
        _answer(world, unit.d, right)
    mixed = Progress.objects.get(student=world.student, competency=unit.d)
    assert consistent.uncertainty < mixed.uncertainty
    # sqrt(p(1-p)) would call a near-certain estimate sure after any answers: the evidence SD doesn't.
    assert consistent.uncertainty > 0.05
    first = learner.mastery(learner.initial_state(), unit.a.pk)[1]
    assert consistent.uncertainty < first


def test_prerequisites_transfer_to_a_competency_without_evidence(world: World, unit: Unit) -> None:
    before = learner.mastery(learner.initial_state(), unit.b.pk)[0]
    state: dict[str, object] = learner.initial_state()
    for _ in range(4):
        state = learner.update(state, unit.a.pk, True)
    assert learner.mastery(state, unit.b.pk)[0] > before  # B needs A
    assert learner.mastery(state, unit.d.pk)[0] == pytest.approx(before)  # D does not


def test_old_per_competency_states_are_read_and_folded_in(world: World, unit: Unit) -> None:
    old = {"p": {unit.a.code: 0.9}, "n": {unit.a.code: 5}}
    p, sd = learner.mastery(old, unit.a.pk)
    assert p == pytest.approx(0.9, abs=1e-6)
    assert sd < learner.mastery(learner.initial_state(), unit.a.pk)[1]
    after = learner.update(old, unit.a.pk, True)
    assert set(after) == {"app"}
    assert learner.mastery(after, unit.a.pk)[0] > 0.9


def test_a_reset_forgets_only_that_competency(world: World, unit: Unit) -> None:
    state: dict[str, object] = learner.initial_state()
    state = learner.update(state, unit.a.pk, True)
    state = learner.update(state, unit.d.pk, True)
    reset = learner.forget(state, unit.a.pk)
    assert learner.skill_mastery(reset, unit.a.pk).n == 0
    assert learner.skill_mastery(reset, unit.d.pk).n == 1


def _class_answers(world: World, unit: Unit, n: int) -> None:
    students = [world.student, world.classmate]
    for i in range(n):
        student = students[i % 2]
        at = _later()
        served = questions.serve(student, unit.a, at=at)
        answer = "4" if i % 10 else "7"
        first = practice.submit_answer(student, str(served.token), str(uuid.uuid4()), answer, at=at)
        if first.retry:
            practice.submit_answer(student, str(served.token), str(uuid.uuid4()), "7", at=at)


def test_the_refit_fits_the_app_model_keeps_its_figures_and_the_loop_uses_it(
    world: World, unit: Unit
) -> None:
    _class_answers(world, unit, 40)
    cold = learner.predict(learner.initial_state(), unit.a.pk)  # before any refit: the priors
    result = learner.refit()
    assert result["answers"] == 40  # first tries only
    fit = LearnerModelFit.objects.get()
    assert fit.model_name == "app" and fit.n_students == 2 and fit.model
    assert fit.selection["chosen"] == result["chosen"]
    model = learner.current_model()
    assert model is not None and learner._cache["fit_id"] == fit.pk
    params = model.parameters()[unit.a.pk]
    assert params["own"]  # 40 answers: past the cold-start minimum
    for name, (low, high) in BOUNDS.items():  # the demo's refit gave degenerate parameters: no longer
        assert low - 1e-9 <= params[name] <= high + 1e-9, name
    # Mostly-right students: a new student is now expected to do better than the priors said.
    assert learner.predict(learner.initial_state(), unit.a.pk) > cold


def test_refit_with_no_answers_changes_nothing(db: None) -> None:
    assert learner.refit() == {"competencies": 0, "answers": 0}
    assert not LearnerModelFit.objects.exists()


def test_the_command_refits_and_the_district_admin_sees_the_choice(world: World, unit: Unit) -> None:
    url = f"/learn/districts/{world.district.pk}/learner-model/"
    admin = client_for(world.district_admin)
    assert b"Not refitted yet" in admin.get(url).content
    _class_answers(world, unit, 30)
    call_command("refit_learner_model")
    page = admin.get(url)
    assert page.status_code == 200
    fit = LearnerModelFit.objects.get()
    assert f"on {fit.n_attempts} answers".encode() in page.content
    assert str(fit.selection["chosen"]).encode() in page.content
    assert url.encode() in admin.get("/district/").content
    assert client_for(world.teacher).get(url).status_code == 404


def test_review_schedule_accepts_any_aware_time_and_refuses_naive_ones() -> None:
    schedule = ReviewSchedule()
    local = dt.datetime(2026, 3, 2, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    start = schedule.start(local)
    assert start.due > local
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.start(dt.datetime(2026, 3, 2, 9, 30))


def test_forgetting_lowers_mastery_with_time(world: World, unit: Unit) -> None:
    now = timezone.now()
    state: dict[str, object] = learner.initial_state()
    for _ in range(4):
        state = learner.update(state, unit.a.pk, True, at=now)
    assert (
        learner.mastery(state, unit.a.pk, at=now + dt.timedelta(days=60))[0]
        < learner.mastery(state, unit.a.pk, at=now)[0]
    )

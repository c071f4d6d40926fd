"""The web app's learner model: the engine's BKT update, refitted from the platform's own answers."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import pytest

from cairn.engine.kt.bkt import posterior_known
from cairn.engine.review import ReviewSchedule
from cairn.learning import learner
from cairn.learning.models import LearnerModelFit
from cairn.learning.services import practice, questions
from tests.conftest import World
from tests.learning.conftest import Unit


def test_update_is_the_engine_bkt_update_with_the_priors(db: None) -> None:
    learner.refresh(force=True)  # no fit stored: the priors
    state = learner.update(learner.initial_state(), "X.1", True)
    prior = learner.PRIOR
    expected = posterior_known(prior.p_init, 1, prior.p_learn, prior.p_guess, prior.p_slip)
    assert state["p"]["X.1"] == pytest.approx(expected, abs=1e-6)
    assert state["n"] == {"X.1": 1}


def test_refit_learns_from_first_tries_and_the_model_uses_it(world: World, unit: Unit) -> None:
    learner.refresh(force=True)
    # A class that nearly always answers 4.NF.A.1 right on the first try.
    students = [world.student, world.classmate]
    for i in range(40):
        student = students[i % 2]
        served = questions.serve(student, unit.a)
        practice.submit_answer(student, str(served.token), str(uuid.uuid4()), "4" if i % 10 else "7")
    result = learner.refit()
    # A wrong answer leaves the question open for a second try, which is not fresh evidence.
    assert result["answers"] >= learner.MIN_ANSWERS_TO_FIT
    assert result["competencies"] == 1
    fit = LearnerModelFit.objects.get()
    params = fit.params["4.NF.A.1"]
    assert set(params) == {"p_init", "p_learn", "p_guess", "p_slip"}
    # Mostly-right students: the fitted start is far above the 0.2 prior, and predictions follow the fit.
    assert params["p_init"] > learner.PRIOR.p_init
    fresh = learner.initial_state()
    assert learner.predict(fresh, "4.NF.A.1") > learner.predict(fresh, "4.NF.B.3")
    learner.refresh(force=True)


def test_refit_with_no_answers_changes_nothing(db: None) -> None:
    assert learner.refit() == {"competencies": 0, "answers": 0}
    assert not LearnerModelFit.objects.exists()


def test_review_schedule_accepts_any_aware_time_and_refuses_naive_ones() -> None:
    schedule = ReviewSchedule()
    local = dt.datetime(2026, 3, 2, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    start = schedule.start(local)
    assert start.due > local
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.start(dt.datetime(2026, 3, 2, 9, 30))

"""Item calibration from the diagnostic's response log. That the engine recovers simulated 2PL parameters
with correlation ≥ 0.9 on 2,000 responses per item is proven in tests/engine/test_irt.py; these tests prove
the service reads the log right, keeps priors where answers are few, and flags misfits out of the bank."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from cairn.assessments import bank
from cairn.assessments.models import Administration, CalibrationRun, ItemCalibration, Response
from cairn.assessments.services import calibration, sittings
from cairn.assessments.tasks import calibrate_items
from cairn.core.errors import Invalid
from cairn.curriculum.models import Item
from cairn.learning.selectors.path import path_competencies
from tests.assessments.conftest import Ladder
from tests.conftest import World

PERSONS = 1500


def _simulate_log(
    world: World, ladder: Ladder, seed: int = 3, persons: int = PERSONS
) -> tuple[np.ndarray, np.ndarray]:
    """Finished sittings in which every item was answered by simulated students of known item parameters
    (unrelated to the items' priors); item 23 is answered in only 30 sittings, item 5 misfits."""
    rng = np.random.default_rng(seed)
    n = len(ladder.items)
    a, b = rng.lognormal(0, 0.25, n), rng.normal(0, 1, n)
    theta = rng.normal(0, 1, persons)
    y = rng.random((persons, n)) < 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    y[:, 5] = rng.random(persons) < np.where(np.abs(theta) > 0.8, 0.9, 0.15)  # no 2PL curve fits this
    now = timezone.now()
    sittings = Administration.objects.bulk_create(
        Administration(
            diagnostic=ladder.diagnostic,
            student=world.student,
            status=Administration.Status.FINISHED,
            school_year="2025-26",
            bank={},
            finished_at=now,
        )
        for _ in range(persons)
    )
    responses = []
    for p, sitting in enumerate(sittings):
        for j, item in enumerate(ladder.items):
            if j == 23 and p >= 30:
                continue
            responses.append(
                Response(
                    administration=sitting,
                    position=j,
                    item=item,
                    bank_index=j,
                    answered_at=now,
                    answer="x",
                    correct=bool(y[p, j]),
                )
            )
    Response.objects.bulk_create(responses, batch_size=2000)
    return a, b


def test_calibration_recovers_parameters_keeps_priors_and_flags_misfits(world: World, ladder: Ladder) -> None:
    a, b = _simulate_log(world, ladder)
    # An open sitting's answers are not used: its student is still mid-test.
    open_sitting = sittings.start(world.classmate, ladder.diagnostic)
    first = sittings.current_response(open_sitting)
    assert first is not None
    sittings.answer(world.classmate, open_sitting.pk, str(first.token), "0")

    summary = calibration.calibrate(min_responses=50)
    run = summary.run
    assert run is not None
    assert run.persons == PERSONS
    assert run.items == 24
    rows = {c.item_id: c for c in ItemCalibration.objects.filter(run=run)}
    ids = [i.pk for i in ladder.items]
    fitted = [j for j in range(24) if j not in (5, 23)]
    est_a = np.array([rows[ids[j]].a for j in fitted])
    est_b = np.array([rows[ids[j]].b for j in fitted])
    assert np.corrcoef(b[fitted], est_b)[0, 1] >= 0.95
    assert np.corrcoef(a[fitted], est_a)[0, 1] >= 0.8
    se_b = np.array([rows[ids[j]].se_b for j in fitted], dtype=float)
    assert np.mean(np.abs(est_b - b[fitted]) <= 3 * se_b) >= 0.9  # SEs of the right size
    # Too few answers: the item keeps its priors (the ladder's b = 3.0, a = 1.5) and is marked so.
    few = rows[ids[23]]
    assert few.responses == 30
    assert not few.calibrated
    assert few.se_b is None
    assert (few.a, few.b) == (pytest.approx(1.5), pytest.approx(3.0))
    # The misfit is flagged for review and leaves the bank; the rest now use their calibrated values.
    misfit = rows[ids[5]]
    assert misfit.review == ItemCalibration.Review.FLAGGED
    assert "misfit" in misfit.flag_reason
    assert [identifier for identifier, _ in summary.flagged] == [ladder.items[5].identifier]
    assert "flagged for review" in summary.message
    snapshot = bank.build(ladder.diagnostic, on_path=path_competencies())
    assert ids[5] not in snapshot["items"]
    k = snapshot["items"].index(ids[0])
    assert snapshot["calibrated"][k]
    assert snapshot["b"][k] == pytest.approx(rows[ids[0]].b, abs=1e-5)
    assert not snapshot["calibrated"][snapshot["items"].index(ids[23])]

    # A reviewer keeps the flagged item; a later run flags it again but the decision stands.
    calibration.clear_flag(misfit, world.platform_admin)
    assert ids[5] in bank.build(ladder.diagnostic, on_path=path_competencies())["items"]
    again = calibration.calibrate(min_responses=50)
    assert again.run is not None
    assert again.run.pk != run.pk
    latest = ItemCalibration.objects.get(run=again.run, item_id=ids[5])
    assert latest.review == ItemCalibration.Review.CLEARED
    assert latest.reviewed_by == world.platform_admin
    assert ids[5] in bank.build(ladder.diagnostic, on_path=path_competencies())["items"]


def test_calibration_with_no_answers_changes_nothing(world: World, ladder: Ladder) -> None:
    summary = calibration.calibrate()
    assert summary.run is None
    assert "keeps its priors" in summary.message
    assert not CalibrationRun.objects.exists()
    with pytest.raises(Invalid, match="2PL or 3PL"):
        calibration.calibrate(model="4PL")


def test_command_and_task_run_the_same_calibration(world: World, ladder: Ladder) -> None:
    _simulate_log(world, ladder, seed=4, persons=400)
    out = io.StringIO()
    call_command("calibrate_items", "--min-responses", "40", stdout=out)
    text = out.getvalue()
    assert "on 400 sittings" in text
    assert f"flagged {ladder.items[5].identifier}" in text
    result = calibrate_items(min_responses=40)
    assert result["run"] == CalibrationRun.objects.latest().pk
    assert ladder.items[5].identifier in result["flagged"]
    assert CalibrationRun.objects.count() == 2
    assert Item.objects.get(pk=ladder.items[0].pk).irt_b == pytest.approx(-2.6)  # the item's prior is kept

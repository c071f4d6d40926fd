"""Item calibration's writes: fit IRT item parameters to the recorded answers, and a reviewer's decision to
keep a flagged item.

Each finished sitting is one person (ability holds still within a sitting; practice answers are left out
because students learn while practising). Items keep their priors as the fit's prior means, so an item
with fewer than ``min_responses`` answers stays at its prior and is marked uncalibrated; misfitting or
barely discriminating items are flagged for review and leave the diagnostic until a reviewer clears them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import User
from cairn.assessments import bank as bank_module
from cairn.assessments.models import Administration, CalibrationRun, ItemCalibration, Response
from cairn.core.errors import Conflict, Invalid
from cairn.curriculum.models import Item
from cairn.engine.irt import Calibration, IrtCalibrator, ItemPriors

MODELS = ("2PL", "3PL")


@dataclass(frozen=True)
class CalibrationSummary:
    run: CalibrationRun | None
    message: str
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (item identifier, reason)


@dataclass(frozen=True)
class _Answers:
    """Every finished sitting's answers as a persons × items matrix (NaN where an item wasn't served)."""

    persons: list[int]  # sitting ids, one row each
    item_ids: list[int]  # one column each
    y: np.ndarray


def calibrate(*, model: str = "2PL", min_responses: int = 50) -> CalibrationSummary:
    """Fit IRT item parameters to every answer of every finished sitting and record them.

    The fit runs outside any transaction; the results are written in one."""
    _check_settings(model=model, min_responses=min_responses)
    answers = _finished_answers()
    if answers is None:
        return CalibrationSummary(None, "No finished diagnostic answers yet: every item keeps its priors.")
    items = Item.objects.in_bulk(answers.item_ids)
    fit = _fit(answers, [items[i] for i in answers.item_ids], model=model, min_responses=min_responses)
    run = _record(answers, fit, model=model, min_responses=min_responses)
    reasons = sorted(dict(fit.flagged_).items())
    flagged = [(items[answers.item_ids[j]].identifier, reason) for j, reason in reasons]
    n_items = len(answers.item_ids)
    message = (
        f"{model} calibration on {len(answers.persons)} sittings: {run.calibrated} of {n_items} items "
        f"calibrated, {n_items - run.calibrated} keep their priors (fewer than {min_responses} "
        f"answers), {len(flagged)} flagged for review."
    )
    return CalibrationSummary(run, message, flagged)


def _check_settings(*, model: str, min_responses: int) -> None:
    """Refuse bad settings all at once, naming each (they come from a person: the command or the task)."""
    fields = {}
    if model not in MODELS:
        fields["model"] = f"model must be 2PL or 3PL, got {model!r}"
    if min_responses < 1:
        fields["min_responses"] = "min_responses must be at least 1"
    if fields:
        raise Invalid("; ".join(fields.values()), fields=fields)


def _finished_answers() -> _Answers | None:
    """The answers of every finished sitting, or None when there are none yet."""
    rows = list(
        Response.objects.filter(
            administration__status=Administration.Status.FINISHED, correct__isnull=False
        ).values_list("administration_id", "item_id", "correct")
    )
    if not rows:
        return None
    persons = sorted({r[0] for r in rows})
    item_ids = sorted({r[1] for r in rows})
    person_index = {p: i for i, p in enumerate(persons)}
    item_index = {p: i for i, p in enumerate(item_ids)}
    y = np.full((len(persons), len(item_ids)), np.nan)
    for person, item, correct in rows:
        y[person_index[person], item_index[item]] = 1.0 if correct else 0.0
    return _Answers(persons, item_ids, y)


def _fit(answers: _Answers, items: list[Item], *, model: str, min_responses: int) -> Calibration:
    """The IRT fit, centred on each item's priors. A 2PL fit holds guessing at the prior's value."""
    priors = [bank_module.prior_params(item) for item in items]
    prior_a = np.array([p.a for p in priors])
    prior_b = np.array([p.b for p in priors])
    prior_c = np.array([p.c for p in priors])
    calibrator = IrtCalibrator(
        "3PL" if model == "3PL" else "2PL",
        min_responses=min_responses,
        priors=ItemPriors(log_a_mean=np.log(prior_a), b_mean=prior_b),
    )
    return calibrator.fit(answers.y, guessing=prior_c) if model == "2PL" else calibrator.fit(answers.y)


@transaction.atomic
def _record(answers: _Answers, fit: Calibration, *, model: str, min_responses: int) -> CalibrationRun:
    """Write the run and one calibration row per item."""
    reasons = dict(fit.flagged_)
    previous = bank_module.latest_calibrations(answers.item_ids)
    run = CalibrationRun.objects.create(
        model=model,
        min_responses=min_responses,
        persons=len(answers.persons),
        items=len(answers.item_ids),
        calibrated=int(fit.calibrated_.sum()),
        flagged=len(reasons),
        iterations=fit.iterations_,
    )
    ItemCalibration.objects.bulk_create(
        _calibration_row(run, fit, j, item_id, reason=reasons.get(j, ""), before=previous.get(item_id))
        for j, item_id in enumerate(answers.item_ids)
    )
    return run


def _calibration_row(
    run: CalibrationRun,
    fit: Calibration,
    j: int,
    item_id: int,
    *,
    reason: str,
    before: ItemCalibration | None,
) -> ItemCalibration:
    """Item ``j``'s row of the fit. A reviewer who kept an item keeps it: a new flag is recorded, the
    decision stands."""
    kept = before is not None and before.review == ItemCalibration.Review.CLEARED
    review = ""
    if reason:
        review = ItemCalibration.Review.CLEARED if kept else ItemCalibration.Review.FLAGGED
    return ItemCalibration(
        run=run,
        item_id=item_id,
        a=float(fit.a_[j]),
        b=float(fit.b_[j]),
        c=float(fit.c_[j]),
        se_a=_finite(fit.se_a_[j]),
        se_b=_finite(fit.se_b_[j]),
        responses=int(fit.n_responses_[j]),
        calibrated=bool(fit.calibrated_[j]),
        fit_p=_finite(fit.fit_p_[j]),
        flag_reason=reason[:200],
        review=review,
        reviewed_by=before.reviewed_by if kept and before else None,
        reviewed_at=before.reviewed_at if kept and before else None,
    )


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(float(value)) else None


@transaction.atomic
def clear_flag(calibration: ItemCalibration, reviewer: User, *, at: dt.datetime | None = None) -> None:
    """A reviewer looked at a flagged item and keeps it in the diagnostic."""
    if calibration.review != ItemCalibration.Review.FLAGGED:
        raise Conflict(f"{calibration.item} is not flagged.")
    calibration.review = ItemCalibration.Review.CLEARED
    calibration.reviewed_by = reviewer
    calibration.reviewed_at = at or timezone.now()
    calibration.save(update_fields=["review", "reviewed_by", "reviewed_at"])

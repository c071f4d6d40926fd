"""What the district admin's "Learner model" page shows: the model the answer loop runs now, the candidates
the nightly refit compared on held-out students and the one it kept, and the fits before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cairn.learning.models import LearnerModelFit


@dataclass(frozen=True)
class Candidate:
    name: str
    auc: float | None
    ece: float | None
    n: int | None
    chosen: bool


@dataclass(frozen=True)
class FitSummary:
    fitted_at: dt.datetime
    model_name: str
    n_attempts: int
    n_students: int
    chosen: str
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class LearnerModelReport:
    current: FitSummary | None  # None: no refit yet, the model runs on its priors
    history: list[FitSummary]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _summary(fit: LearnerModelFit) -> FitSummary:
    selection = fit.selection or {}
    chosen = str(selection.get("chosen", fit.model_name))
    candidates = [
        Candidate(
            name=str(name),
            auc=_number(figures.get("auc")),
            ece=_number(figures.get("ece")),
            n=int(figures["n"]) if isinstance(figures.get("n"), int | float) else None,
            chosen=name == chosen,
        )
        for name, figures in selection.items()
        if isinstance(figures, dict)
    ]
    return FitSummary(
        fitted_at=fit.fitted_at,
        model_name=fit.model_name,
        n_attempts=fit.n_attempts,
        n_students=fit.n_students,
        chosen=chosen,
        candidates=sorted(candidates, key=lambda c: (not c.chosen, c.name)),
        note=str(selection.get("note", "")),
    )


def learner_model_report(model_name: str, *, history: int = 10) -> LearnerModelReport:
    """The newest fit of ``model_name`` (the one in use) and the ones before it, newest first."""
    fits = [
        _summary(fit)
        for fit in LearnerModelFit.objects.filter(model_name=model_name).defer("model", "params")[:history]
    ]
    return LearnerModelReport(fits[0] if fits else None, fits)

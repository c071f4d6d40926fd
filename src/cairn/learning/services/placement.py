"""Seed a student's learning from a diagnostic placement: the one way a diagnostic writes to learning.

A diagnostic ends with P(mastered) for each competency it covers and the set it presumes mastered (each
with every prerequisite presumed too). This writes that into the learning app:

- Progress: a presumed-mastered competency becomes mastered with ``mastered_by="diagnostic"`` and enters
  spaced review (so a presumption that was wrong lapses at its first review and reopens for practice);
  every other covered competency gets the placement's P(mastered) as its mastery estimate.
- The learner state (through :mod:`cairn.learning.learner`): P(known) for each covered competency starts
  from the placement instead of the population prior, backed by :data:`PLACEMENT_ANSWERS` pseudo-answers,
  so its uncertainty (``Progress.uncertainty``) is the learner model's evidence SD, as for any other
  evidence, not √(p(1−p)).

The placement itself comes from :func:`place_on_graph`, which runs the engine's rule
(:mod:`cairn.engine.placement`, the one ``benchmarks/cat.py`` measures) on the diagnostic's answers and the
prerequisite graph of the competencies it covers.

The student's own evidence wins: a competency already mastered, or one the student has practised (its
learner-model estimate rests on their answers), is left as it is. Running it again with a later diagnostic
updates the estimates of what is still untouched and never takes a mastery away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from cairn.accounts.models import User
from cairn.curriculum.models import Competency, Prerequisite
from cairn.engine import placement as engine_placement
from cairn.learning import learner
from cairn.learning.models import LearnerState, Progress
from cairn.learning.services.mastery import mark_mastered

# A placement is evidence about a competency, not certainty: keep the learner model able to move.
FLOOR, CEILING = 0.02, 0.98
# What a placement is worth per competency, in answers: a diagnostic asks about a dozen questions over a
# unit's competencies and infers the rest along the graph, so about two answers each (Beta SD ~0.2 at most).
PLACEMENT_ANSWERS = 2


@dataclass(frozen=True)
class SeedReport:
    mastered: list[str] = field(default_factory=list)  # codes newly presumed mastered
    estimated: list[str] = field(default_factory=list)  # codes whose estimate now comes from the placement
    kept: list[str] = field(default_factory=list)  # codes left alone: mastered already, or practised

    def to_dict(self) -> dict[str, list[str]]:
        return {"mastered": self.mastered, "estimated": self.estimated, "kept": self.kept}


# A numeric or text answer is rarely right by chance, but a careless right answer happens: floor the guess.
MIN_GUESS = 0.1


def place_on_graph(
    answers: Sequence[tuple[Collection[int], bool, float]],
    covered: Collection[int],
    *,
    confidence: float,
    prior: Mapping[int, float] | None = None,
) -> engine_placement.GraphPlacement:
    """Place a student on the graph of the ``covered`` competency ids from diagnostic answers, each
    (competency ids of the item, right or not, the item's guessing parameter c). A competency is placed as
    mastered when P(known) reaches ``confidence``; keys of the result are competency ids as strings.

    ``prior`` (competency id → P(known) before these answers) is what the sitting's ability estimate says
    of competencies no item asked about; without it every competency starts at the engine's default."""
    keys = {int(cid) for cid in covered}
    prerequisites: dict[str, list[str]] = {str(cid): [] for cid in keys}
    edges = Prerequisite.objects.filter(competency_id__in=keys, prerequisite_id__in=keys)
    for pre, comp in edges.values_list("prerequisite_id", "competency_id"):
        prerequisites[str(comp)].append(str(pre))
    priors: float | dict[str, float] = engine_placement.DEFAULT_PRIOR
    if prior is not None:
        priors = {str(cid): p for cid, p in prior.items() if cid in keys}
    model = engine_placement.KnowledgeGraph(list(prerequisites), prerequisites, prior=priors)
    evidence = [
        engine_placement.Answer(
            tuple(str(int(cid)) for cid in cids if int(cid) in keys),
            bool(correct),
            guess=min(max(float(c), MIN_GUESS), 0.5),
        )
        for cids, correct, c in answers
    ]
    return model.place([e for e in evidence if e.competencies], threshold=confidence)


@transaction.atomic
def seed_from_placement(
    student: User,
    probability: Mapping[int, float],
    presumed_mastered: Collection[int],
    *,
    at: dt.datetime,
) -> SeedReport:
    """Write a placement (competency id → P(mastered); ids presumed mastered) to the student's progress
    and learner state, in one transaction. Unknown competency ids are an error, and nothing is written."""
    unknown = (set(probability) | set(presumed_mastered)) - set(
        Competency.objects.filter(pk__in=set(probability) | set(presumed_mastered)).values_list(
            "pk", flat=True
        )
    )
    if unknown:
        raise ValueError(f"unknown competency ids in the placement: {sorted(unknown)}")
    if not set(presumed_mastered) <= set(probability):
        raise ValueError("every presumed-mastered competency needs its probability")
    competencies = Competency.objects.in_bulk(list(probability))
    state_row, _ = LearnerState.objects.select_for_update().get_or_create(
        student=student, defaults={"model_name": learner.model_name(), "state": learner.initial_state()}
    )
    state = dict(state_row.state or learner.initial_state())
    answered = state.get("n", {})  # answers per code, in states of the earlier BKT model
    kt = learner.engine_state(state)  # earlier seeds and BKT estimates folded in
    existing = {
        p.competency_id: p
        for p in Progress.objects.select_for_update().filter(student=student, competency_id__in=competencies)
    }
    mastered: list[str] = []
    estimated: list[str] = []
    kept: list[str] = []
    for cid in sorted(competencies, key=lambda pk: competencies[pk].code):
        code = competencies[cid].code
        progress = existing.get(cid)
        practised = (progress is not None and progress.attempts > 0) or int(answered.get(code, 0)) > 0
        if (progress is not None and progress.status == Progress.Status.MASTERED) or practised:
            kept.append(code)
            continue
        p = min(max(float(probability[cid]), FLOOR), CEILING)
        kt = learner.current_model().set_known(kt, cid, round(p, 6), n=PLACEMENT_ANSWERS)
        if progress is None:
            progress = Progress(student=student, competency_id=cid)
        found = learner.current_model().skill_mastery(kt, cid)
        progress.mastery = round(found.p, 4)
        progress.uncertainty = round(found.sd, 4)  # the evidence's SD, not √(p(1−p))
        if cid in presumed_mastered:
            mark_mastered(progress, at, by="diagnostic")  # with a first review, so a wrong guess lapses
            mastered.append(code)
        else:
            estimated.append(code)
        progress.save()
    state_row.state = learner.stored(kt)
    state_row.model_name = learner.model_name()
    state_row.save(update_fields=["state", "model_name", "updated_at"])
    return SeedReport(mastered=mastered, estimated=estimated, kept=kept)

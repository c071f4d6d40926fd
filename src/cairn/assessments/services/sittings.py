"""A sitting's writes: start or resume it, serve the next item, take an answer, finish and place the student.

A sitting's flow: ``start`` freezes the item bank → ``current_response`` serves the item the adaptive test
chooses (the same one again on a reload) → ``answer`` grades it, updates the ability estimate and either
serves the next item or finishes: the estimate is mapped onto the competency graph and seeds the learning
app (:mod:`cairn.learning.services.placement`). Only the one open item can be answered; a refused request
raises a :class:`~cairn.core.errors.CairnError` and records nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.assessments import bank as bank_module
from cairn.assessments.models import Administration, Diagnostic, ItemExposure, Response
from cairn.assessments.windows import open_window, school_year_of
from cairn.core.errors import Conflict, Invalid, NotFound
from cairn.curriculum.models import Competency, Item
from cairn.engine import items as item_engine
from cairn.engine.cat import (
    AdaptiveTest,
    CatConfig,
    CatState,
    NotServedError,
    StopReason,
    mastery_point,
    place,
)
from cairn.learning import events
from cairn.learning.selectors.path import for_student
from cairn.learning.services.placement import place_on_graph, seed_from_placement

MAX_ANSWER_LENGTH = 200
# An item's expected score must reach this for a student to count as having mastered its competency.
MASTERY_SCORE = 0.8
EXPOSURE_MIN_SITTINGS = 20
# The ability estimate's word on a competency never reaches certainty before the answers are weighed.
PRIOR_FLOOR = 0.05


@dataclass(frozen=True)
class Question:
    """The open item of a sitting, as the student sees it: nothing about the items after it."""

    token: str
    number: int  # 1 for the first item
    max_items: int
    stem: str
    kind: str  # choice, numeric, text
    choices: list[dict[str, str]] = field(default_factory=list)


def start(student: User, diagnostic: Diagnostic, *, at: dt.datetime | None = None) -> Administration:
    """The student's open sitting of this diagnostic, or a new one with the bank frozen as it is now.
    A closed diagnostic, or one with nothing to ask yet, is refused with ``Conflict``."""
    if not diagnostic.active:
        raise Conflict(_("This diagnostic is not open."))
    existing = Administration.objects.filter(
        diagnostic=diagnostic, student=student, status=Administration.Status.IN_PROGRESS
    ).first()
    if existing is not None:
        return existing
    snapshot = bank_module.build(diagnostic, on_path=for_student(student), student=student)
    now = at or timezone.now()
    window = open_window(diagnostic, timezone.localdate(now))
    try:
        with transaction.atomic():
            return Administration.objects.create(
                diagnostic=diagnostic,
                student=student,
                school_year=school_year_of(timezone.localdate(now)),
                season=window.season if window else "",
                bank=snapshot,
                state=CatState().to_dict(),
                started_at=now,
            )
    except IntegrityError:
        # Two tabs pressed start at once: the database let one sitting open; resume that one.
        return Administration.objects.get(
            diagnostic=diagnostic, student=student, status=Administration.Status.IN_PROGRESS
        )


def sitting_of(student: User, administration_id: int) -> Administration:
    """The student's own sitting; anyone else's reads as missing (it leaks nothing)."""
    found = (
        Administration.objects.select_related("diagnostic")
        .filter(pk=administration_id, student=student)
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such diagnostic for you."))
    return found


def _test(administration: Administration) -> AdaptiveTest:
    d = administration.diagnostic
    snapshot = administration.bank
    weights = dict(enumerate(snapshot.get("weights") or [])) or None
    config = CatConfig(
        se_target=d.se_target,
        max_items=d.max_items,
        min_items=min(d.min_items, d.max_items),
        randomesque=d.randomesque,
        max_exposure=d.max_exposure,
        area_weights=weights,
    )
    return AdaptiveTest(bank_module.item_bank(snapshot), config)


def _exposure_rates(administration: Administration) -> np.ndarray:
    """Share of this diagnostic's other sittings that were shown each item of the bank.

    The share counts at least EXPOSURE_MIN_SITTINGS sittings: the second student of a new diagnostic
    would otherwise find every item the first one saw at 100% exposure and be pushed onto the worst items;
    with few sittings the rates say little, so they only bind as evidence builds up."""
    items = administration.bank["items"]
    served = dict(
        ItemExposure.objects.filter(diagnostic=administration.diagnostic, item_id__in=items).values_list(
            "item_id", "served"
        )
    )
    sittings = Administration.objects.filter(diagnostic=administration.diagnostic).count() - 1
    counts = np.asarray([served.get(i, 0) for i in items], dtype=np.float64)
    return counts / max(sittings, EXPOSURE_MIN_SITTINGS)


def _locked(administration: Administration) -> Administration:
    return Administration.objects.select_for_update().select_related("diagnostic").get(pk=administration.pk)


def _open_response(administration: Administration) -> Response | None:
    return (
        administration.responses.select_related("item")
        .filter(answered_at__isnull=True)
        .order_by("position")
        .first()
    )


def _serve_next(administration: Administration, now: dt.datetime) -> Response | None:
    """Choose and record the next item (the caller holds the sitting's lock); None when the test ends."""
    test = _test(administration)
    state = CatState.from_dict(administration.state)
    rng = np.random.default_rng([administration.pk, len(state.administered)])
    state, index = test.next_item(state, rng, _exposure_rates(administration))
    if index is None:
        administration.state = state.to_dict()
        _finish(administration, now)
        return None
    item_id = int(administration.bank["items"][index])
    item = Item.objects.get(pk=item_id)
    seed = int(rng.integers(1, 2**31 - 1)) if item.kind == Item.Kind.TEMPLATE else 0
    response = Response.objects.create(
        administration=administration,
        position=len(state.administered),
        item=item,
        bank_index=index,
        seed=seed,
        served_at=now,
    )
    exposure, _created = ItemExposure.objects.get_or_create(diagnostic=administration.diagnostic, item=item)
    ItemExposure.objects.filter(pk=exposure.pk).update(served=F("served") + 1)
    administration.state = state.to_dict()
    administration.save(update_fields=["state"])
    return response


@transaction.atomic
def current_response(administration: Administration, *, at: dt.datetime | None = None) -> Response | None:
    """The item the student is on: the open one (a reload or another tab shows the same), or a new one
    chosen now. None when the sitting is finished."""
    sitting = _locked(administration)
    if sitting.status == Administration.Status.FINISHED:
        return None
    return _open_response(sitting) or _serve_next(sitting, at or timezone.now())


def question_for(response: Response) -> Question:
    inst = bank_module.instance(response.item, response.seed)
    choices = (
        [{"id": c.id, "text": c.text} for c in inst.spec.choices]
        if isinstance(inst.spec, item_engine.ChoiceSpec)
        else []
    )
    return Question(
        token=str(response.token),
        number=response.position + 1,
        max_items=response.administration.diagnostic.max_items,
        stem=inst.stem,
        kind=inst.spec.kind,
        choices=choices,
    )


def answer(
    student: User, administration_id: int, token: str, answer_text: str, *, at: dt.datetime | None = None
) -> Administration:
    """Grade and record the answer to the open item, then serve the next one or finish. Refused, with
    nothing recorded: an item not served in this sitting, one already answered, or an unreadable answer."""
    try:
        key = uuid.UUID(str(token))
    except ValueError as exc:
        raise Invalid(_("That question id is not valid."), field="token") from exc
    text = (answer_text or "").strip()
    if not text:
        raise Invalid(_("Type or choose an answer first."), field="answer")
    if len(text) > MAX_ANSWER_LENGTH:
        raise Invalid(
            _("That answer is too long (at most %(n)d characters).") % {"n": MAX_ANSWER_LENGTH},
            field="answer",
        )
    now = at or timezone.now()
    with transaction.atomic():
        sitting = _locked(sitting_of(student, administration_id))
        if sitting.status == Administration.Status.FINISHED:
            raise Conflict(_("This diagnostic is finished; your answers are saved."))
        response = sitting.responses.select_related("item").filter(token=key).first()
        if response is None:
            # The token is the request's own field naming a question this sitting never served: bad input.
            raise Invalid(_("That question was not given to you in this diagnostic."), field="token")
        if response.answered_at is not None:
            raise Conflict(_("That question is already answered; go on to the next one."))
        inst = bank_module.instance(response.item, response.seed)
        if isinstance(inst.spec, item_engine.ChoiceSpec) and text not in {c.id for c in inst.spec.choices}:
            raise Invalid(_("Choose one of the options."), field="answer")
        graded = item_engine.grade(inst.spec, text)
        if graded.reason == "unreadable":
            raise Invalid(_("That doesn't read as a number. Try e.g. 3/4, 0.75 or 1 1/2."), field="answer")
        test = _test(sitting)
        try:
            state = test.answer(CatState.from_dict(sitting.state), response.bank_index, graded.correct)
        except NotServedError as exc:  # the stored state and the open response disagree: refuse
            raise Conflict(_("That question is not the one this diagnostic is waiting on.")) from exc
        response.answered_at = now
        response.answer = text
        response.normalized = graded.normalized[:200]
        response.correct = graded.correct
        response.item_version = response.item.version  # the version graded (the item row read above)
        response.theta_after = round(state.theta, 4)
        response.se_after = round(state.se, 4)
        response.save(
            update_fields=[
                "answered_at",
                "answer",
                "normalized",
                "correct",
                "item_version",
                "theta_after",
                "se_after",
            ]
        )
        sitting.state = state.to_dict()
        sitting.theta, sitting.se = round(state.theta, 4), round(state.se, 4)
        sitting.answered = len(state.administered)
        sitting.save(update_fields=["state", "theta", "se", "answered"])
        if state.finished:
            _finish(sitting, now)
        else:
            _serve_next(sitting, now)
        return sitting


def stop_wording(reason: StopReason | None, *, se_target: float) -> str:
    """How the end of a test reads on its page and in the API; the engine only names the reason."""
    wording = {
        StopReason.MAX_ITEMS: "maximum length",
        StopReason.BANK_EXHAUSTED: "bank exhausted",
        StopReason.SE_TARGET: f"standard error ≤ {se_target}",
    }
    return wording[reason] if reason else "finished"


def _finish(sitting: Administration, now: dt.datetime) -> None:
    state = CatState.from_dict(sitting.state)
    sitting.status = Administration.Status.FINISHED
    sitting.finished_at = now
    sitting.stop_reason = stop_wording(state.stop_reason, se_target=sitting.diagnostic.se_target)
    sitting.theta, sitting.se = round(state.theta, 4), round(state.se, 4)
    sitting.answered = len(state.administered)
    sitting.placement = placement_of(
        sitting.bank,
        state.theta,
        state.se,
        sitting.diagnostic.mastery_confidence,
        answered=list(zip(state.administered, state.responses, strict=True)),
    )
    report = seed_from_placement(
        sitting.student,
        {int(k): v for k, v in sitting.placement["probability"].items()},
        set(sitting.placement["mastered"]),
        at=now,
    )
    sitting.seeded = report.to_dict()
    sitting.save()
    events.publish(events.SITTING, sitting=sitting, at=now)


def placement_of(
    snapshot: dict[str, Any],
    theta: float,
    se: float,
    confidence: float,
    *,
    answered: Sequence[tuple[int, int]] = (),
) -> dict[str, Any]:
    """Place the student on the graph of the covered competencies from the answers (bank index, right)
    with the engine's rule (cairn.learning.services.placement.place_on_graph): a competency is presumed
    mastered when P(known) reaches ``confidence``, never with a gap below it.

    A competency's mastery point (the ability at which the expected score on its items reaches 80%) is
    kept beside it, for the result page's scale."""
    items_of: dict[int, list[int]] = {}
    for index, covered in enumerate(snapshot["competencies"]):
        for cid in covered:
            items_of.setdefault(int(cid), []).append(index)
    a, b, c = (np.asarray(snapshot[k], dtype=np.float64) for k in ("a", "b", "c"))
    difficulty = {
        str(cid): mastery_point(a[idx], b[idx], c[idx], MASTERY_SCORE) for cid, idx in items_of.items()
    }
    # The ability estimate speaks for the many competencies no item asked about: P(θ above the
    # competency's mastery point) is each one's prior, kept off certainty so that answers still move it.
    by_ability = place(theta, se, difficulty, {}).mastery_probability
    placed = place_on_graph(
        [(snapshot["competencies"][i], bool(right), float(c[i])) for i, right in answered],
        items_of,
        confidence=confidence,
        prior={int(key): min(max(p, PRIOR_FLOOR), 1 - PRIOR_FLOOR) for key, p in by_ability.items()},
    )
    codes = dict(Competency.objects.filter(pk__in=items_of).values_list("pk", "code"))
    return {
        "theta": round(theta, 4),
        "se": round(se, 4),
        "probability": {key: round(p, 4) for key, p in placed.mastery_probability.items()},
        "difficulty": {key: round(v, 4) for key, v in difficulty.items()},
        "mastered": sorted(int(k) for k in placed.mastered),
        "ready": sorted(int(k) for k in placed.ready),
        "codes": {str(cid): code for cid, code in codes.items()},
    }

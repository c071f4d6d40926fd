"""A diagnostic's item bank: which items it uses, their IRT parameters, and the content areas it balances.

Parameters come from the newest calibration of an item when it had enough answers; otherwise from priors:

- difficulty b: the item's own ``irt_b`` (for the demo templates, the author's difficulty rating on the
  logit scale, where 0 is a typical student of the grades the curriculum spans), else 0;
- discrimination a: the item's ``irt_a``, else 1 (the calibration prior's centre);
- guessing c: the item's ``irt_c``, else 1/k for a k-option choice item (a blind guess), else 0.

Items a calibration flagged for review stay out until a reviewer clears them. The bank is frozen into each
sitting when it starts (a JSON snapshot), so a sitting never changes under a student.

The competencies on the students' path (in path order) come in as an argument: the path is learning's to
work out, and the bank only chooses among what it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Conflict
from cairn.curriculum.models import Competency, Item
from cairn.curriculum.models import Status as ContentStatus
from cairn.curriculum.ownership import approved_items_for_student
from cairn.engine import items as item_engine
from cairn.engine.cat import ItemBank

from .models import Diagnostic, ItemCalibration


@dataclass(frozen=True)
class Params:
    a: float
    b: float
    c: float
    calibrated: bool


def instance(item: Item, seed: int) -> item_engine.ItemInstance:
    """The variant of ``item`` a student sees (templates vary with the seed; plain items don't)."""
    if item.kind == Item.Kind.TEMPLATE:
        return item_engine.instantiate(item_engine.template_from_dict(item.template), seed)
    return item_engine.ItemInstance(
        template_id=item.identifier,
        seed=0,
        stem=item.stem,
        spec=item_engine.spec_from_dict(item.spec),
        hints=tuple(item.hints),
        solution=tuple(item.solution),
        values={},
    )


def prior_params(item: Item) -> Params:
    """The item's parameters before (or without enough) answers of its own; see the module docstring."""
    c = item.irt_c
    if c is None:
        c = 0.0
        try:
            spec = instance(item, 0).spec
        except (item_engine.SpecError, ValueError, KeyError):
            spec = None
        if isinstance(spec, item_engine.ChoiceSpec) and len(spec.choices) > 1:
            c = 1.0 / len(spec.choices)
    return Params(
        a=float(item.irt_a) if item.irt_a and item.irt_a > 0 else 1.0,
        b=float(item.irt_b) if item.irt_b is not None else 0.0,
        c=float(min(max(c, 0.0), 0.5)),
        calibrated=False,
    )


def latest_calibrations(item_ids: Iterable[int]) -> dict[int, ItemCalibration]:
    """The newest calibration row of each item (items never calibrated are absent)."""
    newest: dict[int, ItemCalibration] = {}
    for row in ItemCalibration.objects.filter(item_id__in=list(item_ids)).order_by(
        "item_id", "-run__created_at", "-run_id"
    ):
        newest.setdefault(row.item_id, row)
    return newest


def item_params(item: Item, calibration: ItemCalibration | None) -> Params:
    if calibration is not None and calibration.calibrated:
        return Params(calibration.a, calibration.b, calibration.c, calibrated=True)
    return prior_params(item)


def _approved(student: User | None) -> Any:
    if student is None:
        return Item.objects.filter(status=ContentStatus.APPROVED)
    return approved_items_for_student(student)


def scope(diagnostic: Diagnostic, *, on_path: Sequence[Competency]) -> list[Competency]:
    """The competencies the diagnostic places students on, in path order: those of ``on_path`` it chose,
    or all of them when it chose none."""
    chosen = set(diagnostic.competencies.values_list("pk", flat=True))
    return [c for c in on_path if c.pk in chosen] if chosen else list(on_path)


def _area_name(competency: Competency, balance_by: str, parents: dict[int, str]) -> str:
    if balance_by == Diagnostic.Balance.COMPETENCY:
        return competency.code
    if balance_by == Diagnostic.Balance.CLUSTER:
        return parents.get(competency.parent_id or 0) or competency.code.rsplit(".", 1)[0]
    return competency.domain or "General"


def build(
    diagnostic: Diagnostic, *, on_path: Sequence[Competency], student: User | None = None
) -> dict[str, Any]:
    """The bank snapshot a new sitting freezes: parallel lists, one entry per item: the questions approved
    for the ``student``'s district (cairn.curriculum.ownership; every approved one when none is named).

    ``area`` indexes ``areas`` (the content-balancing groups); ``weights`` are each area's target share
    (its share of the covered competencies); ``competencies`` lists each item's covered competency ids.
    A diagnostic with nothing to ask yet is refused with ``Conflict``: it is the content's state, not the
    student's request, that stands in the way."""
    competencies = scope(diagnostic, on_path=on_path)
    if not competencies:
        raise Conflict(_("This diagnostic covers no competencies with approved questions yet."))
    order = {c.pk: i for i, c in enumerate(competencies)}
    items = list(
        _approved(student)
        .filter(competencies__in=competencies)
        .distinct()
        .prefetch_related("competencies")
        .order_by("identifier")
    )
    calibrations = latest_calibrations(i.pk for i in items)
    flagged = {pk for pk, cal in calibrations.items() if cal.review == ItemCalibration.Review.FLAGGED}
    items = [i for i in items if i.pk not in flagged]
    if not items:
        raise Conflict(_("This diagnostic has no approved, unflagged questions yet."))
    parent_ids = {c.parent_id for c in competencies if c.parent_id}
    parents = dict(Competency.objects.filter(pk__in=parent_ids).values_list("pk", "code"))
    area_of_competency = {c.pk: _area_name(c, diagnostic.balance_by, parents) for c in competencies}
    area_names = sorted(set(area_of_competency.values()))
    counts = {name: 0 for name in area_names}
    for name in area_of_competency.values():
        counts[name] += 1
    snapshot: dict[str, Any] = {
        "items": [],
        "a": [],
        "b": [],
        "c": [],
        "calibrated": [],
        "area": [],
        "competencies": [],
        "areas": area_names,
        "weights": [counts[name] / len(competencies) for name in area_names],
    }
    for item in items:
        covered = sorted((c.pk for c in item.competencies.all() if c.pk in order), key=order.__getitem__)
        params = item_params(item, calibrations.get(item.pk))
        snapshot["items"].append(item.pk)
        snapshot["a"].append(round(params.a, 6))
        snapshot["b"].append(round(params.b, 6))
        snapshot["c"].append(round(params.c, 6))
        snapshot["calibrated"].append(params.calibrated)
        snapshot["area"].append(area_names.index(area_of_competency[covered[0]]))
        snapshot["competencies"].append(covered)
    return snapshot


def item_bank(snapshot: dict[str, Any]) -> ItemBank:
    return ItemBank.from_params(
        np.asarray(snapshot["a"], dtype=np.float64),
        np.asarray(snapshot["b"], dtype=np.float64),
        np.asarray(snapshot["c"], dtype=np.float64),
        np.asarray(snapshot["area"], dtype=np.int64),
    )

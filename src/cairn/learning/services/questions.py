"""Serving practice questions: which item instance a student sees, the open question a reload resumes, a
new one drawn from the competency's approved items (avoiding recent variants, and never, within a sitting,
a question whose worked solution the student has just been shown), and hints.

A competency is served only while it is open on the student's path: :func:`serve` is the one place that
rule is checked, for the pages and the API alike. The answer loop (:mod:`cairn.learning.services.practice`)
serves the next question on the competency a student is already answering through :func:`new_served` and
:func:`serve_next`, without re-reading the path.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Conflict, Forbidden, NotFound
from cairn.curriculum.models import Competency, Item
from cairn.curriculum.ownership import approved_items_for_student
from cairn.engine import items as item_engine
from cairn.engine.release import Status
from cairn.learning.models import Progress, ServedItem
from cairn.learning.selectors.path import Path, student_path


@dataclass(frozen=True)
class Question:
    """An item instance as the student sees it."""

    token: str
    competency: str
    competency_id: int
    purpose: str
    stem: str
    kind: str  # choice, numeric, text
    choices: list[dict[str, str]] = field(default_factory=list)
    hints_available: int = 0
    hints_shown: list[str] = field(default_factory=list)
    tries: int = 0
    figure: dict[str, object] | None = None  # the item's figure as data (kind, numbers, description)
    figure_svg: str = ""  # the same figure drawn as accessible inline SVG (markup the engine escaped)


def item_instance(served: ServedItem) -> item_engine.ItemInstance:
    """The instance a served question shows (its stem, answer, hints and solution): a template's variant
    is rebuilt from the served seed, so the same question grades the same way every time."""
    item = served.item
    if item.kind == Item.Kind.TEMPLATE:
        return item_engine.instantiate(item_engine.template_from_dict(item.template), served.seed)
    spec = item_engine.spec_from_dict(item.spec)
    return item_engine.ItemInstance(
        template_id=item.identifier,
        seed=0,
        stem=item.stem,
        spec=spec,
        hints=tuple(item.hints),
        solution=tuple(item.solution),
        values={},
    )


def question_for(served: ServedItem) -> Question:
    inst = item_instance(served)
    choices = (
        [{"id": c.id, "text": c.text} for c in inst.spec.choices]
        if isinstance(inst.spec, item_engine.ChoiceSpec)
        else []
    )
    hints = [] if served.purpose == ServedItem.Purpose.CHECK else list(inst.hints)
    return Question(
        token=str(served.token),
        competency=served.competency.code,
        competency_id=served.competency_id,
        purpose=served.purpose,
        stem=inst.stem,
        kind=inst.spec.kind,
        choices=choices,
        hints_available=len(hints),
        hints_shown=hints[: served.hints_shown],
        tries=served.tries,
        figure=item_engine.figure_to_dict(inst.figure) if inst.figure else None,
        figure_svg=item_engine.to_svg(inst.figure) if inst.figure else "",
    )


def serve(
    student: User,
    competency: Competency,
    *,
    path: Path | None = None,
    rng: random.Random | None = None,
    at: dt.datetime | None = None,
) -> ServedItem:
    """The open question for this competency, or a new one. Reloading the page shows the same question.

    Refused unless the competency is open on the student's path (``path``, when the caller has read it
    already): not on it is not found, locked is forbidden with the reasons."""
    row = (path or student_path(student)).by_code().get(competency.code)
    if row is None:
        raise NotFound(_("This competency is not on your path."))
    if row.status == Status.LOCKED:
        # Only students are served questions, so the message is in their words (no standards codes).
        said = "; ".join(row.student_reasons)
        raise Forbidden(
            _("Locked: %(reasons)s") % {"reasons": said}
            if said
            else _("Locked for now: ask your teacher what to do first.")
        )
    open_item = open_served(student, competency)
    if open_item is not None:
        return open_item
    progress = Progress.objects.filter(student=student, competency=competency).first()
    return new_served(student, competency, progress, read_menu(student, competency, at=at), rng=rng, at=at)


def serve_next(student: User, competency: Competency) -> ServedItem | None:
    """The next question on a competency the student is answering, or None when more practice isn't on
    offer (no items, or the wheel-spinning guard). No path check: the student is on it, and the answer
    loop must not read the path under its write lock."""
    open_item = open_served(student, competency)
    if open_item is not None:
        return open_item
    progress = Progress.objects.filter(student=student, competency=competency).first()
    try:
        return new_served(student, competency, progress, read_menu(student, competency))
    except Conflict:
        return None


def open_served(student: User, competency: Competency, *, besides: int | None = None) -> ServedItem | None:
    """The newest open question on the competency (other than ``besides``), if any."""
    open_items = ServedItem.objects.filter(student=student, competency=competency, closed=False)
    if besides is not None:
        open_items = open_items.exclude(pk=besides)
    return open_items.select_related("item", "competency").order_by("-served_at").first()


@dataclass(frozen=True)
class Menu:
    """What a new question is drawn from: the competency's approved items, the variants seen lately, and
    the open questions among them (a second tab's)."""

    candidates: list[Item]
    recent: set[tuple[int, int]]
    open_ids: list[int]
    # (item id, stem) of the questions of this sitting whose worked solution was shown: never served again
    # this sitting, whatever the seed (many seeds give the same variant).
    shown: set[tuple[int, str]] = field(default_factory=set)


SITTING = dt.timedelta(hours=3)


def read_menu(student: User, competency: Competency, *, at: dt.datetime | None = None) -> Menu:
    candidates = list(
        approved_items_for_student(student).filter(competencies=competency).order_by("identifier")
    )
    lately = ServedItem.objects.filter(student=student, competency=competency).order_by("-served_at")
    rows = list(lately.values_list("pk", "item_id", "seed", "closed", "solved", "served_at")[:20])
    since = (at or timezone.now()) - SITTING
    by_pk = {item.pk: item for item in candidates}
    shown = {
        (item_id, variant_stem(by_pk[item_id], seed))
        for _, item_id, seed, closed, solved, served_at in rows
        if item_id in by_pk and closed and not solved and served_at >= since
    }
    return Menu(
        candidates,
        {(item, seed) for _, item, seed, *_ in rows},
        [pk for pk, _, _, closed, *_ in rows if not closed],
        shown,
    )


def variant_stem(item: Item, seed: int) -> str:
    """The stem a student reads for the item with this seed: what tells two questions apart."""
    if item.kind == Item.Kind.TEMPLATE:
        return item_engine.instantiate(item_engine.template_from_dict(item.template), seed).stem
    return item.stem


def new_served(
    student: User,
    competency: Competency,
    progress: Progress | None,
    menu: Menu,
    *,
    rng: random.Random | None = None,
    at: dt.datetime | None = None,
    answered: ServedItem | None = None,
) -> ServedItem:
    """Serve a new question drawn from ``menu``; a Conflict when more practice isn't on offer.
    ``answered``: the question just answered, whose solution the answer may have shown (the menu was read
    before the answer)."""
    if progress is not None and progress.spinning:
        raise Conflict(
            _(
                "More of the same practice won't help right now. Try a video, a reading or a prerequisite "
                "from your board, or ask your teacher."
            )
        )
    if not menu.candidates:
        raise Conflict(_("There are no practice questions for %(code)s yet.") % {"code": competency.code})
    rng = rng or random.Random()
    if answered is not None and answered.closed and not answered.solved:
        shown = {*menu.shown, (answered.item_id, variant_stem(answered.item, answered.seed))}
        menu = Menu(menu.candidates, menu.recent, menu.open_ids, shown)
    item, seed = _pick(menu, rng)
    now = at or timezone.now()
    return ServedItem.objects.create(
        student=student,
        competency=competency,
        item=item,
        seed=seed,
        purpose=purpose_for(progress, now),
        served_at=now,
    )


def purpose_for(progress: Progress | None, now: dt.datetime) -> ServedItem.Purpose:
    """What a new question on the competency is for: the mastery check while one runs, a review of a
    mastered competency only once its review is due (opening it earlier is practice that changes nothing
    about the mastery), else practice."""
    if progress is not None and progress.status == Progress.Status.CHECKING:
        return ServedItem.Purpose.CHECK
    due = progress is not None and progress.review_due is not None and progress.review_due <= now
    if progress is not None and progress.status == Progress.Status.MASTERED and due:
        return ServedItem.Purpose.REVIEW
    return ServedItem.Purpose.PRACTICE


def _pick(menu: Menu, rng: random.Random) -> tuple[Item, int]:
    """An item and seed: not a recent variant if ten draws find one (templates have many), and never one
    whose solution was shown this sitting (a Conflict when only those are left)."""
    shown_items = {item_id for item_id, _ in menu.shown}

    def shown(item: Item, seed: int) -> bool:
        return item.pk in shown_items and (item.pk, variant_stem(item, seed)) in menu.shown

    pick: tuple[Item, int] | None = None
    for _draw in range(10):
        item = rng.choice(menu.candidates)
        seed = rng.randrange(1, 2**31) if item.kind == Item.Kind.TEMPLATE else 0
        if shown(item, seed):
            continue
        pick = (item, seed)
        if (item.pk, seed) not in menu.recent:
            return pick
    if pick is not None:
        return pick
    for item in menu.candidates:  # unlucky draws: look through them in order
        seeds = [rng.randrange(1, 2**31) for _ in range(20)] if item.kind == Item.Kind.TEMPLATE else [0]
        for seed in seeds:
            if not shown(item, seed):
                return item, seed
    raise Conflict(_("You have seen the worked solution of every question here today. Try something else."))


def served_to(student: User, token: str | uuid.UUID, *, lock: bool = False) -> ServedItem:
    """The question ``token`` names, if it was served to this student (under a row lock if asked)."""
    try:
        key = uuid.UUID(str(token))
    except ValueError as exc:
        raise NotFound(_("That question id is not valid."), field="token") from exc
    queryset = ServedItem.objects.select_related("item", "competency")
    if lock:
        queryset = queryset.select_for_update()
    served = queryset.filter(token=key, student=student).first()
    if served is None:  # not served, or served to someone else: the same answer, to leak nothing
        raise NotFound(_("This question was not given to you."))
    return served


@transaction.atomic
def reveal_hint(student: User, token: str) -> str:
    served = served_to(student, token, lock=True)
    if served.closed:
        raise Conflict(_("This question is finished."))
    if served.purpose == ServedItem.Purpose.CHECK:
        raise Conflict(_("Hints are off during “show what you know”."))
    hints = item_instance(served).hints
    if served.hints_shown >= len(hints):
        raise Conflict(_("There are no more hints for this question."))
    served.hints_shown += 1
    served.save(update_fields=["hints_shown"])
    return hints[served.hints_shown - 1]

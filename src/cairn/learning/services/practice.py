"""The core loop: take an answer, update what we know, say what's next.

answer → grade (engine) → append the attempt (one transaction, idempotent on the client's attempt id)
→ online update of the learner state (engine, O(1)) → mastery policy, wheel-spinning guard, review
schedule → refresh the frontier and the board → feedback and the next step. Serving questions and hints
is :mod:`cairn.learning.services.questions`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import CairnError, Conflict, Invalid
from cairn.engine import items as item_engine
from cairn.engine.release import Status
from cairn.learning import events, learner
from cairn.learning.models import Attempt, LearnerState, Progress, ServedItem
from cairn.learning.selectors import policy
from cairn.learning.selectors.board import BoardOption, build_board
from cairn.learning.selectors.path import Path, student_path
from cairn.learning.services import outcomes
from cairn.learning.services.outcomes import FINISHING_EVENTS, Event
from cairn.learning.services.questions import (
    Menu,
    Question,
    item_instance,
    new_served,
    open_served,
    question_for,
    read_menu,
    serve_next,
    served_to,
)


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str
    competency: str
    mastery_before: float
    mastery_after: float
    status: str
    event: Event = Event.NONE
    retry: bool = False  # the same question stays open for a second try
    solution: list[str] = field(default_factory=list)
    answer_text: str = ""
    # What a mastery opened is worked out by next_step, outside the answer's transaction; the field stays
    # so that responses stored for replay before that change still load.
    unlocked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Feedback:
        """A response stored with its attempt, for a replay."""
        return cls(**(data | {"event": Event(data.get("event", ""))}))


@dataclass(frozen=True)
class NextStep:
    """What follows an answer: the next question on the same competency, or (once it is mastered, set
    aside by the wheel-spinning guard, or reviewed) the refreshed choice board."""

    question: Question | None
    options: list[BoardOption]
    unlocked: list[str] = field(default_factory=list)  # what a mastery just opened


def next_step(student: User, token: str, feedback: Feedback, *, board: bool = True) -> NextStep:
    served = served_to(student, token)
    if feedback.retry:
        return NextStep(question_for(served), [])
    if feedback.event not in FINISHING_EVENTS:
        following = serve_next(student, served.competency)
        if following is not None:
            return NextStep(question_for(following), [])
    # One path for both: what the mastery opened and the refreshed board. Worked out here, after the
    # answer's transaction, so the path read never holds SQLite's write lock.
    path = student_path(student)
    unlocked = _unlocked_in(path, feedback.competency) if feedback.event == Event.MASTERED else []
    return NextStep(None, build_board(student, path) if board else [], unlocked)


def _unlocked_in(path: Path, code: str) -> list[str]:
    """Competencies needing ``code`` that are open on the path now."""
    needs_it = {comp for pre, comp in path.edges if pre == code}
    return sorted(
        row.code
        for row in path.rows
        if row.code in needs_it and row.status in (Status.READY, Status.IN_PROGRESS)
    )


def answer_and_next(
    student: User,
    token: str,
    client_attempt_id: str,
    answer: str,
    *,
    at: dt.datetime | None = None,
    board: bool = True,
) -> tuple[Feedback, NextStep]:
    """The whole loop for one answer: grade and record it, then what's next. The usual next step (a second
    try, or another question on the same competency) comes from the answer's own transaction; the board
    after a finished competency is read after the commit (``board=False``: only what a mastery unlocked)."""
    feedback, following = _record(student, token, client_attempt_id, answer, at=at, serve_next=True)
    if following is not None:
        return feedback, NextStep(question_for(following), [])
    return feedback, next_step(student, token, feedback, board=board)


def submit_answer(
    student: User, token: str, client_attempt_id: str, answer: str, *, at: dt.datetime | None = None
) -> Feedback:
    """Grade and record one answer. A resubmission with the same client attempt id replays the first
    response and records nothing new; bad input raises a CairnError and records nothing.

    ``at`` is when the answer was given (now, unless the demo is replaying history)."""
    return _record(student, token, client_attempt_id, answer, at=at, serve_next=False)[0]


# -- recording an answer ----------------------------------------------------------------------------------
class _Changed(Exception):
    """A row changed between the optimistic read and the write (another tab, a teacher, a racing
    submit): the answer is redone with its reads inside the transaction."""


@dataclass
class _Rows:
    """The rows one answer reads and writes, with what each looked like when read (its stamp)."""

    served: ServedItem
    progress: Progress
    state_row: LearnerState
    rules: policy.Policy
    inst: item_engine.ItemInstance
    graded: item_engine.Grade
    menu: Menu | None  # where the next question comes from, when the answer serves one
    other_open: ServedItem | None  # another open question on the competency (a second tab's), if any

    def __post_init__(self) -> None:
        self.served_stamp = {"tries": self.served.tries, "hints_shown": self.served.hints_shown}
        self.progress_stamp = self.progress.updated_at
        self.state_stamp = self.state_row.updated_at


def _checked_answer(client_attempt_id: str, answer: str) -> tuple[uuid.UUID, str]:
    """The attempt id and the trimmed answer, or Invalid naming the field: nothing is read before this."""
    try:
        attempt_key = uuid.UUID(str(client_attempt_id))
    except ValueError as exc:
        raise Invalid(_("The attempt id is not valid."), field="attempt_id") from exc
    answer = (answer or "").strip()
    if not answer:
        raise Invalid(_("Type or choose an answer first."), field="answer")
    if len(answer) > 200:
        raise Invalid(_("That answer is too long."), field="answer")
    return attempt_key, answer


def _graded(served: ServedItem, answer: str) -> tuple[item_engine.ItemInstance, item_engine.Grade]:
    """Grade before anything is written, so that a question that's closed or an answer that doesn't read is
    turned away with nothing recorded."""
    if served.closed:
        raise Conflict(_("This question is finished; go on to the next one."))
    inst = item_instance(served)
    if isinstance(inst.spec, item_engine.ChoiceSpec) and answer not in {c.id for c in inst.spec.choices}:
        raise Invalid(_("Choose one of the options."), field="answer")
    graded = item_engine.grade(inst.spec, answer)
    if graded.reason == "unreadable":
        raise Invalid(_("That doesn't read as a number. Try e.g. 3/4, 0.75 or 1 1/2."), field="answer")
    return inst, graded


def _read(student: User, token: str, answer: str, *, locked: bool, serve_next: bool) -> _Rows:
    """Optimistic (``locked=False``, outside any transaction): the rows as they are now. Locked: inside
    the transaction, under row locks. Either creates the student's rows the first time. The answer is
    graded here too, so that bad input is turned away before anything is written."""
    served = served_to(student, token, lock=locked)
    inst, graded = _graded(served, answer)
    # Unlocked, a first answer creates its rows on its own (a short write), then goes on like any other.
    progresses, states = Progress.objects.all(), LearnerState.objects.all()
    if locked:
        progresses, states = progresses.select_for_update(), states.select_for_update()
    progress = progresses.get_or_create(student=student, competency=served.competency)[0]
    state_row = states.get_or_create(
        student=student, defaults={"model_name": learner.model_name(), "state": learner.initial_state()}
    )[0]
    menu = other_open = None
    if serve_next:
        menu = read_menu(student, served.competency)
        if any(pk != served.pk for pk in menu.open_ids):  # rare: fetch it whole
            other_open = open_served(student, served.competency, besides=served.pk)
    return _Rows(served, progress, state_row, policy.for_student(student), inst, graded, menu, other_open)


def _save_if_unchanged(row: Any, unchanged: dict[str, Any], fields: list[str]) -> None:
    """Write ``fields`` of ``row`` only if it still matches ``unchanged`` (its stamp when read)."""
    values = {name: getattr(row, name) for name in fields}
    if not type(row).objects.filter(pk=row.pk, **unchanged).update(**values):
        raise _Changed


PROGRESS_FIELDS = [
    f.attname
    for f in Progress._meta.concrete_fields
    if f.attname not in ("id", "student_id", "competency_id")
]


def _record(
    student: User,
    token: str,
    client_attempt_id: str,
    answer: str,
    *,
    at: dt.datetime | None,
    serve_next: bool,
) -> tuple[Feedback, ServedItem | None]:
    """Validate, then record the answer (and serve the next question when asked): the rows are read
    before the transaction and written only if unchanged, so SQLite's write lock is held for a handful
    of writes, not the whole loop; a change in between (rare) redoes it all inside the transaction.
    Hand-written because Django has no optimistic concurrency of its own."""
    attempt_key, answer = _checked_answer(client_attempt_id, answer)
    now = at or timezone.now()
    try:
        try:
            rows = _read(student, token, answer, locked=False, serve_next=serve_next)
            with transaction.atomic():
                return _answer(student, rows, attempt_key, answer, now)
        except _Changed:
            with transaction.atomic():
                rows = _read(student, token, answer, locked=True, serve_next=serve_next)
                return _answer(student, rows, attempt_key, answer, now)
    except (CairnError, IntegrityError):
        # A resubmission (a double click, a refresh) finds its question closed, or, when the first try left
        # it open, breaks the attempt id's uniqueness: either way the first response is replayed.
        previous = Attempt.objects.filter(student=student, client_attempt_id=attempt_key).first()
        if previous is None:
            raise
        return Feedback.from_dict(previous.response), None


def _answer(
    student: User, rows: _Rows, attempt_key: uuid.UUID, answer: str, now: dt.datetime
) -> tuple[Feedback, ServedItem | None]:
    """The writes of one answer, in this order: learner state, the question, progress (and an alert), the
    attempt with its response, then the next question. Each row is written only if unchanged since read."""
    rows.served.tries += 1
    first_try = rows.served.tries == 1
    competency_id = rows.served.competency_id
    before, _ = learner.mastery(rows.state_row.state, competency_id, at=now)
    p_correct = learner.predict(rows.state_row.state, competency_id, item=rows.served.item_id, at=now)
    after, sd = _update_learner(rows, competency_id, first_try=first_try, now=now)
    retry = _close_or_keep_open(rows)
    event = _update_progress(student, rows, after=after, sd=sd, first_try=first_try, retry=retry, now=now)
    feedback = _feedback(rows, event, before=before, after=after, retry=retry)
    attempt = Attempt.objects.create(
        student=student,
        client_attempt_id=attempt_key,
        served=rows.served,
        competency=rows.served.competency,
        item=rows.served.item,
        item_version=rows.served.item.version,  # the row graded above: no extra query
        answer=answer,
        normalized=rows.graded.normalized[:500],
        correct=rows.graded.correct,
        try_number=rows.served.tries,
        hints_used=rows.served.hints_shown,
        p_correct=round(p_correct, 4),
        mastery_after=round(after, 4),
        response=feedback.to_dict(),
        created_at=now,
    )
    events.publish(events.ANSWER, attempt=attempt, first_try=first_try, mastery_after=after, at=now)
    return feedback, _following(student, rows, event, retry=retry, now=now)


def _update_learner(
    rows: _Rows, competency_id: int, *, first_try: bool, now: dt.datetime
) -> tuple[float, float]:
    """The learner model's estimate after this answer. Only a first try is fresh evidence: a second try
    follows feedback on the first; a first try after a hint is weaker evidence (the engine's hint weight)."""
    state_row = rows.state_row
    if first_try:
        state_row.state = learner.update(
            state_row.state,
            competency_id,
            rows.graded.correct,
            hinted=rows.served.hints_shown > 0,
            at=now,
            item=rows.served.item_id,
        )
        state_row.model_name = learner.model_name()
        state_row.updated_at = timezone.now()
        _save_if_unchanged(state_row, {"updated_at": rows.state_stamp}, ["state", "model_name", "updated_at"])
    return learner.mastery(state_row.state, competency_id, at=now)


def _close_or_keep_open(rows: _Rows) -> bool:
    """Close the question, or keep it open for a second try (a first miss in practice); True for a retry."""
    served = rows.served
    retry = not rows.graded.correct and served.tries < 2 and served.purpose == ServedItem.Purpose.PRACTICE
    served.solved = rows.graded.correct
    served.closed = not retry
    _save_if_unchanged(served, {**rows.served_stamp, "closed": False}, ["tries", "solved", "closed"])
    return retry


def _update_progress(
    student: User, rows: _Rows, *, after: float, sd: float, first_try: bool, retry: bool, now: dt.datetime
) -> Event:
    """Count the answer on the competency's progress and apply the policy (check, mastery, review, the
    wheel-spinning guard); returns what that changed."""
    progress, served, correct = rows.progress, rows.served, rows.graded.correct
    progress.attempts += 1
    progress.correct += int(correct)
    progress.last_attempt_at = now
    if first_try:
        progress.mastery, progress.uncertainty = after, sd
        progress.recent_estimates = [*progress.recent_estimates, round(after, 4)][-rows.rules.recent :]
    if served.purpose == ServedItem.Purpose.REVIEW:
        event = outcomes.review_outcome(progress, served, correct, now)
    elif served.purpose == ServedItem.Purpose.CHECK:
        event = outcomes.check_outcome(progress, correct, now, rows.rules)
    elif progress.status in (Progress.Status.NOT_STARTED, Progress.Status.IN_PROGRESS):
        progress.status = Progress.Status.IN_PROGRESS
        if retry:
            event = Event.NONE  # decisions wait until the item is closed
        else:
            event = outcomes.practice_outcome(student, served, progress, after, rows.rules, now)
    else:
        event = Event.NONE
    progress.updated_at = timezone.now()
    _save_if_unchanged(progress, {"updated_at": rows.progress_stamp}, PROGRESS_FIELDS)
    return event


def _feedback(rows: _Rows, event: Event, *, before: float, after: float, retry: bool) -> Feedback:
    graded, inst = rows.graded, rows.inst
    show_solution = not graded.correct and not retry
    return Feedback(
        correct=graded.correct,
        message=outcomes.message(graded, retry, event, rows.served),
        competency=rows.served.competency.code,
        mastery_before=round(before, 4),
        mastery_after=round(after, 4),
        status=rows.progress.status,
        event=event,
        retry=retry,
        solution=list(inst.solution) if show_solution else [],
        answer_text=inst.answer_text if show_solution else "",
    )


def _following(
    student: User, rows: _Rows, event: Event, *, retry: bool, now: dt.datetime
) -> ServedItem | None:
    """The question the answer's response carries, when it serves one: the same question for a second
    try, a second tab's open question, or a new one; None when the board comes next."""
    if rows.menu is None:
        return None
    if retry:
        return rows.served
    if event in FINISHING_EVENTS:
        return None
    if rows.other_open is not None:
        return rows.other_open
    try:
        return new_served(
            student, rows.served.competency, rows.progress, rows.menu, at=now, answered=rows.served
        )
    except Conflict:  # nothing more to practise here: the board comes next
        return None

"""The core loop: serve an item, take an answer, update what we know, say what's next.

answer → grade (engine) → append the attempt (one transaction, idempotent on the client's attempt id)
→ online update of the learner state (engine, O(1)) → mastery policy, wheel-spinning guard, review
schedule → refresh the frontier and the board → feedback and the next step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cairn.accounts.models import User
from cairn.curriculum.models import Competency, Item
from cairn.curriculum.models import Status as ContentStatus
from cairn.engine import items as item_engine
from cairn.engine.review import Outcome, ReviewSchedule
from cairn.learning import learner, policy
from cairn.learning.models import Alert, Attempt, LearnerState, Progress, ServedItem

REVIEWS = ReviewSchedule()


class PracticeError(ValueError):
    """An answer or request that can't be taken; the message is for the student, and nothing was recorded."""


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


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str
    competency: str
    mastery_before: float
    mastery_after: float
    status: str
    event: str = ""  # check_started, check_passed, check_failed, mastered, spinning, lapse, reviewed
    retry: bool = False  # the same question stays open for a second try
    solution: list[str] = field(default_factory=list)
    answer_text: str = ""
    # What a mastery opened is worked out by next_step, outside the answer's transaction; the field stays
    # so that responses stored for replay before that change still load.
    unlocked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- serving ----------------------------------------------------------------------------------------------
def _instance(served: ServedItem) -> item_engine.ItemInstance:
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
    inst = _instance(served)
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
    )


def serve(
    student: User, competency: Competency, *, rng: random.Random | None = None, at: dt.datetime | None = None
) -> ServedItem:
    """The open question for this competency, or a new one. Reloading the page shows the same question."""
    open_item = _open_item(student, competency)
    if open_item is not None:
        return open_item
    progress = Progress.objects.filter(student=student, competency=competency).first()
    return _new_served(student, competency, progress, _menu(student, competency), rng=rng, at=at)


def _open_item(student: User, competency: Competency, *, besides: int | None = None) -> ServedItem | None:
    open_items = ServedItem.objects.filter(student=student, competency=competency, closed=False)
    if besides is not None:
        open_items = open_items.exclude(pk=besides)
    return open_items.select_related("item", "competency").order_by("-served_at").first()


@dataclass(frozen=True)
class _Menu:
    """What a new question is drawn from: the competency's approved items, the variants seen lately, and
    the open questions among them (a second tab's)."""

    candidates: list[Item]
    recent: set[tuple[int, int]]
    open_ids: list[int]


def _menu(student: User, competency: Competency) -> _Menu:
    candidates = list(
        Item.objects.filter(competencies=competency, status=ContentStatus.APPROVED).order_by("identifier")
    )
    lately = ServedItem.objects.filter(student=student, competency=competency).order_by("-served_at")
    rows = list(lately.values_list("pk", "item_id", "seed", "closed")[:20])
    return _Menu(
        candidates, {(item, seed) for _, item, seed, _ in rows}, [pk for pk, *_, shut in rows if not shut]
    )


def _new_served(
    student: User,
    competency: Competency,
    progress: Progress | None,
    menu: _Menu,
    *,
    rng: random.Random | None = None,
    at: dt.datetime | None = None,
) -> ServedItem:
    if progress is not None and progress.spinning:
        raise PracticeError(
            "More of the same practice won't help right now. Try a video, a reading or a prerequisite "
            "from your board, or ask your teacher."
        )
    if not menu.candidates:
        raise PracticeError(f"There are no practice questions for {competency.code} yet.")
    rng = rng or random.Random()
    for _ in range(10):  # avoid repeating a recent variant; templates have many
        item = rng.choice(menu.candidates)
        seed = rng.randrange(1, 2**31) if item.kind == Item.Kind.TEMPLATE else 0
        if (item.pk, seed) not in menu.recent:
            break
    purpose = ServedItem.Purpose.PRACTICE
    if progress is not None and progress.status == Progress.Status.CHECKING:
        purpose = ServedItem.Purpose.CHECK
    elif progress is not None and progress.status == Progress.Status.MASTERED:
        purpose = ServedItem.Purpose.REVIEW
    return ServedItem.objects.create(
        student=student,
        competency=competency,
        item=item,
        seed=seed,
        purpose=purpose,
        served_at=at or timezone.now(),
    )


def open_question(student: User, token: str) -> ServedItem:
    served = _served(student, token)
    if served.closed:
        raise PracticeError("This question is finished.")
    return served


def _served(student: User, token: str | uuid.UUID, *, lock: bool = False) -> ServedItem:
    try:
        key = uuid.UUID(str(token))
    except ValueError as exc:
        raise PracticeError("That question id is not valid.") from exc
    queryset = ServedItem.objects.select_related("item", "competency")
    if lock:
        queryset = queryset.select_for_update()
    served = queryset.filter(token=key, student=student).first()
    if served is None:  # not served, or served to someone else: the same answer, to leak nothing
        raise PracticeError("This question was not given to you.")
    return served


@transaction.atomic
def reveal_hint(student: User, token: str) -> str:
    served = _served(student, token, lock=True)
    if served.closed:
        raise PracticeError("This question is finished.")
    if served.purpose == ServedItem.Purpose.CHECK:
        raise PracticeError("Hints are off during “show what you know”.")
    hints = _instance(served).hints
    if served.hints_shown >= len(hints):
        raise PracticeError("There are no more hints for this question.")
    served.hints_shown += 1
    served.save(update_fields=["hints_shown"])
    return hints[served.hints_shown - 1]


@dataclass(frozen=True)
class NextStep:
    """What follows an answer: the next question on the same competency, or (once it is mastered, set
    aside by the wheel-spinning guard, or reviewed) the refreshed choice board."""

    question: Question | None
    options: list[Any]  # board.BoardOption
    unlocked: list[str] = field(default_factory=list)  # what a mastery just opened


FINISHING_EVENTS = frozenset({"mastered", "spinning", "reviewed", "lapse"})


def next_step(student: User, token: str, feedback: Feedback, *, board: bool = True) -> NextStep:
    served = _served(student, token)
    if feedback.retry:
        return NextStep(question_for(served), [])
    if feedback.event not in FINISHING_EVENTS:
        try:
            return NextStep(question_for(serve(student, served.competency)), [])
        except PracticeError:
            pass  # nothing more to practise here: fall through to the board
    from cairn.learning.board import build_board  # the board reads the path, which reads progress
    from cairn.learning.path import student_path

    # One path for both: what the mastery opened and the refreshed board. Worked out here, after the
    # answer's transaction, so the path read never holds SQLite's write lock.
    path = student_path(student)
    unlocked = _unlocked_in(path, feedback.competency) if feedback.event == "mastered" else []
    return NextStep(None, build_board(student, path) if board else [], unlocked)


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


# -- answering --------------------------------------------------------------------------------------------
def submit_answer(
    student: User, token: str, client_attempt_id: str, answer: str, *, at: dt.datetime | None = None
) -> Feedback:
    """Grade and record one answer. A resubmission with the same client attempt id replays the first
    response and records nothing new; bad input raises PracticeError and records nothing.

    ``at`` is when the answer was given (now, unless the demo is replaying history)."""
    return _record(student, token, client_attempt_id, answer, at=at, serve_next=False)[0]


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
    menu: _Menu | None  # where the next question comes from, when the answer serves one
    other_open: ServedItem | None  # another open question on the competency (a second tab's), if any

    def __post_init__(self) -> None:
        self.served_stamp = {"tries": self.served.tries, "hints_shown": self.served.hints_shown}
        self.progress_stamp = self.progress.updated_at
        self.state_stamp = self.state_row.updated_at


def _read(student: User, token: str, answer: str, *, locked: bool, serve_next: bool) -> _Rows:
    """Optimistic (``locked=False``, outside any transaction): the rows as they are now. Locked: inside
    the transaction, under row locks. Either creates the student's rows the first time. The answer is
    graded here too, so that bad input is turned away before anything is written."""
    served = _served(student, token, lock=locked)
    if served.closed:
        raise PracticeError("This question is finished; go on to the next one.")
    inst = _instance(served)
    if isinstance(inst.spec, item_engine.ChoiceSpec) and answer not in {c.id for c in inst.spec.choices}:
        raise PracticeError("Choose one of the options.")
    graded = item_engine.grade(inst.spec, answer)
    if graded.reason == "unreadable":
        raise PracticeError("That doesn't read as a number. Try e.g. 3/4, 0.75 or 1 1/2.")
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
        menu = _menu(student, served.competency)
        if any(pk != served.pk for pk in menu.open_ids):  # rare: fetch it whole
            other_open = _open_item(student, served.competency, besides=served.pk)
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
    try:
        attempt_key = uuid.UUID(str(client_attempt_id))
    except ValueError as exc:
        raise PracticeError("The attempt id is not valid.") from exc
    answer = (answer or "").strip()
    if not answer:
        raise PracticeError("Type or choose an answer first.")
    if len(answer) > 200:
        raise PracticeError("That answer is too long.")
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
    except (PracticeError, IntegrityError):
        # A resubmission (a double click, a refresh) finds its question closed, or, when the first try left
        # it open, breaks the attempt id's uniqueness: either way the first response is replayed.
        previous = Attempt.objects.filter(student=student, client_attempt_id=attempt_key).first()
        if previous is None:
            raise
        return Feedback(**previous.response), None


def _answer(
    student: User, rows: _Rows, attempt_key: uuid.UUID, answer: str, now: dt.datetime
) -> tuple[Feedback, ServedItem | None]:
    served, progress, state_row, rules = rows.served, rows.progress, rows.state_row, rows.rules
    inst, graded = rows.inst, rows.graded

    competency = served.competency
    code = competency.code
    served.tries += 1
    first_try = served.tries == 1
    before, _ = learner.mastery(state_row.state, code)
    p_correct = learner.predict(state_row.state, code)
    # Only a first try is fresh evidence for the learner model: a second try follows feedback on the first.
    if first_try:
        state_row.state = learner.update(state_row.state, code, graded.correct)
        state_row.model_name = learner.model_name()
        state_row.updated_at = timezone.now()
        _save_if_unchanged(state_row, {"updated_at": rows.state_stamp}, ["state", "model_name", "updated_at"])
    after, sd = learner.mastery(state_row.state, code)

    solved = graded.correct
    retry = not graded.correct and served.tries < 2 and served.purpose == ServedItem.Purpose.PRACTICE
    served.solved = solved
    served.closed = not retry
    _save_if_unchanged(served, {**rows.served_stamp, "closed": False}, ["tries", "solved", "closed"])

    progress.attempts += 1
    progress.correct += int(graded.correct)
    progress.last_attempt_at = now
    if first_try:
        progress.mastery, progress.uncertainty = after, sd
        progress.recent_estimates = [*progress.recent_estimates, round(after, 4)][-rules.recent :]
    event = ""
    if served.purpose == ServedItem.Purpose.REVIEW:
        event = _review_outcome(progress, served, graded.correct, now)
    elif served.purpose == ServedItem.Purpose.CHECK:
        event = _check_outcome(progress, graded.correct, now, rules)
    else:
        if progress.status in (Progress.Status.NOT_STARTED, Progress.Status.IN_PROGRESS):
            progress.status = Progress.Status.IN_PROGRESS
            if retry:
                pass  # decisions wait until the item is closed
            elif after >= rules.mastery.threshold and rules.mastery.check_items == 0:
                mark_mastered(progress, now, by="estimate")  # the district asks for no check
                event = "mastered"
            elif after >= rules.mastery.threshold:
                progress.status = Progress.Status.CHECKING
                progress.check_answers = []
                event = "check_started"
            elif rules.guard.is_spinning(progress.recent_estimates, mastered=False) and not progress.spinning:
                progress.spinning = True
                event = "spinning"
                Alert.objects.create(
                    student=student,
                    competency=competency,
                    kind=Alert.Kind.WHEEL_SPINNING,
                    created_at=now,
                    message=f"{progress.attempts} tries on {code} without getting closer to mastery.",
                )
    progress.updated_at = timezone.now()
    _save_if_unchanged(progress, {"updated_at": rows.progress_stamp}, PROGRESS_FIELDS)

    message = _message(graded, retry, event, served)
    show_solution = not graded.correct and not retry
    feedback = Feedback(
        correct=graded.correct,
        message=message,
        competency=code,
        mastery_before=round(before, 4),
        mastery_after=round(after, 4),
        status=progress.status,
        event=event,
        retry=retry,
        solution=list(inst.solution) if show_solution else [],
        answer_text=inst.answer_text if show_solution else "",
    )
    Attempt.objects.create(
        student=student,
        client_attempt_id=attempt_key,
        served=served,
        competency=competency,
        item=served.item,
        answer=answer,
        normalized=graded.normalized[:500],
        correct=graded.correct,
        try_number=served.tries,
        hints_used=served.hints_shown,
        p_correct=round(p_correct, 4),
        mastery_after=round(after, 4),
        response=feedback.to_dict(),
        created_at=now,
    )
    following = None
    if rows.menu is not None and retry:
        following = served  # the same question, for its second try
    elif rows.menu is not None and event not in FINISHING_EVENTS:
        following = rows.other_open
        if following is None:
            with contextlib.suppress(PracticeError):  # nothing more to practise here: the board comes next
                following = _new_served(student, competency, progress, rows.menu, at=now)
    return feedback, following


def _check_outcome(progress: Progress, correct: bool, now: dt.datetime, rules: policy.Policy) -> str:
    progress.check_answers = [*progress.check_answers, correct]
    outcome = rules.mastery.check_outcome(progress.check_answers)
    if outcome == "pass":
        mark_mastered(progress, now, by="check")
        return "mastered"
    if outcome == "fail":
        progress.status = Progress.Status.IN_PROGRESS
        progress.check_answers = []
        return "check_failed"
    return ""


def _review_outcome(progress: Progress, served: ServedItem, correct: bool, now: dt.datetime) -> str:
    if not served.closed:
        return ""
    outcome = (
        Outcome.WRONG
        if not correct
        else (Outcome.RIGHT if served.tries == 1 and not served.hints_shown else Outcome.RIGHT_WITH_HELP)
    )
    result = REVIEWS.record(progress.review_card or REVIEWS.start(now).card, outcome, now)
    progress.review_card, progress.review_due = result.card, result.due
    if result.lapsed:  # forgotten: the competency reopens for practice
        progress.status = Progress.Status.IN_PROGRESS
        progress.mastered_at = None
        progress.mastered_by = ""
        progress.review_due = None
        return "lapse"
    return "reviewed"


def mark_mastered(progress: Progress, now: dt.datetime, *, by: str) -> None:
    """Record a mastery (by the check, the estimate, a teacher or the diagnostic): schedule its first
    review and resolve the open alerts on it. The caller saves ``progress``."""
    progress.status = Progress.Status.MASTERED
    progress.mastered_at = now
    progress.mastered_by = by
    progress.check_answers = []
    progress.spinning = False
    start = REVIEWS.start(now)
    progress.review_card, progress.review_due = start.card, start.due
    Alert.objects.filter(
        student=progress.student, competency=progress.competency, resolved_at__isnull=True
    ).update(resolved_at=now)


def _unlocked_in(path: Any, code: str) -> list[str]:
    """Competencies needing ``code`` that are open on the path (a learning.path.Path) now."""
    needs_it = {comp for pre, comp in path.edges if pre == code}
    return sorted(
        row.code for row in path.rows if row.code in needs_it and row.status in ("ready", "in_progress")
    )


def _message(graded: item_engine.Grade, retry: bool, event: str, served: ServedItem) -> str:
    if event == "mastered":
        return "Mastered! You showed what you know."
    if event == "check_started":
        return "Right! You're ready to show what you know: answer a few questions without hints."
    if event == "check_failed":
        return "Not yet. Let's practise a little more before the next check."
    if event == "spinning":
        return "Let's try a different way in: pick a video, a reading or a prerequisite from your board."
    if event == "lapse":
        return "This one slipped a bit since you mastered it. Let's practise it again."
    if graded.correct:
        return "Right!" if served.tries == 1 else "Right on the second try!"
    if graded.reason == "not_simplest":
        return "That's the right value, but write it in simplest form."
    if retry:
        return "Not quite. Have another go, or ask for a hint."
    return "Not this time. Here is a worked solution."

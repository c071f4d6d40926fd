"""What an answer changes beyond itself, by the district's mastery policy: a check started, passed or
missed, a mastery, the wheel-spinning guard, a spaced review held or lapsed (the :class:`Event`, recorded
with the answer and returned to the client), and what the student is told. The functions change the
``Progress`` they're given and leave saving it to the answer loop (:mod:`cairn.learning.services.practice`),
which writes it only if unchanged since read.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cairn.accounts.models import User
from cairn.engine import items as item_engine
from cairn.engine.review import Outcome
from cairn.learning.models import Alert, Progress, ServedItem
from cairn.learning.selectors.policy import Policy
from cairn.learning.services.mastery import REVIEWS, mark_mastered


class Event(StrEnum):
    """What an answer changed, beyond the answer itself; recorded with it and returned to the client."""

    NONE = ""  # an answer like any other
    CHECK_STARTED = "check_started"  # the estimate reached the threshold: "show what you know" begins
    CHECK_FAILED = "check_failed"  # the check was missed: back to practice
    MASTERED = "mastered"
    SPINNING = "spinning"  # the wheel-spinning guard stopped the drill
    REVIEWED = "reviewed"  # a spaced review held
    LAPSE = "lapse"  # a review was missed: the competency reopens


# After these the competency is done for now: what follows is the board, not another question.
FINISHING_EVENTS = frozenset({Event.MASTERED, Event.SPINNING, Event.REVIEWED, Event.LAPSE})


def practice_outcome(
    student: User, served: ServedItem, progress: Progress, after: float, rules: Policy, now: dt.datetime
) -> Event:
    decision = rules.mastery.decide(after)  # the engine's rule, by the district's method
    if decision == "mastered":  # no check asked for, or mastery on the estimate alone ("posterior")
        mark_mastered(progress, now, by="estimate")
        return Event.MASTERED
    if decision == "check":
        progress.status = Progress.Status.CHECKING
        progress.check_answers = []
        return Event.CHECK_STARTED
    if rules.guard.is_spinning(progress.recent_estimates, mastered=False) and not progress.spinning:
        progress.spinning = True
        Alert.objects.create(
            student=student,
            competency=served.competency,
            kind=Alert.Kind.WHEEL_SPINNING,
            created_at=now,
            message=(
                f"{progress.attempts} tries on {served.competency.code} without getting closer to mastery."
            ),
        )
        return Event.SPINNING
    return Event.NONE


def check_outcome(progress: Progress, correct: bool, now: dt.datetime, rules: Policy) -> Event:
    progress.check_answers = [*progress.check_answers, correct]
    outcome = rules.mastery.check_outcome(progress.check_answers)
    if outcome == "pass":
        mark_mastered(progress, now, by="check")
        return Event.MASTERED
    if outcome == "fail":
        progress.status = Progress.Status.IN_PROGRESS
        progress.check_answers = []
        return Event.CHECK_FAILED
    return Event.NONE


def review_outcome(progress: Progress, served: ServedItem, correct: bool, now: dt.datetime) -> Event:
    """A due review's answer. One slip does not undo a mastery: after a first miss a second review
    question comes (the misses so far are kept in ``check_answers``), and only a second miss is a lapse,
    which reopens the competency and tells the teacher (an ``Alert.Kind.LAPSE``). A right answer after a
    miss holds the mastery with a shorter interval (the review counts as right with help)."""
    if not served.closed:
        return Event.NONE
    missed_before = sum(1 for answer in progress.check_answers if not answer)
    if not correct and missed_before == 0:
        progress.check_answers = [False]
        return Event.NONE  # one more review question decides
    helped = served.tries > 1 or served.hints_shown or missed_before
    outcome = Outcome.WRONG if not correct else (Outcome.RIGHT_WITH_HELP if helped else Outcome.RIGHT)
    result = REVIEWS.record(progress.review_card or REVIEWS.start(now).card, outcome, now)
    progress.review_card, progress.review_due = result.card, result.due
    progress.check_answers = []
    if result.lapsed:  # forgotten: the competency reopens for practice, and the teacher hears of it
        mastered_on = progress.mastered_at
        progress.status = Progress.Status.IN_PROGRESS
        progress.mastered_at = None
        progress.mastered_by = ""
        progress.review_due = None
        since = f" (mastered {mastered_on:%b %d})" if mastered_on else ""
        Alert.objects.create(
            student_id=progress.student_id,
            competency_id=progress.competency_id,
            kind=Alert.Kind.LAPSE,
            created_at=now,
            message=f"Missed two review questions in a row on {served.competency.code}{since}: "
            "it is open for practice again.",
        )
        return Event.LAPSE
    return Event.REVIEWED


_EVENT_MESSAGES = {
    Event.MASTERED: _lazy("Mastered! You showed what you know."),
    Event.CHECK_STARTED: _lazy(
        "Right! You're ready to show what you know: answer a few questions without hints."
    ),
    Event.CHECK_FAILED: _lazy("Not yet. Let's practice a little more before the next check."),
    Event.SPINNING: _lazy(
        "Let's try a different way in: pick a video, a reading or a prerequisite from your board."
    ),
    Event.LAPSE: _lazy("This one slipped a bit since you mastered it. Let's practice it again."),
}


def message(graded: item_engine.Grade, retry: bool, event: Event, served: ServedItem) -> str:
    if event in _EVENT_MESSAGES:
        return str(_EVENT_MESSAGES[event])
    if graded.correct:
        return _("Right!") if served.tries == 1 else _("Right on the second try!")
    if graded.reason == "not_simplest":
        return _("That's the right value, but write it in simplest form.")
    if retry:
        return _("Not quite. Have another go, or ask for a hint.")
    if served.purpose == ServedItem.Purpose.REVIEW:
        return _("Not this time. Here is a worked solution; one more review question comes next.")
    return _("Not this time. Here is a worked solution.")

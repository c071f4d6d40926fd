"""Spaced review of mastered competencies, scheduled with the FSRS algorithm (the ``fsrs`` library).

A competency gets a review card when it is mastered. A review is a short practice set; its outcome becomes
an FSRS rating (right first time: Good; right with help: Hard; wrong: Again). "Again" is a lapse: the
competency reopens for practice. Flashcard learning steps (minutes) don't fit competencies, so cards go
straight to day-scale intervals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fsrs import Card, Rating, Scheduler


def _utc(when: dt.datetime) -> dt.datetime:
    """fsrs accepts only datetimes in ``datetime.timezone.utc``; any aware datetime converts losslessly."""
    if when.tzinfo is None:
        raise ValueError("review times must be timezone-aware")
    return when.astimezone(dt.UTC)


def _card(stored: dict[str, Any]) -> Card:
    # The stored dict is what Card.to_dict() wrote; fsrs types it as a TypedDict.
    return Card.from_dict(stored)  # type: ignore[arg-type]


class Outcome(StrEnum):
    RIGHT = "right"  # right without help
    RIGHT_WITH_HELP = "right_with_help"  # a hint or a second try
    WRONG = "wrong"


_RATING = {Outcome.RIGHT: Rating.Good, Outcome.RIGHT_WITH_HELP: Rating.Hard, Outcome.WRONG: Rating.Again}


@dataclass(frozen=True)
class ReviewResult:
    card: dict[str, Any]  # JSON-ready, to store beside the student's state
    due: dt.datetime
    lapsed: bool  # the competency should reopen


class ReviewSchedule:
    def __init__(self, desired_retention: float = 0.9, maximum_interval_days: int = 180) -> None:
        self.scheduler = Scheduler(
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=maximum_interval_days,
            enable_fuzzing=False,  # the same history gives the same dates: easier to explain and test
        )

    def start(self, mastered_at: dt.datetime) -> ReviewResult:
        """The first card, as if mastery were a successful review."""
        card, _ = self.scheduler.review_card(Card(), Rating.Good, review_datetime=_utc(mastered_at))
        return ReviewResult(dict(card.to_dict()), card.due, lapsed=False)

    def record(self, card: dict[str, Any], outcome: Outcome, when: dt.datetime) -> ReviewResult:
        new, _ = self.scheduler.review_card(_card(card), _RATING[outcome], review_datetime=_utc(when))
        return ReviewResult(dict(new.to_dict()), new.due, lapsed=outcome is Outcome.WRONG)

    def retrievability(self, card: dict[str, Any], now: dt.datetime) -> float:
        """Estimated probability the student still remembers, now."""
        return float(self.scheduler.get_card_retrievability(_card(card), current_datetime=_utc(now)))

    @staticmethod
    def is_due(card: dict[str, Any], now: dt.datetime) -> bool:
        return _card(card).due <= _utc(now)

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
        card, _ = self.scheduler.review_card(Card(), Rating.Good, review_datetime=mastered_at)
        return ReviewResult(dict(card.to_dict()), card.due, lapsed=False)

    def record(self, card: dict[str, Any], outcome: Outcome, when: dt.datetime) -> ReviewResult:
        new, _ = self.scheduler.review_card(Card.from_dict(card), _RATING[outcome], review_datetime=when)  # type: ignore[arg-type]
        return ReviewResult(dict(new.to_dict()), new.due, lapsed=outcome is Outcome.WRONG)

    def retrievability(self, card: dict[str, Any], now: dt.datetime) -> float:
        """Estimated probability the student still remembers, now."""
        return float(self.scheduler.get_card_retrievability(Card.from_dict(card), current_datetime=now))  # type: ignore[arg-type]

    @staticmethod
    def is_due(card: dict[str, Any], now: dt.datetime) -> bool:
        return Card.from_dict(card).due <= now  # type: ignore[arg-type]

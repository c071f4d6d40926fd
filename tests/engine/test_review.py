"""Spaced review: intervals grow with each success, a lapse brings the next review closer, and the same
history always gives the same dates."""

from __future__ import annotations

import datetime as dt

from cairn.engine.review import Outcome, ReviewSchedule

T0 = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


def test_reviews_space_out_after_successes_and_a_lapse_reopens() -> None:
    schedule = ReviewSchedule()
    first = schedule.start(T0)
    assert first.due > T0 + dt.timedelta(days=1)
    assert not schedule.is_due(first.card, T0)
    assert schedule.is_due(first.card, first.due)
    second = schedule.record(first.card, Outcome.RIGHT, first.due)
    assert second.due - first.due > first.due - T0  # intervals grow
    lapse = schedule.record(second.card, Outcome.WRONG, second.due)
    assert lapse.lapsed
    assert lapse.due - second.due < second.due - first.due
    assert 0 < schedule.retrievability(second.card, second.due + dt.timedelta(days=30)) < 0.9


def test_same_history_gives_same_dates() -> None:
    a, b = ReviewSchedule().start(T0), ReviewSchedule().start(T0)
    assert a.due == b.due

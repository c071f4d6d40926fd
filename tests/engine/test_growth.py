"""Mastery as growth: the one mapping from the learner model's estimate to the words a child reads."""

from __future__ import annotations

from cairn.engine.growth import Change, Level, change_of, level_of


def test_the_levels_come_from_one_mapping() -> None:
    assert level_of(0.0, mastered=False, attempts=0) is Level.STARTING
    assert level_of(0.92, mastered=False, attempts=1) is Level.GETTING_THERE  # one lucky answer
    assert level_of(0.92, mastered=False, attempts=5) is Level.ALMOST
    assert level_of(0.3, mastered=True, attempts=0) is Level.GOT_IT  # placed or marked by a teacher
    assert change_of(0.5, 0.51) is Change.SAME
    assert change_of(0.5, 0.7) is Change.UP
    assert change_of(0.7, 0.5) is Change.DOWN

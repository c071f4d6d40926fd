"""Mastery as growth a child can read: four levels from the learner model's estimate, and the direction of
one answer's change. The one mapping from numbers to words; pages label the levels, adults also see the
percentage.

The levels are deliberately coarse and slow to climb: one lucky answer (or one slip) moves the estimate a
lot early on, so until a student has answered a few questions the level stays at most "getting there", and
"got it" is reserved for what is really recorded as mastered (a passed check, a placement, a teacher).
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    STARTING = "starting"
    GETTING_THERE = "getting_there"
    ALMOST = "almost"
    GOT_IT = "got_it"


class Change(StrEnum):
    UP = "up"
    SAME = "same"
    DOWN = "down"


GETTING_THERE_FROM = 0.4
ALMOST_FROM = 0.75
ANSWERS_BEFORE_ALMOST = 3
STEADY_WITHIN = 0.02  # changes smaller than this read as "the same"


def level_of(mastery: float, *, mastered: bool, attempts: int) -> Level:
    """The level of one competency: ``mastered`` is the recorded status, ``mastery`` the estimate (0..1)."""
    if mastered:
        return Level.GOT_IT
    if attempts <= 0 or mastery < GETTING_THERE_FROM:
        return Level.STARTING
    if mastery < ALMOST_FROM or attempts < ANSWERS_BEFORE_ALMOST:
        return Level.GETTING_THERE
    return Level.ALMOST


def change_of(before: float, after: float) -> Change:
    """Which way one answer moved the estimate, with small moves read as no move."""
    if after - before > STEADY_WITHIN:
        return Change.UP
    if before - after > STEADY_WITHIN:
        return Change.DOWN
    return Change.SAME

"""Wheel-spinning: a student practising a competency over and over without getting closer to mastery.

Beck & Gong (2013) found that students who have not mastered a skill within about 10 practice
opportunities rarely master it by more drill; more of the same is the wrong help. The guard stops drilling,
offers a different kind of activity or a prerequisite, and raises an alert for the teacher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class WheelSpinGuard:
    attempts: int = 10  # research default
    min_gain: float = 0.05  # rise in the mastery estimate over those attempts that counts as progress

    def is_spinning(self, estimates: Sequence[float], mastered: bool) -> bool:
        """``estimates``: the mastery estimate after each attempt on the competency, oldest first."""
        if mastered or len(estimates) < self.attempts:
            return False
        window = estimates[-self.attempts :]
        baseline = estimates[-self.attempts - 1] if len(estimates) > self.attempts else window[0]
        return max(window) - baseline < self.min_gain or len(estimates) >= 2 * self.attempts

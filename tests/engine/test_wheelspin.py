"""Wheel-spinning: many tries without getting closer to mastery."""

from __future__ import annotations

from cairn.engine.wheelspin import WheelSpinGuard


def test_wheel_spinning_needs_ten_attempts_without_progress() -> None:
    guard = WheelSpinGuard()
    flat = [0.3] * 9
    assert not guard.is_spinning(flat, mastered=False)
    assert guard.is_spinning([*flat, 0.31], mastered=False)
    rising = [0.2 + 0.05 * i for i in range(10)]
    assert not guard.is_spinning(rising, mastered=False)
    assert not guard.is_spinning([0.3] * 15, mastered=True)
    assert guard.is_spinning(rising + [0.65] * 10, mastered=False)  # 20 tries and still not there

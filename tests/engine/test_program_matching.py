"""Nearest-neighbour matching on the baseline, without replacement (cairn.engine.program)."""

from cairn.engine.program import match_on_baseline


def test_each_treated_student_gets_the_nearest_untaken_comparison() -> None:
    treated = [50.0, 51.0, 70.0]
    pool = [10.0, 50.5, 52.0, 69.0, 90.0]
    pairs = match_on_baseline(treated, pool)
    # 51 (the middle) goes first and takes 50.5; 50 cannot reuse it (without replacement): it takes 52
    assert pairs == [(0, 2), (1, 1), (2, 3)]
    assert len({j for _, j in pairs}) == len(pairs)


def test_caliper_drops_treated_students_without_a_close_match_and_a_small_pool_runs_out() -> None:
    assert match_on_baseline([50.0, 80.0], [49.0, 60.0], caliper=2.0) == [(0, 0)]
    assert match_on_baseline([1.0, 2.0, 3.0], [2.0]) == [(1, 0)]
    assert match_on_baseline([], [1.0]) == []

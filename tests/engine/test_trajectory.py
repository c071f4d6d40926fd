import datetime as dt

import pytest

from cairn.engine.trajectory import project, target_line

START, END = dt.date(2026, 9, 1), dt.date(2027, 5, 31)


def test_target_line_runs_from_baseline_to_target_and_stays_there() -> None:
    assert target_line(baseline=40, target=80, start=START, target_date=END, on=START) == 40
    assert target_line(baseline=40, target=80, start=START, target_date=END, on=END) == 80
    mid = START + (END - START) / 2
    assert target_line(baseline=40, target=80, start=START, target_date=END, on=mid) == pytest.approx(
        60, abs=0.2
    )
    assert target_line(baseline=40, target=80, start=START, target_date=END, on=END + dt.timedelta(9)) == 80


def test_a_rising_series_that_reaches_the_target_is_on_track_and_a_flat_one_is_not() -> None:
    today = dt.date(2026, 12, 1)
    weeks = [START + dt.timedelta(weeks=k) for k in range(13)]
    rising = [(d, 40 + 0.3 * (d - START).days) for d in weeks]  # +~82 by May
    flat = [(d, 45.0) for d in weeks]
    up = project(rising, baseline=40, target=80, start=START, target_date=END, today=today)
    assert up.on_track is True and up.projected == pytest.approx(40 + 0.3 * (END - START).days)
    assert up.slope_per_week == pytest.approx(2.1)
    down = project(flat, baseline=40, target=80, start=START, target_date=END, today=today)
    assert down.on_track is False and down.projected == pytest.approx(45)
    assert down.expected_today > 50 and down.latest == 45 and down.n_points == 13


def test_one_point_keeps_the_target_lines_slope_and_no_point_says_nothing() -> None:
    today = START + dt.timedelta(days=100)
    expected = target_line(baseline=40, target=80, start=START, target_date=END, on=today)
    ahead = project(
        [(today, expected + 1)], baseline=40, target=80, start=START, target_date=END, today=today
    )
    behind = project(
        [(today, expected - 1)], baseline=40, target=80, start=START, target_date=END, today=today
    )
    assert ahead.on_track is True and behind.on_track is False
    empty = project([], baseline=40, target=80, start=START, target_date=END, today=today)
    assert empty.on_track is None and empty.projected is None


def test_lower_is_better_and_a_target_date_before_the_start_is_refused() -> None:
    pts = [(START, 30.0), (START + dt.timedelta(days=30), 25.0)]
    t = project(
        pts, baseline=30, target=10, start=START, target_date=END, today=START, higher_is_better=False
    )
    assert t.on_track is True
    with pytest.raises(ValueError):
        project(pts, baseline=0, target=1, start=END, target_date=START, today=START)

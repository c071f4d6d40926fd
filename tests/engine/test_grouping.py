from __future__ import annotations

import itertools
import random

import pytest

from cairn.engine.grouping import (
    LearnerNeeds,
    Need,
    RotationStudent,
    Station,
    StationKind,
    Tier,
    TierCuts,
    assign_tiers,
    plan_rotation,
    suggest_groups,
    tier_evidence,
)


def learner(student: int, *needs: str | tuple[str, float] | tuple[str, float, bool]) -> LearnerNeeds:
    out = []
    for n in needs:
        if isinstance(n, str):
            out.append(Need(n, 0.3))
        else:
            out.append(Need(*n))
    return LearnerNeeds(student, tuple(out))


# ---------------------------------------------------------------------------------------------- small groups


def test_students_who_need_the_same_competency_are_grouped() -> None:
    learners = [learner(i, "A") for i in range(4)] + [learner(10 + i, "B") for i in range(3)]
    grouping = suggest_groups(learners)
    assert {g.competency: set(g.students) for g in grouping.groups} == {"A": {0, 1, 2, 3}, "B": {10, 11, 12}}
    assert grouping.ungrouped == []


def test_groups_are_three_to_six_and_a_crowd_splits_by_mastery() -> None:
    learners = [learner(i, ("A", i / 20)) for i in range(13)]
    grouping = suggest_groups(learners)
    sizes = sorted(len(g.students) for g in grouping.groups)
    assert sizes == [4, 4, 5]
    assert all(g.competency == "A" for g in grouping.groups)
    # Each group holds neighbours in mastery: the ranges don't overlap.
    ranges = sorted((min(g.students), max(g.students)) for g in grouping.groups)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))


def test_a_crowd_makes_no_more_groups_than_its_competency_has_distinct_mini_lessons() -> None:
    # 13 need A, 3 of them (the most advanced) need B next; A has one mini-lesson, so one A group (the
    # neediest 5), the B students move on to B, and the rest are listed as also needing A.
    learners = [learner(i, ("A", i / 20), "B" if i >= 10 else "C") for i in range(13)]
    grouping = suggest_groups(learners, lessons={"A": 1})
    by_code = [(g.competency, g.students) for g in grouping.groups]
    assert [code for code, _ in by_code].count("A") == 1
    assert dict(by_code)["A"] == (0, 1, 2, 3, 4)
    assert dict(by_code)["B"] == (10, 11, 12)
    assert grouping.also_need["A"] == tuple(range(5, 13))
    assert set(grouping.ungrouped).isdisjoint({s for g in grouping.groups for s in g.students})
    two = suggest_groups(learners, lessons={"A": 2})
    assert [g.competency for g in two.groups].count("A") == 2


def test_a_second_need_finds_a_group_when_the_first_is_not_shared() -> None:
    learners = [learner(i, "A") for i in range(3)] + [learner(7, "Z", "A"), learner(8, "Y", "A")]
    grouping = suggest_groups(learners)
    assert len(grouping.groups) == 1
    assert set(grouping.groups[0].students) == {0, 1, 2, 7, 8}


def test_a_need_nobody_shares_leaves_the_student_ungrouped_and_nobody_twice() -> None:
    learners = [learner(i, "A") for i in range(5)] + [learner(9, "Q")] + [LearnerNeeds(20, ())]
    grouping = suggest_groups(learners)
    assert grouping.ungrouped == [9, 20]
    grouped = [s for g in grouping.groups for s in g.students]
    assert len(grouped) == len(set(grouped)) == 5


def test_leftovers_fill_groups_with_room_but_never_past_the_maximum() -> None:
    learners = [learner(i, "A") for i in range(4)] + [learner(30, "Q", "R", "A")]
    grouping = suggest_groups(learners, depth=3)
    assert grouping.groups[0].students == (0, 1, 2, 3, 30)
    assert grouping.ungrouped == []  # A was its 3rd need
    full = [learner(i, "A") for i in range(6)] + [learner(30, "Q", "A")]
    grouping = suggest_groups(full, max_size=6)
    assert [len(g.students) for g in grouping.groups] == [6]
    assert grouping.ungrouped == [30]


def test_stuck_students_make_a_group_come_first() -> None:
    learners = [learner(i, ("A", 0.5)) for i in range(4)] + [
        learner(10 + i, ("B", 0.5, True)) for i in range(3)
    ]
    grouping = suggest_groups(learners)
    assert grouping.groups[0].competency == "B"
    assert grouping.groups[0].spinning == 3


def test_students_struggling_outrank_students_who_have_not_started() -> None:
    fresh = [LearnerNeeds(i, (Need("A", 0.0, started=False),)) for i in range(4)]
    working = [LearnerNeeds(10 + i, (Need("B", 0.35),)) for i in range(4)]
    grouping = suggest_groups(fresh + working)
    assert [g.competency for g in grouping.groups] == ["B", "A"]
    a = grouping.groups[1]
    assert (a.started, a.mean_mastery, a.priority) == (0, 0.0, 2.0)  # no evidence is not zero mastery
    assert grouping.groups[0].priority == pytest.approx(4 * 0.65)


def test_grouping_is_deterministic_and_keeps_sizes_on_random_classes() -> None:
    rng = random.Random(7)
    codes = [f"C{i}" for i in range(8)]
    for _ in range(30):
        learners = [
            LearnerNeeds(s, tuple(Need(c, rng.random()) for c in rng.sample(codes, 3))) for s in range(35)
        ]
        a, b = suggest_groups(learners), suggest_groups(list(reversed(learners)))
        assert a == b
        members = [s for g in a.groups for s in g.students]
        assert len(members) == len(set(members))
        assert sorted(members + a.ungrouped) == list(range(35))
        assert all(3 <= len(g.students) <= 6 for g in a.groups)
        for g in a.groups:  # every member really listed the group's competency
            assert all(any(n.competency == g.competency for n in learners[s].needs) for s in g.students)


def test_bad_sizes_and_duplicates_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="max_size"):
        suggest_groups([], min_size=4, max_size=5)
    with pytest.raises(ValueError, match="min_size"):
        suggest_groups([], min_size=0)
    with pytest.raises(ValueError, match="appears twice"):
        suggest_groups([learner(1, "A"), learner(1, "B")])


# ---------------------------------------------------------------------------------------------- tiered tasks


def test_tiers_follow_mastery() -> None:
    tiers = assign_tiers({1: 0.1, 2: 0.39, 3: 0.4, 4: 0.79, 5: 0.8, 6: 1.0, 7: None})
    assert tiers == {
        1: Tier.SUPPORT,
        2: Tier.SUPPORT,
        3: Tier.CORE,
        4: Tier.CORE,
        5: Tier.EXTEND,
        6: Tier.EXTEND,
        7: Tier.CORE,
    }
    assert assign_tiers({1: 0.5}, TierCuts(0.6, 0.9)) == {1: Tier.SUPPORT}
    # Nobody has started the topic: the prerequisites, then the diagnostic, place them.
    assert tier_evidence(None, [0.0, 0.5], 2.0) == (0.25, "prerequisites")
    value, basis = tier_evidence(None, [], -1.0)
    assert basis == "diagnostic" and round(value or 0, 2) == 0.27
    assert tier_evidence(None, [], None) == (None, "none")
    assert tier_evidence(0.6, [0.0], None) == (0.6, "topic")
    with pytest.raises(ValueError, match="support_below < extend_from"):
        TierCuts(0.8, 0.4)


# ------------------------------------------------------------------------------------------ station rotation

FOUR = [
    Station("Mini-lesson", StationKind.TEACHER_LED),
    Station("Laptops", StationKind.ONLINE),
    Station("Partner game", StationKind.COLLABORATIVE),
    Station("Tablets", StationKind.ONLINE),
]


def roster(n: int, rng: random.Random) -> list[RotationStudent]:
    return [
        RotationStudent(
            s,
            need=rng.choice(["A", "B", "C"]),
            mastery=rng.random(),
            teacher_priority=float(rng.random() < 0.2),
            screen_minutes=rng.uniform(0, 120),
        )
        for s in range(n)
    ]


def test_every_block_fills_each_station_with_one_group_and_balances_screens() -> None:
    rng = random.Random(3)
    for rotations in (1, 2, 3, 4):
        plan = plan_rotation(roster(26, rng), FOUR, rotations)
        assert len(plan.groups) == 4
        assert sorted(len(g) for g in plan.groups) == [6, 6, 7, 7]
        for block in plan.schedule:
            assert sorted(block) == [0, 1, 2, 3]  # one group per station, every station in use
        screens = [t.screen for t in plan.time.values()]
        assert max(screens) - min(screens) <= 1
        # No group goes to the same station twice.
        for g in range(4):
            visited = [plan.schedule[b][g] for b in range(rotations)]
            assert len(set(visited)) == rotations
    full = plan_rotation(roster(26, rng), FOUR, 4)
    assert {(t.screen, t.teacher, t.peer) for t in full.time.values()} == {(2, 1, 1)}


def test_screen_stations_are_spread_so_short_periods_stay_balanced() -> None:
    plan = plan_rotation(roster(24, random.Random(1)), FOUR, 2)
    kinds = [s.kind for s in plan.stations]
    # Online stations alternate with the others around the cycle: each 2-block window has exactly one.
    assert all(sum(kinds[(i + b) % 4] == StationKind.ONLINE for b in range(2)) == 1 for i in range(4))
    assert {t.screen for t in plan.time.values()} == {1}


def test_the_group_that_needs_the_teacher_most_sees_the_teacher_first() -> None:
    students = [RotationStudent(s, need="A", mastery=0.9) for s in range(12)]
    stuck = [RotationStudent(100 + s, need="B", mastery=0.1, teacher_priority=1.0) for s in range(4)]
    groups = [[100, 101, 102, 103], [0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    plan = plan_rotation(students + stuck, FOUR, 2, groups=groups)
    teacher = next(i for i, s in enumerate(plan.stations) if s.kind == StationKind.TEACHER_LED)
    assert plan.group_at(0, teacher) == 0
    assert plan.time[100].teacher == 1


def test_groups_with_the_most_screen_time_lately_get_fewer_screens() -> None:
    stations = [
        Station("Teacher", StationKind.TEACHER_LED),
        Station("Online 1", StationKind.ONLINE),
        Station("Online 2", StationKind.ONLINE),
    ]
    # Three stations, two online, two blocks: windows hold one or two screens; the heavy users get one.
    heavy = [RotationStudent(s, mastery=0.5, screen_minutes=200) for s in range(3)]
    light = [RotationStudent(10 + s, mastery=0.5, screen_minutes=0) for s in range(6)]
    groups = [[10, 11, 12], [0, 1, 2], [13, 14, 15]]
    plan = plan_rotation(heavy + light, stations, 2, groups=groups)
    # Four screen blocks to share among three groups: the heavy users are not the group that gets two.
    assert plan.time[0].screen == 1
    assert sorted(plan.time[s].screen for s in (10, 13)) == [1, 2]


def test_formed_groups_keep_students_with_the_same_need_together() -> None:
    students = [RotationStudent(s, need="AB"[s % 2], mastery=s / 20) for s in range(12)]
    stations = [Station("T", StationKind.TEACHER_LED), Station("O", StationKind.ONLINE)]
    plan = plan_rotation(students, stations, 2)
    assert sorted(plan.focus) == ["A", "B"]
    assert all(len({students[s].need for s in g}) == 1 for g in plan.groups)


def test_bad_rotation_input_is_refused_with_a_clear_message() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="2 to 6 stations"):
        plan_rotation(roster(10, rng), FOUR[:1], 1)
    with pytest.raises(ValueError, match="teacher-led"):
        plan_rotation(roster(10, rng), [FOUR[0], Station("T2", StationKind.TEACHER_LED)], 1)
    with pytest.raises(ValueError, match="rotations"):
        plan_rotation(roster(10, rng), FOUR, 5)
    with pytest.raises(ValueError, match="can't fill"):
        plan_rotation(roster(3, rng), FOUR, 2)
    with pytest.raises(ValueError, match="one group per station"):
        plan_rotation(roster(8, rng), FOUR, 2, groups=[[0, 1, 2, 3], [4, 5, 6, 7]])
    with pytest.raises(ValueError, match="exactly one"):
        plan_rotation(roster(8, rng), FOUR, 2, groups=[[0, 1], [2, 3], [4, 5], [6, 6]])

"""Planning the next lesson: small groups, tiered tasks and station rotation. Pure: ids in, plans out.

Small groups. A teacher can pull a handful of students for a face-to-face mini-lesson; the group is worth
pulling when its members need the same thing next. Each student brings their needs, most pressing first
(the caller decides what "pressing" means; Cairn puts stuck competencies first, then the ones in progress
with the lowest mastery, then the ones just opened). Groups are formed greedily, first on everybody's most
pressing need, then letting second and third needs count, so a student joins a group for something they
need soon rather than being left alone. A group has 3 to 6 members by default: fewer is tutoring, more is a
lecture. A crowd that needs the same competency is split by mastery, so each group is at a similar level.

Tiered tasks. One task written at three levels (support, core, extend); each student gets the level their
mastery of the task's competency calls for.

Station rotation. The class splits into as many groups as there are stations and the groups rotate, one
station per block. Stations are laid around a cycle with the screen stations spread evenly, and each group
walks a window of consecutive stations, so every group gets (within one block) the same screen time, and
the groups that need the teacher most, or had the most screen time lately, get the windows that suit them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

# --------------------------------------------------------------------------------------------- small groups


@dataclass(frozen=True)
class Need:
    """A competency a student should work on next, with where they stand on it."""

    competency: str
    mastery: float
    spinning: bool = False
    started: bool = True  # False: just opened, no answers yet (its mastery is a prior, not evidence)


@dataclass(frozen=True)
class LearnerNeeds:
    student: int
    needs: tuple[Need, ...]  # most pressing first


@dataclass(frozen=True)
class Group:
    competency: str
    students: tuple[int, ...]
    needs: tuple[Need, ...]  # each member's need, in the order of ``students``

    @property
    def spinning(self) -> int:
        """Members stuck (wheel-spinning) on the competency."""
        return sum(n.spinning for n in self.needs)

    @property
    def started(self) -> int:
        return sum(n.started for n in self.needs)

    @property
    def mean_mastery(self) -> float:
        """Over the members who have started it (0 when nobody has)."""
        known = [n.mastery for n in self.needs if n.started]
        return sum(known) / len(known) if known else 0.0

    @property
    def priority(self) -> float:
        """How much pulling this group helps: each member who has started counts by how far from mastery
        they are, one who hasn't by half (an introduction helps, but a student struggling needs it more),
        and a stuck member counts once more."""
        return sum((1 - n.mastery) if n.started else 0.5 for n in self.needs) + self.spinning


@dataclass(frozen=True)
class Grouping:
    groups: list[Group]  # most worth pulling first
    ungrouped: list[int]  # students whose needs nobody else shares
    # Students who need a competency too but are not in its group(s), because it has fewer distinct
    # mini-lessons than its crowd fills groups (see ``lessons`` in suggest_groups): code -> students.
    also_need: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _check_sizes(min_size: int, max_size: int) -> None:
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1 (got {min_size})")
    if max_size < min_size:
        raise ValueError(f"max_size ({max_size}) must not be below min_size ({min_size})")
    # A crowd of max_size + 1 splits in two halves, and each half must still be big enough.
    if max_size < 2 * min_size - 1:
        raise ValueError(
            f"max_size ({max_size}) must be at least 2 × min_size − 1 ({2 * min_size - 1}) so a crowd "
            "can be split into groups that are all big enough"
        )


def _split(members: list[tuple[float, int]], max_size: int) -> list[list[tuple[float, int]]]:
    """Near-equal chunks of at most max_size, each of neighbours in mastery."""
    members = sorted(members)
    parts = math.ceil(len(members) / max_size)
    base, extra = divmod(len(members), parts)
    chunks, start = [], 0
    for i in range(parts):
        size = base + (1 if i < extra else 0)
        chunks.append(members[start : start + size])
        start += size
    return chunks


def suggest_groups(
    learners: Sequence[LearnerNeeds],
    *,
    min_size: int = 3,
    max_size: int = 6,
    depth: int = 3,
    lessons: Mapping[str, int] | None = None,
) -> Grouping:
    """Groups of ``min_size``..``max_size`` students who need the same competency next.

    ``lessons``, when given, says how many distinct mini-lessons each competency has (a missing code: one).
    Two groups for the same competency with the same mini-lesson are one lesson taught twice, so a crowd
    makes at most that many groups (the neediest, lowest mastery first); the rest of the crowd moves on to
    their next need and is listed in ``also_need``. Without ``lessons`` a crowd splits into as many groups
    as it fills.

    Deterministic: ties go to the competency whose members rank it higher, then to the smaller code."""
    _check_sizes(min_size, max_size)
    if depth < 1:
        raise ValueError(f"depth must be at least 1 (got {depth})")
    seen: set[int] = set()
    for learner in learners:
        if learner.student in seen:
            raise ValueError(f"student {learner.student} appears twice")
        seen.add(learner.student)
    needs = {learner.student: learner.needs[:depth] for learner in learners}
    unassigned = {s for s, n in needs.items() if n}
    groups: list[Group] = []
    also_need: dict[str, tuple[int, ...]] = {}
    for d in range(1, depth + 1):
        while True:
            wanted: dict[str, list[tuple[int, Need, int]]] = {}
            for student in sorted(unassigned):
                listed: set[str] = set(also_need)  # a competency whose lessons are all given is done
                for rank, need in enumerate(needs[student][:d]):
                    if need.competency not in listed:  # a need listed twice counts once
                        listed.add(need.competency)
                        wanted.setdefault(need.competency, []).append((rank, need, student))
            viable = [(code, members) for code, members in wanted.items() if len(members) >= min_size]
            if not viable:
                break
            code, members = min(viable, key=lambda cm: (-len(cm[1]), sum(r for r, _, _ in cm[1]), cm[0]))
            by_student = {s: need for _, need, s in members}
            chunks = _split([(need.mastery, s) for _, need, s in members], max_size)
            kept = chunks if lessons is None else chunks[: max(1, lessons.get(code, 1))]
            for chunk in kept:
                ids = tuple(s for _, s in chunk)
                groups.append(Group(competency=code, students=ids, needs=tuple(by_student[s] for s in ids)))
            placed_now = {s for chunk in kept for _, s in chunk}
            if lessons is not None:
                also_need[code] = tuple(sorted(by_student.keys() - placed_now))
                for s in by_student.keys() - placed_now:  # they move on to their next need
                    needs[s] = tuple(n for n in needs[s] if n.competency != code)
            unassigned -= placed_now
    # Whoever is left joins a group with room that works on something they need, nearest need first.
    leftover: list[int] = []
    for student in sorted(unassigned):
        placed = False
        for need in needs[student]:
            open_groups = [
                i
                for i, g in enumerate(groups)
                if g.competency == need.competency and len(g.students) < max_size
            ]
            if open_groups:
                i = min(open_groups, key=lambda i: (len(groups[i].students), i))
                g = groups[i]
                groups[i] = Group(g.competency, (*g.students, student), (*g.needs, need))
                placed = True
                break
        if not placed:
            leftover.append(student)
    groups.sort(key=lambda g: (-g.priority, g.competency, g.students))
    in_groups = {s for g in groups for s in g.students}
    return Grouping(
        groups=groups,
        ungrouped=sorted(s for s in needs if s not in in_groups),
        also_need={code: ids for code, ids in sorted(also_need.items()) if ids},
    )


# --------------------------------------------------------------------------------------------- tiered tasks


class Tier(StrEnum):
    SUPPORT = "support"  # scaffolded: worked examples, manipulatives, fewer steps
    CORE = "core"  # the task as written
    EXTEND = "extend"  # the same idea, deeper or transferred


@dataclass(frozen=True)
class TierCuts:
    """Mastery below ``support_below`` gets support; from ``extend_from`` up gets the extension."""

    support_below: float = 0.4
    extend_from: float = 0.8

    def __post_init__(self) -> None:
        if not 0 < self.support_below < self.extend_from <= 1:
            raise ValueError(
                "tier cuts must satisfy 0 < support_below < extend_from <= 1 "
                f"(got {self.support_below} and {self.extend_from})"
            )

    def tier(self, mastery: float | None) -> Tier:
        if mastery is None:  # no evidence yet: the task as written, and the teacher watches
            return Tier.CORE
        if mastery < self.support_below:
            return Tier.SUPPORT
        if mastery >= self.extend_from:
            return Tier.EXTEND
        return Tier.CORE


def assign_tiers(mastery: Mapping[int, float | None], cuts: TierCuts | None = None) -> dict[int, Tier]:
    """Each student's level of a tiered task, from their mastery of its competency."""
    cuts = cuts or TierCuts()
    return {student: cuts.tier(m) for student, m in mastery.items()}


class Basis(StrEnum):
    """What a student's level of a tiered task was read from."""

    TOPIC = "topic"  # their own answers on the task's competency (or having mastered it)
    PREREQUISITES = "prerequisites"  # nothing on the topic yet: how far they are with what it builds on
    DIAGNOSTIC = "diagnostic"  # no topic or prerequisite evidence: their latest diagnostic
    NONE = "none"  # nothing to go on: the task as written


def ability_share(theta: float) -> float:
    """A diagnostic ability (logit scale, 0 = a typical student of the grades it spans) as the chance of
    answering a typical item right, so it reads on the same 0–1 scale as mastery: 0 → 0.5, −1 → 0.27."""
    return 1.0 / (1.0 + math.exp(-theta))


def tier_evidence(
    topic: float | None, prerequisites: Sequence[float], diagnostic: float | None
) -> tuple[float | None, Basis]:
    """The mastery-like value a student's level is read from, and where it came from.

    ``topic`` is their mastery of the task's competency (None: no answers on it yet); ``prerequisites`` their
    mastery of each competency it builds on (1 for mastered, 0 for not begun); ``diagnostic`` their latest
    ability (logit scale). Before anyone starts a topic, putting everybody in Core says nothing: a student
    who has not got the prerequisites needs the support level, one who has them all can take the extension.
    """
    if topic is not None:
        return topic, Basis.TOPIC
    if prerequisites:
        return sum(prerequisites) / len(prerequisites), Basis.PREREQUISITES
    if diagnostic is not None:
        return ability_share(diagnostic), Basis.DIAGNOSTIC
    return None, Basis.NONE


# ------------------------------------------------------------------------------------------ station rotation


class StationKind(StrEnum):
    TEACHER_LED = "teacher_led"
    ONLINE = "online"
    COLLABORATIVE = "collaborative"
    OFFLINE = "offline"


SCREEN_KINDS = frozenset({StationKind.ONLINE})
PEER_KINDS = frozenset({StationKind.COLLABORATIVE})


@dataclass(frozen=True)
class Station:
    name: str
    kind: StationKind


@dataclass(frozen=True)
class RotationStudent:
    student: int
    need: str | None = None  # the competency they need next
    mastery: float = 0.5  # their mastery of it
    teacher_priority: float = 0.0  # 1 for a student who is stuck, 0 otherwise
    screen_minutes: float = 0.0  # screen time lately (e.g. this week), to even out


@dataclass(frozen=True)
class StudentTime:
    screen: int
    teacher: int
    peer: int
    offline: int


@dataclass(frozen=True)
class RotationPlan:
    stations: tuple[Station, ...]  # in the order groups walk them (a cycle)
    groups: tuple[tuple[int, ...], ...]
    focus: tuple[str | None, ...]  # the need most of each group shares
    schedule: tuple[tuple[int, ...], ...]  # schedule[block][group] = index into stations
    time: dict[int, StudentTime] = field(default_factory=dict)

    def station_of(self, block: int, group: int) -> Station:
        return self.stations[self.schedule[block][group]]

    def group_at(self, block: int, station: int) -> int:
        return self.schedule[block].index(station)


def _cycle(stations: Sequence[Station]) -> tuple[Station, ...]:
    """Screen stations spread evenly around the cycle (Bresenham), so every window of consecutive stations
    holds the floor or the ceiling of its fair share of screens."""
    screens = [s for s in stations if s.kind in SCREEN_KINDS]
    others = sorted(
        (s for s in stations if s.kind not in SCREEN_KINDS), key=lambda s: s.kind != StationKind.TEACHER_LED
    )
    n = len(stations)
    screen_at = {(i * n) // len(screens) for i in range(len(screens))} if screens else set()
    order: list[Station] = []
    screen_iter, other_iter = iter(screens), iter(others)
    for pos in range(n):
        order.append(next(screen_iter) if pos in screen_at else next(other_iter))
    return tuple(order)


def _form_groups(students: Sequence[RotationStudent], count: int) -> list[tuple[int, ...]]:
    """``count`` near-equal groups; students who need the same competency sit together, by mastery."""
    ordered = sorted(students, key=lambda s: (s.need or "\uffff", s.mastery, s.student))
    base, extra = divmod(len(ordered), count)
    groups, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        groups.append(tuple(s.student for s in ordered[start : start + size]))
        start += size
    return groups


def plan_rotation(
    students: Sequence[RotationStudent],
    stations: Sequence[Station],
    rotations: int,
    *,
    groups: Sequence[Sequence[int]] | None = None,
) -> RotationPlan:
    """Who goes where in each block of a station-rotation period.

    ``groups``: the teacher's own rotation groups (one per station); formed from needs when absent."""
    if not 2 <= len(stations) <= 6:
        raise ValueError(f"a rotation needs 2 to 6 stations (got {len(stations)})")
    if sum(s.kind == StationKind.TEACHER_LED for s in stations) > 1:
        raise ValueError("only one station can be teacher-led: the teacher can't be in two places")
    if len({s.name for s in stations}) != len(stations):
        raise ValueError("station names must differ")
    if not 1 <= rotations <= len(stations):
        raise ValueError(f"rotations must be between 1 and the number of stations ({len(stations)})")
    by_id = {s.student: s for s in students}
    if len(by_id) != len(students):
        raise ValueError("a student appears twice")
    if len(students) < len(stations):
        raise ValueError(f"{len(students)} students can't fill {len(stations)} stations")
    if groups is None:
        formed = _form_groups(students, len(stations))
    else:
        formed = [tuple(g) for g in groups]
        if len(formed) != len(stations):
            raise ValueError(f"give one group per station: {len(stations)} groups, not {len(formed)}")
        placed = [s for g in formed for s in g]
        if sorted(placed) != sorted(by_id) or any(not g for g in formed):
            raise ValueError("the groups must split the students: everyone in exactly one, none empty")

    cycle = _cycle(stations)
    n = len(cycle)
    windows = [[(offset + b) % n for b in range(rotations)] for offset in range(n)]
    teacher_pos = next((i for i, s in enumerate(cycle) if s.kind == StationKind.TEACHER_LED), None)

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    need_teacher = np.array(
        [mean([by_id[s].teacher_priority + (1 - by_id[s].mastery) for s in g]) for g in formed]
    )
    screen_lately = np.array([mean([by_id[s].screen_minutes for s in g]) for g in formed])
    screen_scale = screen_lately / screen_lately.max() if screen_lately.max() > 0 else screen_lately
    value = np.zeros((n, n))
    for g in range(n):
        for o, window in enumerate(windows):
            screens = sum(cycle[p].kind in SCREEN_KINDS for p in window)
            value[g, o] -= screen_scale[g] * screens
            if teacher_pos is not None and teacher_pos in window:
                # Sooner is better: the mini-lesson comes before the practice that builds on it.
                value[g, o] += 2 * need_teacher[g] * (1 + 0.1 * (rotations - window.index(teacher_pos)))
    # Imported here: SciPy's optimize takes a second to import, and only the rotation planner needs it.
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(value, maximize=True)
    offset_of = dict(zip(rows.tolist(), cols.tolist(), strict=True))
    schedule = tuple(tuple(windows[offset_of[g]][b] for g in range(n)) for b in range(rotations))

    time: dict[int, StudentTime] = {}
    for g, members in enumerate(formed):
        kinds = [cycle[schedule[b][g]].kind for b in range(rotations)]
        for s in members:
            time[s] = StudentTime(
                screen=sum(k in SCREEN_KINDS for k in kinds),
                teacher=kinds.count(StationKind.TEACHER_LED),
                peer=sum(k in PEER_KINDS for k in kinds),
                offline=kinds.count(StationKind.OFFLINE),
            )
    focus = tuple(_focus([by_id[s] for s in g]) for g in formed)
    return RotationPlan(stations=cycle, groups=tuple(formed), focus=focus, schedule=schedule, time=time)


def _focus(members: Sequence[RotationStudent]) -> str | None:
    needs = Counter(s.need for s in members if s.need)
    if not needs:
        return None
    top = max(needs.values())
    return min(code for code, k in needs.items() if k == top)

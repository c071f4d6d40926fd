"""The demo district's equity and evidence data: demographics for its students, an outside test (a baseline
and a winter interim) per student with Riverside in the program growing more, and each student group's
weekly figures for the goals with a measure per student, in which the gaps narrow a little. Small groups
(504 plans, a few races) stay under 10 students, so the pages show "fewer than 10". Deterministic (one
seeded random stream over students in username order) and bulk-written."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from cairn.accounts.models import District, Role, RoleAssignment, School
from cairn.leaders.group_measures import DIMENSIONS, MIN_GROUP, groups_of
from cairn.leaders.models import Demographics, Goal, GroupValue, MeasureValue, OutsideScore, ProgramSchool

TEST = "State Math"
BASELINE, INTERIM = "Spring baseline", "Winter interim"
RACES = [
    ("Hispanic or Latino", 0.40),
    ("White", 0.30),
    ("Black or African American", 0.15),
    ("Asian", 0.10),
    ("Native Hawaiian or Other Pacific Islander", 0.03),
    ("Two or more races", 0.02),
]
# the gap between groups at the start, per goal measure, and how much of it closes by the last week
GAPS = {"mastery_rate": (18.0, 0.35), "active_days": (0.6, 0.2)}


def _pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for name, share in options:
        total += share
        if roll < total:
            return name
    return options[-1][0]


def seed_demographics(district: District, seed: int = 2026) -> dict[int, int]:
    """Demographics for every student of the district; returns student id -> school id."""
    rng = random.Random(seed)
    rows = (
        RoleAssignment.objects.filter(role=Role.STUDENT, school__district=district)
        .order_by("user__username")
        .values_list("user_id", "school_id")
    )
    school_of = dict(rows)
    Demographics.objects.bulk_create(
        Demographics(
            student_id=student_id,
            frl=rng.random() < 0.45,
            ell=rng.random() < 0.2,
            iep=rng.random() < 0.12,
            plan504=rng.random() < 0.05,
            race_ethnicity=_pick(rng, RACES),
            gender=_pick(rng, [("Female", 0.49), ("Male", 0.49), ("Nonbinary", 0.02)]),
            source="demo",
        )
        for student_id in school_of
    )
    return school_of


def seed_scores(district: District, school_of: dict[int, int], start: dt.date, today: dt.date) -> None:
    """A baseline and an interim per student; Riverside (in the program since ``start``) grows more, and
    students on free or reduced lunch grow a little more than others there (the gap narrows)."""
    rng = random.Random(7)
    program = School.objects.filter(district=district, code="RES").first()
    if program is not None:
        ProgramSchool.objects.get_or_create(school=program, defaults={"since": start})
    demos = {d.student_id: d for d in Demographics.objects.filter(student_id__in=list(school_of))}
    rows = []
    for student_id, school_id in school_of.items():
        demo = demos.get(student_id)
        behind = 15 * bool(demo and demo.frl) + 10 * bool(demo and demo.ell) + 12 * bool(demo and demo.iep)
        before = rng.gauss(420 - behind, 25)
        in_program = program is not None and school_id == program.pk
        growth = rng.gauss(30 if in_program else 18, 12) + (5 if in_program and demo and demo.frl else 0)
        for period, on, score in (
            (BASELINE, start - dt.timedelta(days=120), before),
            (INTERIM, today, before + growth),
        ):
            rows.append(
                OutsideScore(
                    district=district,
                    student_id=student_id,
                    assessment=TEST,
                    subject="Mathematics",
                    window=period,
                    on=on,
                    period=period,
                    score=round(score),
                    scale="scale score",
                    batch="demo",
                )
            )
    OutsideScore.objects.bulk_create(rows)


def seed_group_values(goals: list[Goal], school_of: dict[int, int]) -> None:
    """Each group's weekly figure beside the demo's stored school and district figures: the school's figure
    shifted by the group's distance from the middle, a distance that shrinks week by week."""
    demos = {d.student_id: groups_of(d) for d in Demographics.objects.filter(student_id__in=list(school_of))}
    counts: Counter[tuple[int | None, str, str]] = Counter()
    for student_id, groups in demos.items():
        for dimension, group in groups.items():
            counts[(None, dimension, group)] += 1
            counts[(school_of[student_id], dimension, group)] += 1
    rows = []
    for goal in goals:
        if goal.measure_key not in GAPS:
            continue
        gap, closes = GAPS[goal.measure_key]
        figures = MeasureValue.objects.filter(goal=goal).values_list("school_id", "on", "value")
        days = sorted({on for _, on, _ in figures})
        for place, on, value in figures:
            shrink = 1 - closes * days.index(on) / max(len(days) - 1, 1)
            for dimension in DIMENSIONS:
                names = sorted(g for p, d, g in counts if p == place and d == dimension)
                for rank, group in enumerate(names):
                    n = counts[(place, dimension, group)]
                    offset = _offset(dimension, group, rank, len(names)) * gap * shrink
                    shown = round(max((value or 0.0) + offset, 0.0), 2) if n >= MIN_GROUP else None
                    rows.append(
                        GroupValue(
                            goal=goal,
                            school_id=place,
                            on=on,
                            dimension=dimension,
                            group=group,
                            value=shown,
                            n=n,
                        )
                    )
    GroupValue.objects.bulk_create(rows, batch_size=2000)


def _offset(dimension: str, group: str, rank: int, of: int) -> float:
    """Where a group sits around the school's figure, as a share of the gap (-0.5 .. 0.5)."""
    if group in ("yes", "no"):
        return -0.5 if group == "yes" else 0.5
    return (rank / (of - 1) - 0.5) if of > 1 else 0.0

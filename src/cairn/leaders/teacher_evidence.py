"""Evidence about teachers' practices from what Cairn sees them do and from walkthroughs, fed into each
teacher's learner state through the learning app's one evidence door. Idempotent: each piece is written once
(``PracticeEvidence`` keyed by where it came from), so the nightly job and a rerun add only what is new.

Signals, per teacher per finished week (Monday to Sunday) in the last few weeks, when the teacher has a class:

- small_groups: a small group they made was marked taught (1) or none was (0, counts less);
- station_plans: they planned a station rotation for a lesson that week (1) or not (0, counts less);
- tiered_tasks: they made a tiered task that week (1) or not (0, counts less);
- goals_set: the share of their students who set a weekly goal;
- alerts_seen_to: the share of their students' alerts raised that week that were seen to.

Walkthroughs: each look-for marked on a visit to the teacher's class counts for the practices it shows, seen
(1) or not (0), as an observer's evidence (full weight).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, Enrolment, Role, RoleAssignment, User
from cairn.agency.models import WeeklyGoal
from cairn.curriculum.models import Competency
from cairn.insights.models import SmallGroup, StationPlan, TieredTask
from cairn.leaders import teacher_paths
from cairn.leaders.models import PracticeEvidence, WalkthroughMark
from cairn.learning.models import Alert
from cairn.learning.services.evidence import record_evidence

WEEKS = 4
DID = 0.5  # weight of a week in which the teacher did it
DID_NOT = 0.2  # a week without it says less (they may have had reasons)
SHARE = 0.5  # weight of a share (goals set, alerts seen to)
OBSERVED = 1.0  # a walkthrough: someone saw it
BINARY = {"small_groups", "station_plans", "tiered_tasks"}


@dataclass(frozen=True)
class Point:
    teacher_id: int
    signal: str
    key: str
    source: str  # PracticeEvidence.Source
    score: float
    weight: float
    at: dt.datetime


def _mondays(on: dt.date, weeks: int) -> list[dt.date]:
    this_monday = on - dt.timedelta(days=on.weekday())
    return [this_monday - dt.timedelta(weeks=w) for w in range(weeks, 0, -1)]


def _week_end(monday: dt.date) -> dt.datetime:
    sunday = dt.datetime.combine(monday + dt.timedelta(days=6), dt.time(18, 0))
    return timezone.make_aware(sunday)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _done(teacher_ids: set[int], first: dt.date, last: dt.date) -> dict[str, set[tuple[int, dt.date]]]:
    """(teacher, Monday) pairs in which each binary signal was seen."""
    groups = SmallGroup.objects.filter(
        created_by_id__in=teacher_ids, done_at__isnull=False, for_date__range=(first, last)
    ).values_list("created_by_id", "for_date")
    plans = StationPlan.objects.filter(
        created_by_id__in=teacher_ids, lesson_date__range=(first, last)
    ).values_list("created_by_id", "lesson_date")
    tiered = TieredTask.objects.filter(
        created_by_id__in=teacher_ids, created_at__date__range=(first, last)
    ).values_list("created_by_id", "created_at")
    return {
        "small_groups": {(t, _monday(d)) for t, d in groups},
        "station_plans": {(t, _monday(d)) for t, d in plans},
        "tiered_tasks": {(t, _monday(timezone.localtime(d).date())) for t, d in tiered},
    }


def _students(teacher_ids: set[int]) -> dict[int, set[int]]:
    taught = Enrolment.objects.filter(
        user_id__in=teacher_ids, kind=Enrolment.Kind.TEACHER, section__active=True
    )
    sections: dict[int, set[int]] = defaultdict(set)
    for teacher_id, section_id in taught.values_list("user_id", "section_id"):
        sections[section_id].add(teacher_id)
    students: dict[int, set[int]] = defaultdict(set)
    rows = Enrolment.objects.filter(section_id__in=sections, kind=Enrolment.Kind.STUDENT)
    for section_id, student_id in rows.values_list("section_id", "user_id"):
        for teacher_id in sections[section_id]:
            students[teacher_id].add(student_id)
    return students


def _shares(students: dict[int, set[int]], monday: dt.date) -> list[Point]:
    everyone = set().union(*students.values()) if students else set()
    setters = set(
        WeeklyGoal.objects.filter(student_id__in=everyone, week_start=monday).values_list(
            "student_id", flat=True
        )
    )
    alerts = Alert.objects.filter(
        student_id__in=everyone, created_at__date__range=(monday, monday + dt.timedelta(days=6))
    ).values_list("student_id", "resolved_at")
    raised: dict[int, list[bool]] = defaultdict(list)
    for student_id, resolved in alerts:
        raised[student_id].append(resolved is not None)
    points, at = [], _week_end(monday)
    for teacher_id, mine in students.items():
        if mine:
            share = len(mine & setters) / len(mine)
            points.append(Point(teacher_id, "goals_set", f"goals_set:{monday}", "cairn", share, SHARE, at))
        seen = [flag for s in mine for flag in raised.get(s, [])]
        if seen:
            share = sum(seen) / len(seen)
            points.append(Point(teacher_id, "alerts_seen_to", f"alerts:{monday}", "cairn", share, SHARE, at))
    return points


def cairn_points(teacher_ids: set[int], on: dt.date, weeks: int = WEEKS) -> list[Point]:
    mondays = _mondays(on, weeks)
    if not mondays or not teacher_ids:
        return []
    students = _students(teacher_ids)
    teaching = set(
        Enrolment.objects.filter(user_id__in=teacher_ids, kind=Enrolment.Kind.TEACHER).values_list(
            "user_id", flat=True
        )
    )
    done = _done(teacher_ids, mondays[0], mondays[-1] + dt.timedelta(days=6))
    points = []
    for monday in mondays:
        at = _week_end(monday)
        for signal in sorted(BINARY):
            for teacher_id in sorted(teaching):
                did = (teacher_id, monday) in done[signal]
                score, weight = (1.0, DID) if did else (0.0, DID_NOT)
                points.append(Point(teacher_id, signal, f"{signal}:{monday}", "cairn", score, weight, at))
        points.extend(_shares(students, monday))
    return points


def walkthrough_points(district: District, teacher_ids: set[int]) -> list[Point]:
    marks = WalkthroughMark.objects.filter(
        walkthrough__school__district=district, walkthrough__teacher_id__in=teacher_ids
    ).values_list("pk", "look_for", "seen", "walkthrough__teacher_id", "walkthrough__at")
    return [
        Point(teacher_id, look_for, f"walkthrough:{pk}", "walkthrough", 1.0 if seen else 0.0, OBSERVED, at)
        for pk, look_for, seen, teacher_id, at in marks
    ]


def _practices_by_signal(practices: list[Competency]) -> dict[str, list[Competency]]:
    found: dict[str, list[Competency]] = defaultdict(list)
    for competency in practices:
        spec = teacher_paths.practice_spec(teacher_paths.practice_key(competency))
        for signal in [*spec["signals"], *spec["look_fors"]]:
            found[signal].append(competency)
    return found


def _feed(teacher: User, competency: Competency, point: Point) -> None:
    with transaction.atomic():
        record_evidence(
            teacher,
            competency,
            source="teacher" if point.source == "walkthrough" else "statement",
            correct_or_score=point.score,
            weight=point.weight,
            at=point.at,
            label="walkthrough" if point.source == "walkthrough" else "cairn",
        )
        PracticeEvidence.objects.create(
            teacher=teacher,
            competency=competency,
            key=point.key,
            source=point.source,
            signal=point.signal,
            score=round(point.score, 4),
            weight=point.weight,
            at=point.at,
        )


def feed_evidence(*, district: District, on: dt.date | None = None, weeks: int = WEEKS) -> int:
    """Turn the district's teachers' signals into evidence per teacher per practice; returns how many new
    pieces were recorded (0 on a rerun)."""
    day = on or timezone.localdate()
    practices = teacher_paths.practices_of(teacher_paths.sync_course(district=district))
    by_signal = _practices_by_signal(practices)
    teacher_ids = set(
        RoleAssignment.objects.filter(role=Role.TEACHER, school__district=district).values_list(
            "user_id", flat=True
        )
    )
    points = cairn_points(teacher_ids, day, weeks) + walkthrough_points(district, teacher_ids)
    seen = set(
        PracticeEvidence.objects.filter(teacher_id__in=teacher_ids).values_list(
            "teacher_id", "competency_id", "key"
        )
    )
    teachers = {u.pk: u for u in User.objects.filter(pk__in=teacher_ids)}
    fed = 0
    for point in sorted(points, key=lambda p: (p.at, p.teacher_id, p.key)):
        for competency in by_signal.get(point.signal, []):
            if (point.teacher_id, competency.pk, point.key) in seen:
                continue
            _feed(teachers[point.teacher_id], competency, point)
            seen.add((point.teacher_id, competency.pk, point.key))
            fed += 1
    return fed

"""Reads for the teacher pages and API: one section's stored state, in a handful of queries.

Callers have checked access first (cairn.insights.access). Nothing here runs a learner model: mastery,
uncertainty and status are what the practice loop stored after each answer. Ready and locked come from
the release rules, evaluated for the whole class at once by the evaluation behind each student's own path
(cairn.learning.path.path_states).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.agency import pace as agency_pace
from cairn.agency.models import Reflection, WeeklyGoal
from cairn.curriculum.models import Competency, Content, SectionContent
from cairn.curriculum.models import Status as ContentStatus
from cairn.engine.grouping import Grouping, LearnerNeeds, Need, suggest_groups
from cairn.learning import overrides
from cairn.learning.models import (
    ActivityChoice,
    ActivityCompletion,
    Alert,
    Attempt,
    PathOverride,
    Progress,
)
from cairn.learning.path import _edges, path_competencies, path_states

# Confidence in a cell's mastery estimate. Few answers mean little evidence, whatever the model says; the
# estimate's own spread (the SD stored with it) says how sure the model is once there is evidence.
FEW_ANSWERS = 3
SURE_SD, FAIR_SD = 0.25, 0.4
# A student who has done nothing for this many school days is inactive.
INACTIVE_SCHOOL_DAYS = 5

SYMBOLS = {"mastered": "✓", "in_progress": "…", "ready": "→", "locked": "·"}
SKIP = str(PathOverride.Action.SKIP.value)
MASTERED, CHECKING = str(Progress.Status.MASTERED.value), str(Progress.Status.CHECKING.value)


class Cell(NamedTuple):
    """One student on one competency, as the class view draws it. A named tuple: a class has thousands."""

    status: str  # mastered, in_progress, ready, locked (the path's status)
    mastery: float
    uncertainty: float
    attempts: int
    checking: bool = False
    spinning: bool = False
    set_by_teacher: bool = False
    teacher_action: str = ""

    @property
    def confidence(self) -> str:
        if self.attempts == 0:
            return "none"
        if self.attempts < FEW_ANSWERS or self.uncertainty > FAIR_SD:
            return "low"
        return "high" if self.uncertainty <= SURE_SD else "medium"

    @property
    def state(self) -> str:
        """The status a teacher cares about: stuck and checking are worth seeing apart from in progress."""
        if self.teacher_action == SKIP:
            return "skipped"
        if self.status == "in_progress" and self.spinning:
            return "stuck"
        if self.status == "in_progress" and self.checking:
            return "checking"
        return self.status

    @property
    def symbol(self) -> str:
        return {"stuck": "!", "checking": "?", "skipped": "↷"}.get(self.state) or SYMBOLS[self.status]

    @property
    def percent(self) -> int:
        return round(self.mastery * 100)

    @property
    def text(self) -> str:
        """What the cell shows: a symbol, and the mastery estimate where there is evidence and it matters
        (not once mastered: the percentage is in the cell's label)."""
        shown = self.attempts and self.state not in ("skipped", "mastered")
        return f"{self.symbol}{self.percent}" if shown else self.symbol

    @property
    def label(self) -> str:
        words = self.state.replace("_", " ")
        if self.attempts:
            words += f", mastery {self.percent}% ({self.confidence} confidence, {self.attempts} answers)"
        if self.set_by_teacher:
            words += ", set by the teacher"
        return words


NOT_STARTED = Cell(status="locked", mastery=0.0, uncertainty=0.5, attempts=0)


@dataclass
class StudentSummary:
    student: User
    mastered: int = 0
    in_progress: int = 0
    ready: int = 0
    mean_mastery: float = 0.0  # over the competencies they have started
    last_active: dt.datetime | None = None
    stuck: list[str] = field(default_factory=list)  # codes with an open wheel-spinning alert
    mastered_this_week: int = 0


@dataclass
class ClassState:
    section: Section
    today: dt.date
    students: list[User]
    competencies: list[Competency]
    edges: list[tuple[str, str]]
    cells: dict[int, dict[int, Cell]]  # student id -> competency id -> cell
    summaries: dict[int, StudentSummary]
    alerts: list[Alert]  # open ones, newest first

    def cell(self, student_id: int, competency_id: int) -> Cell:
        return self.cells.get(student_id, {}).get(competency_id, NOT_STARTED)

    @property
    def by_code(self) -> dict[str, Competency]:
        return {c.code: c for c in self.competencies}


def school_days_before(day: dt.date, n: int) -> dt.date:
    """The date n school days (Monday to Friday) before ``day``."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def section_students(section: Section) -> list[User]:
    return list(access.students_in_section(section).order_by("last_name", "first_name", "pk"))


ProgressRow = tuple[int, int, str, float, float, int, bool]
PROGRESS_FIELDS = ("student_id", "competency_id", "status", "mastery", "uncertainty", "attempts", "spinning")


def _progress(ids: Sequence[int], competency_ids: Iterable[int]) -> list[ProgressRow]:
    return list(
        Progress.objects.filter(student_id__in=ids, competency_id__in=list(competency_ids)).values_list(
            *PROGRESS_FIELDS
        )
    )


def _active_overrides(ids: Sequence[int]) -> list[tuple[int, int, str]]:
    return list(
        PathOverride.objects.filter(student_id__in=ids, active=True).values_list(
            "student_id", "competency_id", "action"
        )
    )


def class_state(section: Section, *, today: dt.date | None = None) -> ClassState:
    """The whole section's stored state: every student on every competency of the path."""
    today = today or timezone.localdate()
    students = section_students(section)
    ids = [s.pk for s in students]
    competencies = path_competencies()
    edges = _edges(competencies)
    by_id = {c.pk: c for c in competencies}
    rows = _progress(ids, by_id)
    active = _active_overrides(ids)
    paths = path_states(
        students,
        competencies,
        edges,
        today,
        progress=[(sid, cid, status, attempts) for sid, cid, status, _, _, attempts, _ in rows],
        active_overrides=active,
    )
    actions = {(sid, cid): action for sid, cid, action in active}
    cells: dict[int, dict[int, Cell]] = {sid: {} for sid in ids}
    summaries = {s.pk: StudentSummary(student=s) for s in students}
    started_mastery: dict[int, list[float]] = defaultdict(list)
    for sid, cid, status, mastery, sd, attempts, spinning in rows:
        state = paths[sid][by_id[cid].code]
        cells[sid][cid] = Cell(
            str(state.status),
            mastery,
            sd,
            attempts,
            status == CHECKING,
            spinning,
            state.set_by_teacher,
            actions.get((sid, cid), ""),
        )
        if attempts:
            started_mastery[sid].append(mastery)
    # Competencies without a progress row take their status from the path alone; such cells repeat a lot.
    blank: dict[tuple[str, bool, str], Cell] = {}
    for sid in ids:
        row, path = cells[sid], paths[sid]
        for c in competencies:
            if c.pk not in row:
                state = path[c.code]
                key = (str(state.status), state.set_by_teacher, actions.get((sid, c.pk), ""))
                if key not in blank:
                    blank[key] = Cell(key[0], 0.0, 0.5, 0, False, False, key[1], key[2])
                row[c.pk] = blank[key]
        summary = summaries[sid]
        counts = Counter(cell.status for cell in row.values())
        summary.mastered, summary.in_progress, summary.ready = (
            counts["mastered"],
            counts["in_progress"],
            counts["ready"],
        )
        values = started_mastery[sid]
        summary.mean_mastery = sum(values) / len(values) if values else 0.0
    # Last active: the latest answer or finished activity. Mastered this week: for "ready for a challenge".
    week_start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min))
    per_student = (
        Progress.objects.filter(student_id__in=ids)
        .values("student_id")
        .annotate(
            last=Max("last_attempt_at"),
            week=Count("pk", filter=Q(status=MASTERED, mastered_at__gte=week_start)),
        )
        .values_list("student_id", "last", "week")
    )
    for sid, last, week in per_student:
        summaries[sid].last_active = last
        summaries[sid].mastered_this_week = week
    for sid, when in (
        ActivityCompletion.objects.filter(student_id__in=ids)
        .values("student_id")
        .annotate(last=Max("completed_at"))
        .values_list("student_id", "last")
    ):
        summary = summaries[sid]
        if when is not None and (summary.last_active is None or when > summary.last_active):
            summary.last_active = when
    alerts = list(
        Alert.objects.filter(student_id__in=ids, resolved_at__isnull=True)
        .select_related("competency")
        .order_by("-created_at", "-pk")
    )
    for alert in alerts:
        if alert.kind == Alert.Kind.WHEEL_SPINNING and alert.competency is not None:
            summaries[alert.student_id].stuck.append(alert.competency.code)
    return ClassState(
        section=section,
        today=today,
        students=students,
        competencies=competencies,
        edges=edges,
        cells=cells,
        summaries=summaries,
        alerts=alerts,
    )


def version(section: Section) -> str:
    """Changes whenever anything the class view shows changes: a cheap check for live polling."""
    ids = access.students_in_section(section).values("pk")
    progress = Progress.objects.filter(student_id__in=ids).aggregate(t=Max("updated_at"))["t"]
    override = PathOverride.objects.filter(student_id__in=ids).aggregate(n=Max("pk"))["n"]
    alerts = Alert.objects.filter(student_id__in=ids).aggregate(n=Max("pk"), t=Max("resolved_at"))
    stamps = [progress.timestamp() if progress else 0, alerts["t"].timestamp() if alerts["t"] else 0]
    return f"{stamps[0]:.6f}-{override or 0}-{alerts['n'] or 0}-{stamps[1]:.6f}"


# ------------------------------------------------------------------------------------------------- needs
def needs_of(state: ClassState, student_id: int, depth: int = 3) -> tuple[Need, ...]:
    """What a student should work on next, most pressing first: where they are stuck, then what they are
    working on (lowest mastery first; not what they are already proving in a check), then what just opened
    (in curriculum order)."""
    stuck, working, ready = [], [], []
    for c in state.competencies:  # curriculum (topological) order
        cell = state.cell(student_id, c.pk)
        if cell.state == "stuck":
            stuck.append(Need(c.code, cell.mastery, spinning=True))
        elif cell.state == "in_progress":
            working.append(Need(c.code, cell.mastery))
        elif cell.state == "ready":
            ready.append(Need(c.code, cell.mastery, started=cell.attempts > 0))
    stuck.sort(key=lambda n: n.mastery)
    working.sort(key=lambda n: n.mastery)
    return tuple((stuck + working + ready)[:depth])


def suggested_groups(state: ClassState, *, min_size: int = 3, max_size: int = 6) -> Grouping:
    learners = [LearnerNeeds(s.pk, needs_of(state, s.pk)) for s in state.students]
    return suggest_groups(learners, min_size=min_size, max_size=max_size)


def teacher_led_activities(section: Section, codes: Iterable[str]) -> dict[str, Content]:
    """For each competency, an approved activity a teacher can lead: offline first, then a project or an
    interactive; never one with a broken link or one the section has hidden."""
    codes = list(codes)
    hidden = SectionContent.objects.filter(section=section, action=SectionContent.Action.HIDE).values(
        "content_id"
    )
    preference = {Content.Kind.OFFLINE: 0, Content.Kind.PROJECT: 1, Content.Kind.INTERACTIVE: 2}
    found: dict[str, tuple[int, str, Content]] = {}
    candidates = (
        Content.objects.filter(
            status=ContentStatus.APPROVED, kind__in=list(preference), competencies__code__in=codes
        )
        .exclude(link_status=Content.LinkStatus.BROKEN)
        .exclude(pk__in=hidden)
        .values_list("competencies__code", "pk")
    )
    pairs = [(code, pk) for code, pk in candidates if code in codes]
    contents = Content.objects.in_bulk({pk for _, pk in pairs})
    for code, pk in pairs:
        content = contents[pk]
        rank = (preference[Content.Kind(content.kind)], content.title)
        if code not in found or rank < found[code][:2]:
            found[code] = (*rank, content)
    return {code: entry[2] for code, entry in found.items()}


# -------------------------------------------------------------------------------------------------- pace
@dataclass(frozen=True)
class GoalPace:
    """A student's week against their own goal, as the teacher reads it."""

    goal: WeeklyGoal
    mastered: int
    minutes: int
    days_left: int
    on_track: bool

    @property
    def summary(self) -> str:
        return (
            f"{self.mastered} of {self.goal.competencies} mastered, {self.minutes} of {self.goal.minutes} "
            f"minutes, {self.days_left} school day{'s' if self.days_left != 1 else ''} left"
        )


def class_pace(students: Sequence[User], today: dt.date) -> dict[int, GoalPace]:
    """cairn.agency.pace for the students who set a goal this week, in four queries for the class, with
    agency's own rules for minutes (answering_time) and for being on track (is_on_track)."""
    monday = agency_pace.week_start(today)
    goals = {
        g.student_id: g
        for g in WeeklyGoal.objects.filter(student_id__in=[s.pk for s in students], week_start=monday)
    }
    if not goals:
        return {}
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = start + dt.timedelta(days=7)
    ids = list(goals)
    times: dict[int, list[dt.datetime]] = defaultdict(list)
    for sid, when in (
        Attempt.objects.filter(student_id__in=ids, created_at__gte=start, created_at__lt=end)
        .order_by("student_id", "created_at")
        .values_list("student_id", "created_at")
    ):
        times[sid].append(when)
    activity = dict(
        ActivityCompletion.objects.filter(student_id__in=ids, completed_at__gte=start, completed_at__lt=end)
        .values("student_id")
        .annotate(m=Sum("minutes"))
        .values_list("student_id", "m")
    )
    mastered = dict(
        Progress.objects.filter(
            student_id__in=ids, status=MASTERED, mastered_at__gte=start, mastered_at__lt=end
        )
        .values("student_id")
        .annotate(n=Count("pk"))
        .values_list("student_id", "n")
    )
    days_left = max(5 - min(today.weekday() + 1, 5), 0)
    out = {}
    for sid, goal in goals.items():
        spent = agency_pace.answering_time(times[sid])
        minutes = round(spent.total_seconds() / 60) + int(activity.get(sid) or 0)
        done = mastered.get(sid, 0)
        out[sid] = GoalPace(
            goal, done, minutes, days_left, agency_pace.is_on_track(goal, done, minutes, today)
        )
    return out


# ---------------------------------------------------------------------------------------------- drill-down
@dataclass
class StudentDetail:
    student: User
    attempts: list[Attempt]
    goals: list[WeeklyGoal]
    reflections: list[Reflection]
    choices: list[ActivityChoice]
    completions: list[ActivityCompletion]
    overrides: list[PathOverride]
    alerts: list[Alert]


def student_detail(student: User, *, limit: int = 30) -> StudentDetail:
    return StudentDetail(
        student=student,
        attempts=list(
            Attempt.objects.filter(student=student)
            .select_related("competency")
            .order_by("-created_at", "-pk")[:limit]
        ),
        goals=list(WeeklyGoal.objects.filter(student=student).order_by("-week_start")[:6]),
        reflections=list(Reflection.objects.filter(student=student).order_by("-created_at")[:10]),
        choices=list(ActivityChoice.objects.filter(student=student).order_by("-created_at")[:15]),
        completions=list(
            ActivityCompletion.objects.filter(student=student)
            .select_related("content")
            .order_by("-completed_at")[:15]
        ),
        overrides=overrides.history([student], limit=30),
        alerts=list(
            Alert.objects.filter(student=student).select_related("competency").order_by("-created_at")[:15]
        ),
    )


def mastery_trajectories(student: User, *, lines: int = 4) -> dict[str, list[tuple[dt.datetime, float]]]:
    """The learner model's estimate after each answer, for the competencies the student worked on last."""
    recent: list[int] = []
    for cid in (
        Attempt.objects.filter(student=student)
        .order_by("-created_at")
        .values_list("competency_id", flat=True)[:300]
    ):
        if cid not in recent:
            recent.append(cid)
        if len(recent) == lines:
            break
    out: dict[str, list[tuple[dt.datetime, float]]] = {}
    for code, when, value in (
        Attempt.objects.filter(student=student, competency_id__in=recent, try_number=1)
        .order_by("created_at", "pk")
        .values_list("competency__code", "created_at", "mastery_after")
    ):
        out.setdefault(code, []).append((when, value))
    return out


def mastered_by_week(state: ClassState, weeks: int = 8) -> list[tuple[dt.date, float]]:
    """Mean competencies mastered per student at the end of each of the last ``weeks`` weeks (counting
    what is mastered now, by when it was mastered)."""
    ids = [s.pk for s in state.students]
    if not ids:
        return []
    ends = [state.today - dt.timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
    cutoffs = [
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)) for end in ends
    ]
    counts = Progress.objects.filter(student_id__in=ids, status=MASTERED).aggregate(
        **{f"w{i}": Count("pk", filter=Q(mastered_at__lt=cutoff)) for i, cutoff in enumerate(cutoffs)}
    )
    return [(end, counts[f"w{i}"] / len(ids)) for i, end in enumerate(ends)]


# ----------------------------------------------------------------------------------------------- exports
def mastery_rows(state: ClassState) -> list[tuple[User, list[Cell]]]:
    return [(s, [state.cell(s.pk, c.pk) for c in state.competencies]) for s in state.students]


def broken_content(state: ClassState) -> list[tuple[Content, list[User]]]:
    """Approved content with a broken link that students of the section could meet now (it is aligned to
    a competency open to them), and the students who could meet it; content the section hid is left out."""
    hidden = SectionContent.objects.filter(section=state.section).values("content_id")
    broken = Content.objects.filter(
        status=ContentStatus.APPROVED, link_status=Content.LinkStatus.BROKEN
    ).exclude(pk__in=hidden)
    if not broken.exists():  # the usual case: no need to work out who could meet it
        return []
    code_of = {c.pk: c.code for c in state.competencies}
    open_for: dict[str, list[User]] = defaultdict(list)
    for s in state.students:
        for cid, cell in state.cells[s.pk].items():
            if cell.status in ("ready", "in_progress"):
                open_for[code_of[cid]].append(s)
    broken = broken.filter(competencies__code__in=list(open_for)).prefetch_related("competencies").distinct()
    out = []
    for content in broken:
        who: dict[int, User] = {}
        for c in content.competencies.all():
            for s in open_for.get(c.code, []):
                who[s.pk] = s
        out.append((content, list(who.values())))
    out.sort(key=lambda pair: (-len(pair[1]), pair[0].title))
    return out


def student_in_section(section: Section, student_id: int) -> User | None:
    return access.students_in_section(section).filter(pk=student_id).first()

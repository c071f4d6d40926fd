"""Reads for the teacher pages and API: one section's stored state (``class_state``, in a handful of
queries) and what follows from it: each student's needs, suggested groups, a challenge, broken content, goal
pace and the weekly trend.

Callers have checked access first (cairn.insights.access). Nothing here runs a learner model: mastery,
uncertainty and status are what the practice loop stored after each answer. Ready and locked come from
the release rules, evaluated for the whole class at once by the evaluation behind each student's own path
(cairn.learning.selectors.path.path_states). The state's types live in cairn.insights.state; the student
drill-down's reads in cairn.insights.drilldown; saved groups, tiered tasks and station plans in
cairn.insights.lesson_plans.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.agency import selectors as agency_selectors
from cairn.agency.models import WeeklyGoal
from cairn.agency.voice import open_messages
from cairn.curriculum.models import Competency, Content, SectionContent
from cairn.curriculum.models import Status as ContentStatus
from cairn.curriculum.ownership import approved_content_for
from cairn.engine.grouping import Grouping, LearnerNeeds, Need, suggest_groups
from cairn.engine.release import CompetencyState, Status
from cairn.insights.state import Cell, ClassState, Concern, StudentSummary
from cairn.learning.models import (
    ActivityCompletion,
    Alert,
    Attempt,
    PathOverride,
    Progress,
)
from cairn.learning.selectors.path import for_section, path_states, prerequisite_edges

# A student who has done nothing for this many school days is inactive.
INACTIVE_SCHOOL_DAYS = 5

MASTERED, CHECKING = str(Progress.Status.MASTERED.value), str(Progress.Status.CHECKING.value)


def school_days_before(day: dt.date, n: int) -> dt.date:
    """The date n school days (Monday to Friday) before ``day``."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def next_school_day(day: dt.date) -> dt.date:
    """The school day (Monday to Friday) after ``day``."""
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
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
    """The whole section's stored state: every student on every competency of the section's path (its
    course's, with its teacher's changes)."""
    today = today or timezone.localdate()
    students = section_students(section)
    ids = [s.pk for s in students]
    competencies = for_section(section)
    edges = prerequisite_edges(competencies)
    rows = _progress(ids, [c.pk for c in competencies])
    active = _active_overrides(ids)
    paths = path_states(
        students,
        competencies,
        edges,
        today,
        progress=[(sid, cid, status, attempts) for sid, cid, status, _, _, attempts, _ in rows],
        active_overrides=active,
    )
    cells = _cells(ids, competencies, rows, paths, {(sid, cid): action for sid, cid, action in active})
    summaries = _summaries(students, cells, rows)
    _add_recent_activity(summaries, ids, today)
    alerts = _open_alerts(ids)
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
        voice=open_messages(section),
    )


def _cells(
    ids: Sequence[int],
    competencies: Sequence[Competency],
    rows: Sequence[ProgressRow],
    paths: Mapping[int, Mapping[str, CompetencyState]],
    actions: Mapping[tuple[int, int], str],
) -> dict[int, dict[int, Cell]]:
    """A cell for every student and competency: the stored progress where there is some, else the path's
    status alone (such cells repeat a lot, so equal ones are shared)."""
    code_of = {c.pk: c.code for c in competencies}
    cells: dict[int, dict[int, Cell]] = {sid: {} for sid in ids}
    for sid, cid, status, mastery, sd, attempts, spinning in rows:
        state = paths[sid][code_of[cid]]
        cells[sid][cid] = Cell(
            state.status,
            mastery,
            sd,
            attempts,
            status == CHECKING,
            spinning,
            state.set_by_teacher,
            actions.get((sid, cid), ""),
        )
    blank: dict[tuple[Status, bool, str], Cell] = {}
    for sid in ids:
        row, path = cells[sid], paths[sid]
        for c in competencies:
            if c.pk not in row:
                state = path[c.code]
                key = (state.status, state.set_by_teacher, actions.get((sid, c.pk), ""))
                if key not in blank:
                    blank[key] = Cell(key[0], 0.0, 0.5, 0, False, False, key[1], key[2])
                row[c.pk] = blank[key]
    return cells


def _summaries(
    students: Sequence[User], cells: Mapping[int, Mapping[int, Cell]], rows: Sequence[ProgressRow]
) -> dict[int, StudentSummary]:
    """Each student's counts by status and mean mastery over the competencies they have started."""
    started: dict[int, list[float]] = defaultdict(list)
    for sid, _, _, mastery, _, attempts, _ in rows:
        if attempts:
            started[sid].append(mastery)
    summaries = {}
    for s in students:
        counts = Counter(cell.status for cell in cells[s.pk].values())
        values = started[s.pk]
        summaries[s.pk] = StudentSummary(
            student=s,
            mastered=counts[Status.MASTERED],
            in_progress=counts[Status.IN_PROGRESS],
            ready=counts[Status.READY],
            mean_mastery=sum(values) / len(values) if values else 0.0,
            started=len(values),
        )
    return summaries


def _add_recent_activity(summaries: Mapping[int, StudentSummary], ids: Sequence[int], today: dt.date) -> None:
    """Last active (the latest answer or finished activity) and how many were mastered in the last 7 days
    (for "ready for a challenge")."""
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


def _open_alerts(ids: Sequence[int]) -> list[Alert]:
    return list(
        Alert.objects.filter(student_id__in=ids, resolved_at__isnull=True)
        .select_related("competency")
        .order_by("-created_at", "-pk")
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
        if cell.state == Concern.STUCK:
            stuck.append(Need(c.code, cell.mastery, spinning=True))
        elif cell.state == Status.IN_PROGRESS:
            working.append(Need(c.code, cell.mastery))
        elif cell.state == Status.READY:
            ready.append(Need(c.code, cell.mastery, started=cell.attempts > 0))
    stuck.sort(key=lambda n: n.mastery)
    working.sort(key=lambda n: n.mastery)
    return tuple((stuck + working + ready)[:depth])


def challenge_step(state: ClassState, student_id: int) -> Competency | None:
    """A stretch for a student who is flying: of the competencies open to them that they haven't started,
    the most advanced (highest grade, then deepest in the prerequisite graph)."""
    depth: dict[str, int] = {}
    prerequisites: dict[str, list[str]] = {}
    for pre, comp in state.edges:
        prerequisites.setdefault(comp, []).append(pre)
    for c in state.competencies:  # topological order: prerequisites come first
        depth[c.code] = 1 + max((depth.get(p, 0) for p in prerequisites.get(c.code, ())), default=0)
    open_now = [
        c
        for c in state.competencies
        if (cell := state.cell(student_id, c.pk)).state == Status.READY and cell.attempts == 0
    ]
    return max(open_now, key=lambda c: (c.grade_low or 0, depth[c.code]), default=None)


def suggested_groups(
    state: ClassState,
    *,
    min_size: int = 3,
    max_size: int = 6,
    lessons: Mapping[str, int] | None = None,
    exclude: Iterable[int] = (),
) -> Grouping:
    """Suggested small groups of the section's students, leaving out ``exclude`` (students already in a
    saved group). ``lessons``: how many distinct mini-lessons each competency has (see the engine)."""
    left_out = set(exclude)
    learners = [LearnerNeeds(s.pk, needs_of(state, s.pk)) for s in state.students if s.pk not in left_out]
    return suggest_groups(learners, min_size=min_size, max_size=max_size, lessons=lessons)


def teacher_led_activities(section: Section, codes: Iterable[str]) -> dict[str, Content]:
    """For each competency, an approved activity a teacher can lead: offline first, then a project or an
    interactive; never one with a broken link or one the section has hidden."""
    return {code: found[0] for code, found in teacher_led_options(section, codes).items()}


def teacher_led_options(section: Section, codes: Iterable[str]) -> dict[str, list[Content]]:
    """For each competency, the approved activities a teacher can lead, best first: offline first, then a
    project or an interactive (then by title); never one with a broken link or one the section has hidden."""
    codes = list(codes)
    hidden = SectionContent.objects.filter(section=section, action=SectionContent.Action.HIDE).values(
        "content_id"
    )
    preference = {Content.Kind.OFFLINE: 0, Content.Kind.PROJECT: 1, Content.Kind.INTERACTIVE: 2}
    found: dict[str, list[tuple[int, str, int, Content]]] = {}
    candidates = (
        approved_content_for(section.school.district_id)
        .filter(kind__in=list(preference), competencies__code__in=codes)
        .exclude(link_status=Content.LinkStatus.BROKEN)
        .exclude(pk__in=hidden)
        .values_list("competencies__code", "pk")
    )
    pairs = [(code, pk) for code, pk in candidates if code in codes]
    contents = Content.objects.in_bulk({pk for _, pk in pairs})
    for code, pk in pairs:
        content = contents[pk]
        found.setdefault(code, []).append(
            (preference[Content.Kind(content.kind)], content.title, pk, content)
        )
    return {code: [entry[3] for entry in sorted(set(entries))] for code, entries in found.items()}


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
    """cairn.agency.selectors.pace for the students who set a goal this week, in four queries for the class,
    with agency's own rules for minutes (answering_time) and for being on track (is_on_track)."""
    monday = agency_selectors.week_start(today)
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
        spent = agency_selectors.answering_time(times[sid])
        minutes = round(spent.total_seconds() / 60) + int(activity.get(sid) or 0)
        done = mastered.get(sid, 0)
        out[sid] = GoalPace(
            goal, done, minutes, days_left, agency_selectors.is_on_track(goal, done, minutes, today)
        )
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


# ------------------------------------------------------------------------------------------ broken content
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
            if cell.status in (Status.READY, Status.IN_PROGRESS):
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


# ------------------------------------------------------------------------------------------------ by id
# The thing a request names, or 404 (Django's own, which pages and the API both answer 404 whatever the
# method: a URL naming nothing the person may see is not a refusal to flash).
def content(content_id: int) -> Content:
    return get_object_or_404(Content, pk=content_id)


def competency(competency_id: int) -> Competency:
    return get_object_or_404(Competency, pk=competency_id)

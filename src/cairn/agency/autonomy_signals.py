"""What Cairn sees of each student's autonomy skills, read for a whole class at once (a handful of queries,
not a handful per student), turned into observed levels by the pure rules of :mod:`cairn.agency.autonomy`.

Windows: goals, over the last four full weeks before this one (a week is judged once it is over); pace,
over the school days (Monday to Friday) of the last two weeks up to today; reflections, answers and
messages, over the last 28 days. Minutes are counted the way the student's pace counts them
(:func:`cairn.agency.selectors.answering_time`, plus finished activities)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.agency import autonomy
from cairn.agency.models import Reflection, SkillRating, VoiceMessage, WeeklyGoal
from cairn.agency.selectors import answering_time, week_start
from cairn.core.errors import NotFound
from cairn.curriculum.models import Competency
from cairn.learning.models import ActivityCompletion, Attempt, Progress

GOAL_WEEKS = 4
PACE_DAYS = 14
RECENT_DAYS = 28
POSITIVE = {Reflection.Feeling.GREAT, Reflection.Feeling.OK}
CALIBRATED_ACCURACY = 0.6


@dataclass
class _Log:
    """One student's rows in the windows, as plain tuples."""

    answers: list[tuple[dt.datetime, int, bool, int]] = field(default_factory=list)  # at, comp, ok, hints
    activities: list[tuple[dt.datetime, int]] = field(default_factory=list)  # at, minutes
    mastered: list[dt.datetime] = field(default_factory=list)
    goals: list[WeeklyGoal] = field(default_factory=list)
    reflections: list[tuple[dt.datetime, str, bool]] = field(default_factory=list)  # at, feeling, asks
    asks: int = 0


def _local(when: dt.datetime) -> dt.date:
    return timezone.localtime(when).date()


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _logs(ids: list[int], today: dt.date) -> dict[int, _Log]:
    first_monday = week_start(today) - dt.timedelta(weeks=GOAL_WEEKS)
    since = _start_of(min(first_monday, today - dt.timedelta(days=RECENT_DAYS)))
    logs: dict[int, _Log] = {i: _Log() for i in ids}
    answers = Attempt.objects.filter(student_id__in=ids, created_at__gte=since).order_by("created_at")
    for sid, at, comp, ok, hints in answers.values_list(
        "student_id", "created_at", "competency_id", "correct", "hints_used"
    ):
        logs[sid].answers.append((at, comp, ok, hints))
    done = ActivityCompletion.objects.filter(student_id__in=ids, completed_at__gte=since)
    for sid, at, minutes in done.values_list("student_id", "completed_at", "minutes"):
        logs[sid].activities.append((at, minutes))
    mastered = Progress.objects.filter(student_id__in=ids, mastered_at__gte=since)
    for sid, when in mastered.values_list("student_id", "mastered_at"):
        if when is not None:
            logs[sid].mastered.append(when)
    for goal in WeeklyGoal.objects.filter(student_id__in=ids, week_start__gte=first_monday):
        if goal.week_start < week_start(today):
            logs[goal.student_id].goals.append(goal)
    recent = _start_of(today - dt.timedelta(days=RECENT_DAYS))
    reflections = Reflection.objects.filter(student_id__in=ids, created_at__gte=recent)
    for sid, at, feeling, ask in reflections.values_list(
        "student_id", "created_at", "feeling", "ask_teacher"
    ):
        logs[sid].reflections.append((at, feeling, bool(ask.strip())))
    asks = VoiceMessage.objects.filter(student_id__in=ids, kind=VoiceMessage.Kind.ASK, created_at__gte=recent)
    for sid in asks.values_list("student_id", flat=True):
        logs[sid].asks += 1
    return logs


def signals(log: _Log, today: dt.date) -> autonomy.Signals:
    """The counts the rules read, from one student's log."""
    return autonomy.Signals(
        goal_weeks=GOAL_WEEKS,
        **_goal_counts(log),
        **_pace_counts(log, today),
        **_reflection_counts(log),
        **_miss_counts(log, today),
        asks=log.asks + sum(asked for *_rest, asked in log.reflections),
    )


def _goal_counts(log: _Log) -> dict[str, int]:
    kept = minutes_met = 0
    for goal in log.goals:
        start = _start_of(goal.week_start)
        end = start + dt.timedelta(days=7)
        times = [at for at, *_ in log.answers if start <= at < end]
        minutes = round(answering_time(times).total_seconds() / 60)
        minutes += sum(m for at, m in log.activities if start <= at < end)
        mastered = sum(start <= at < end for at in log.mastered)
        minutes_met += minutes >= goal.minutes
        kept += minutes >= goal.minutes and mastered >= goal.competencies
    return {"goals_set": len(log.goals), "goals_kept": kept, "minutes_met": minutes_met}


def _pace_counts(log: _Log, today: dt.date) -> dict[str, int]:
    days = [today - dt.timedelta(days=n) for n in range(PACE_DAYS)]
    school = {d for d in days if d.weekday() < 5}
    worked = {_local(at) for at, *_ in log.answers} | {_local(at) for at, _ in log.activities}
    return {"school_days": len(school), "active_days": len(school & worked)}


def _reflection_counts(log: _Log) -> dict[str, int]:
    by_day: dict[dt.date, list[bool]] = defaultdict(list)
    for at, _comp, ok, _hints in log.answers:
        by_day[_local(at)].append(ok)
    judged = calibrated = 0
    for at, feeling, _asked in log.reflections:
        answers = by_day.get(_local(at))
        if not answers:
            continue
        judged += 1
        went_well = sum(answers) / len(answers) >= CALIBRATED_ACCURACY
        calibrated += went_well == (feeling in POSITIVE)
    return {"reflections": len(log.reflections), "judged": judged, "calibrated": calibrated}


def _miss_counts(log: _Log, today: dt.date) -> dict[str, int]:
    recent = _start_of(today - dt.timedelta(days=RECENT_DAYS))
    answers = [a for a in log.answers if a[0] >= recent]
    misses = helped = 0
    unhelped: set[int] = set()  # competencies whose last answer was a miss without a hint
    last_of_day: dict[tuple[int, dt.date], bool] = {}
    days_of: dict[int, set[dt.date]] = defaultdict(set)
    for at, comp, ok, hints in answers:
        last_of_day[(comp, _local(at))] = ok
        days_of[comp].add(_local(at))
        if comp in unhelped:  # the next try after a miss
            unhelped.discard(comp)
            helped += hints > 0
        if not ok:
            misses += 1
            if hints > 0:
                helped += 1
            else:
                unhelped.add(comp)
    left = [(comp, day) for (comp, day), ok in last_of_day.items() if not ok and day < today]
    back = sum(any(d > day for d in days_of[comp]) for comp, day in left)
    return {"misses": misses, "misses_helped": helped, "left_on_miss": len(left), "came_back": back}


@dataclass(frozen=True)
class StudentSkills:
    student: User
    observed: list[autonomy.Observed]
    ratings: dict[str, SkillRating]  # skill key -> the latest rating

    def rows(self) -> list[tuple[autonomy.Skill, autonomy.Observed, SkillRating | None]]:
        return [
            (s, o, self.ratings.get(s.key)) for s, o in zip(autonomy.skills(), self.observed, strict=True)
        ]


def skill_competencies() -> dict[str, Competency]:
    """Skill key -> its competency, once the framework is installed (empty before)."""
    codes = {s.code: s.key for s in autonomy.skills()}
    found = Competency.objects.filter(
        framework__identifier=autonomy.catalog()["framework"]["identifier"], code__in=codes
    )
    return {codes[c.code]: c for c in found}


def latest_ratings(ids: Iterable[int]) -> dict[int, dict[str, SkillRating]]:
    keys = {c.pk: key for key, c in skill_competencies().items()}
    latest: dict[int, dict[str, SkillRating]] = defaultdict(dict)
    rows = SkillRating.objects.filter(student_id__in=list(ids), competency_id__in=keys).select_related(
        "rater"
    )
    for rating in rows.order_by("-created_at", "-pk"):
        latest[rating.student_id].setdefault(keys[rating.competency_id], rating)
    return latest


def class_skills(students: Sequence[User], today: dt.date | None = None) -> list[StudentSkills]:
    """Each student's observed levels and the teacher's latest rating per skill, in the students' order."""
    today = today or timezone.localdate()
    ids = [s.pk for s in students]
    logs, ratings = _logs(ids, today), latest_ratings(ids)
    return [
        StudentSkills(s, autonomy.observe(signals(logs[s.pk], today)), ratings.get(s.pk, {}))
        for s in students
    ]


def student_skills(student: User, today: dt.date | None = None) -> StudentSkills:
    return class_skills([student], today)[0]


def small_group(skills: Sequence[StudentSkills]) -> tuple[autonomy.Skill, list[User]] | None:
    """The skill most students are weak at (at least GROUP_MIN of them), with up to GROUP_MAX of those
    students, the lowest levels first: a small group, not the whole class."""
    best: tuple[autonomy.Skill, list[tuple[int, int, User]]] | None = None
    for index, skill in enumerate(autonomy.skills()):
        weak = [
            (s.observed[index].level or 0, n, s.student)
            for n, s in enumerate(skills)
            if s.observed[index].weak
        ]
        if len(weak) >= autonomy.GROUP_MIN and (best is None or len(weak) > len(best[1])):
            best = (skill, sorted(weak))
    if best is None:
        return None
    return best[0], [student for *_order, student in best[1][: autonomy.GROUP_MAX]]


def visible_section(viewer: User, section_id: int) -> Section:
    """A section whose roster ``viewer`` may see (its teachers, leaders of its school), else NotFound."""
    section = access.visible_sections(viewer).filter(pk=section_id).select_related("school").first()
    if section is None:
        raise NotFound(_("No such class."))
    return section


def class_students(section: Section) -> list[User]:
    return list(access.students_in_section(section).order_by("last_name", "first_name", "pk"))


def student_in(section: Section, student_id: int) -> User:
    student = access.students_in_section(section).filter(pk=student_id).first()
    if student is None:
        raise NotFound(_("No such student in this class."))
    return student

"""The demo district's learning history: simulated students (cairn.engine.simulate) work through the real
services — board, choice, practice, hints, answers, activities — over the past few school weeks, so a teacher
who logs in sees a class in motion: some ahead, some stuck, some idle, some behind their goal.

Each simulated student starts from what a student of their grade plausibly knows (earlier-grade standards
mostly known, their own grade's mostly not). Answers are dated on past school days via the services' clock.

Left to chance, a class of 25 rarely shows every situation a teacher meets (and the alternative activity the
board offers a stuck student unsticks them the same day), so each class has a small cast (:class:`Cast`),
drawn with the seed: a few students stopped coming a week ago, two are stuck on the same standard in the
last days and don't take the board's way out, a few fly ahead, and a few set a weekly goal they are behind
on (the goals are written by ``load_demo``: goals belong to cairn.agency, above this app). Earlier stuck
moments were seen by the teacher (their alerts are resolved), so Today shows this week's story.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cairn.accounts.models import Enrolment, Role, User
from cairn.core.errors import CairnError
from cairn.curriculum.models import Competency, Content
from cairn.engine import items as item_engine
from cairn.engine.simulate import PopulationParams, SimulatedLearner, make_population
from cairn.learning.models import Alert, Attempt
from cairn.learning.selectors.board import build_board
from cairn.learning.selectors.path import Path, path_competencies, prerequisite_edges, student_path
from cairn.learning.services import board as board_service
from cairn.learning.services import practice, questions
from cairn.learning.services.outcomes import FINISHING_EVENTS, Event

# The replay is kept lean (`make demo` must load in under 5 minutes, and every answer goes through the real
# answer loop, ~45 ms of CPU each): three weeks, a session on a bit under half the school days, one or two
# picks of 4-9 questions: about 5,000 answers, 4 minutes of CPU for the whole `cairn demo` (measured).
SESSION_CHANCE = 0.45
IDLE_DAYS = 7  # the idle stopped this many school days ago (Today calls 5 school days "not active")
STUCK_DAYS = 3  # the stuck drill their standard on the last school days


@dataclass
class Cast:
    """Who plays which part, by student id: drawn per class with the seed, the same for the same seed."""

    idle: set[int] = field(default_factory=set)
    stuck: set[int] = field(default_factory=set)
    ahead: set[int] = field(default_factory=set)
    behind: set[int] = field(default_factory=set)  # set an ambitious goal this week
    on_track: set[int] = field(default_factory=set)  # set a modest goal this week
    section: dict[int, str] = field(default_factory=dict)  # student id -> the code of their (first) class
    stuck_on: dict[str, str] = field(default_factory=dict)  # section code -> the standard its stuck drill
    spun: set[int] = field(default_factory=set)  # the stuck whom the wheel-spinning guard has stopped


@dataclass(frozen=True)
class History:
    answers: int
    cast: Cast


def demo_cast(students: Sequence[User], seed: int) -> Cast:
    """Each class's parts: 3 idle, 2 stuck, 3 ahead, 3 behind their goal, 4 on track with a goal; the rest
    are themselves."""
    cast = Cast()
    by_section: dict[str, list[User]] = {}
    ids = {s.pk for s in students}
    for enrolment in (
        Enrolment.objects.filter(kind=Enrolment.Kind.STUDENT, user_id__in=ids)
        .select_related("section", "user")
        .order_by("section__code", "user__username")
    ):
        if enrolment.user_id not in cast.section:  # a student in two classes plays in the first
            cast.section[enrolment.user_id] = enrolment.section.code
            by_section.setdefault(enrolment.section.code, []).append(enrolment.user)
    for code, members in by_section.items():
        order = [s.pk for s in members]
        random.Random(f"{seed}:{code}").shuffle(order)
        parts = [cast.idle, cast.stuck, cast.ahead, cast.behind, cast.on_track]
        sizes = [3, 2, 3, 3, 4]
        start = 0
        for part, size in zip(parts, sizes, strict=True):
            part.update(order[start : start + size])
            start += size
    return cast


def _grade_of(competency: Competency) -> float:
    for g in competency.grades or []:
        try:
            return float(g)
        except (TypeError, ValueError):
            continue
    code = competency.code or ""
    return float(code[0]) if code[:1].isdigit() else 5.0


def _school_days(today: dt.date, weeks: int) -> list[dt.date]:
    start = today - dt.timedelta(weeks=weeks)
    days = [start + dt.timedelta(days=i) for i in range((today - start).days)]
    return [d for d in days if d.weekday() < 5]


def _answer_text(inst: item_engine.ItemInstance, correct: bool, rng: random.Random) -> str:
    spec = inst.spec
    if isinstance(spec, item_engine.ChoiceSpec):
        right = sorted(spec.correct)
        wrong = [c.id for c in spec.choices if c.id not in spec.correct]
        return right[0] if correct or not wrong else rng.choice(wrong)
    if correct:
        return inst.answer_text
    if isinstance(spec, item_engine.NumericSpec):
        return item_engine.format_number(spec.answer + rng.choice([1, -1, 2]) + spec.tolerance)
    return "i am not sure"


def _practise(
    student: User,
    sim: SimulatedLearner,
    competency: Competency,
    n: int,
    clock: list[dt.datetime],
    rng: random.Random,
    path: Path,
) -> Event | None:
    """Up to ``n`` questions on the competency; the event that ended the run, if one did."""
    for _ in range(n):
        try:
            served = questions.serve(student, competency, path=path, rng=rng, at=clock[0])
        except CairnError:
            return None
        inst = questions.item_instance(served)
        correct = sim.answer(competency.code)
        hints_allowed = served.purpose != served.Purpose.CHECK and inst.hints
        if hints_allowed and not correct and rng.random() < 0.3:
            questions.reveal_hint(student, str(served.token))
        clock[0] += dt.timedelta(seconds=rng.randint(25, 90))
        feedback = practice.submit_answer(
            student,
            str(served.token),
            str(uuid.UUID(int=rng.getrandbits(128))),
            _answer_text(inst, correct, rng),
            at=clock[0],
        )
        if feedback.retry:
            clock[0] += dt.timedelta(seconds=rng.randint(20, 60))
            again = sim.p_correct(competency.code) > rng.random()
            feedback = practice.submit_answer(
                student,
                str(served.token),
                str(uuid.UUID(int=rng.getrandbits(128))),
                _answer_text(inst, again, rng),
                at=clock[0],
            )
        if feedback.event in FINISHING_EVENTS:
            return Event(feedback.event)
    return None


def seed_learning_history(
    *,
    weeks: int = 3,
    seed: int = 2026,
    today: dt.date | None = None,
    sections: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> History:
    """Replay ``weeks`` of school days for every demo student (or those of ``sections``, by code: a smaller
    demo for tests); returns the number of answers recorded and the cast. Does nothing if any attempt
    exists already (the demo is loaded once)."""
    students = list(User.objects.filter(role_assignments__role=Role.STUDENT).distinct().order_by("username"))
    cast = demo_cast(students, seed)
    if sections is not None:
        students = [s for s in students if cast.section.get(s.pk) in set(sections)]
    if Attempt.objects.exists():
        return History(0, cast)
    today = today or timezone.localdate()
    competencies = path_competencies()
    if not competencies:
        return History(0, cast)
    by_code = {c.code: c for c in competencies}
    sims = _simulated_students(students, by_code, cast, seed)
    days = _school_days(today, weeks)
    rng = random.Random(seed)
    total = len(days) * len(students)
    done = 0
    for day_index, day in enumerate(days):
        days_left = len(days) - day_index
        for student in students:
            done += 1
            sim = sims[student.pk]
            if student.pk in cast.idle and days_left <= IDLE_DAYS:
                continue
            stuck = student.pk in cast.stuck and days_left <= STUCK_DAYS
            if not stuck and rng.random() > SESSION_CHANCE * sim.activity:
                continue
            clock = [
                timezone.make_aware(
                    dt.datetime.combine(day, dt.time(9 + rng.randint(0, 5), rng.randint(0, 59)))
                )
            ]
            with transaction.atomic():
                if stuck:
                    _stuck_session(student, sim, by_code, cast, clock, rng)
                else:
                    _session(student, sim, by_code, clock, rng)
            if progress:
                progress(done, total)
    _teacher_saw_earlier_alerts(students, cast)
    return History(Attempt.objects.count(), cast)


def _simulated_students(
    students: list[User], by_code: dict[str, Competency], cast: Cast, seed: int
) -> dict[int, SimulatedLearner]:
    codes = list(by_code)
    prerequisites: dict[str, list[str]] = {c: [] for c in codes}
    for pre, comp in prerequisite_edges(list(by_code.values())):
        prerequisites[comp].append(pre)
    sims: dict[int, SimulatedLearner] = {}
    for grade in sorted({s.grade for s in students}):
        group = [s for s in students if s.grade == grade]
        g = float(grade) if grade.isdigit() else 5.0
        difficulty = {code: 1.6 * (_grade_of(by_code[code]) - g) + 0.8 for code in codes}
        population = make_population(
            codes,
            prerequisites,
            len(group),
            seed=seed + int(g),
            params=PopulationParams(p_init=0.5, p_learn=0.3, idle_share=0.0),
            difficulty=difficulty,
        )
        for student, sim in zip(group, population, strict=True):
            if student.pk in cast.ahead:  # knows their grade's standards already, and works at it
                sim.known.update(c for c in codes if _grade_of(by_code[c]) <= g)
                sim.activity = 1.4
            elif student.pk in cast.idle:  # came regularly, then stopped
                sim.activity = max(sim.activity, 0.8)
            sims[student.pk] = sim
    return sims


def _teacher_saw_earlier_alerts(students: list[User], cast: Cast) -> None:
    """The teacher marked earlier stuck moments as seen (an hour after each), leaving the cast's open."""
    Alert.objects.filter(
        student__in=[s.pk for s in students if s.pk not in cast.stuck], resolved_at__isnull=True
    ).update(resolved_at=F("created_at") + dt.timedelta(hours=1))


def _session(
    student: User,
    sim: SimulatedLearner,
    by_code: dict[str, Competency],
    clock: list[dt.datetime],
    rng: random.Random,
) -> None:
    for _ in range(rng.randint(1, 2)):
        # One path read per pick: the practice that follows is on a competency the board just offered.
        path = student_path(student)
        options = build_board(student, path)
        if not options:
            return
        practice_first = [o for o in options if o.kind in ("practice", "review")]
        pick = practice_first[0] if practice_first and rng.random() < 0.8 else rng.choice(options)
        board_service.choose(student, pick.option_id, options, at=clock[0])
        competency = by_code[pick.competency]
        if pick.kind in ("practice", "review"):
            n = rng.randint(4, 9) if pick.kind == "practice" else 1
            _practise(student, sim, competency, n, clock, rng, path)
        else:
            content = Content.objects.get(pk=int(pick.option_id.partition(":")[2]))
            sim.learn(competency.code)  # watching, reading or a project is a learning opportunity too
            clock[0] += dt.timedelta(minutes=content.estimated_minutes or 10)
            board_service.complete_activity(student, content, at=clock[0])


def _stuck_session(
    student: User,
    sim: SimulatedLearner,
    by_code: dict[str, Competency],
    cast: Cast,
    clock: list[dt.datetime],
    rng: random.Random,
) -> None:
    """A stuck student's day: back to the class's hard standard, drilled without learning it until the
    guard stops the drill; after that they leave the board's way out untaken (and practise nothing)."""
    if student.pk in cast.spun:
        return
    section = cast.section.get(student.pk, "")
    if section not in cast.stuck_on:
        cast.stuck_on[section] = _hard_standard(section, cast)
    path = student_path(student)
    options = build_board(student, path)
    pick = next((o for o in options if o.kind == "practice" and o.competency == cast.stuck_on[section]), None)
    if pick is None:  # not open to this one: an ordinary day
        _session(student, sim, by_code, clock, rng)
        return
    code = pick.competency
    sim.known.discard(code)
    sim.p_learn[code] = 0.0
    sim.p_guess[code] = min(sim.p_guess[code], 0.15)
    board_service.choose(student, pick.option_id, options, at=clock[0])
    if _practise(student, sim, by_code[code], 24, clock, rng, path) == Event.SPINNING:
        cast.spun.add(student.pk)


def _hard_standard(section: str, cast: Cast) -> str:
    """The standard the class's stuck students get stuck on: one open to practice for most of them."""
    counts: dict[str, int] = {}
    for student in User.objects.filter(pk__in=sorted(cast.stuck)).order_by("username"):
        if cast.section.get(student.pk) != section:
            continue
        for option in build_board(student, student_path(student)):
            if option.kind == "practice":
                counts[option.competency] = counts.get(option.competency, 0) + 1
    return max(counts, key=lambda code: counts[code], default="")


# The demo's student with a learning plan (issue 14): Spanish, read aloud and larger text. A listed demo
# login (accounts.demo.demo_logins), in the second class, so the first class's story stays as it was.
PLAN_STUDENT = "student026"


def seed_demo_profile(username: str = PLAN_STUDENT) -> User | None:
    """Give the plan student their learner profile and Spanish; a second call changes nothing."""
    from cairn.learning.models import LearnerProfile

    student = User.objects.filter(username=username).first()
    if student is None:
        return None
    LearnerProfile.objects.update_or_create(
        student=student,
        defaults={
            "interests": "el fútbol, dibujar, los animales",
            "strengths": "explica bien sus ideas en voz alta",
            "preferred_kinds": ["video", "interactive"],
            "language": "es",
            "accommodations": ["larger_text", "read_aloud"],
            "accommodations_source": "IEP",
        },
    )
    if student.language != "es":
        student.language = "es"
        student.save(update_fields=["language"])
    return student

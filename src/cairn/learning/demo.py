"""The demo district's learning history: simulated students (cairn.engine.simulate) work through the real
services — board, choice, practice, hints, answers, activities — over the past few school weeks, so a teacher
who logs in sees a class in motion: some ahead, some stuck, some idle.

Each simulated student starts from what a student of their grade plausibly knows (earlier-grade standards
mostly known, their own grade's mostly not). Answers are dated on past school days via the services' clock.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import Role, User
from cairn.core.errors import CairnError
from cairn.curriculum.models import Competency, Content
from cairn.engine import items as item_engine
from cairn.engine.simulate import PopulationParams, SimulatedLearner, make_population
from cairn.learning.models import Attempt
from cairn.learning.selectors.board import build_board
from cairn.learning.selectors.path import Path, path_competencies, prerequisite_edges, student_path
from cairn.learning.services import board as board_service
from cairn.learning.services import practice, questions
from cairn.learning.services.outcomes import FINISHING_EVENTS


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
) -> None:
    for _ in range(n):
        try:
            served = questions.serve(student, competency, path=path, rng=rng, at=clock[0])
        except CairnError:
            return
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
            return


def seed_learning_history(
    *,
    weeks: int = 4,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Replay ``weeks`` of school days for every demo student; returns the number of answers recorded.
    Does nothing if any attempt exists already (the demo is loaded once)."""
    if Attempt.objects.exists():
        return 0
    today = today or timezone.localdate()
    competencies = path_competencies()
    if not competencies:
        return 0
    by_code = {c.code: c for c in competencies}
    codes = list(by_code)
    prerequisites: dict[str, list[str]] = {c: [] for c in codes}
    for pre, comp in prerequisite_edges(competencies):
        prerequisites[comp].append(pre)
    students = list(User.objects.filter(role_assignments__role=Role.STUDENT).distinct().order_by("username"))
    rng = random.Random(seed)
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
            params=PopulationParams(p_init=0.5, p_learn=0.3, idle_share=0.12),
            difficulty=difficulty,
        )
        sims.update({s.pk: sim for s, sim in zip(group, population, strict=True)})
    days = _school_days(today, weeks)
    total = len(days) * len(students)
    done = 0
    for day in days:
        for student in students:
            done += 1
            sim = sims[student.pk]
            if rng.random() > 0.55 * sim.activity:
                continue
            clock = [
                timezone.make_aware(
                    dt.datetime.combine(day, dt.time(9 + rng.randint(0, 5), rng.randint(0, 59)))
                )
            ]
            with transaction.atomic():
                _session(student, sim, by_code, clock, rng)
            if progress:
                progress(done, total)
    return Attempt.objects.count()


def _session(
    student: User,
    sim: SimulatedLearner,
    by_code: dict[str, Competency],
    clock: list[dt.datetime],
    rng: random.Random,
) -> None:
    for _ in range(rng.randint(1, 3)):
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
            n = rng.randint(6, 14) if pick.kind == "practice" else 1
            _practise(student, sim, competency, n, clock, rng, path)
        else:
            content = Content.objects.get(pk=int(pick.option_id.partition(":")[2]))
            sim.learn(competency.code)  # watching, reading or a project is a learning opportunity too
            clock[0] += dt.timedelta(minutes=content.estimated_minutes or 10)
            board_service.complete_activity(student, content, at=clock[0])

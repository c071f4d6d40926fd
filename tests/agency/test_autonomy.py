"""Autonomy skills: the shipped framework, the rules from what Cairn sees, the lesson on the board, the
teacher's pages (who may see and rate) and Today's small group."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cairn.accounts import services as accounts
from cairn.accounts.models import Enrolment, Role
from cairn.agency import autonomy
from cairn.agency.autonomy import Signals
from cairn.agency.autonomy_services import install_framework
from cairn.agency.autonomy_signals import student_skills
from cairn.agency.board_lessons import board_lesson
from cairn.agency.models import Reflection, SkillRating, WeeklyGoal
from cairn.agency.selectors import week_start
from cairn.core.models import AuditEvent
from cairn.curriculum.models import Competency, Content
from cairn.insights import selectors, today
from cairn.learning.models import ActivityCompletion, Attempt, ServedItem
from cairn.learning.selectors.path import student_path
from tests.conftest import World, client_for
from tests.learning.conftest import Unit


@pytest.fixture
def skills(db: None) -> None:
    install_framework()


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        (Signals(), [1, 1, 1, None, None]),  # nothing seen yet
        (Signals(goals_set=4, goals_kept=3, minutes_met=4, active_days=9), [4, 4, 1, None, None]),
        (Signals(goals_set=2, goals_kept=0, minutes_met=0, active_days=9), [2, 3, 1, None, None]),
        (Signals(reflections=4, judged=3, calibrated=3), [1, 1, 4, None, None]),
        (Signals(reflections=4, judged=3, calibrated=1), [1, 1, 3, None, None]),
        (Signals(misses=10, misses_helped=1, left_on_miss=4, came_back=1), [1, 1, 1, 1, 1]),
        (Signals(misses=10, misses_helped=5, asks=1, left_on_miss=4, came_back=4), [1, 1, 1, 4, 4]),
        (Signals(misses=10, misses_helped=3, left_on_miss=0), [1, 1, 1, 2, 4]),
    ],
)
def test_rules_turn_counts_into_levels(signals: Signals, expected: list[int | None]) -> None:
    assert [o.level for o in autonomy.observe(signals)] == expected


def test_each_level_says_why() -> None:
    goals, time, *_ = autonomy.observe(Signals(goals_set=4, goals_kept=3, active_days=6, minutes_met=1))
    assert goals.reason == "kept 3 of 4 weekly goals"
    assert (
        time.reason == "worked on 6 of the last 10 school days; reached the planned minutes in 1 of 4 weeks"
    )
    assert time.level == 3  # 6 of 10 days, but the minutes fell short most weeks: capped


def test_framework_installs_once_with_spanish_and_lessons(skills: None) -> None:
    install_framework()  # a second install updates in place
    competencies = Competency.objects.filter(framework__subject="Learning skills")
    assert competencies.count() == 5
    goals = competencies.get(code="LS.GOALS")
    assert goals.framework.district is None and goals.student_statement == "I can set a goal I can keep."
    assert goals.translations["es"]["student_statement"].startswith("Puedo")
    lessons = Content.objects.filter(competencies__in=competencies, status="approved")
    assert lessons.count() == 10 and set(lessons.values_list("language", flat=True)) == {"en", "es"}
    with override("es"):
        assert autonomy.skill("goals").level_text(4, "rubric").startswith("Se pone y cumple")


def _answer(world: World, unit: Unit, when: dt.datetime, *, correct: bool, hints: int = 0) -> None:
    served = ServedItem.objects.create(student=world.student, competency=unit.a, item=unit.numeric)
    Attempt.objects.create(
        student=world.student, client_attempt_id=uuid.uuid4(), served=served, competency=unit.a,
        item=unit.numeric, answer="4" if correct else "5", correct=correct, hints_used=hints, p_correct=0.5,
        mastery_after=0.5, created_at=when,
    )  # fmt: skip


def test_observed_from_goals_reflections_and_coming_back(world: World, unit: Unit, skills: None) -> None:
    day = timezone.localdate()
    for weeks in (1, 2):  # two past weeks with a goal too big to keep
        monday = week_start(day) - dt.timedelta(weeks=weeks)
        WeeklyGoal.objects.create(student=world.student, week_start=monday, competencies=5, minutes=300)
    two_days_ago = dt.datetime.combine(
        day - dt.timedelta(days=2), dt.time(12), tzinfo=timezone.get_current_timezone()
    )
    for minute in range(3):  # three misses, the last of the day left as it was; a hint on the second try
        _answer(world, unit, two_days_ago + dt.timedelta(minutes=minute), correct=False, hints=minute % 2)
    _answer(world, unit, timezone.now() - dt.timedelta(hours=1), correct=True)  # came back a later day
    Reflection.objects.create(student=world.student, feeling="stuck", learned="fractions")
    goals, _time, monitor, help_, persist = student_skills(world.student).observed
    assert (goals.level, goals.reason) == (2, "kept 0 of 2 weekly goals")
    assert monitor.level == 2
    assert help_.level == 3 and "used help after 2 of 3 mistakes" in help_.reason
    assert persist.level == 4 and persist.reason.startswith("came back on a later day to 1 of 1")


def test_board_offers_the_weakest_skills_lesson_in_the_students_language(
    world: World, unit: Unit, skills: None
) -> None:
    world.student.language = "es"
    world.student.save(update_fields=["language"])
    path = student_path(world.student)
    (extra,) = board_lesson(world.student, path)  # nothing seen yet: goal setting is weakest
    lesson = Content.objects.get(pk=int(extra.candidate.activity_id.split(":")[1]))
    assert lesson.language == "es" and extra.candidate.competency == "LS.GOALS"
    assert extra.url == reverse("learning-activity", args=[lesson.pk])
    student = client_for(world.student)
    assert student.get(extra.url).status_code == 200  # the activity page opens it
    assert (
        "Puedo ponerme una meta"
        in student.get(reverse("learning-path"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    )
    ActivityCompletion.objects.create(student=world.student, content=lesson, minutes=4)
    assert list(board_lesson(world.student, path)) == []  # done lately: not offered again


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 200), ("leader", 200), ("colleague", 404), ("student", 404), ("guardian", 404)],
)
def test_class_page_for_its_teachers_and_leaders_only(
    world: World, skills: None, who: str, status: int
) -> None:
    response = client_for(getattr(world, who)).get(reverse("agency-autonomy", args=[world.section.pk]))
    assert response.status_code == status
    if status == 200:
        assert (
            "Goal setting" in response.content.decode()
            and world.student.last_name in response.content.decode()
        )


def test_teacher_rates_a_skill_beside_the_observed_level_audited(world: World, skills: None) -> None:
    url = reverse("agency-autonomy-student", args=[world.section.pk, world.student.pk])
    teacher = client_for(world.teacher)
    assert teacher.get(url).status_code == 200
    response = teacher.post(url, {"skill": "help", "level": "3", "note": "Asks a friend first"})
    assert response.status_code == 302
    rating = SkillRating.objects.get(student=world.student)
    assert (rating.level, rating.competency.code, rating.rater) == (3, "LS.HELP", world.teacher)
    assert AuditEvent.objects.filter(action="record_changed", student_id=world.student.pk).exists()
    page = teacher.get(url).content.decode()
    assert "Latest rating: level 3" in page and "What Cairn sees: not enough yet" in page  # both, unblended
    assert teacher.post(url, {"skill": "help", "level": "7"}).status_code == 400
    client_for(world.leader).post(url, {"skill": "help", "level": "1"})  # leaders see but do not rate
    assert SkillRating.objects.filter(student=world.student).count() == 1


def test_today_suggests_teaching_a_skill_to_three_weak_students(
    world: World, unit: Unit, skills: None
) -> None:
    third = accounts.create_person(
        username="cole_m", first_name="Cole", last_name="M", role=Role.STUDENT, school=world.school
    )
    accounts.enrol(third, world.section, Enrolment.Kind.STUDENT, world.section.term_start, None)
    for student in (world.student, world.classmate, third):  # active today (idle ones get a check-in instead)
        ActivityCompletion.objects.create(student=student, content=unit.video, minutes=5)
    actions = today.today_actions(selectors.class_state(world.section), limit=10)
    (action,) = [a for a in actions if a.kind == today.Kind.AUTONOMY]
    assert action.title.startswith("Teach goal setting to ") and len(action.students) == 3
    assert action.step.target == today.Target.SAVE_GROUP

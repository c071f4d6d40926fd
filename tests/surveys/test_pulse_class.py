"""The weekly class pulse for students and their teacher, on the survey engine: opened per class each
Monday (once), offered on the student's home until taken, its questions in the student's language, and
shown to the teacher only when at least 5 answered — never one student's answers."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from cairn.accounts import services as accounts
from cairn.accounts.models import Enrolment, Role
from cairn.surveys import pulse, services
from cairn.surveys.forms import AnswerForm
from cairn.surveys.models import SurveyWindow
from cairn.surveys.tasks import open_pulses
from tests.conftest import World, _person, client_for

TODAY = dt.date.today()


def test_the_pulse_opens_once_a_week_per_class_and_speaks_spanish(world: World) -> None:
    services.install_defaults(district=world.district)
    assert open_pulses() == 3  # the district's three classes with students (not the other district's)
    assert open_pulses() == 0
    window = SurveyWindow.objects.get(section=world.section)
    assert window.opens == pulse.monday_of(TODAY) and (window.closes - window.opens).days == 6
    texts = [q.text for q in window.survey.questions.all()]
    assert texts[:2] == ["The pace this week was right for me.", "This week I could choose how to learn."]
    with translation.override("es"):
        labels = [str(f.label) for f in AnswerForm(window.survey).fields.values()]
    assert labels[0] == "El ritmo de esta semana fue el adecuado para mí."


def test_students_take_it_from_home_and_the_teacher_sees_it_from_five(world: World) -> None:
    services.install_defaults(district=world.district)
    window = pulse.open_week(section=world.section)
    assert window is not None
    extra = [_person(f"pupil_{i}", Role.STUDENT, school=world.school) for i in range(3)]
    for user in extra:
        accounts.enrol(user, world.section, Enrolment.Kind.STUDENT, TODAY, None)
    students = [world.student, world.classmate, *extra]
    home = client_for(world.student).get("/student/").content.decode()
    assert "Take this week's pulse" in home and f"/surveys/windows/{window.pk}/" in home

    questions = list(window.survey.questions.all())
    teacher = client_for(world.teacher)
    for i, student in enumerate(students):
        if i == 4:  # four answered: hidden
            inbox = teacher.get(f"/learn/voice/{world.section.pk}/").content.decode()
            assert "Fewer than 5 answered: hidden to keep answers anonymous" in inbox
        answers = {f"q{q.pk}": str(1 + (i + j) % 5) for j, q in enumerate(questions)}
        assert client_for(student).post(f"/surveys/windows/{window.pk}/", answers).status_code == 302
    assert "Take this week's pulse" not in client_for(world.student).get("/student/").content.decode()
    inbox = teacher.get(f"/learn/voice/{world.section.pk}/").content.decode()
    assert "Class mean 3.0 out of 5 (5 students answered" in inbox
    assert "Fewer than 5" not in inbox and "Ana" not in inbox.split("This week")[1].split("</section>")[0]

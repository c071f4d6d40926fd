"""The families tests: the learning tests' tiny unit, a child with a week to tell about, and a real SMTP
server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.utils import timezone

from cairn.agency.models import WeeklyGoal
from cairn.families.models import TeacherNote
from cairn.leaders.models import Definition
from cairn.learning.models import Progress
from tests.conftest import World
from tests.learning.conftest import Unit, unit  # noqa: F401

FAMILY_TEXT = "Each child learns at their own pace, with choices, and shows what they know."


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def handle_message(self, message: Message) -> None:
        self.messages.append(message)


@dataclass
class Smtp:
    inbox: Inbox
    port: int

    def settings(self) -> dict[str, object]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
        }


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (the controller can't start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Smtp(inbox, port)
    finally:
        controller.stop()


def this_monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


@pytest.fixture
def week(world: World, unit: Unit) -> dt.date:  # noqa: F811
    """The student's last week (mastered A, working on B, a goal, a teacher's note) and this week (mastered
    D); the district's definition for families. Returns this Monday."""
    monday = this_monday()
    last_wednesday = timezone.make_aware(dt.datetime.combine(monday - dt.timedelta(days=5), dt.time(10)))
    unit.a.student_statement = "I can split a whole into equal parts"
    unit.a.translations = {"es": {"student_statement": "Puedo partir un entero en partes iguales"}}
    unit.a.save()
    unit.b.student_statement = "I can add fractions with the same denominator"
    unit.b.save()
    unit.d.student_statement = "I can measure with a ruler"
    unit.d.save()
    student = world.student
    Progress.objects.create(
        student=student, competency=unit.a, status="mastered", mastery=0.97, mastered_at=last_wednesday
    )
    Progress.objects.create(
        student=student, competency=unit.b, status="in_progress", attempts=3, last_attempt_at=last_wednesday
    )
    Progress.objects.create(
        student=student, competency=unit.d, status="mastered", mastery=0.96, mastered_at=timezone.now()
    )
    WeeklyGoal.objects.create(
        student=student, week_start=monday - dt.timedelta(weeks=1), competencies=2, minutes=60
    )
    note = TeacherNote.objects.create(student=student, author=world.teacher, body="Great focus on fractions!")
    TeacherNote.objects.filter(pk=note.pk).update(created_at=last_wednesday)
    Definition.objects.create(
        district=world.district, version=1, summary="Fits each child.", family_text=FAMILY_TEXT
    )
    return monday

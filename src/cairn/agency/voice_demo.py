"""The demo's student voice, in the first teacher's first class (mrivera, Grade 4 Math A): a stuck
reflection asking for help waits on Today and in the inbox; one question has the teacher's reply (the
student reads it on their home); another was marked done. Through the services, as a class would make them.
Deterministic; a second run adds nothing."""

from __future__ import annotations

from cairn.accounts.models import Enrolment, Section, User
from cairn.agency import services, voice
from cairn.agency.models import VoiceMessage

TEACHER = "mrivera"


def demo_section() -> Section | None:
    return (
        Section.objects.filter(enrolments__user__username=TEACHER, enrolments__kind=Enrolment.Kind.TEACHER)
        .order_by("code")
        .first()
    )


def seed_demo_voice() -> int:
    """Write the demo class's messages; how many (0 when there is no such class or a second run)."""
    section = demo_section()
    teacher = User.objects.filter(username=TEACHER).first()
    if section is None or teacher is None or VoiceMessage.objects.filter(section=section).exists():
        return 0
    students = list(
        User.objects.filter(
            pk__in=Enrolment.objects.current()
            .filter(section=section, kind=Enrolment.Kind.STUDENT)
            .values("user_id")
        ).order_by("username")[:3]
    )
    if len(students) < 3:
        return 0
    answered = voice.ask(
        student=students[0],
        body="Can I try the harder fraction problems? The ones on my board feel easy now.",
        section_id=section.pk,
    )
    voice.reply(
        teacher=teacher,
        message=answered,
        body="Yes! Try the number line ones first, and show me your work on Friday.",
    )
    done = voice.ask(student=students[1], body="Can we do stations again this week?", section_id=section.pk)
    voice.mark_done(teacher=teacher, message=done)
    services.reflect(
        students[2],
        "stuck",
        learned="Comparing fractions",
        ask_teacher="I keep getting the ones with different bottom numbers wrong. Can you show me again?",
    )
    return 3

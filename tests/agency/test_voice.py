"""A student's voice is heard: "ask my teacher" and a reflection that asks for help reach the teacher's
Today and the class voice inbox in the student's words; the teacher replies (or marks done) and the student
reads the reply on their home. Only the class's teachers and the school's leaders read the inbox; reading it
is audited."""

from __future__ import annotations

import pytest

from cairn.agency import services, voice
from cairn.agency.models import VoiceMessage, VoiceReply
from cairn.core.errors import Forbidden, Invalid
from cairn.core.models import AuditAction, AuditEvent
from cairn.insights.selectors import class_state
from cairn.insights.today import Kind, today_actions
from tests.conftest import World, client_for


def _voice_titles(world: World) -> list[str]:
    return [a.title for a in today_actions(class_state(world.section)) if a.kind == Kind.VOICE]


def test_ask_reaches_today_and_a_reply_reaches_the_student_home(world: World) -> None:
    student = client_for(world.student)
    sent = student.post(
        "/learn/ask/", {"body": "I don't get how to compare 3/4 and 2/3", "next": "/student/"}
    )
    assert sent.status_code == 302 and sent["Location"] == "/student/"
    message = VoiceMessage.objects.get()
    assert (message.section, message.kind) == (world.section, VoiceMessage.Kind.ASK)
    assert _voice_titles(world) == ["Ana Lopez asked: “I don't get how to compare 3/4 and 2/3”"]

    teacher = client_for(world.teacher)
    today = teacher.get(f"/teach/sections/{world.section.pk}/today/")
    assert "I don&#x27;t get how to compare" in today.content.decode()
    reply_url = f"/learn/voice/{world.section.pk}/{message.pk}/"
    assert reply_url in today.content.decode()
    assert teacher.get(reply_url).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED_STUDENT, student_id=world.student.pk).exists()
    assert (
        teacher.post(reply_url, {"body": "Draw both as bars of the same length. Come see me."}).status_code
        == 302
    )
    assert _voice_titles(world) == []  # a reply resolves it

    home = student.get("/student/").content.decode()
    assert "Draw both as bars of the same length" in home and ">New<" in home
    assert VoiceReply.objects.get().read_at is not None  # shown: read
    assert ">New<" not in student.get("/student/").content.decode()


def test_a_stuck_or_asking_reflection_becomes_a_message_and_a_happy_one_does_not(world: World) -> None:
    services.reflect(world.student, "great", learned="halves")
    assert not VoiceMessage.objects.exists()
    posted = client_for(world.student).post("/learn/reflect/", {"feeling": "stuck"}, follow=True)
    assert "can reply on your home page" in posted.content.decode()
    stuck = world.student.reflections.get(feeling="stuck")
    asking = services.reflect(world.classmate, "ok", ask_teacher="Can I redo the quiz?")
    assert stuck.voice.section == world.section and stuck.voice.body == ""
    assert asking.voice.kind == VoiceMessage.Kind.REFLECTION
    titles = _voice_titles(world)
    assert titles == ["Ana Lopez felt stuck", "Ben Kim asked: “Can I redo the quiz?”"]


def test_mark_done_takes_it_off_today_and_empty_words_are_refused(world: World) -> None:
    with pytest.raises(Invalid):
        voice.ask(student=world.student, body="   ")
    message = voice.ask(student=world.student, body="Can we do stations again?")
    teacher = client_for(world.teacher)
    done = teacher.post(f"/learn/voice/{world.section.pk}/{message.pk}/done/")
    assert done.status_code == 302
    assert _voice_titles(world) == []
    inbox = teacher.get(f"/learn/voice/{world.section.pk}/").content.decode()
    assert "Can we do stations again?" in inbox and "Done in the last two weeks" in inbox


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 200), ("leader", 200), ("colleague", 404), ("former_teacher", 404), ("student", 403)],
)
def test_who_reads_the_class_inbox(world: World, who: str, status: int) -> None:
    voice.ask(student=world.student, body="Is the test on Friday?")
    page = client_for(getattr(world, who)).get(f"/learn/voice/{world.section.pk}/")
    assert page.status_code == status
    if status == 200:
        assert "Is the test on Friday?" in page.content.decode()
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEWED_CLASS, section_id=world.section.pk
        ).exists()


def test_leaders_read_but_only_the_class_teachers_reply(world: World) -> None:
    message = voice.ask(student=world.student, body="Is the test on Friday?")
    with pytest.raises(Forbidden):
        voice.reply(teacher=world.leader, message=message, body="Yes")
    assert (
        "Mark as done"
        not in client_for(world.leader).get(f"/learn/voice/{world.section.pk}/").content.decode()
    )
    assert VoiceMessage.objects.get().resolved_at is None


def test_the_demo_class_voice_once(world: World) -> None:
    from cairn.accounts import services as accounts
    from cairn.accounts.models import Enrolment, Role
    from cairn.agency.voice_demo import seed_demo_voice
    from tests.conftest import _person

    mrivera = _person("mrivera", Role.TEACHER, school=world.school)
    accounts.enrol(mrivera, world.section, Enrolment.Kind.TEACHER, world.section.term_start, None)
    third = _person("zoe_third", Role.STUDENT, school=world.school)
    accounts.enrol(third, world.section, Enrolment.Kind.STUDENT, world.section.term_start, None)
    assert seed_demo_voice() == 3 and seed_demo_voice() == 0
    assert _voice_titles(world) == [
        "Zoe Third asked: “I keep getting the ones with different bottom numbers wrong…”"
    ]
    assert VoiceReply.objects.get().message.student == world.student

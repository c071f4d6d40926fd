"""A student's voice, heard: "ask my teacher" messages and reflections that ask for help, the class voice
inbox, and the teacher's replies.

A message goes to one class. A student with one class sends it there; one with several picks the class on
the form (the first by code is preselected). A reflection has no class of its own: it goes to the student's
first class by code (the one their home lists first), and its teacher sees it on Today and in the inbox.
A message waits (on Today and in the inbox) until a teacher of its class replies or marks it done; replies
show on the student's home, where reading them marks them read.

Who may see a class's inbox: its teachers now, and the school's leaders (``may_read``); only its teachers
reply or mark done (``may_answer``). Both through :mod:`cairn.accounts.access`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Role, Section, User
from cairn.accounts.selectors import student_sections
from cairn.agency.models import Reflection, VoiceMessage, VoiceReply
from cairn.core.errors import Conflict, Forbidden, Invalid, NotFound

MAX_BODY = 500
MAX_REPLY = 1000
ASKING_FEELINGS = {Reflection.Feeling.STUCK, Reflection.Feeling.FRUSTRATED}
REPLIES_SHOWN_DAYS = 14


# ------------------------------------------------------------------------------------------- access
def may_read(viewer: User, section: Section) -> bool:
    """The class's teachers now, and leaders of its school."""
    if access.teaches_section(viewer, section):
        return True
    return (
        Role.SCHOOL_LEADER in access.roles_of(viewer)
        and access.visible_schools(viewer).filter(pk=section.school_id).exists()
    )


def may_answer(viewer: User, section: Section) -> bool:
    return access.teaches_section(viewer, section)


def inbox_section(viewer: User, section_id: int) -> Section:
    """The section whose inbox ``viewer`` asks for; NotFound for one they may not read (as for none)."""
    section = Section.objects.select_related("school").filter(pk=section_id).first()
    if section is None or not may_read(viewer, section):
        raise NotFound(_("No such class."))
    return section


def message_in(viewer: User, section: Section, message_id: int) -> VoiceMessage:
    message = (
        VoiceMessage.objects.select_related("student", "section")
        .filter(pk=message_id, section=section)
        .first()
    )
    if message is None or not may_read(viewer, section):
        raise NotFound(_("No such message."))
    return message


# ------------------------------------------------------------------------------------------- reads
def open_messages(section: Section) -> list[VoiceMessage]:
    """The class's messages waiting for a teacher, oldest first (the one waiting longest leads)."""
    return list(
        VoiceMessage.objects.filter(section=section, resolved_at__isnull=True)
        .select_related("student", "reflection")
        .order_by("created_at", "pk")
    )


def inbox(section: Section, *, done_days: int = 14) -> tuple[list[VoiceMessage], list[VoiceMessage]]:
    """(waiting, done in the last ``done_days`` days) with their replies."""
    since = timezone.now() - dt.timedelta(days=done_days)
    rows = (
        VoiceMessage.objects.filter(section=section)
        .exclude(resolved_at__lt=since)
        .select_related("student", "reflection")
        .prefetch_related("replies__author")
        .order_by("created_at", "pk")
    )
    waiting = [m for m in rows if m.resolved_at is None]
    done = [m for m in rows if m.resolved_at is not None]
    done.sort(key=lambda m: m.resolved_at or m.created_at, reverse=True)
    return waiting, done


def replies_for(student: User) -> QuerySet[VoiceReply]:
    """Replies to the student's messages: unread ones, and read ones of the last two weeks, newest first."""
    since = timezone.now() - dt.timedelta(days=REPLIES_SHOWN_DAYS)
    return (
        VoiceReply.objects.filter(message__student=student)
        .filter(Q(read_at__isnull=True) | Q(created_at__gte=since))
        .select_related("message", "author")
        .order_by("-created_at", "-pk")
    )


def heard(reflection: Reflection) -> bool:
    """Whether the reflection went to the teacher as a message (on Today and in the class inbox)."""
    return VoiceMessage.objects.filter(reflection=reflection).exists()


def sections_of(student: User) -> list[Section]:
    return list(student_sections(student).order_by("code", "pk"))


# ------------------------------------------------------------------------------------------- writes
def _body(text: str, field: str, limit: int, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(empty, field=field)
    if len(text) > limit:
        raise Invalid(_("Keep it under %(limit)d characters.") % {"limit": limit}, field=field)
    return text


@transaction.atomic
def ask(*, student: User, body: str, section_id: int | None = None) -> VoiceMessage:
    """An "ask my teacher" message to one of the student's classes (their only one, or the one picked)."""
    text = _body(body, "body", MAX_BODY, _("Write what you want to ask your teacher."))
    sections = sections_of(student)
    if not sections:
        raise Conflict(_("You are not in a class yet, so there is no teacher to ask."))
    if section_id is None:
        section = sections[0]
    else:
        found = [s for s in sections if s.pk == section_id]
        if not found:
            raise Invalid(_("Pick one of your classes."), field="section")
        section = found[0]
    return VoiceMessage.objects.create(
        student=student, section=section, kind=VoiceMessage.Kind.ASK, body=text
    )


def from_reflection(reflection: Reflection) -> VoiceMessage | None:
    """A reflection that asks the teacher something, or says the student is stuck or frustrated, becomes a
    message to their first class (the reflection's own words; none when they wrote nothing)."""
    words = reflection.ask_teacher.strip()
    if not words and reflection.feeling not in ASKING_FEELINGS:
        return None
    sections = sections_of(reflection.student)
    return VoiceMessage.objects.create(
        student=reflection.student,
        section=sections[0] if sections else None,
        kind=VoiceMessage.Kind.REFLECTION,
        reflection=reflection,
        body=(words or reflection.learned.strip() or reflection.next_step.strip())[:MAX_BODY],
    )


@transaction.atomic
def reply(*, teacher: User, message: VoiceMessage, body: str) -> VoiceReply:
    """The teacher's answer; it resolves the message (off Today and to the inbox's done list)."""
    _check_answerer(teacher, message)
    text = _body(body, "body", MAX_REPLY, _("Write your reply."))
    answer = VoiceReply.objects.create(message=message, author=teacher, body=text)
    _resolve(teacher, message)
    return answer


@transaction.atomic
def mark_done(*, teacher: User, message: VoiceMessage) -> VoiceMessage:
    _check_answerer(teacher, message)
    _resolve(teacher, message)
    return message


def mark_read(*, student: User, replies: Sequence[VoiceReply]) -> int:
    """Mark the student's own unread replies among ``replies`` as read; how many."""
    ids = [r.pk for r in replies if r.read_at is None]
    return VoiceReply.objects.filter(pk__in=ids, message__student=student, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _check_answerer(teacher: User, message: VoiceMessage) -> None:
    if message.section is None or not may_answer(teacher, message.section):
        raise Forbidden(_("Only the class's teachers reply to its students' messages."))


def _resolve(teacher: User, message: VoiceMessage) -> None:
    if message.resolved_at is None:
        message.resolved_at = timezone.now()
        message.resolved_by = teacher
        message.save(update_fields=["resolved_at", "resolved_by"])

"""The student home's voice panels (the home is accounts', below agency, so agency contributes them as
tags): ``{% ask_teacher %}`` — the "ask my teacher" form and the teacher's replies, which reading here marks
read — and ``{% pulse_due %}``, this week's class pulse when it waits for the student."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.accounts import access
from cairn.accounts.models import Role, User
from cairn.agency import voice
from cairn.agency.voice_forms import AskForm
from cairn.surveys.pulse import due_for

register = template.Library()


def _student(context: template.Context) -> User | None:
    user = context.get("user")
    if isinstance(user, User) and Role.STUDENT in access.roles_of(user):
        return user
    return None


@register.inclusion_tag("agency/_ask_teacher.html", takes_context=True)
def ask_teacher(context: template.Context) -> dict[str, Any]:
    student = _student(context)
    if student is None:
        return {"show": False}
    sections = voice.sections_of(student)
    replies = list(voice.replies_for(student)[:10])
    unread = {r.pk for r in replies if r.read_at is None}
    voice.mark_read(student=student, replies=replies)  # shown now: read
    return {
        "show": bool(sections),
        "form": AskForm(sections),
        "replies": replies,
        "unread": unread,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("agency/_pulse_due.html", takes_context=True)
def pulse_due(context: template.Context) -> dict[str, Any]:
    student = _student(context)
    return {"windows": due_for(student) if student is not None else []}

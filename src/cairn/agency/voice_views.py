"""The voice pages: a student asks their teacher (from their home), and a class's voice inbox where its
teachers read, reply and mark done (leaders of the school read). Reading a student's words is audited: the
inbox once per visit as a class view, a message's reply page as a view of that student."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.agency import voice
from cairn.agency.voice_forms import AskForm, ReplyForm
from cairn.core import audit
from cairn.core.errors import Invalid
from cairn.core.middleware import back_url
from cairn.surveys.results import pulse_for_section


@role_required(Role.STUDENT)
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    student = person(request)
    form = AskForm(voice.sections_of(student), request.POST)
    if not form.is_valid():
        raise Invalid(" ".join(str(e) for errors in form.errors.values() for e in errors))
    data = form.cleaned_data
    voice.ask(student=student, body=data["body"], section_id=data["section"])
    messages.success(request, _("Sent. Your teacher will see your message and can reply here."))
    return redirect(back_url(request, reverse("student-home")))


@role_required(Role.TEACHER, Role.SCHOOL_LEADER)
def inbox(request: HttpRequest, section_id: int) -> HttpResponse:
    viewer = person(request)
    section = voice.inbox_section(viewer, section_id)
    audit.record(
        audit.AuditAction.VIEWED_CLASS,
        actor=request.user,
        section=section,
        detail={"page": "voice inbox"},
        request=request,
    )
    waiting, done = voice.inbox(section)
    context = {
        "section": section,
        "waiting": waiting,
        "done": done,
        "can_answer": voice.may_answer(viewer, section),
        "pulse": pulse_for_section(section, timezone.localdate()),
    }
    return render(request, "agency/voice_inbox.html", context)


@role_required(Role.TEACHER, Role.SCHOOL_LEADER)
def reply(request: HttpRequest, section_id: int, message_id: int) -> HttpResponse:
    viewer = person(request)
    section = voice.inbox_section(viewer, section_id)
    message = voice.message_in(viewer, section, message_id)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        voice.reply(teacher=viewer, message=message, body=form.cleaned_data["body"])
        messages.success(request, _("Reply sent to %(name)s.") % {"name": message.student.display_name})
        return redirect("agency-voice-inbox", section.pk)
    audit.record(
        audit.AuditAction.VIEWED_STUDENT,
        actor=request.user,
        student=message.student,
        section=section,
        detail={"page": "voice message"},
        request=request,
    )
    context = {
        "section": section,
        "message": message,
        "form": form,
        "can_answer": voice.may_answer(viewer, section),
    }
    return render(request, "agency/voice_reply.html", context, status=400 if form.errors else 200)


@role_required(Role.TEACHER)
@require_POST
def done(request: HttpRequest, section_id: int, message_id: int) -> HttpResponse:
    viewer = person(request)
    section = voice.inbox_section(viewer, section_id)
    message = voice.message_in(viewer, section, message_id)
    voice.mark_done(teacher=viewer, message=message)
    messages.success(request, _("Marked as done."))
    return redirect(back_url(request, reverse("agency-voice-inbox", args=[section.pk])))

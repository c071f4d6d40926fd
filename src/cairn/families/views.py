"""The families pages: a child's family page (for their guardians, or read-only from the digest's signed
link), a teacher's note to the family, the guardian's digest choices and the email's opt-out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cairn.accounts.access import person
from cairn.accounts.models import Role, User
from cairn.accounts.views import role_required
from cairn.core import audit
from cairn.core.errors import Invalid, NotFound
from cairn.core.middleware import add_to_form
from cairn.families import links, selectors, services
from cairn.families.digest import language_of
from cairn.families.forms import NoteForm, PreferenceForm


@role_required(Role.GUARDIAN)
def child_page(request: HttpRequest, child_id: int) -> HttpResponse:
    guardian = person(request)
    child = selectors.linked_child(guardian, child_id)
    audit.record(
        audit.AuditAction.VIEWED_STUDENT,
        actor=guardian,
        student=child,
        detail={"page": "family"},
        request=request,
    )
    context = {"page": selectors.family_page(child), "signed_in": True}
    return render(request, "families/child.html", context)


def child_page_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The digest's link: the child's family page, read-only, with no sign-in (see links.py for why)."""
    link = links.read_family_token(token)
    guardian = get_object_or_404(User, pk=link.guardian_id, is_active=True)
    child = selectors.linked_child(guardian, link.child_id)
    audit.record(
        audit.AuditAction.VIEWED_STUDENT,
        actor=guardian,
        student=child,
        detail={"page": "family", "via": "email link"},
        request=request,
    )
    with translation.override(language_of(guardian)):
        response = render(
            request, "families/child.html", {"page": selectors.family_page(child), "signed_in": False}
        )
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def note_new(request: HttpRequest, student_id: int) -> HttpResponse:
    teacher = person(request)
    student = get_object_or_404(User, pk=student_id)
    if not selectors.teaches_student(teacher, student):
        raise NotFound(_("No such student."))
    if request.method != "POST":  # the page shows the notes sent before: a page about the student
        audit.record(
            audit.AuditAction.VIEWED_STUDENT,
            actor=teacher,
            student=student,
            detail={"page": "family_notes"},
            request=request,
        )
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_note(author=teacher, student=student, body=form.cleaned_data["body"])
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Note saved. The family will see it on their page and in the email."))
            return redirect("families-note-new", student_id=student.pk)
    context = {"student": student, "form": form, "notes": student.family_notes.select_related("author")[:10]}
    return render(request, "families/note_form.html", context, status=400 if form.errors else 200)


@role_required(Role.GUARDIAN)
def preferences(request: HttpRequest) -> HttpResponse:
    guardian = person(request)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"frequency": selectors.frequency_of(guardian)},
    )
    if request.method == "POST" and form.is_valid():
        services.set_frequency(guardian=guardian, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Saved."))
        return redirect("families-preferences")
    context = {"form": form, "children": selectors.children(guardian)}
    return render(request, "families/preferences.html", context, status=400 if form.errors else 200)


@csrf_exempt  # the email's link and mail clients' one-click (RFC 8058) carry the signed token instead
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (link scanners that open every link in an email must not opt anyone out);
    POST, from the button or from a mail client's one-click unsubscribe, opts out."""
    guardian = get_object_or_404(User, pk=links.read_opt_out_token(token))
    with translation.override(language_of(guardian)):
        if request.method == "POST":
            services.opt_out(guardian=guardian)
        return render(request, "families/opt_out.html", {"done": request.method == "POST", "token": token})

"""A teacher's page for their class's passwords: choose students, give them new passwords, print the sign-in
cards. The rules are in ``student_passwords``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cairn.accounts import access, student_passwords
from cairn.accounts.models import Section
from cairn.core.errors import Forbidden


def _section(request: HttpRequest, section_id: int) -> Section:
    """The section when the person teaches it; 403 for someone who may see it but not change it (a leader),
    404 for everyone else (the same answer as for no such section)."""
    viewer = access.person(request)
    section = get_object_or_404(Section.objects.select_related("school"), pk=section_id)
    if student_passwords.may_reset_passwords(viewer, section):
        return section
    if access.can_view_section(viewer, section):
        raise Forbidden(_("Only a teacher of this class can give its students new passwords."))
    raise Http404(_("No such section."))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def section_passwords(request: HttpRequest, section_id: int) -> HttpResponse:
    """GET: the class list to choose from. POST: new passwords for the chosen students (or the whole
    class), answered with their printable cards; the passwords are shown this once and never stored."""
    section = _section(request, section_id)
    students = student_passwords.resettable_students(section)
    if request.method == "GET":
        return render(request, "accounts/section_passwords.html", {"section": section, "students": students})
    chosen = [s.pk for s in students] if request.POST.get("whole_class") else request.POST.getlist("students")
    cards = student_passwords.reset_passwords(
        teacher=access.person(request),
        section=section,
        student_ids=[int(pk) for pk in chosen if str(pk).isdigit()],
        request=request,
    )
    context = {"section": section, "cards": cards, "login_url": request.build_absolute_uri(reverse("login"))}
    return render(request, "accounts/sign_in_cards.html", context)

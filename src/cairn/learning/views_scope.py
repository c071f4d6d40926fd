"""A teacher's page of what their section studies: its course's competencies, and a form to add one to the
section or take one out of it (logged like an override)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.learning.scope_forms import SectionScopeForm
from cairn.learning.selectors.section_scope import section_studies, taught_section
from cairn.learning.services import section_scope


@login_required
def section_competencies(request: HttpRequest, section_id: int) -> HttpResponse:
    teacher = person(request)
    section = taught_section(teacher, section_id)
    studies = section_studies(section)
    posted = request.POST if request.method == "POST" else None
    form = SectionScopeForm(posted, competencies=[*studies.on_path, *studies.addable])
    if posted is not None and form.is_valid():
        try:
            data = form.cleaned_data
            section_scope.adjust_section(
                teacher=teacher,
                section=section,
                competency_id=data["competency"],
                action=data["action"],
                reason=data["reason"],
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved: the class's paths show the change now."))
            return redirect("learning-section-competencies", section_id=section.pk)
    context = {"studies": studies, "section": section, "form": form}
    return render(request, "learning/section_competencies.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def undo_section_change(request: HttpRequest, section_id: int, change_id: int) -> HttpResponse:
    teacher = person(request)
    section = taught_section(teacher, section_id)
    section_scope.undo_adjustment(teacher=teacher, section=section, change_id=change_id)
    messages.success(request, _("Undone: the course's own list holds for that competency again."))
    return redirect("learning-section-competencies", section_id=section.pk)

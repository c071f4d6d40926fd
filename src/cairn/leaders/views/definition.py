"""The district's definition of personalized learning: a guided page for the district admin (pick the
pillars, say what each looks like for students, teachers and leaders; each save is a new version, the
history below), and the current version for the district's teachers and leaders to read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.leaders import access, selectors, services
from cairn.leaders.forms import DefinitionForm
from cairn.leaders.models.goals import Pillar


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def edit(request: HttpRequest, district_id: int) -> HttpResponse:
    user = person(request)
    district = access.district_for_admin(user, district_id)
    current = selectors.current_definition(district)
    form = DefinitionForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_definition(
                district=district,
                author=user,
                pillars=form.pillars(),
                summary=data["summary"],
                family_text=data["family_text"],
            )
        except Invalid as exc:  # beside the field, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Saved as version %(n)d. Teachers see it now.") % {"n": saved.version}
            )
            return redirect("leaders-definition-edit", district.pk)
    context = {
        "district": district,
        "form": form,
        "current": current,
        "history": selectors.definition_history(district),
        "labels": dict(Pillar.choices),
    }
    return render(request, "leaders/definition_edit.html", context, status=400 if form.errors else 200)


@role_required(Role.TEACHER, Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def read(request: HttpRequest) -> HttpResponse:
    """What personalized learning means in the reader's district (the current version)."""
    district = access.district_of_staff(person(request))
    definition = selectors.current_definition(district) if district else None
    context = {"district": district, "definition": definition, "labels": dict(Pillar.choices)}
    return render(request, "leaders/definition.html", context)

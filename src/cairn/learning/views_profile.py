"""Learner profile pages: the student's own part from their home, the whole profile (accommodations
included) for staff who teach the student or lead their school, from the student's page. Staff views and
changes are audited; anyone else gets the same 404 as for no such student."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.core import audit
from cairn.core.errors import CairnError
from cairn.core.middleware import add_to_form
from cairn.learning.profile_forms import OwnProfileForm, StaffProfileForm, initial_for
from cairn.learning.profiles import looks_after, profile_of
from cairn.learning.services.profiles import save_own_profile, save_profile


@role_required(Role.STUDENT)
def my_profile(request: HttpRequest) -> HttpResponse:
    student = access.person(request)
    posted = request.POST if request.method == "POST" else None
    form = OwnProfileForm(posted, initial=initial_for(profile_of(student)))
    if posted is not None and form.is_valid():
        try:
            save_own_profile(student=student, **_own(form.cleaned_data))
        except CairnError as exc:  # beside the field, with what the student typed kept
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved. Your board will use it."))
            return redirect("learning-my-profile")
    return render(request, "learning/profile_mine.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def student_profile(request: HttpRequest, student_id: int) -> HttpResponse:
    viewer = access.person(request)
    student = get_object_or_404(access.visible_students(viewer), pk=student_id)
    if not looks_after(viewer, student):
        raise Http404("No such student.")
    posted = request.POST if request.method == "POST" else None
    profile = profile_of(student)
    form = StaffProfileForm(posted, initial=initial_for(profile))
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            save_profile(
                actor=viewer,
                student=student,
                reading_level=data["reading_level"],
                accommodations=data["accommodations"],
                accommodations_source=data["accommodations_source"],
                **_own(data),
            )
        except CairnError as exc:
            add_to_form(form, exc)
        else:
            audit.record(
                audit.AuditAction.RECORD_CHANGED,
                actor=viewer,
                student=student,
                detail={"record": "learner_profile", "fields": sorted(form.changed_data)},
                request=request,
            )
            messages.success(request, _("Learner profile saved."))
            return redirect("learning-student-profile", student.pk)
    else:
        audit.record(
            audit.AuditAction.VIEWED_STUDENT,
            actor=viewer,
            student=student,
            detail={"page": "learner_profile"},
            request=request,
        )
    context = {"student": student, "profile": profile, "form": form}
    return render(request, "learning/profile_staff.html", context, status=400 if form.errors else 200)


def _own(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "interests": data["interests"],
        "strengths": data["strengths"],
        "preferred_kinds": data["preferred_kinds"],
        "language": data["language"],
    }

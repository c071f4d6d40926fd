"""The teacher's pages for autonomy skills: the class's picture (students × skills, the observed level beside
the latest rating) and one student's skills with a rating form per skill against its rubric. Under
/teach/sections/<id>/ beside the class view; its teachers and the school's leaders see them, only its
teachers rate. Both pages are audited (one event per request)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.access import person
from cairn.agency import autonomy, autonomy_services
from cairn.agency.autonomy_forms import RatingForm
from cairn.agency.autonomy_signals import (
    class_skills,
    class_students,
    student_in,
    student_skills,
    visible_section,
)
from cairn.core import audit


@login_required
def class_autonomy(request: HttpRequest, section_id: int) -> HttpResponse:
    viewer = person(request)
    section = visible_section(viewer, section_id)
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=viewer, section=section, request=request)
    context = {
        "section": section,
        "tab": "autonomy",
        "can_teach": access.teaches_section(viewer, section),
        "skills": autonomy.skills(),
        "rows": class_skills(class_students(section)),
    }
    return render(request, "agency/autonomy_class.html", context)


@login_required
def student_autonomy(request: HttpRequest, section_id: int, student_id: int) -> HttpResponse:
    viewer = person(request)
    section = visible_section(viewer, section_id)
    student = student_in(section, student_id)
    posted = RatingForm(request.POST) if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        data = posted.cleaned_data
        autonomy_services.rate_skill(
            rater=viewer,
            section=section,
            student=student,
            skill=data["skill"],
            level=data["level"],
            note=data["note"],
        )
        messages.success(request, _("Rating saved."))
        return redirect("agency-autonomy-student", section.pk, student.pk)
    audit.record(
        audit.AuditAction.VIEWED_STUDENT, actor=viewer, student=student, section=section, request=request
    )
    skills = student_skills(student)
    rows = [(skill, observed, rating, _form_for(skill, posted)) for skill, observed, rating in skills.rows()]
    context = {
        "section": section,
        "tab": "autonomy",
        "can_teach": access.teaches_section(viewer, section),
        "student": student,
        "rows": rows,
    }
    return render(request, "agency/autonomy_student.html", context, status=400 if posted else 200)


def _form_for(skill: autonomy.Skill, posted: RatingForm | None) -> RatingForm:
    """The skill's rating form; the one that was posted and refused keeps what was typed and its errors."""
    if posted is not None and posted.data.get("skill") == skill.key:
        form = RatingForm(posted.data, skill=skill, auto_id=f"id_{skill.key}_%s")
        form.is_valid()
        return form
    return RatingForm(skill=skill, auto_id=f"id_{skill.key}_%s")

"""Teachers' own paths: a teacher's page (their practices, levels, evidence and what to learn next; choosing
what to work on; sharing beyond the principal), a leader's read of one teacher's path (the principal of the
teacher's school, others only when the teacher opted in), and where a school's teachers need support (counts
per level; names only for the school's own leaders)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.leaders import access, teacher_paths, teacher_support
from cairn.leaders.views.home import LEADERS


@role_required(Role.TEACHER)
def my_path(request: HttpRequest) -> HttpResponse:
    path = teacher_paths.path_for(person(request))
    return render(request, "leaders/teacher_path.html", {"path": path, "own": True})


@require_POST
@role_required(Role.TEACHER)
def choose(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("competency", "")
    competency_id = int(raw) if raw.isdigit() else 0  # the service refuses what is not a practice
    teacher_paths.choose_focus(teacher=person(request), competency_id=competency_id)
    messages.success(request, _("Saved: that is what you are working on now."))
    return redirect("leaders-my-path")


@require_POST
@role_required(Role.TEACHER)
def sharing(request: HttpRequest) -> HttpResponse:
    shared = request.POST.get("beyond_principal") == "on"
    teacher_paths.set_sharing(teacher=person(request), beyond_principal=shared)
    if shared:
        messages.success(request, _("Your path is shared with your district's coaches and admins."))
    else:
        messages.success(request, _("Your path is seen by you and your school's leaders only."))
    return redirect("leaders-my-path")


@role_required(Role.TEACHER, *LEADERS)
def teacher_path(request: HttpRequest, teacher_id: int) -> HttpResponse:
    teacher = teacher_paths.teacher_for_viewer(person(request), teacher_id)
    path = teacher_paths.path_for(teacher)
    return render(request, "leaders/teacher_path.html", {"path": path, "own": False})


@role_required(*LEADERS)
def school_support(request: HttpRequest, school_id: int) -> HttpResponse:
    viewer = person(request)
    school = access.school_for_leader(viewer, school_id)
    leads = teacher_paths.leads_school(viewer, school)
    practices = teacher_paths.practices_of(teacher_paths.course_of(school.district))
    support = teacher_support.school_support(school, practices, for_district=not leads)
    context = {
        "schools": [support],
        "school": school,
        "district": school.district,
        "teachers": teacher_paths.school_teachers(school) if leads else [],
        "shared": [] if leads else teacher_paths.shared_teachers(school),
        "levels": teacher_paths.levels(),
    }
    return render(request, "leaders/school_support.html", context)


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def district_support(request: HttpRequest, district_id: int) -> HttpResponse:
    district = access.district_for_admin(person(request), district_id)
    context = {
        "schools": teacher_support.district_support(district),
        "school": None,
        "district": district,
        "teachers": [],
        "shared": [],
        "levels": teacher_paths.levels(),
    }
    return render(request, "leaders/school_support.html", context)

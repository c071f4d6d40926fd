"""Pages for people. Thin: every rule is in cairn.accounts.access, every read in selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cairn.accounts import access, selectors
from cairn.accounts.models import District, Role, Section, User
from cairn.core import audit


def role_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not access.roles_of(access.person(request)) & set(roles):
                raise PermissionDenied(_("This page is for another role."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@login_required
def home(request: HttpRequest) -> HttpResponse:
    homes = access.home_url_names(access.person(request))
    if not homes:
        return render(request, "accounts/no_role.html", status=403)
    return redirect(homes[0][1])


@role_required(Role.STUDENT)
def student_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/student_home.html",
        {"sections": selectors.student_sections(access.person(request))},
    )


@role_required(Role.GUARDIAN)
def guardian_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/guardian_home.html", {"children": selectors.children_of(access.person(request))}
    )


@role_required(Role.TEACHER)
def teacher_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/teacher_home.html", {"sections": selectors.taught_sections(access.person(request))}
    )


@role_required(Role.SCHOOL_LEADER)
def school_home(request: HttpRequest) -> HttpResponse:
    schools = access.visible_schools(access.person(request))
    context = {
        "summaries": selectors.school_summaries(schools),
        "sections": selectors.visible_sections_with_counts(access.person(request)),
    }
    return render(request, "accounts/school_home.html", context)


@role_required(Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def school_detail(request: HttpRequest, school_id: int) -> HttpResponse:
    """One school's classes, each with the way into its Today and class view, for those who oversee it."""
    viewer = access.person(request)
    school = get_object_or_404(access.visible_schools(viewer).select_related("district"), pk=school_id)
    sections = selectors.visible_sections_with_counts(viewer).filter(school=school).order_by("grade", "name")
    return render(request, "accounts/school_detail.html", {"school": school, "sections": sections})


@role_required(Role.DISTRICT_ADMIN)
def district_home(request: HttpRequest) -> HttpResponse:
    viewer = access.person(request)
    schools = access.visible_schools(viewer)
    context = {
        "summaries": selectors.school_summaries(schools),
        "managed_districts": District.objects.filter(roles__user=viewer, roles__role=Role.DISTRICT_ADMIN),
    }
    return render(request, "accounts/district_home.html", context)


@role_required(Role.PLATFORM_ADMIN)
def platform_home(request: HttpRequest) -> HttpResponse:
    districts = District.objects.prefetch_related("schools")
    return render(request, "accounts/platform_home.html", {"districts": districts})


@login_required
def section_detail(request: HttpRequest, section_id: int) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("school"), pk=section_id)
    if not access.can_view_section(access.person(request), section):
        raise Http404(_("No such section."))  # the same answer as for a section that doesn't exist
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    context = {
        "section": section,
        "students": access.students_in_section(section),
        "teachers": access.teachers_of_section(section),
    }
    return render(request, "accounts/section_detail.html", context)


@login_required
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    student = get_object_or_404(User, pk=student_id)
    if not access.can_view_student(access.person(request), student):
        raise Http404(_("No such student."))
    audit.record(audit.AuditAction.VIEWED_STUDENT, actor=request.user, student=student, request=request)
    context = {
        "student": student,
        "sections": selectors.student_sections(student),
        "guardians": selectors.guardians_of(student),
    }
    return render(request, "accounts/student_detail.html", context)

"""The district admins' course pages: the district's courses (add one; put a section in a course) and one
course (its name and band, its competencies from a subject and grade band or by hand, their order)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Course, User
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.curriculum import courses
from cairn.curriculum.course_forms import BandForm, CourseForm, PickForm, SectionCourseForm
from cairn.curriculum.services import courses as services


@login_required
def district_courses(request: HttpRequest, district_id: int) -> HttpResponse:
    viewer = person(request)
    district = courses.managed_district(viewer, district_id)
    form = CourseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.create_course(actor=viewer, district=district, **form.values())
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Course %(course)s added: now choose its competencies.") % {"course": course.name}
            )
            return redirect("library-course", course_id=course.pk)
    all_courses = list(courses.district_courses(district))
    context = {
        "district": district,
        "courses": all_courses,
        "form": form,
        "sections": courses.district_sections(district),
        "section_form": SectionCourseForm(sections=[], courses=all_courses),
    }
    return render(request, "curriculum/courses.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def section_course(request: HttpRequest, district_id: int) -> HttpResponse:
    viewer = person(request)
    district = courses.managed_district(viewer, district_id)
    form = SectionCourseForm(
        request.POST, sections=courses.district_sections(district), courses=courses.district_courses(district)
    )
    if not form.is_valid():
        raise Invalid(_("Choose a section and a course."), field="course")
    section = courses.section_in(district, form.cleaned_data["section"])
    course = courses.course_in(district, form.cleaned_data["course"])
    services.set_section_course(actor=viewer, section=section, course=course)
    messages.success(
        request,
        _("%(section)s: %(course)s.") % {"section": section.name, "course": course.name}
        if course
        else _("%(section)s: no course.") % {"section": section.name},
    )
    return redirect("library-courses", district_id=district.pk)


@login_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    viewer = person(request)
    course = courses.managed_course(viewer, course_id)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action", "") if posted is not None else ""
    form = CourseForm.for_course(course, posted if action == "edit" else None)
    band = BandForm(posted if action == "band" else None, initial=_band_initial(course))
    in_course = courses.course_competencies(course)
    chosen = {c.pk for c in in_course}
    every = courses.band_competencies(district=course.district, subject="", grade_low=None, grade_high=None)
    choices = in_course + [c for c in every if c.pk not in chosen]
    pick = PickForm(posted if action == "pick" else None, choices=choices, chosen=chosen)
    forms: dict[str, CourseForm | BandForm | PickForm] = {"edit": form, "band": band, "pick": pick}
    bound = forms.get(action)
    if bound is not None and bound.is_valid():
        try:
            done = _apply(viewer, course, bound)
        except Invalid as exc:
            add_to_form(bound, exc)
        else:
            messages.success(request, done)
            return redirect("library-course", course_id=course.pk)
    context = {"course": course, "form": form, "band": band, "pick": pick, "competencies": in_course}
    status = 400 if bound is not None and bound.errors else 200
    return render(request, "curriculum/course.html", context, status=status)


def _band_initial(course: Course) -> dict[str, str]:
    return {
        "subject": course.subject,
        "grade_low": "" if course.grade_low is None else str(course.grade_low),
        "grade_high": "" if course.grade_high is None else str(course.grade_high),
    }


def _apply(viewer: User, course: Course, form: CourseForm | BandForm | PickForm) -> str:
    """One of the course page's forms, saved; what to tell the admin."""
    if isinstance(form, CourseForm):
        services.update_course(
            actor=viewer, course=course, active=form.cleaned_data["active"], **form.values()
        )
        return _("Course saved.")
    if isinstance(form, BandForm):
        subject, low, high = form.band()
        found = courses.band_competencies(
            district=course.district, subject=subject, grade_low=low, grade_high=high
        )
        n = services.set_course_competencies(
            actor=viewer, course=course, competency_ids=list(found.values_list("pk", flat=True))
        )
        return ngettext(
            "The course now holds the %(count)d standard of that band.",
            "The course now holds the %(count)d standards of that band.",
            n,
        ) % {"count": n}
    n = services.set_course_competencies(
        actor=viewer, course=course, competency_ids=form.cleaned_data["competencies"]
    )
    return ngettext(
        "The course now holds %(count)d competency.", "The course now holds %(count)d competencies.", n
    ) % {"count": n}


@login_required
@require_POST
def course_move(request: HttpRequest, course_id: int) -> HttpResponse:
    viewer = person(request)
    course = courses.managed_course(viewer, course_id)
    try:
        competency_id, by = int(request.POST.get("competency", "")), int(request.POST.get("by", ""))
    except ValueError as exc:
        raise Invalid(_("Choose a competency and a direction."), field="competency") from exc
    services.move_competency(actor=viewer, course=course, competency_id=competency_id, by=by)
    return redirect("library-course", course_id=course.pk)

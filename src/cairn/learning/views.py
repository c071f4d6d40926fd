"""Student pages: my path, practice (htmx: answers and hints update the page in place), the choice board,
activities, goals and reflection; and, for teachers, a section's release rules. Thin: the loop lives in
practice.py, the path in path.py, the rules in release_rules.py."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cairn.accounts import access
from cairn.accounts.access import person
from cairn.accounts.models import District, Role, Section
from cairn.accounts.views import role_required
from cairn.agency import pace as agency
from cairn.agency.models import Reflection
from cairn.curriculum.access import content_for_student
from cairn.curriculum.models import Competency
from cairn.learning import board as board_service
from cairn.learning import policy, practice, release_rules
from cairn.learning.graph_svg import path_map
from cairn.learning.models import ActivityCompletion, Progress
from cairn.learning.path import path_competencies, student_path


@role_required(Role.STUDENT)
def my_path(request: HttpRequest) -> HttpResponse:
    student = person(request)
    path = student_path(student)
    options = board_service.build_board(student, path)
    request.session["board"] = [o.option_id for o in options]
    context = {
        "path": path,
        "counts": path.counts(),
        "map": path_map(path),
        "board": options,
        "pace": agency.pace(student),
    }
    return render(request, "learning/path.html", context)


@role_required(Role.STUDENT)
@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    student = person(request)
    offered = board_service.build_board(student)
    try:
        picked = board_service.choose(student, request.POST.get("option", ""), offered)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("learning-path")
    return redirect(picked.url)


@role_required(Role.STUDENT)
def practice_page(request: HttpRequest, competency_id: int) -> HttpResponse:
    student = person(request)
    competency = get_object_or_404(Competency, pk=competency_id)
    row = student_path(student).by_code().get(competency.code)
    if row is None:
        raise Http404("This competency is not on your path.")
    if row.status == "locked":
        return render(request, "learning/locked.html", {"row": row, "competency": competency}, status=403)
    try:
        served = practice.serve(student, competency)
    except practice.PracticeError as exc:
        return render(request, "learning/practice_unavailable.html", {"row": row, "message": str(exc)})
    context = {
        "row": row,
        "competency": competency,
        "question": practice.question_for(served),
        "attempt_id": uuid.uuid4(),
    }
    return render(request, "learning/practice.html", context)


@role_required(Role.STUDENT)
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    student = person(request)
    token = request.POST.get("token", "")
    try:
        feedback, step = practice.answer_and_next(  # the page links to the board; it needn't build one
            student, token, request.POST.get("attempt_id", ""), request.POST.get("answer", ""), board=False
        )
    except practice.PracticeError as exc:
        return render(request, "learning/_error.html", {"message": str(exc)}, status=400)
    progress = Progress.objects.filter(student=student, competency__code=feedback.competency).first()
    context = {
        "feedback": feedback,
        # A second try stays on the page; otherwise the next question is one link away (already served).
        "question": step.question if feedback.retry else None,
        "unlocked": step.unlocked,
        "attempt_id": uuid.uuid4(),
        "progress": progress,
        "competency_id": progress.competency_id if progress else None,
    }
    return render(request, "learning/_feedback.html", context)


@role_required(Role.STUDENT)
@require_POST
def hint(request: HttpRequest) -> HttpResponse:
    try:
        text = practice.reveal_hint(person(request), request.POST.get("token", ""))
    except practice.PracticeError as exc:
        return render(request, "learning/_error.html", {"message": str(exc)}, status=400)
    return render(request, "learning/_hint.html", {"hint": text})


@role_required(Role.STUDENT)
def activity(request: HttpRequest, content_id: int) -> HttpResponse:
    student = person(request)
    # Only what may reach this student: the same 404 for another class's or an unapproved activity.
    content = get_object_or_404(content_for_student(student), pk=content_id)
    if request.method == "POST":
        board_service.complete_activity(student, content)
        messages.success(request, f"Nice work: “{content.title}” is done.")
        return redirect("learning-path")
    done = ActivityCompletion.objects.filter(student=student, content=content).exists()
    return render(request, "learning/activity.html", {"content": content, "done": done})


@role_required(Role.STUDENT)
def goals(request: HttpRequest) -> HttpResponse:
    student = person(request)
    if request.method == "POST":
        try:
            competencies = int(request.POST.get("competencies", ""))
            minutes = int(request.POST.get("minutes", ""))
            _, advice = agency.set_goal(student, competencies, minutes, request.POST.get("note", ""))
        except ValueError as exc:
            message = str(exc) if isinstance(exc, agency.GoalError) else "Enter whole numbers for both."
            messages.error(request, message)
            return redirect("learning-goals")
        messages.success(request, advice or "Goal saved. You can see your pace on your path.")
        return redirect("learning-path")
    context = {"pace": agency.pace(student), "suggestion": agency.suggest_goal(student)}
    return render(request, "learning/goals.html", context)


@role_required(Role.STUDENT)
def reflect(request: HttpRequest) -> HttpResponse:
    student = person(request)
    if request.method == "POST":
        try:
            agency.reflect(
                student,
                request.POST.get("feeling", ""),
                request.POST.get("learned", ""),
                request.POST.get("next_step", ""),
                request.POST.get("ask_teacher", ""),
            )
        except agency.GoalError as exc:
            messages.error(request, str(exc))
            return redirect("learning-reflect")
        messages.success(request, "Thanks. Your teacher will see your reflection.")
        return redirect("learning-path")
    return render(request, "learning/reflect.html", {"feelings": Reflection.Feeling.choices})


# -- teachers: release rules for a section ---------------------------------------------------------------
def _managed_section(request: HttpRequest, section_id: int) -> Section:
    section = get_object_or_404(Section.objects.select_related("school"), pk=section_id)
    viewer = person(request)
    if not access.can_view_section(viewer, section):
        raise Http404("No such section.")
    if not release_rules.can_manage(viewer, section):
        raise PermissionDenied("Only a current teacher of this section can change its release rules.")
    return section


@login_required
def section_rules(request: HttpRequest, section_id: int) -> HttpResponse:
    section = _managed_section(request, section_id)
    competencies = path_competencies()
    if request.method == "POST":
        competency = next((c for c in competencies if str(c.pk) == request.POST.get("competency")), None)
        try:
            if competency is None:
                raise release_rules.RuleError("Choose the competency the rule opens.")
            rule = release_rules.build_rule(request.POST.get("kind", ""), request.POST.get("value", ""))
            release_rules.add_rule(person(request), section, competency, rule)
        except release_rules.RuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Saved: {competency.code} — {rule.describe()}.")
        return redirect("learning-section-rules", section_id=section.pk)
    context = {
        "section": section,
        "rules": release_rules.rules_for(section),
        "competencies": competencies,
        "kinds": release_rules.KINDS,
    }
    return render(request, "learning/section_rules.html", context)


@login_required
@require_POST
def remove_section_rule(request: HttpRequest, section_id: int, rule_id: int) -> HttpResponse:
    section = _managed_section(request, section_id)
    try:
        release_rules.remove_rule(person(request), section, rule_id)
    except release_rules.RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Rule removed.")
    return redirect("learning-section-rules", section_id=section.pk)


# -- district admins: the mastery policy ------------------------------------------------------------------
@login_required
def district_policy(request: HttpRequest, district_id: int) -> HttpResponse:
    district = get_object_or_404(District, pk=district_id)
    viewer = person(request)
    if not policy.can_manage(viewer, district):
        raise Http404("No such district.")
    if request.method == "POST":
        try:
            policy.set_policy(
                viewer,
                district,
                threshold=float(request.POST.get("threshold", "")),
                check_items=int(request.POST.get("check_items", "")),
                check_to_pass=int(request.POST.get("check_to_pass", "")),
                wheel_spin_attempts=int(request.POST.get("wheel_spin_attempts", "")),
            )
        except policy.PolicyError as exc:
            messages.error(request, str(exc))
        except ValueError:
            messages.error(request, "Enter a number in every field (the threshold like 0.95).")
        else:
            messages.success(request, "Mastery policy saved; it applies to the next answer.")
        return redirect("learning-district-policy", district_id=district.pk)
    current = policy.for_district(district)
    return render(request, "learning/district_policy.html", {"district": district, "policy": current})

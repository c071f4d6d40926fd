"""Student pages: my path, practice (htmx: answers and hints update the page in place), the choice board and
activities; for teachers, a section's release rules; for district admins, the mastery policy. Thin: the loop
lives in services, the path and the board in selectors. Refusals are CairnErrors that
``cairn.core.middleware`` renders (a fragment for htmx, a flash and a redirect back for a form), so no view
catches them, except the adults' forms (rules, policy), which show a refusal beside its field with what was
typed kept (``add_to_form``). Goals and reflection are agency's pages (:mod:`cairn.agency.views`)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import District, Role
from cairn.accounts.views import role_required
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.curriculum.access import content_for_student
from cairn.curriculum.models import Competency
from cairn.learning import learner
from cairn.learning.forms import PolicyForm, ReleaseRuleForm
from cairn.learning.graph_svg import path_map
from cairn.learning.models import ActivityCompletion, Progress
from cairn.learning.selectors import policy
from cairn.learning.selectors.board import build_board
from cairn.learning.selectors.learner_model import learner_model_report
from cairn.learning.selectors.path import for_section, student_path
from cairn.learning.selectors.release_rules import competency_words, managed_section, open_sentence, rules_for
from cairn.learning.selectors.scope import merged, student_scopes
from cairn.learning.services import board as board_service
from cairn.learning.services import practice, questions, release_rules
from cairn.learning.services.policy import set_policy


@role_required(Role.STUDENT)
def my_path(request: HttpRequest) -> HttpResponse:
    student = person(request)
    scopes = student_scopes(student)
    path = student_path(student, scope=merged(scopes))  # over all their courses: the board chooses from all
    options = build_board(student, path)
    request.session["board"] = [o.option_id for o in options]
    paths = [path] if len(scopes) == 1 else [student_path(student, scope=s) for s in scopes]
    courses = [{"name": s.name, "path": p, "map": path_map(p)} for s, p in zip(scopes, paths, strict=True)]
    context = {
        "student": student,  # for agency's "this week" panel
        "path": path,
        "counts": path.counts(),
        "courses": courses,  # one map and list per course, headed by its name when there are several
        "board": options,
    }
    return render(request, "learning/path.html", context)


@role_required(Role.STUDENT)
@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    student = person(request)
    picked = board_service.choose(student, request.POST.get("option", ""), build_board(student))
    return redirect(picked.url)


@role_required(Role.STUDENT)
def practice_page(request: HttpRequest, competency_id: int) -> HttpResponse:
    student = person(request)
    competency = get_object_or_404(Competency, pk=competency_id)
    path = student_path(student)
    served = questions.serve(student, competency, path=path)  # refuses what isn't open on the path
    context = {
        "row": path.by_code()[competency.code],
        "competency": competency,
        "question": questions.question_for(served),
        "attempt_id": uuid.uuid4(),
    }
    return render(request, "learning/practice.html", context)


@role_required(Role.STUDENT)
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    student = person(request)
    feedback, step = practice.answer_and_next(  # the page links to the board; it needn't build one
        student,
        request.POST.get("token", ""),
        request.POST.get("attempt_id", ""),
        request.POST.get("answer", ""),
        board=False,
    )
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
    text = questions.reveal_hint(person(request), request.POST.get("token", ""))
    return render(request, "learning/_hint.html", {"hint": text})


@role_required(Role.STUDENT)
def activity(request: HttpRequest, content_id: int) -> HttpResponse:
    student = person(request)
    # Only what may reach this student: the same 404 for another class's or an unapproved activity.
    content = get_object_or_404(content_for_student(student), pk=content_id)
    if request.method == "POST":
        board_service.complete_activity(student, content)
        messages.success(request, _("Nice work: “%(title)s” is done.") % {"title": content.title})
        return redirect("learning-path")
    done = ActivityCompletion.objects.filter(student=student, content=content).exists()
    return render(request, "learning/activity.html", {"content": content, "done": done})


# -- teachers: release rules for a section ---------------------------------------------------------------
@login_required
def section_rules(request: HttpRequest, section_id: int) -> HttpResponse:
    """The rules in force and a form of pickers ("Open <competency> when a student has mastered <one>"),
    with the rule's sentence previewed: by htmx as the pickers change, or by the Preview button."""
    teacher = person(request)
    section = managed_section(teacher, section_id)
    posted = request.POST if request.method == "POST" else None
    form = ReleaseRuleForm(posted, competencies=for_section(section), district_id=section.school.district_id)
    preview = ""
    if posted is not None and form.is_valid():
        competency = form.chosen_competency()
        try:
            rule = release_rules.build_rule(*form.rule_input())
            preview = open_sentence(competency_words(competency), rule, names=form.names()) + "."
            if "preview" not in posted:
                release_rules.add_rule(teacher, section, competency, rule)
        except Invalid as exc:  # beside the picker it is about, with the choices kept
            picker = form.NEEDS[form.cleaned_data["kind"]][0] if exc.field == "value" else exc.field
            add_to_form(form, Invalid(exc.message, field=picker))
            preview = ""
        else:
            if "preview" not in posted:
                messages.success(request, _("Saved: %(rule)s") % {"rule": preview})
                return redirect("learning-section-rules", section_id=section.pk)
    if posted is not None and request.headers.get("HX-Request"):
        return render(request, "learning/_rule_preview.html", {"preview": preview, "form": form})
    context = {"section": section, "rules": rules_for(section), "form": form, "preview": preview}
    status = 400 if posted is not None and form.errors else 200
    return render(request, "learning/section_rules.html", context, status=status)


@login_required
@require_POST
def remove_section_rule(request: HttpRequest, section_id: int, rule_id: int) -> HttpResponse:
    teacher = person(request)
    section = managed_section(teacher, section_id)
    release_rules.remove_rule(teacher, section, rule_id)
    messages.success(request, _("Rule removed."))
    return redirect("learning-section-rules", section_id=section.pk)


# -- district admins: the mastery policy ------------------------------------------------------------------
@login_required
def district_policy(request: HttpRequest, district_id: int) -> HttpResponse:
    district = get_object_or_404(District, pk=district_id)
    viewer = person(request)
    if not policy.can_manage(viewer, district):
        raise Http404("No such district.")
    current = policy.for_district(district)
    initial = {
        "threshold": current.mastery.threshold,
        "check_items": current.mastery.check_items,
        "check_to_pass": current.mastery.check_to_pass,
        "wheel_spin_attempts": current.guard.attempts,
        "method": current.mastery.method,
    }
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_policy(viewer, district, **form.cleaned_data)
        except Invalid as exc:  # beside the field, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(request, _("Mastery policy saved; it applies to the next answer."))
            return redirect("learning-district-policy", district_id=district.pk)
    status = 400 if form.errors else 200
    return render(
        request, "learning/district_policy.html", {"district": district, "form": form}, status=status
    )


@login_required
def district_learner_model(request: HttpRequest, district_id: int) -> HttpResponse:
    """The learner model in use, and the candidates the nightly refit compared (the district's admins)."""
    district = get_object_or_404(District, pk=district_id)
    if not policy.can_manage(person(request), district):
        raise Http404("No such district.")
    report = learner_model_report(learner.model_name())
    return render(request, "learning/learner_model.html", {"district": district, "report": report})

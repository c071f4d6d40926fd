"""The survey pages: answering (students, teachers, families), the district admins' editor, and results for
leaders (a district admin: the district and each school; a principal: their own school). Refusals are
CairnErrors that ``cairn.core.middleware`` renders; the editor shows its refusal beside the field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.core.errors import CairnError, NotFound
from cairn.core.middleware import add_to_form
from cairn.surveys import access, selectors, services
from cairn.surveys import results as survey_results
from cairn.surveys.forms import AnswerForm, SurveyForm, WindowForm


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/mine.html", {"invitations": selectors.invitations(person(request))})


@login_required
def take(request: HttpRequest, window_id: int) -> HttpResponse:
    user = person(request)
    found = [i for i in selectors.invitations(user) if i.window.pk == window_id]
    if not found:
        raise NotFound(_("No such survey."))
    window = found[0].window
    form = AnswerForm(window.survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.submit(window=window, person=user, answers=form.answers())
        messages.success(request, _("Thank you: your answers are in."))
        return redirect("surveys-mine")
    context = {"window": window, "form": form, "taken": found[0].taken}
    return render(request, "surveys/take.html", context, status=400 if form.errors else 200)


@login_required
def result_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/result_list.html", {"windows": access.result_windows(person(request))})


@login_required
def results(request: HttpRequest, window_id: int) -> HttpResponse:
    window, whole, schools = access.results_scope(person(request), window_id)
    pre = selectors.previous_window(window)
    groups: list[tuple[str, list[survey_results.ScaleResult], list[survey_results.ScaleChange] | None]] = []
    if whole:
        groups.append(("Whole district", survey_results.scale_results(window), None))
    for school in schools:
        changes = survey_results.compare(pre, window, school=school) if pre else None
        groups.append((school.name, survey_results.scale_results(window, school=school), changes))
    if whole and pre:
        groups[0] = (groups[0][0], groups[0][1], survey_results.compare(pre, window))
    context = {"window": window, "groups": groups, "pre": pre, "minimum": survey_results.MIN_RESPONDENTS}
    return render(request, "surveys/results.html", context)


@login_required
def district_surveys(request: HttpRequest, district_id: int) -> HttpResponse:
    district = access.admin_district(person(request), district_id)
    context = {"district": district, "surveys": selectors.district_surveys(district)}
    return render(request, "surveys/district.html", context)


@login_required
@require_POST
def install_defaults(request: HttpRequest, district_id: int) -> HttpResponse:
    user = person(request)
    made = services.install_defaults(district=access.admin_district(user, district_id), author=user)
    message = (
        ngettext("%(count)d default survey added.", "%(count)d default surveys added.", len(made))
        % {"count": len(made)}
        if made
        else _("You have them already.")
    )
    messages.success(request, message)
    return redirect("surveys-district", district_id=district_id)


@login_required
def edit(request: HttpRequest, district_id: int, survey_id: int | None = None) -> HttpResponse:
    user = person(request)
    district = access.admin_district(user, district_id)
    survey = access.editable_survey(user, district, survey_id) if survey_id else None
    initial: dict[str, object] = {"anonymous": True, "active": True}
    if survey is not None:
        initial = {
            "title": survey.title, "audience": survey.audience, "intro": survey.intro,
            "anonymous": survey.anonymous, "active": survey.active,
            "questions": selectors.questions_text(survey),
        }  # fmt: skip
    form = SurveyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.save_survey(
                district=district, author=user, survey=survey, title=data["title"], audience=data["audience"],
                intro=data["intro"], anonymous=data["anonymous"], active=data["active"],
                questions=services.parse_questions(data["questions"]),
                kind=survey.kind if survey else "survey",
            )  # fmt: skip
        except CairnError as exc:  # beside the field, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("surveys-edit", district_id=district.pk, survey_id=survey.pk)
    window_form = WindowForm(selectors.school_choices(district))
    context = {"district": district, "survey": survey, "form": form, "window_form": window_form}
    return render(request, "surveys/edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def new_window(request: HttpRequest, district_id: int, survey_id: int) -> HttpResponse:
    user = person(request)
    district = access.admin_district(user, district_id)
    survey = access.editable_survey(user, district, survey_id)
    form = WindowForm(selectors.school_choices(district), request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the window's name and dates."))
        return redirect("surveys-edit", district_id=district.pk, survey_id=survey.pk)
    data = form.cleaned_data
    services.open_window(
        survey=survey, name=data["name"], opens=data["opens"], closes=data["closes"], school_id=data["school"]
    )
    messages.success(request, _("Window opened."))
    return redirect("surveys-edit", district_id=district.pk, survey_id=survey.pk)

"""The district admin's roster pages: upload a OneRoster package, read the check (a dry run), confirm,
watch it run, find past imports; and the rules that give imported classes their course."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts import tasks
from cairn.accounts.access import person
from cairn.accounts.models import RosterImport
from cairn.accounts.roster_forms import CourseRuleForm, RosterUploadForm
from cairn.accounts.rosters import history, selectors
from cairn.accounts.rosters.report import RosterReport
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form

RUNNING = {RosterImport.Status.QUEUED, RosterImport.Status.RUNNING}


@login_required
def rosters(request: HttpRequest, district_id: int) -> HttpResponse:
    district = selectors.managed_district(person(request), district_id)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = history.check_upload(
            district=district,
            by=person(request),
            upload=form.cleaned_data["package"],
            queue=tasks.run_roster_import.delay,
        )
        return redirect("roster-import", import_id=checked.pk)
    context = {"district": district, "form": form, "imports": selectors.imports_of(district)[:50]}
    return render(request, "accounts/rosters.html", context)


@login_required
def roster_import(request: HttpRequest, import_id: int) -> HttpResponse:
    found = selectors.import_of(person(request), import_id)
    context = {
        "item": found,
        "district": found.district,
        "report": RosterReport.from_dict(found.report) if found.report else None,
        "running": found.status in RUNNING,
        "progress": selectors.progress_of(found),
    }
    return render(request, "accounts/roster_import.html", context)


@login_required
def roster_progress(request: HttpRequest, import_id: int) -> HttpResponse:
    """The progress fragment the import page polls; once the import ends, the page reloads."""
    found = selectors.import_of(person(request), import_id)
    response = render(
        request,
        "accounts/_roster_progress.html",
        {"item": found, "running": found.status in RUNNING, "progress": selectors.progress_of(found)},
    )
    if found.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def confirm_roster_import(request: HttpRequest, import_id: int) -> HttpResponse:
    found = selectors.import_of(person(request), import_id)
    history.confirm_import(roster_import=found, by=person(request), queue=tasks.run_roster_import.delay)
    return redirect("roster-import", import_id=found.pk)


@login_required
def course_rules(request: HttpRequest, district_id: int) -> HttpResponse:
    district = selectors.managed_district(person(request), district_id)
    form = CourseRuleForm(request.POST or None, courses=selectors.courses_of(district))
    if request.method == "POST" and form.is_valid():
        try:
            history.add_course_rule(district=district, **form.cleaned_data)
        except Invalid as refused:  # beside the field, with what was typed kept
            add_to_form(form, refused)
        else:
            messages.success(request, _("Rule added; it applies to the next roster import."))
            return redirect("roster-course-rules", district_id=district.pk)
    context = {"district": district, "form": form, "rules": selectors.rules_of(district)}
    return render(request, "accounts/course_rules.html", context)


@require_POST
@login_required
def delete_course_rule(request: HttpRequest, district_id: int, rule_id: int) -> HttpResponse:
    district = selectors.managed_district(person(request), district_id)
    history.delete_course_rule(district=district, rule_id=rule_id)
    return redirect("roster-course-rules", district_id=district.pk)

"""Classroom walkthroughs for school leaders and district admins: a phone-friendly form and the list of
visits with the share of look-fors seen per school per month."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cairn.accounts.access import person
from cairn.accounts.models import Role, Section
from cairn.accounts.views import role_required
from cairn.core.errors import Invalid, NotFound
from cairn.core.middleware import add_to_form
from cairn.leaders import access, lookfors, walkthroughs
from cairn.leaders.walkthrough_forms import WalkthroughForm

LEADERS = (Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)


@role_required(*LEADERS)
def walkthrough_list(request: HttpRequest) -> HttpResponse:
    schools = access.led_schools(person(request))
    months = walkthroughs.monthly(schools)
    context = {
        "visits": walkthroughs.recent(schools),
        "rollup": [(s, months[s.pk]) for s in schools],
        "month_heads": next(iter(months.values()), []),
    }
    return render(request, "leaders/walkthroughs.html", context)


@role_required(*LEADERS)
def walkthrough_new(request: HttpRequest) -> HttpResponse:
    user = person(request)
    schools = access.led_schools(user)
    if not schools:
        raise NotFound("No school to visit.")
    chosen = request.POST.get("school") or request.GET.get("school")
    school = next((s for s in schools if str(s.pk) == chosen), schools[0])
    sections = Section.objects.filter(school=school, active=True).select_related("school").order_by("name")
    data = request.POST if request.method == "POST" else None
    form = WalkthroughForm(
        data,
        initial={"school": school.pk},
        schools=schools,
        sections=list(sections),
        looks=lookfors.for_district(school.district),
    )
    if request.method == "POST" and form.is_valid():
        try:
            walkthroughs.record(observer=user, **form.service_kwargs())
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Walkthrough at %(school)s saved.") % {"school": school.name})
            return redirect("leaders-walkthroughs")
    context = {"form": form, "school": school}
    return render(request, "leaders/walkthrough_form.html", context, status=400 if form.errors else 200)

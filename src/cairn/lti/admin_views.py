"""The district admin's page for the district's LMSs: the tool's URLs to paste into an LMS, the LMSs
registered, and a form to register one (``registration.add_platform``, as ``cairn lti add-platform``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import District, Role, RoleAssignment, User
from cairn.core.errors import CairnError
from cairn.core.middleware import add_to_form
from cairn.lti import dynamic_registration, registration
from cairn.lti.forms import PlatformForm
from cairn.lti.models import Platform


def can_manage(user: User, district: District) -> bool:
    """That district's admins (and platform admins) register its LMSs."""
    if Role.PLATFORM_ADMIN in access.roles_of(user):
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN, district=district).exists()


@login_required
def platforms(request: HttpRequest, district_id: int) -> HttpResponse:
    district = get_object_or_404(District, pk=district_id)
    if not can_manage(access.person(request), district):
        raise PermissionDenied(_("Only the district's Cairn admins register its LMSs."))
    form = PlatformForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data, "frame_origins": tuple(form.cleaned_data["frame_origins"].split())}
        try:
            platform = registration.add_platform(district=district, **fields)
        except CairnError as exc:  # beside the field, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(lms)s is registered: paste the URLs into it.") % {"lms": platform.registration.name},
            )
            return redirect("lti-platforms", district_id=district.pk)
    context = {
        "district": district,
        "form": form,
        "urls": registration.tool_urls(request.build_absolute_uri("/")),
        "registration_link": dynamic_registration.registration_link(
            district, request.build_absolute_uri("/")
        ),
        "platforms": Platform.objects.filter(district=district).select_related("registration"),
    }
    return render(request, "lti/platforms.html", context, status=400 if form.errors else 200)

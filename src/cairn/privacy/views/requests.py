"""District admins' pages for families' data requests and retention. Refusals are CairnErrors that
``cairn.core.middleware`` turns into a flash and a redirect back (a form post) or the error page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cairn.accounts.access import person
from cairn.core.errors import Invalid
from cairn.core.throttles import export_limited
from cairn.privacy import selectors
from cairn.privacy.models import PrivacyRequest
from cairn.privacy.services import requests as services


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    admin = person(request)
    context = {
        "requests": selectors.requests_for(admin)[:200],
        "retention": selectors.retention_rows(admin),
        "kinds": PrivacyRequest.Kind.choices,
        "today": dt.date.today().isoformat(),
        "viewer": admin,
        "download_days": services.DOWNLOAD_DAYS,
    }
    return render(request, "privacy/requests.html", context)


@login_required
@require_POST
def log_request(request: HttpRequest) -> HttpResponse:
    try:
        asked_on = dt.date.fromisoformat(request.POST.get("asked_on", ""))
    except ValueError:
        raise Invalid(_("Give the day the family asked."), field="asked_on") from None
    logged = services.log_request(
        admin=person(request),
        username=request.POST.get("username", ""),
        kind=request.POST.get("kind", ""),
        requester=request.POST.get("requester", ""),
        asked_on=asked_on,
    )
    messages.success(request, _("Request logged. %(next)s") % {"next": _next_step(logged)})
    return redirect("privacy-requests")


@login_required
@require_POST
def approve(request: HttpRequest, request_id: int) -> HttpResponse:
    approved = services.approve_request(admin=person(request), request_id=request_id)
    messages.success(request, _("Request approved. %(next)s") % {"next": _next_step(approved)})
    return redirect("privacy-requests")


@login_required
@require_POST
def fulfil(request: HttpRequest, request_id: int) -> HttpResponse:
    done = services.fulfil_request(admin=person(request), request_id=request_id)
    if done.kind == PrivacyRequest.Kind.EXPORT:
        days = services.DOWNLOAD_DAYS
        messages.success(request, _("The copy is ready to download for %(days)d days.") % {"days": days})
    else:
        messages.success(request, _("The student was erased. Nothing in Cairn names them any more."))
    return redirect("privacy-requests")


@login_required
@require_GET
@export_limited
def download(request: HttpRequest, request_id: int) -> FileResponse:
    path = services.export_download(admin=person(request), request_id=request_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_POST
def retention(request: HttpRequest, district_id: int) -> HttpResponse:
    try:
        days = int(request.POST.get("keep_days", ""))
    except ValueError:
        raise Invalid(_("Give a number of days."), field="keep_days") from None
    services.set_retention(admin=person(request), district_id=district_id, days=days)
    messages.success(request, _("Data of students who left is now kept for %(days)d days.") % {"days": days})
    return redirect("privacy-requests")


def _next_step(request: PrivacyRequest) -> str:
    if request.status == PrivacyRequest.Status.LOGGED and request.kind == PrivacyRequest.Kind.ERASURE:
        return _("Another admin approves an erasure before it is done.")
    if request.status == PrivacyRequest.Status.LOGGED:
        return _("Approve it, then fulfil it.")
    return _("Fulfil it when you are ready.")

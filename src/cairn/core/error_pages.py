"""Django's error handlers (``handler400/403/404/500`` in ``cairn.project.urls``) and ``403_csrf.html``: every
error a person can meet is one page, ``core/error.html``, in the site layout, with a way back (the page they
came from, their home, or sign-in). ``CairnErrorMiddleware`` renders the same page for a ``CairnError``.

Written by hand rather than Django's ``django.views.defaults``, whose views pass no status and no way back.
The 500 page is rendered without the request (no context processors, no session, no database): whatever
broke the page must not break the error page too."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

TEMPLATE = "core/error.html"


def safe_referer(request: HttpRequest) -> str:
    """The page that sent the person here, when it is on this site and not this very page; else ""."""
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or (parts.path + (f"?{parts.query}" if parts.query else "")) == request.get_full_path():
        return ""
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: a page about a bad request must not fail on the bad request
        return ""
    ok = url_has_allowed_host_and_scheme(referer, {host}, require_https=request.is_secure())
    return referer if ok else ""


def error_context(request: HttpRequest) -> dict[str, Any]:
    """What the error page needs to offer a way back."""
    return {
        "back": safe_referer(request),
        "path": request.get_full_path(),
        "request_id": str(getattr(request, "request_id", "") or ""),
    }


def _page(request: HttpRequest, status: int, **extra: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API's clients read JSON, in the shape of cairn.project.api's error handler.
        details = {400: "Bad request.", 403: "Not allowed.", 404: "Not found."}
        return JsonResponse({"detail": details.get(status, "Error.")}, status=status)
    context = {**error_context(request), "status": status, **extra}
    return HttpResponse(loader.render_to_string(TEMPLATE, context, request=request), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Cairn's own refusals say why in words a person reads ("This page is for another role.").
    message = str(exception) if exception.args and isinstance(exception.args[0], str) else ""
    return _page(request, 403, message=message)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # No exception message: get_object_or_404's ("No Section matches the given query.") names tables, and
    # "not found" is also the answer for something that exists but is not this person's to see.
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    context = {"status": 500, "request_id": str(getattr(request, "request_id", "") or "")}
    return HttpResponse(loader.render_to_string("500.html", context), status=500)

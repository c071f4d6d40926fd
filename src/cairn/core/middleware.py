"""Pages' half of the one error mapping: a ``CairnError`` a view lets through becomes a response here.

- an htmx request gets the message as a fragment (``core/_error.html``) with the error's status, for the
  page to show where the fragment was meant to go;
- a form post gets the message as a flash and goes back where it came from (the form's ``next``, else the
  page that sent it, else the same URL), so the person sees the refusal beside what they were doing;
- anything else gets the error page with the error's status and a way back.

A view that wants the message beside a form field re-renders the form itself with ``add_to_form``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from cairn.core.error_pages import error_context
from cairn.core.errors import CairnError


class CairnErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CairnError):
            return None
        if request.headers.get("HX-Request"):
            return render(
                request, "core/_error.html", {"message": exception.message}, status=exception.status
            )
        if request.method == "POST":
            messages.error(request, exception.message)
            return redirect(back_url(request))
        return render(
            request,
            "core/error.html",
            {**error_context(request), "message": exception.message, "status": exception.status},
            status=exception.status,
        )


def back_url(request: HttpRequest, default: str | None = None) -> str:
    """Where to send a person after a form post: the form's ``next``, the page that sent it, or ``default``
    (else the same URL). Only URLs on this site: an open redirect would turn Cairn into a phishing relay."""
    for candidate in (request.POST.get("next", ""), request.headers.get("Referer", "")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, {request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return default or request.get_full_path()


def add_to_form(form: BaseForm, error: CairnError) -> None:
    """Show a service's refusal on the form: beside each named field the form has, else above the form."""
    placed = False
    for name, message in error.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)

"""The sign-in pages: the password form (throttled), then for staff who need it the second step, or setting
up an authenticator app the first time. The rules are in ``throttle`` and ``two_factor``; the writes in
``devices``."""

from __future__ import annotations

from typing import Any

import django_otp
import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cairn.accounts import devices, throttle
from cairn.accounts.access import person
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the throttle around the password check."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if username:
            wait = throttle.wait_seconds(username=username, address=address)
            if wait:
                message = ngettext(
                    "Too many tries that didn't match. Wait %(wait)d second, then try again.",
                    "Too many tries that didn't match. Wait %(wait)d seconds, then try again.",
                    wait,
                )
                raise ValidationError(message % {"wait": wait}, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if username and error.code == "invalid_login":
                throttle.record_failure(username=username, address=address)
            raise
        throttle.record_success(username=username)
        return cleaned


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=False):
        return wanted
    return "/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or one of the recovery codes."""
    user = person(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "").lower()
        device = django_otp.match_token(user, code)
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code", "That code didn't work. Type the newest code from your app, or a recovery code."
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret as a QR code and as text, then a code it shows to confirm."""
    user = person(request)
    device = devices.pending_app_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = devices.confirm_app_device(user=user, code=form.cleaned_data["code"])
        except Invalid as error:
            add_to_form(form, error)
        else:
            django_otp.login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
    uri = device.config_url
    context = {
        "form": form,
        "uri": uri,
        "secret": _spaced(uri.split("secret=", 1)[1].split("&", 1)[0]),
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _spaced(secret: str) -> str:
    """The base32 secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

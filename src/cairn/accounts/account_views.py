"""A person's own account pages: the overview, two-step sign-in (status, new recovery codes) and API
tokens (listed, revoked). Password change and reset are Django's views with Cairn's forms (urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts import devices, selectors, services, two_factor
from cairn.accounts.access import person


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = person(request)
    context = {
        "two_factor_required": two_factor.required_for(user),
        "two_factor": devices.status_of(user),
    }
    return render(request, "accounts/account.html", context)


@login_required
def two_factor_status(request: HttpRequest) -> HttpResponse:
    user = person(request)
    context = {
        "two_factor_required": two_factor.required_for(user),
        "two_factor": devices.status_of(user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """A new sheet of recovery codes, shown once; the old sheet stops working."""
    codes = devices.new_recovery_codes(user=person(request))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/account/two-step/"})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    tokens = selectors.api_tokens_of(person(request))
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "now": timezone.now()})


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if services.revoke_api_tokens(user=person(request), token_id=token_id):
        messages.success(
            request, _("The token was revoked. Programs using it can no longer sign in with it.")
        )
    return redirect("api-tokens")

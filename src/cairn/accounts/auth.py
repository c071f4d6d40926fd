"""API authentication: the browser session (CSRF-checked) or a bearer token (live: not revoked, not expired).

A session still waiting for its second sign-in step never reaches here as signed in
(cairn.accounts.two_factor), so the session authenticator needs no check of its own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from cairn.accounts.models import ApiToken

__all__ = ["ApiTokenAuth", "SessionAuth"]


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                digest=ApiToken.digest_of(token),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                user__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user

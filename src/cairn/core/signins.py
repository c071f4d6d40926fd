"""Sign-ins and failed sign-ins reach the audit trail through Django's own auth signals, which fire from
every way in (the login view, the admin, the two-step check), so the sign-in views need no audit code.

A failed sign-in records which account was tried by id (none if no such account), never the username typed:
the trail keeps no names, and a mistyped password in the username box must not be stored."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from cairn.core import audit
from cairn.core.models import AuditAction


def on_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record(AuditAction.SIGNED_IN, actor=user, request=request)


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username") or ""
    account = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    audit.record(AuditAction.SIGN_IN_FAILED, actor=None, detail={"account_id": account}, request=request)

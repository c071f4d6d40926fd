"""Invitations for people a roster import created: a one-time link (Django's password-reset token) to
choose a password. The roster's own passwords are never stored."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cairn.accounts.models import User

log = logging.getLogger(__name__)


def send_invitations(user_ids: list[int]) -> int:
    """Email each active person with an email and no password yet; returns how many were sent."""
    people = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    messages = []
    for user in people:
        if user.has_usable_password():
            continue  # they chose one already
        context = {
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "base_url": settings.CAIRN_BASE_URL,
        }
        body = render_to_string("accounts/roster_invitation_email.txt", context)
        messages.append(EmailMessage("Your Cairn account", body, to=[user.email]))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except OSError as failed:  # the roster is in; the mail server is down: say so, don't undo anything
        log.warning("roster invitations not sent (%s people): %s", len(messages), failed)
        return 0

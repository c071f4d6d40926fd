"""How long a signed-in session lasts, and what the browser may keep of it.

Classroom devices are shared: a student who walks away from a laptop leaves their answers, goals and
reflections open to the next one, and a browser that caches pages shows them again after logout. So:

- ``SessionTimeoutMiddleware`` ends a session idle for longer than the person's limit, or older than
  ``CAIRN_SESSION_MAX_HOURS`` whatever its use. The idle limit is ``CAIRN_SESSION_IDLE_MINUTES`` unless
  ``CAIRN_SESSION_IDLE_MINUTES_CALLABLE`` (a dotted path the project's settings point at accounts, which
  knows people's roles; core imports no app) gives another for the person. It is decided once per session
  and kept in the session. A page request is sent to the login page with a message; an API request that
  relied on the session gets a 401.
- ``PrivatePagesMiddleware`` (after the timeout one, so the flash message of an expiry survives) marks
  every response to a signed-in person, and the whole API, ``no-store``, and answers a logout with
  ``Clear-Site-Data`` so the browser forgets the person's pages.

Timestamps are written at most once a minute, so a busy answer loop does not save the session on every
request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

SIGNED_IN_AT = "cairn_signed_in_at"
LAST_SEEN = "cairn_last_seen"
IDLE_MINUTES = "cairn_idle_minutes"
# Where cairn.project.urls mounts the API.
API_PREFIX = "/api/"
_TOUCH_EVERY_SECONDS = 60


def idle_limit_minutes(user: object) -> int:
    """The idle limit for ``user``: ``CAIRN_SESSION_IDLE_MINUTES_CALLABLE(user)`` when configured, else
    ``CAIRN_SESSION_IDLE_MINUTES``."""
    path = getattr(settings, "CAIRN_SESSION_IDLE_MINUTES_CALLABLE", "")
    if path:
        return int(import_string(path)(user))
    return int(settings.CAIRN_SESSION_IDLE_MINUTES)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class SessionTimeoutMiddleware:
    """Ends sessions that sat idle too long or outlived the absolute limit. Must come after the
    authentication and message middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        came_in_signed_in = request.user.is_authenticated
        if came_in_signed_in:
            expired = self._check(request)
            if expired:
                return self._expire(request, expired)
        response = self.get_response(request)
        if not came_in_signed_in and request.user.is_authenticated:
            self._check(request)  # signed in just now: the clocks start with the login's own session save
        return response

    def _check(self, request: HttpRequest) -> str:
        """Why the session must end ("idle", "absolute"), or "" after noting the person was here now."""
        session = request.session
        now = int(time.time())
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if IDLE_MINUTES not in session:
            session[IDLE_MINUTES] = idle_limit_minutes(request.user)
        if now - signed_in_at > int(settings.CAIRN_SESSION_MAX_HOURS) * 3600:
            return "absolute"
        if now - last_seen > int(session[IDLE_MINUTES]) * 60:
            return "idle"
        if LAST_SEEN not in session or now - last_seen >= _TOUCH_EVERY_SECONDS:
            session[LAST_SEEN] = now
        return ""

    def _expire(self, request: HttpRequest, reason: str) -> HttpResponse:
        log.info("Session ended: %s limit reached", reason)
        uses_token = request.headers.get("Authorization", "").lower().startswith("bearer ")
        logout(request)
        if _is_api(request):
            if uses_token:  # the token, not the stale session, speaks for this request
                return self.get_response(request)
            return JsonResponse({"detail": "Your session has expired. Sign in again."}, status=401)
        messages.info(request, "Your session has expired. Sign in again to carry on.")
        to_login = redirect_to_login(request.get_full_path())
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = to_login.url  # a redirect would put the login page inside a fragment
            return response
        return to_login


class PrivatePagesMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in person and on the whole API, and
    ``Clear-Site-Data`` on the response to a logout (a request that came in signed in and leaves signed
    out: the logout page, or a session that expired)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        came_in_signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if came_in_signed_in or request.user.is_authenticated or _is_api(request):
            response["Cache-Control"] = "no-store"
        if came_in_signed_in and not request.user.is_authenticated:
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response

"""Framing and cookies for Cairn inside an LMS, and nowhere else.

Everything keeps ``X-Frame-Options: DENY``, ``frame-ancestors 'none'`` and ``SameSite=Lax`` cookies, except
the LMS's two doors (``/lti/login/``, ``/lti/launch/``) and sessions an LTI launch started
(``launch.FRAME_ANCESTORS`` in the session); the district admin's LMS page under /lti/ keeps the defaults:

- ``LtiFramingMiddleware`` lets the registered LMS frame them: ``frame-ancestors`` names the launching
  platform's origins (its issuer, login URL, its ``frame_origins`` and the launch's return URL) in a launched
  session, and every registered platform's on the two doors before a launch says which; no
  ``X-Frame-Options`` (it cannot name an origin). It sits after django-csp's and Django's framing
  middleware in ``MIDDLEWARE`` so they read what it sets.
- ``LtiCookieMiddleware`` marks the cookies those responses set (session, CSRF, messages, pylti1p3's state)
  ``SameSite=None; Secure; Partitioned``: inside the LMS's frame Cairn is a third party, and browsers send
  a third party only such cookies; ``Partitioned`` (CHIPS) keeps them for Cairn-inside-this-LMS only, so
  browsers that block ordinary third-party cookies (Chromium's private windows, and Chromium itself by
  default) still keep them. A browser that keeps neither gets the login's cookie check page, which offers a
  new tab. It sits before the session middleware, so it sees the cookies it sets. ``Secure`` cookies need
  https (browsers also accept them from http://localhost, which the tests use).
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import Morsel
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from cairn.lti.launch import FRAME_ANCESTORS
from cairn.lti.registration import all_frame_origins

LTI_DOORS = {"lti-login", "lti-launch", "lti-register"}

Handler = Callable[[HttpRequest], HttpResponseBase]


def _door(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name in LTI_DOORS


def _launched(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and FRAME_ANCESTORS in session


def frame_origins(request: HttpRequest) -> list[str] | None:
    """The origins that may frame this response; None when it keeps Cairn's default (no framing)."""
    if _launched(request):
        return list(request.session[FRAME_ANCESTORS])
    if _door(request):
        return all_frame_origins()
    return None


class LtiFramingMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        origins = frame_origins(request)
        if origins:
            response.xframe_options_exempt = True  # type: ignore[attr-defined]
            response._csp_replace = {"frame-ancestors": origins}  # type: ignore[attr-defined]
        return response


class _PartitionedMorsel(Morsel[Any]):
    """A cookie with the ``Partitioned`` attribute, which Python's cookies learn only in 3.14."""

    def OutputString(self, attrs: Any = None) -> str:
        text = super().OutputString(attrs)
        return text if "partitioned" in text.lower() else text + "; Partitioned"


def third_party(morsel: Morsel[Any]) -> Morsel[Any]:
    """The same cookie, for a third-party frame: SameSite=None; Secure; Partitioned."""
    cookie: Morsel[Any] = _PartitionedMorsel()
    cookie.set(morsel.key, morsel.value, morsel.coded_value)
    cookie.update(morsel)
    cookie["samesite"] = "None"
    cookie["secure"] = True
    return cookie


class LtiCookieMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _door(request) or _launched(request):
            for name, morsel in list(response.cookies.items()):
                response.cookies[name] = third_party(morsel)
        return response

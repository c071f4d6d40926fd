"""Rate limits for the API and for downloads, counted in Django's cache (settings ``CACHES``).

The API: ``ApiPersonThrottle`` allows ``CAIRN_API_RATE`` requests per signed-in person (default 600 a minute:
a student answering every 20 seconds uses 3) and ``ApiAnonThrottle`` ``CAIRN_API_ANON_RATE`` per address
before sign-in. Downloads: ``export_limited`` allows ``CAIRN_EXPORT_RATE`` per person (default 30 an hour) and
answers the rest with a calm 429 page. Rates are read from settings on each request, so a deployment (or a
test) can change them without a restart of the module. The address is ``REMOTE_ADDR`` as
``cairn.core.proxies`` settled it, never a client's own ``X-Forwarded-For``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from ninja.throttling import SimpleRateThrottle

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class _SettingsRateThrottle(SimpleRateThrottle):
    """A sliding-window throttle whose rate is the setting named by ``setting``, read per request."""

    setting = ""

    def __init__(self) -> None:
        super().__init__(rate=self.current_rate())

    def current_rate(self) -> str:
        return str(getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.current_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str | None:
        return request.META.get("REMOTE_ADDR")


class ApiPersonThrottle(_SettingsRateThrottle):
    """``CAIRN_API_RATE`` requests per person, however they sign in (token or session)."""

    scope = "api-person"
    setting = "CAIRN_API_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        person = getattr(request, "auth", None)
        if getattr(person, "pk", None) is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": person.pk}  # type: ignore[union-attr]


class ApiAnonThrottle(_SettingsRateThrottle):
    """``CAIRN_API_ANON_RATE`` requests per address from callers not signed in: to operations open to them,
    and failed sign-ins (``cairn.core.api.CairnAPI`` counts those, which Ninja answers before throttles)."""

    scope = "api-anon"
    setting = "CAIRN_API_ANON_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(getattr(request, "auth", None), "pk", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ExportThrottle(_SettingsRateThrottle):
    """``CAIRN_EXPORT_RATE`` downloads per signed-in person, all download views together."""

    scope = "export"
    setting = "CAIRN_EXPORT_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def export_limited(view: View) -> View:
    """Wrap a download view: past ``CAIRN_EXPORT_RATE`` for the person, a 429 page instead of the file."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        throttle = ExportThrottle()
        if not throttle.allow_request(request):
            wait = throttle.wait()
            response = render(
                request,
                "core/too_many.html",
                {"minutes": max(1, round((wait or throttle.duration or 60) / 60))},
                status=429,
            )
            if wait:
                response["Retry-After"] = str(int(wait) + 1)
            return response
        return view(request, *args, **kwargs)

    return cast(View, limited)

"""Which language a person reads Cairn in.

Before sign-in Django's LocaleMiddleware decides: the chooser's cookie, else the browser's Accept-Language.
After sign-in the person's own `User.language` wins when it is set (blank: the browser's, as before).
The chooser (in every page's footer and on the account page) posts to `choose`, which sets the cookie and,
for a signed-in person, saves their language, so the next browser they use speaks it too.

Rosters name languages in many ways ("es", "spa", "Spanish", "es-MX", "Español"): `normalize` turns them
into one of settings.LANGUAGES, or blank when Cairn does not speak it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cairn.accounts import services

# Names and codes rosters use for the languages Cairn speaks (ISO 639-1 and -2, English and native names).
_ALIASES = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "es": "es",
    "spa": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
}


def supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def normalize(value: str | None) -> str:
    """One of settings.LANGUAGES for a roster's or a form's language ("es-MX" → "es"), else ""."""
    text = (value or "").strip().lower().replace("_", "-")
    if not text:
        return ""
    code = _ALIASES.get(text) or _ALIASES.get(text.split("-")[0].split(" ")[0], "")
    return code if code in supported() else ""


class UserLanguageMiddleware:
    """After authentication: a signed-in person's own language, when set, wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language in supported():
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """The chooser's form: remember the language in a cookie and, once signed in, on the person."""
    language = normalize(request.POST.get("language"))
    if request.user.is_authenticated:
        services.set_language(user=request.user, language=language)  # type: ignore[arg-type]
    response = HttpResponseRedirect(_next_url(request))
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response

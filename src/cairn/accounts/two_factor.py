"""Who must sign in in two steps, and the middleware that holds them at the second step until they pass it.

District and platform admins (and anyone with Django admin access) always use a second step; teachers and
school leaders do when one of their districts sets ``require_staff_two_factor``. Students and guardians
never do: their accounts show one child's work, and a phone is not something every student has.

Sign-in is the password form first (``signin_views.SignInView``), which signs the person in; django-otp's
``OTPMiddleware`` then tells whether this session has passed a device (``user.is_verified()``). Until it has,
``SecondFactorMiddleware`` sends every page to the second step (or, with no confirmed device yet, to setting
one up), and the API ignores the session, so only a bearer token (never two-step) can speak for the person.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from cairn.accounts.access import roles_of
from cairn.accounts.models import Role, SecuritySettings, User

# The decision is kept in the session: it is asked on every request, and roles rarely change mid-session.
REQUIRED_SESSION_KEY = "cairn_two_factor_required"
ADMIN_ROLES = {Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN}
OTHER_STAFF_ROLES = {Role.TEACHER, Role.SCHOOL_LEADER}
# Pages a person between the two steps may still open.
OPEN_BETWEEN_STEPS = {
    "login",
    "logout",
    "two-factor-verify",
    "two-factor-setup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
}
API_PREFIX = "/api/"


def required_for(user: User) -> bool:
    """Whether ``user`` must pass a second step to use a session."""
    if user.is_superuser or user.is_staff:
        return True
    roles = roles_of(user)
    if roles & ADMIN_ROLES:
        return True
    if not roles & OTHER_STAFF_ROLES:
        return False
    return SecuritySettings.objects.filter(
        Q(district__schools__roles__user=user) | Q(district__roles__user=user),
        require_staff_two_factor=True,
    ).exists()


def must_verify(request: HttpRequest) -> bool:
    """Whether this signed-in session still lacks a second step its person needs."""
    user = request.user
    if not isinstance(user, User) or getattr(user, "is_verified", lambda: True)():
        return False
    session = request.session
    if REQUIRED_SESSION_KEY not in session:
        session[REQUIRED_SESSION_KEY] = required_for(user)
    return bool(session[REQUIRED_SESSION_KEY])


def second_step_url(user: User, next_url: str = "") -> str:
    """The verify page for a person with a confirmed device, else the page that sets one up."""
    name = "two-factor-verify" if user_has_device(user, confirmed=True) else "two-factor-setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _open_between_steps(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).url_name in OPEN_BETWEEN_STEPS
    except Resolver404:
        return False


class SecondFactorMiddleware:
    """Must come after django-otp's ``OTPMiddleware`` and the session timeout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and must_verify(request):
            if request.path.startswith(API_PREFIX):
                request.user = AnonymousUser()  # the half-signed-in session speaks for nobody; a token may
            elif not _open_between_steps(request):
                assert isinstance(request.user, User)
                return redirect(second_step_url(request.user, request.get_full_path()))
        return self.get_response(request)

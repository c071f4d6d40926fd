"""The two steps of an LTI 1.3 launch, and what a launched session remembers.

1. **Login initiation** (``/lti/login/``, GET or POST from the LMS): first a page that checks the browser
   keeps cookies inside the LMS's frame (else it says so and offers a new tab), then pylti1p3's redirect to
   the platform's authorization URL with a fresh state (a cookie) and nonce.
2. **Launch** (``/lti/launch/``, the platform's form POST): pylti1p3 checks the state cookie, the token's
   signature against the platform's key set, its expiry, that its audience is the registered client id and
   that its deployment was registered (``registration.ToolConfig``). Two checks pylti1p3 leaves out are
   made here: the token's nonce must be the one this browser's login asked for (bound to the state at
   login), and a nonce is used once (kept in the cache every worker shares: Redis in production, so a
   token replayed to another worker is refused too). Every refusal is Cairn's 403 page saying why, and
   signs nobody in. Refusals here raise Django's ``PermissionDenied`` (its 403 handler renders that page
   with the words), not a ``CairnError``: the POST comes from the LMS, and CairnErrorMiddleware would
   flash the message and send the browser back to a Cairn form that isn't there.

After a launch the session is an ordinary Cairn session (``django.contrib.auth.login``) that also holds
the keys below, read by ``current_launch`` (deep linking, grades and membership build on it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import login as auth_login
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from lti_tool.models import LtiContext, LtiDeployment, LtiLaunch, LtiRegistration
from lti_tool.utils import sync_data_from_launch
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.message_launch import MessageLaunch

from cairn.accounts.models import Section, User
from cairn.core import audit
from cairn.core.errors import CairnError
from cairn.lti.identity import Arrival, arrive
from cairn.lti.models import Platform
from cairn.lti.registration import ToolConfig, frame_origins_for, origin_of

LAUNCH_ID = "cairn_lti_launch_id"
CONTEXT_ID = "cairn_lti_context_id"
SECTION_ID = "cairn_lti_section_id"
#: Set in every session an LTI launch started: the origins allowed to frame it (cairn.lti.security).
FRAME_ANCESTORS = "cairn_lti_frame_ancestors"
NEW_WINDOW = "lti1p3_new_window"
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id")
USED_NONCE_PREFIX = "cairn-lti-used-nonce:"
# How long a used nonce is remembered past the token's expiry (clock skew between LMS and Cairn).
NONCE_MARGIN_SECONDS = 600


class _Login(DjangoOIDCLogin):
    """pylti1p3's login, which also remembers, under the state, the nonce it asked the platform to sign."""

    def _generate_nonce(self) -> str:
        nonce = super()._generate_nonce()
        self.pass_params_to_launch({"nonce": nonce})
        return nonce


def _storage() -> DjangoCacheDataStorage:
    return DjangoCacheDataStorage(cache_name="default")


def login_params(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {k: source[k] for k in LOGIN_PARAMS if source.get(k)}


def cookie_check_url(request: HttpRequest) -> str:
    """The login URL again with the LMS's parameters and the mark that cookies work (or a new tab)."""
    return f"{request.path}?{urlencode({**login_params(request), NEW_WINDOW: '1'})}"


def wants_cookie_check(request: HttpRequest) -> bool:
    return not (request.GET.get(NEW_WINDOW) or request.POST.get(NEW_WINDOW))


def start_login(request: HttpRequest) -> Any:
    """The redirect to the platform's authorization URL (sets the state cookie)."""
    params = login_params(request)
    target = params.get("target_link_uri", "")
    if not target or not params.get("iss") or not params.get("login_hint"):
        raise BadRequest("This LMS sign-in is missing its issuer, login hint or target link.")
    if urlsplit(target).netloc != request.get_host():
        raise BadRequest("This LMS sign-in asks to go to another site.")
    try:
        return _Login(request, ToolConfig(), launch_data_storage=_storage()).redirect(target)
    except (OIDCException, LtiException) as exc:
        raise PermissionDenied(
            "This LMS is not registered with Cairn, so Cairn cannot sign you in from it."
        ) from exc


# pylti1p3's messages, in words for the person who sees the refusal page.
_REASONS = (
    (
        "state",
        "This launch did not start in this browser (or took too long). Open Cairn from the LMS again.",
    ),
    (
        "cookie",
        "This browser did not keep Cairn's cookies inside the LMS. Open Cairn from the LMS in a new tab.",
    ),
    ("nonce", "This launch's token was not issued for this browser's sign-in."),
    ("expired", "This launch's token has expired. Open Cairn from the LMS again."),
    ("signature", "This launch's token is not signed by the LMS it names."),
    ("public key", "This launch's token is not signed by the LMS it names."),
    ("decode", "This launch's token could not be checked."),
    ("registration", "This launch comes from an LMS (or client id) not registered with Cairn."),
    ("client id", "This launch comes from an LMS (or client id) not registered with Cairn."),
    ("deployment", "This launch comes from an LMS deployment not registered with Cairn."),
)


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    return next((words for key, words in _REASONS if key in text), "This LMS launch could not be checked.")


def _use_nonce(claims: Mapping[str, Any]) -> None:
    """Remember the nonce as used until well after its token expires; refuse it if it already was."""
    digest = hashlib.sha256(f"{claims.get('iss')}\n{claims.get('nonce')}".encode()).hexdigest()
    lifetime = int(claims.get("exp", time.time())) - int(time.time()) + NONCE_MARGIN_SECONDS
    if not cache.add(USED_NONCE_PREFIX + digest, 1, timeout=max(lifetime, NONCE_MARGIN_SECONDS)):
        raise PermissionDenied(_("This launch was already used. Open Cairn from the LMS again."))


def validate(request: HttpRequest) -> LtiLaunch:
    """The checked launch, its nonce used up; ``PermissionDenied`` with a readable reason otherwise."""
    if not request.POST.get("id_token") or not request.POST.get("state"):
        raise BadRequest("This is not an LMS launch (no token).")
    try:
        message_launch = DjangoMessageLaunch(request, ToolConfig(), launch_data_storage=_storage())
        # pylti1p3 checks the audience itself (the registration's client id); a token must also say when
        # it expires, so an undated one cannot be replayed forever where the nonce cache is cleared.
        required = {"verify_aud": False, "require": ["exp", "iat", "nonce"]}  # PyJWT's options
        message_launch.set_jwt_verify_options(required)  # type: ignore[arg-type]  # typed as bools only
        claims = message_launch.validate().get_launch_data()
        asked = (message_launch.get_params_from_login() or {}).get("nonce")
    except LtiException as exc:
        raise PermissionDenied(_reason(exc)) from exc
    if not asked or asked != claims.get("nonce"):
        raise PermissionDenied(_reason(LtiException("nonce")))
    _use_nonce(claims)
    return LtiLaunch(message_launch)


def platform_of(launch: LtiLaunch) -> Platform:
    platform = Platform.objects.filter(registration=launch.registration).select_related("district").first()
    if platform is None:
        raise PermissionDenied(
            _("This LMS is registered without a district; ask the district's Cairn admin.")
        )
    return platform


def _frame_ancestors(platform: Platform, launch: LtiLaunch) -> list[str]:
    return_url = (launch.launch_presentation_claim or {}).get("return_url") or ""
    origins = [*frame_origins_for(platform), origin_of(return_url) if return_url else None]
    return list(dict.fromkeys(o for o in origins if o))


@contextmanager
def _as_launch_refusal() -> Iterator[None]:
    """A service's refusal during a launch becomes the 403 page (see the module's docstring)."""
    try:
        yield
    except CairnError as exc:
        raise PermissionDenied(exc.message) from exc


def sign_in(request: HttpRequest, launch: LtiLaunch) -> Arrival:
    """Record the launch (django-lti's tables), find or make the person, and start their Cairn session."""
    platform = platform_of(launch)
    sync_data_from_launch(launch)
    context = None if launch.is_data_privacy_launch or not launch.context_claim else launch.context
    with _as_launch_refusal():
        arrival, enrolled = arrive(platform=platform, context=context, claims=launch.get_launch_data())
    auth_login(request, arrival.user, backend="django.contrib.auth.backends.ModelBackend")
    session = request.session
    session[LAUNCH_ID] = launch.get_launch_id()
    session[CONTEXT_ID] = context.pk if context is not None else None
    session[SECTION_ID] = arrival.section.pk if arrival.section is not None else None
    session[FRAME_ANCESTORS] = _frame_ancestors(platform, launch)
    detail = {"via": "lti", "role": arrival.role.value, "new_account": arrival.created}
    audit.record(
        audit.AuditAction.SIGNED_IN,
        actor=arrival.user,
        district=platform.district,
        detail=detail,
        request=request,
    )
    if enrolled and arrival.section is not None:
        student = arrival.user if arrival.role.value == "student" else None
        audit.record(
            audit.AuditAction.ENROLMENT_CHANGED,
            actor=arrival.user,
            student=student,
            section=arrival.section,
            detail={"via": "lti", "kind": arrival.role.value},
            request=request,
        )
    return arrival


@dataclasses.dataclass(frozen=True)
class LaunchInfo:
    """The launch behind the current session: what deep linking, grades and membership start from."""

    message_launch: MessageLaunch  # pylti1p3's DjangoMessageLaunch: has_ags(), get_nrps(), get_deep_link()…
    registration: LtiRegistration
    deployment: LtiDeployment
    context: LtiContext | None
    section: Section | None
    user: User


def current_launch(request: HttpRequest) -> LaunchInfo | None:
    """The launch that started this session, restored from the cache; None outside one (or once expired)."""
    launch_id = request.session.get(LAUNCH_ID)
    if not launch_id or not request.user.is_authenticated:
        return None
    try:
        message_launch = DjangoMessageLaunch.from_cache(
            launch_id, request, ToolConfig(), launch_data_storage=_storage()
        )
    except LtiException:
        return None
    launch = LtiLaunch(message_launch)
    context_id, section_id = request.session.get(CONTEXT_ID), request.session.get(SECTION_ID)
    context = LtiContext.objects.filter(pk=context_id).first() if context_id else None
    section = Section.objects.filter(pk=section_id).first() if section_id else None
    user = request.user
    assert isinstance(user, User)
    return LaunchInfo(message_launch, launch.registration, launch.deployment, context, section, user)


def section_for_context(context: LtiContext) -> Section | None:
    """The Cairn class an LMS course was linked to (by its first launch), if any."""
    return Section.objects.filter(lti_contexts__context=context).first()

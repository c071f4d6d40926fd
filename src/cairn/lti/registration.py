"""Registering an LMS with Cairn (``cairn lti add-platform``, the district admin's page) and the tool's keys.

A registration is django-lti's ``LtiRegistration`` (issuer, client id, the platform's login, token and key
URLs) with its deployments, plus Cairn's ``Platform`` saying which district it belongs to. The tool signs
with django-lti's ``Key`` rows: the newest active key signs, every active key is published at /lti/jwks/,
and ``rotate_keys`` adds a key and retires old ones after a grace period (platforms cache the key set).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lti_tool.models import Key, LtiDeployment, LtiRegistration
from lti_tool.utils import DjangoToolConfig, _prepare_deployment

from cairn.accounts.models import District
from cairn.core.errors import Conflict, Invalid
from cairn.lti.models import Platform

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


class ToolConfig(DjangoToolConfig):
    """django-lti's tool configuration, except that a launch from a deployment nobody registered is refused:
    django-lti would create it (inactive) on the fly, a row per made-up deployment id."""

    def find_deployment(self, iss: str, deployment_id: str) -> Any:
        return self._registered(registration__issuer=iss, deployment_id=deployment_id)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Any:
        return self._registered(
            registration__issuer=iss, registration__client_id=client_id, deployment_id=deployment_id
        )

    def _registered(self, **lookups: Any) -> Any:
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        deployment = (
            LtiDeployment.objects.filter(is_active=True, registration__is_active=True, **lookups)
            .select_related("registration")
            .first()
        )
        self.deployment = deployment
        return None if deployment is None else _prepare_deployment(deployment)


@dataclasses.dataclass(frozen=True)
class ToolUrls:
    """What an LMS administrator pastes into the LMS to add Cairn."""

    login: str
    launch: str
    jwks: str

    def lines(self) -> list[str]:
        return [
            f"OIDC login initiation URL: {self.login}",
            f"Target link URI / redirect URI: {self.launch}",
            f"Deep linking URL: {self.launch}",
            f"Public keyset (JWKS) URL: {self.jwks}",
        ]


def tool_urls(base_url: str) -> ToolUrls:
    """The tool's URLs under ``base_url`` (e.g. https://cairn.district.org)."""
    base = base_url.rstrip("/")
    return ToolUrls(
        login=base + reverse("lti-login"),
        launch=base + reverse("lti-launch"),
        jwks=base + reverse("lti-jwks"),
    )


def check_url(value: str, field: str) -> str:
    value = value.strip()
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError as exc:
        raise Invalid(f"{field} must be a web address (https://…).", field=field) from exc
    parts = urlsplit(value)
    if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise Invalid(f"{field} must use https (plain http only on this machine).", field=field)
    return value


def origin_of(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


@transaction.atomic
def add_platform(
    *,
    district: District,
    name: str,
    issuer: str,
    client_id: str,
    deployment_id: str,
    auth_url: str,
    token_url: str,
    keyset_url: str,
    frame_origins: tuple[str, ...] = (),
) -> Platform:
    """Register an LMS (or add a deployment to one already registered for the same district).

    Refuses a registration of the same issuer and client id for another district: launches would reach
    people in two districts."""
    if not name.strip():
        raise Invalid(_("Give the LMS a name."), field="name")
    for value, field in ((issuer, "issuer"), (client_id, "client_id"), (deployment_id, "deployment_id")):
        if not value.strip() or len(value) > 255:
            raise Invalid(f"{field} is required (at most 255 characters).", field=field)
    urls = {
        f: check_url(v, f)
        for f, v in (("auth_url", auth_url), ("token_url", token_url), ("keyset_url", keyset_url))
    }
    origins = [check_url(o, "frame_origins") for o in frame_origins if o.strip()]
    registration = LtiRegistration.objects.filter(issuer=issuer.strip(), client_id=client_id.strip()).first()
    if registration is None:
        registration = LtiRegistration.objects.create(
            name=name.strip(), issuer=issuer.strip(), client_id=client_id.strip(), **urls
        )
        platform = Platform.objects.create(registration=registration, district=district)
    else:
        platform = Platform.objects.filter(registration=registration).first() or Platform.objects.create(
            registration=registration, district=district
        )
        if platform.district_id != district.pk:
            raise Conflict(
                _("This issuer and client id are registered for another district."), field="client_id"
            )
        LtiRegistration.objects.filter(pk=registration.pk).update(name=name.strip(), is_active=True, **urls)
    if origins:
        platform.frame_origins = "\n".join(dict.fromkeys([*platform.frame_origins.split(), *origins]))
        platform.save(update_fields=["frame_origins"])
    LtiDeployment.objects.update_or_create(
        registration=registration, deployment_id=deployment_id.strip(), defaults={"is_active": True}
    )
    if not Key.objects.active().exists():
        Key.objects.generate()
    return platform


@transaction.atomic
def rotate_keys(*, retire_after_days: int = 7) -> tuple[Key, int]:
    """A new signing key; active keys older than ``retire_after_days`` leave the key set. The old key stays
    published for the grace period, so tokens a platform checks against its cached key set still verify."""
    if retire_after_days < 0:
        raise Invalid(_("retire_after_days cannot be negative."), field="retire_after_days")
    cutoff = timezone.now() - dt.timedelta(days=retire_after_days)
    key = Key.objects.generate()
    retired = (
        Key.objects.active().filter(datetime_created__lt=cutoff).exclude(pk=key.pk).update(is_active=False)
    )
    return key, retired


def frame_origins_for(platform: Platform) -> list[str]:
    """The origins this platform's LMS may frame Cairn from: its issuer's, its login URL's, and any named."""
    registration = platform.registration
    found = [
        origin_of(registration.issuer),
        origin_of(registration.auth_url),
        *platform.frame_origins.split(),
    ]
    return list(dict.fromkeys(o for o in found if o))


def all_frame_origins() -> list[str]:
    """Every active registered platform's frame origins (for LTI routes, before a launch says which)."""
    platforms = Platform.objects.filter(registration__is_active=True).select_related("registration")
    return list(dict.fromkeys(o for p in platforms for o in frame_origins_for(p)))

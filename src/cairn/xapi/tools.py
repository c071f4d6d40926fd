"""The tools a district lets send statements, and which of their activities count for which competency.

A tool's credentials are HTTP Basic: a key (the user name) and a secret shown once when it is registered and
kept only as a password hash (Django's hashers). ``cairn manage xapi_tool`` registers one."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac

from cairn.accounts.models import District
from cairn.core.errors import Invalid
from cairn.curriculum.models import Competency
from cairn.xapi.models import ActivityMapping, Tool

REMEMBER_S = 300
# Checked against when the key is unknown, so that a wrong key takes as long as a wrong secret.
_NO_SECRET = make_password(None)


def _weight(value: float, field: str) -> float:
    value = float(value)
    if not 0.0 < value <= 1.0:
        raise Invalid("A weight is more than 0 and at most 1.", field=field)
    return value


@transaction.atomic
def register_tool(*, district: District, name: str, weight: float = 0.5) -> tuple[Tool, str]:
    """A new tool for ``district``; returns it and its secret (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise Invalid("Name the tool: students see it beside the evidence it gave.", field="name")
    secret = secrets.token_urlsafe(24)
    tool = Tool.objects.create(
        district=district,
        name=name[:120],
        key=secrets.token_hex(12),
        secret_hash=make_password(secret),
        weight=_weight(weight, "weight"),
    )
    return tool, secret


def authenticate(key: str, secret: str) -> Tool | None:
    """The active tool these credentials belong to, or None. The password hasher is slow on purpose (about
    half a second in production) and a tool sends many requests, so a match is remembered in the cache for
    a few minutes, under a keyed digest of the credentials and for this secret hash only (a new secret or
    a tool switched off ends it)."""
    tool = Tool.objects.filter(key=key, active=True).select_related("district").first()
    if tool is None:
        check_password(secret, _NO_SECRET)
        return None
    remembered = (
        "xapi-tool:" + salted_hmac("cairn.xapi.tools", f"{key}:{secret}", algorithm="sha256").hexdigest()
    )
    current = salted_hmac("cairn.xapi.tools.hash", tool.secret_hash, algorithm="sha256").hexdigest()
    if cache.get(remembered) == current:
        return tool
    if not check_password(secret, tool.secret_hash):
        return None
    cache.set(remembered, current, REMEMBER_S)
    return tool


@transaction.atomic
def map_activity(
    *, district: District, activity_id: str, competency: Competency, weight: float = 1.0
) -> ActivityMapping:
    """Statements about ``activity_id`` (from any of the district's tools) count on ``competency``."""
    activity_id = activity_id.strip()
    if not activity_id or ":" not in activity_id:
        raise Invalid(
            "An activity id is an IRI, e.g. https://tool.example.org/activities/42.", field="activity_id"
        )
    if competency.framework.district_id not in (None, district.pk):
        raise Invalid("That competency belongs to another district.", field="competency")
    mapping, _ = ActivityMapping.objects.update_or_create(
        district=district,
        activity_id=activity_id,
        defaults={"competency": competency, "weight": _weight(weight, "weight")},
    )
    return mapping

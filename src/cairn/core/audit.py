"""Write to and check the audit trail (``cairn.core.models.AuditEvent``).

``record`` is the one writer; every app calls it with one line where a student's data is read, exported or
changed. It sits in core, below every app, so it takes people as objects with a ``pk`` and asks the role
resolver that accounts registers (``register_role_of``) what role the actor acts in.

The chain: each row's ``hash`` is SHA-256 over the previous row's hash and the row's canonical JSON. The tail
is read inside the write transaction; on PostgreSQL a transaction-scoped advisory lock serialises appends
(two writers reading the same tail would fork the chain), on SQLite the IMMEDIATE transaction's write lock
already does. Never call ``record`` from the answer loop: it is one more write per request."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.db import connection, transaction
from django.http import HttpRequest

from cairn.core.models import AuditAction, AuditEvent

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for the trail's tail (any constant no other code uses).
_CHAIN_LOCK = 4_815_162_342
# Keys that must never reach the trail, whatever a caller passes.
_SECRET_KEYS = frozenset({"password", "token", "secret", "otp", "recovery_code", "api_token"})


class HasPk(Protocol):
    pk: Any


def _no_role(actor: Any) -> str:
    return ""


_role_of: Callable[[Any], str] = _no_role


def register_role_of(resolver: Callable[[Any], str]) -> None:
    """Accounts tells the trail how to name an actor's role (core cannot import accounts)."""
    global _role_of
    _role_of = resolver


def _id(thing: HasPk | int | None) -> int | None:
    if thing is None or isinstance(thing, int):
        return thing
    return int(thing.pk) if thing.pk is not None else None


def _clean(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (detail or {}).items() if key.lower() not in _SECRET_KEYS}


def canonical(event: AuditEvent) -> str:
    """The row's content as hashed: sorted keys, no spaces, time in UTC to the microsecond."""
    time = event.time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = {
        "time": time,
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "action": str(event.action),
        "student_id": event.student_id,
        "section_id": event.section_id,
        "district_id": event.district_id,
        "detail": event.detail,
        "request_id": event.request_id,
        "address": event.address,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def chain_hash(previous_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((previous_hash + canonical(event)).encode()).hexdigest()


def record(
    action: AuditAction,
    *,
    actor: HasPk | None,
    student: HasPk | int | None = None,
    section: HasPk | int | None = None,
    district: HasPk | int | None = None,
    detail: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` None (or anonymous) is recorded as nobody; ``detail`` is small JSON
    about what was done (counts, a format, a code), never a name, a password or a token."""
    actor_id = _id(actor) if actor is not None and getattr(actor, "is_authenticated", True) else None
    event = AuditEvent(
        actor_id=actor_id,
        actor_role=_role_of(actor) if actor_id is not None else "",
        action=action,
        student_id=_id(student),
        section_id=_id(section),
        district_id=_id(district),
        detail=_clean(detail),
        request_id=str(getattr(request, "request_id", "") or "")[:64],
        address=(request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else "",
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        tail = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.previous_hash = tail or GENESIS
        event.hash = chain_hash(event.previous_hash, event)
        event.save(force_insert=True)
    return event


def verify_chain() -> int | None:
    """The id of the first row whose links don't hold (content changed, or a row removed or inserted
    before it), or None when the whole trail is intact. Reads the trail in id order, in chunks."""
    previous = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous or event.hash != chain_hash(previous, event):
            return event.id
        previous = event.hash
    return None

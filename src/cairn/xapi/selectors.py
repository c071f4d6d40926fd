"""Reading statements back (GET /xapi/statements): one by id, or a page of those matching a few of the
spec's filters, newest stored first, with a ``more`` link to the next page. A tool reads only the statements
it sent itself. Filter queries leave voided statements out (they are read by ``voidedStatementId``)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from cairn.core.errors import Invalid, NotFound
from cairn.xapi.models import Statement, Tool

PAGE = 50
MAX_PAGE = 200
FILTERS = ("agent", "verb", "activity", "registration", "since", "until", "limit", "ascending")
_CURSOR_SALT = "cairn.xapi.more"


@dataclass(frozen=True)
class Page:
    statements: list[dict[str, Any]]
    more: str  # "" when this is the last page


def statement(tool: Tool, params: dict[str, str]) -> dict[str, Any]:
    """GET with ``statementId`` (not voided) or ``voidedStatementId`` (voided only)."""
    voided = "voidedStatementId" in params
    raw = params["voidedStatementId" if voided else "statementId"]
    extra = set(params) - {"statementId", "voidedStatementId", "format", "attachments"}
    if extra:
        raise Invalid(f"{'/'.join(sorted(extra))} can't go with a statement id.", field=sorted(extra)[0])
    row = Statement.objects.filter(pk=_uuid(raw, "statementId"), tool=tool, voided=voided).first()
    if row is None:
        raise NotFound("No such statement.")
    return row.statement


def statements(tool: Tool, params: dict[str, str], *, path: str) -> Page:
    unknown = set(params) - {
        *FILTERS,
        "more",
        "format",
        "attachments",
        "related_activities",
        "related_agents",
    }
    if unknown:
        raise Invalid(f"Unknown parameter {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    if "more" in params:
        try:
            params, after = signing.loads(params["more"], salt=_CURSOR_SALT)
        except signing.BadSignature as exc:
            raise Invalid("That more link is not one Cairn gave.", field="more") from exc
    else:
        after = None
    ascending = params.get("ascending", "false").lower() == "true"
    limit = _limit(params.get("limit"))
    rows = _filtered(tool, params).order_by(*(("stored", "id") if ascending else ("-stored", "-id")))
    if after is not None:
        at, last = parse_datetime(after[0]), uuid.UUID(after[1])
        rows = rows.filter(
            Q(stored__gt=at) | Q(stored=at, id__gt=last)
            if ascending
            else Q(stored__lt=at) | Q(stored=at, id__lt=last)
        )
    page = list(rows[: limit + 1])
    more = ""
    if len(page) > limit:
        page = page[:limit]
        cursor = signing.dumps([params, [page[-1].stored.isoformat(), str(page[-1].id)]], salt=_CURSOR_SALT)
        more = f"{path}?{urlencode({'more': cursor})}"
    return Page([row.statement for row in page], more)


def _uuid(raw: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise Invalid(f"{field} is not a UUID.", field=field) from exc


def _limit(raw: str | None) -> int:
    if raw is None:
        return PAGE
    try:
        value = int(raw)
    except ValueError as exc:
        raise Invalid("limit is a whole number.", field="limit") from exc
    if value < 0:
        raise Invalid("limit is a whole number.", field="limit")
    return min(value or MAX_PAGE, MAX_PAGE)  # 0: the server's most


def _filtered(tool: Tool, params: dict[str, str]) -> QuerySet[Statement]:
    rows = Statement.objects.filter(tool=tool, voided=False)
    if "verb" in params:
        rows = rows.filter(verb=params["verb"])
    if "activity" in params:
        rows = rows.filter(activity_id=params["activity"])
    if "registration" in params:
        rows = rows.filter(registration=_uuid(params["registration"], "registration"))
    if "agent" in params:
        rows = rows.filter(**_agent_lookup(params["agent"]))
    for name, lookup in (("since", "stored__gt"), ("until", "stored__lte")):
        if name in params:
            when = parse_datetime(params[name])
            if when is None:
                raise Invalid(f"{name} is an ISO 8601 time.", field=name)
            rows = rows.filter(**{lookup: when})
    return rows


def _agent_lookup(raw: str) -> dict[str, Any]:
    """The agent's identifier (account, mbox, mbox_sha1sum or openid) as a lookup in the stored actor."""
    try:
        agent = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Invalid("agent is a JSON Agent.", field="agent") from exc
    if isinstance(agent, dict) and isinstance(agent.get("account"), dict):
        account = agent["account"]
        return {
            "statement__actor__account__name": account.get("name"),
            "statement__actor__account__homePage": account.get("homePage"),
        }
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(agent, dict) and ifi in agent:
            return {f"statement__actor__{ifi}": agent[ifi]}
    raise Invalid("agent is a JSON Agent with an account, mbox, mbox_sha1sum or openid.", field="agent")

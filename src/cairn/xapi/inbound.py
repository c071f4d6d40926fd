"""Statements in from the tools a district registered: stored by the xAPI spec's rules, and, when they are
about an activity the district maps to a competency, fed to the learner model as evidence.

Storing (POST: one or an array; PUT: one, under the id in the query): every statement is checked against the
statement schema first, and a batch is stored whole or not at all. A statement without an id gets one; an id
already stored with the same statement is accepted again and changes nothing, with a different one it is a
409 ``Conflict``. Cairn sets ``stored`` and ``authority`` (the tool) itself, and ``version`` when missing.

Voiding (verb ``http://adlnet.gov/expapi/verbs/voided``, object a StatementRef): the target, when it is one of
the same tool's statements and not itself a voiding one, is marked voided and no longer answers filter
queries. The evidence it gave stays in the learner model, which keeps no undo for one piece of evidence; a
teacher who disagrees sets the mastery by hand, and that no statement changes.

Evidence: the actor is found among the students of the tool's district, by account name (Cairn user name or
OneRoster sourcedId) or email; for an unknown student the statement is stored and gives no evidence. How
right: ``result.score.scaled`` (below 0 counts as 0), else ``result.success``; neither: no evidence. It
enters through learning's one evidence door (source "statement", weight = the tool's × the mapping's,
time = the statement's timestamp), which never changes a mastery a teacher set.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cairn.accounts.models import Role, User
from cairn.core.errors import Conflict, Invalid
from cairn.learning.services.evidence import record_evidence
from cairn.xapi.models import ActivityMapping, Statement, Tool
from cairn.xapi.statements_out import VERBS, base_url
from cairn.xapi.validation import statement_errors

MAX_BATCH = 500
# What the spec lets an LRS change on storing: never compared when an id comes again.
_SET_BY_LRS = ("stored", "authority", "version")


@dataclass(frozen=True)
class Incoming:
    statement: dict[str, Any]
    known: Statement | None  # the same id, already stored (the same statement: nothing to do)


def store(tool: Tool, body: Any, *, statement_id: str | None = None) -> list[str]:
    """Store what a tool sent (``statement_id``: a PUT's id); returns the statements' ids, in order."""
    statements = _as_list(body, put=statement_id is not None)
    if statement_id is not None:
        _put_id(statements[0], statement_id)
    checked = _checked(statements)
    now = timezone.now()
    with transaction.atomic():
        for incoming in checked:
            if incoming.known is None:
                _save(tool, incoming.statement, now)
    return [incoming.statement["id"] for incoming in checked]


def _as_list(body: Any, *, put: bool) -> list[dict[str, Any]]:
    if put and not isinstance(body, dict):
        raise Invalid("PUT takes one statement (a JSON object).", field="statement")
    statements = body if isinstance(body, list) else [body]
    if not statements:
        raise Invalid("No statements were sent.", field="statements")
    if len(statements) > MAX_BATCH:
        raise Invalid(f"At most {MAX_BATCH} statements at a time.", field="statements")
    return statements


def _put_id(statement: dict[str, Any], statement_id: str) -> None:
    try:
        wanted = str(uuid.UUID(statement_id))
    except ValueError as exc:
        raise Invalid("statementId is not a UUID.", field="statementId") from exc
    if "id" in statement and str(statement["id"]).lower() != wanted:
        raise Invalid("The statement's id differs from statementId.", field="statementId")
    statement["id"] = wanted


def _checked(statements: list[dict[str, Any]]) -> list[Incoming]:
    """Each statement valid, with an id (given one when it has none), ids unique in the batch, and any id
    already stored holding the same statement: else the whole batch is refused."""
    seen: set[str] = set()
    for n, statement in enumerate(statements):
        errors = statement_errors(statement)
        if errors:
            raise Invalid(f"Statement {n} is not a valid xAPI statement: " + "; ".join(errors), field=f"{n}")
        statement["id"] = str(uuid.UUID(statement["id"])) if "id" in statement else str(uuid.uuid4())
        if statement["id"] in seen:
            raise Invalid(f"Statement id {statement['id']} comes twice in this batch.", field=f"{n}.id")
        seen.add(statement["id"])
    known = Statement.objects.in_bulk([uuid.UUID(s["id"]) for s in statements])
    checked = []
    for statement in statements:
        stored = known.get(uuid.UUID(statement["id"]))
        if stored is not None and _core(stored.statement) != _core(statement):
            raise Conflict(f"Another statement is stored with the id {statement['id']}.")
        checked.append(Incoming(statement, stored))
    return checked


def _core(statement: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in statement.items() if k not in _SET_BY_LRS}


def _save(tool: Tool, statement: dict[str, Any], now: dt.datetime) -> None:
    statement = {
        **statement,
        "stored": now.isoformat(),
        "authority": {
            "objectType": "Agent",
            "name": tool.name,
            "account": {"homePage": base_url(), "name": tool.key},
        },
        "version": statement.get("version", "1.0.0"),
    }
    obj = statement["object"]
    verb = statement["verb"]["id"]
    activity = obj["id"] if obj.get("objectType", "Activity") == "Activity" else ""
    registration = statement.get("context", {}).get("registration")
    row = Statement.objects.create(
        id=uuid.UUID(statement["id"]),
        tool=tool,
        student=_student(tool, statement["actor"]),
        statement=statement,
        verb=verb[:500],
        activity_id=activity[:500],
        registration=uuid.UUID(registration) if registration else None,
        stored=now,
    )
    if verb == VERBS["voided"]:
        _void(tool, obj)
    elif row.student is not None and activity:
        _evidence(tool, row)


def _student(tool: Tool, actor: dict[str, Any]) -> User | None:
    """The student of the tool's district the actor names (by account name or email), or None."""
    if "account" in actor:
        name = actor["account"]["name"]
        who = Q(username=name) | Q(sourced_id=name)
    elif "mbox" in actor:
        who = Q(email__iexact=actor["mbox"].removeprefix("mailto:"))
    else:
        return None
    students = User.objects.filter(
        who,
        role_assignments__role=Role.STUDENT,
        role_assignments__school__district=tool.district_id,
        is_active=True,
    ).distinct()
    found = list(students[:2])
    return found[0] if len(found) == 1 else None  # two people with one email: nobody to be sure of


def _void(tool: Tool, target_ref: dict[str, Any]) -> None:
    if target_ref.get("objectType") != "StatementRef":
        raise Invalid("A voiding statement's object is a StatementRef.", field="object")
    Statement.objects.filter(pk=uuid.UUID(target_ref["id"]), tool=tool).exclude(verb=VERBS["voided"]).update(
        voided=True
    )


def _evidence(tool: Tool, row: Statement) -> None:
    mapping = (
        ActivityMapping.objects.filter(district=tool.district_id, activity_id=row.activity_id)
        .select_related("competency")
        .first()
    )
    result = row.statement.get("result", {})
    score = result.get("score", {}).get("scaled")
    how_right = max(0.0, float(score)) if score is not None else None
    if how_right is None and "success" in result:
        how_right = 1.0 if result["success"] else 0.0
    if mapping is None or how_right is None or row.student is None:
        return
    at = parse_datetime(row.statement.get("timestamp", "")) or row.stored
    at = at if timezone.is_aware(at) else timezone.make_aware(at, dt.UTC)
    record_evidence(
        row.student,
        mapping.competency,
        source="statement",
        correct_or_score=how_right,
        weight=min(1.0, tool.weight * mapping.weight),
        at=min(at, row.stored),
        label=row.tool.name,
    )
    row.competency, row.evidence = mapping.competency, how_right
    row.save(update_fields=["competency", "evidence"])

"""xAPI out through a durable outbox: a learning event writes its statement as a row (one insert, after the
event's transaction committed; no network in the student's request), and :func:`send_pending` (the Celery
task ``cairn.xapi.send_outbox``, every minute) posts the waiting rows to the district's LRS in batches.

Nothing is lost while the LRS is down: a row is marked sent only once the LRS answered 200/204 for it, and
stays waiting otherwise. A statement's id is fixed when the row is written, so sending it again (a batch that
reached the LRS but whose answer was lost) leaves one copy there. A statement the LRS refuses as such (400,
403, 413) is marked rejected with the LRS's words and not retried, so one bad row cannot hold up the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from cairn.accounts.models import User
from cairn.learning import events
from cairn.xapi import statements_out
from cairn.xapi.models import OutboxStatement

logger = logging.getLogger(__name__)
BATCH = 100
VERSION = "1.0.3"
TIMEOUT_S = 10


def enabled() -> bool:
    return bool(settings.XAPI_LRS_URL)


def enqueue(student: User, statement: dict[str, Any]) -> None:
    """Write one statement to the outbox (nothing when no LRS is set: nobody would ever read it)."""
    if not enabled():
        return
    OutboxStatement.objects.bulk_create(
        [
            OutboxStatement(
                id=uuid.UUID(statement["id"]), student=student, statement=statement, created=timezone.now()
            )
        ],
        ignore_conflicts=True,  # the same event told twice is one statement
    )


# -- subscribers (registered in XapiConfig.ready) -----------------------------------------------------
def on_answer(*, attempt: Any, mastery_after: float, at: dt.datetime, **_: Any) -> None:
    if not enabled():  # no LRS: not even the statement is built
        return
    enqueue(
        attempt.student,
        statements_out.answered(
            student=attempt.student,
            competency=attempt.competency,
            item=attempt.item,
            attempt_key=attempt.client_attempt_id,
            correct=attempt.correct,
            response=attempt.answer,
            mastery_after=mastery_after,
            at=at,
        ),
    )


def on_mastery(*, student: User, competency: Any, by: str, mastery: float, at: dt.datetime, **_: Any) -> None:
    if not enabled():
        return
    enqueue(
        student,
        statements_out.mastered(student=student, competency=competency, by=by, mastery=mastery, at=at),
    )


def on_completion(*, completion: Any, at: dt.datetime, **_: Any) -> None:
    if not enabled():  # no LRS: not even the statement is built
        return
    content = completion.content
    statement = statements_out.completed_activity(
        student=completion.student, content=content, competency=content.competencies.first(), at=at
    )
    enqueue(completion.student, statement)


def on_sitting(*, sitting: Any, at: dt.datetime, **_: Any) -> None:
    if not enabled():  # no LRS: not even the statement is built
        return
    responses = sitting.responses.filter(answered_at__isnull=False)
    statement = statements_out.completed_sitting(
        student=sitting.student,
        sitting_id=sitting.pk,
        diagnostic_id=sitting.diagnostic_id,
        title=sitting.diagnostic.title,
        right=responses.filter(correct=True).count(),
        answered_count=responses.count(),
        theta=sitting.theta,
        se=sitting.se,
        mastered_count=len((sitting.placement or {}).get("mastered", [])),
        at=at,
    )
    enqueue(sitting.student, statement)


def subscribe() -> None:
    events.subscribe(events.ANSWER, on_answer)
    events.subscribe(events.MASTERY, on_mastery)
    events.subscribe(events.COMPLETION, on_completion)
    events.subscribe(events.SITTING, on_sitting)


# -- sending ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sent:
    sent: int
    waiting: int
    rejected: int
    error: str = ""


def _post(statements: list[dict[str, Any]]) -> requests.Response:
    return requests.post(
        f"{settings.XAPI_LRS_URL}/statements",
        json=statements,
        auth=(settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD),
        headers={"X-Experience-API-Version": VERSION},
        timeout=TIMEOUT_S,
    )


def _pending() -> Any:
    return OutboxStatement.objects.filter(sent_at__isnull=True, rejected=False)


def send_pending(*, batch: int = BATCH, max_batches: int = 50) -> Sent:
    """Post waiting statements to the LRS, oldest first, ``batch`` at a time, until none wait, the LRS fails
    or ``max_batches`` went (the next run goes on). Returns what was sent and what still waits."""
    if not enabled():
        return Sent(0, _pending().count(), 0, "XAPI_LRS_URL is not set")
    sent = rejected = 0
    error = ""
    for _ in range(max_batches):
        rows = list(_pending().order_by("created", "id")[:batch])
        if not rows:
            break
        done, refused, error = _send_batch(rows)
        sent, rejected = sent + done, rejected + refused
        if error:
            break
    return Sent(sent, _pending().count(), rejected, error)


def _send_batch(rows: list[OutboxStatement]) -> tuple[int, int, str]:
    """One POST of the batch; when the LRS refuses the batch as a whole (one statement it won't take, or an
    id it holds with other content), each statement is posted alone so the good ones still go."""
    try:
        response = _post([row.statement for row in rows])
    except requests.RequestException as exc:
        return 0, 0, _failed(rows, f"LRS unreachable: {exc}")
    if response.status_code in (200, 204):
        _mark_sent(rows)
        return len(rows), 0, ""
    if response.status_code >= 500 or response.status_code in (401, 404, 408, 429):
        return 0, 0, _failed(rows, f"LRS answered {response.status_code}: {response.text[:200]}")
    done = refused = 0
    for row in rows:  # 400/403/409/413: find the statement the LRS won't take
        try:
            alone = _post([row.statement])
        except requests.RequestException as exc:
            return done, refused, _failed([row], f"LRS unreachable: {exc}")
        if alone.status_code in (200, 204, 409):  # 409 alone: the LRS already holds this id (ours)
            _mark_sent([row])
            done += 1
        elif alone.status_code >= 500:
            return done, refused, _failed([row], f"LRS answered {alone.status_code}")
        else:
            _reject(row, f"LRS refused it ({alone.status_code}): {alone.text[:300]}")
            refused += 1
    return done, refused, ""


def _mark_sent(rows: list[OutboxStatement]) -> None:
    OutboxStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
        sent_at=timezone.now(), last_error="", attempts=F("attempts") + 1
    )


def _failed(rows: list[OutboxStatement], error: str) -> str:
    logger.warning("xAPI outbox: %s (%d statements wait)", error, len(rows))
    OutboxStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
        attempts=F("attempts") + 1, last_error=error[:500]
    )
    return error


def _reject(row: OutboxStatement, error: str) -> None:
    logger.error("xAPI outbox: statement %s refused by the LRS: %s", row.pk, error)
    OutboxStatement.objects.filter(pk=row.pk).update(
        attempts=F("attempts") + 1, last_error=error[:500], rejected=True
    )

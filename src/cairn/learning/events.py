"""What happened to a student's learning, told to whoever listens once it is committed.

Apps above learning (xAPI out, LMS grades) need to hear of every answer, mastery, finished activity and
diagnostic sitting, but learning and assessments may not import them. So they register here
(``subscribe(kind, fn)``, from their ``AppConfig.ready()``), and the services that write those things call
``publish(kind, **payload)``: each subscriber is called with the payload after the writing transaction
commits (never for a write that rolled back), and immediately when no transaction is open. A subscriber
that raises is logged and the others still run: what the student did is already saved. Subscribers must be
cheap (the answer loop waits for them): write a row or queue a task, never call the network.

The payloads (model instances as the publisher holds them, so a subscriber needs no query to name them):

- ``ANSWER``: ``attempt`` (learning.Attempt, with ``student``, ``competency``, ``item`` loaded),
  ``first_try`` (bool), ``mastery_after`` (float), ``at`` (datetime);
- ``MASTERY``: ``student``, ``competency``, ``by`` ("check", "estimate", "teacher", "diagnostic"),
  ``mastery`` (float), ``at``;
- ``COMPLETION``: ``completion`` (learning.ActivityCompletion, with ``student`` and ``content``), ``at``;
- ``SITTING``: ``sitting`` (assessments.Administration, finished, with ``student``, ``diagnostic``,
  ``theta``, ``se``, ``placement``), ``at``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

ANSWER = "answer"
MASTERY = "mastery"
COMPLETION = "completion"
SITTING = "sitting"
KINDS = frozenset({ANSWER, MASTERY, COMPLETION, SITTING})

Subscriber = Callable[..., None]

_subscribers: dict[str, list[Subscriber]] = {kind: [] for kind in KINDS}
logger = logging.getLogger(__name__)


def subscribe(kind: str, fn: Subscriber) -> None:
    """Call ``fn(**payload)`` after each committed ``kind`` event; subscribing twice counts once."""
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r}; one of {sorted(KINDS)}.")
    if fn not in _subscribers[kind]:
        _subscribers[kind].append(fn)


def unsubscribe(kind: str, fn: Subscriber) -> None:
    if fn in _subscribers.get(kind, []):
        _subscribers[kind].remove(fn)


def publish(kind: str, **payload: Any) -> None:
    """Tell the subscribers of ``kind`` once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r}; one of {sorted(KINDS)}.")
    for fn in list(_subscribers[kind]):
        transaction.on_commit(partial(_deliver, fn, kind, payload))


def _deliver(fn: Subscriber, kind: str, payload: dict[str, Any]) -> None:
    try:
        fn(**payload)
    except Exception:  # one listener's failure must not undo or hide what the student did
        logger.exception("Subscriber %r failed on a %s event", fn, kind)

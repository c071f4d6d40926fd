"""Project-wide background tasks."""

from __future__ import annotations

import os
import socket

from celery import shared_task


@shared_task(name="cairn.core.ping")
def ping() -> dict[str, str]:
    """Answer from whichever process ran the task: a worker's hostname proves the broker path works."""
    return {"pong": "ok", "host": socket.gethostname(), "pid": str(os.getpid())}

"""Structured logs: one JSON object a line, each carrying the request it belongs to and who made it.

``RequestIdMiddleware`` gives every request an id (a sane incoming ``X-Request-ID`` from the proxy, so one
id follows the request through every tier, else a new one), echoes it in the response, and keeps it and
the signed-in person's id in context variables; ``RequestContextFilter`` puts them on every record, and
``JsonFormatter`` writes the record as JSON (``LOG_FORMAT=json``) while ``TEXT_FORMAT`` shows the same
fields to a person reading a terminal. These logs are for operators; the audit trail does not depend on
them.

A record holds only what is named below: never the request object, headers, cookies or form data. Values
that look like a secret (a password, a token, a session key) are masked in the message as a last guard
against a careless log call.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("cairn_request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("cairn_user_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"
# A proxy's id is kept only when it is short and plain, so nobody can write into our logs through it.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_SECRET = re.compile(
    r"(?i)(\b(?:password|passwd|secret|token|api[_-]?key|sessionid|session[_-]?key|csrftoken)\b"
    r"[\"']?\s*[=:]\s*[\"']?)[^\s,;&\"']+"
    r"|(\bbearer\s+)[^\s,;\"']+"
)


def redact(text: str) -> str:
    """``text`` with the value after anything named like a secret replaced by ``***``."""
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)


class RequestContextFilter(logging.Filter):
    """Puts the current request's id and person on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        record.user_id = user_id_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        user_id = getattr(record, "user_id", None) or user_id_var.get()
        if user_id and user_id != "-":
            entry["user_id"] = user_id
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class RedactingFormatter(logging.Formatter):
    """The text format (``TEXT_FORMAT`` unless given another), with the JSON one's masking of secrets."""

    def __init__(self, fmt: str | None = None, **kwargs: Any) -> None:
        super().__init__(fmt or TEXT_FORMAT, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RequestIdMiddleware:
    """First after the proxy middleware, so every later log line of the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Set, not reset afterwards: Django logs a failed request ("django.request") after the middleware
        # has returned, and that line needs the id most. The next request on this thread sets its own.
        request_id_var.set(request_id)
        user_id_var.set(None)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        """By now authentication has run: note who is asking, for the view's log lines."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)

"""Cairn's one application error type.

Services raise a ``CairnError`` subclass when a request can't be carried out: the subclass says what kind of
refusal it is and so which HTTP status it gets, the message says why in words a person can act on, and
``field`` (or ``fields``) names the input at fault when there is one. The error is turned into a response in
exactly two places: the Ninja exception handler in ``cairn.project.api`` (JSON for the API) and
``cairn.core.middleware.CairnErrorMiddleware`` (pages). Views and API operations therefore carry no
try/except for application errors, and the same refusal has the same status everywhere.

This module imports nothing from Django, so every layer (accounts up to insights) can raise these errors.
The engine stays below it: engine code raises plain ``ValueError`` subclasses, and the service that calls it
re-raises them as ``Invalid`` where the input came from a person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class CairnError(Exception):
    """A request Cairn refuses, with the reason. Raise a subclass; this base maps to 400."""

    status: ClassVar[int] = 400

    def __init__(
        self, message: str, *, field: str | None = None, fields: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # Every bad input at once (py-fsrs' habit: one message naming all the problems, not the first).
        self.fields: dict[str, str] = dict(fields or {})
        if field is not None and field not in self.fields:
            self.fields[field] = message

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """The API's body: ``detail`` as Ninja's own errors have it, plus the fields at fault."""
        body: dict[str, Any] = {"detail": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.fields:
            body["fields"] = self.fields
        return body


class Invalid(CairnError):
    """The input is wrong: a value out of range, a missing field, a file that doesn't parse."""

    status = 400


class Forbidden(CairnError):
    """The person may see the thing but may not do this to it."""

    status = 403


class NotFound(CairnError):
    """No such thing, or none this person may see (the two look the same from outside, on purpose)."""

    status = 404


class Conflict(CairnError):
    """The request is well-formed but the thing's current state doesn't allow it (already done, closed)."""

    status = 409

"""The API's one pagination: ``limit``/``offset`` with bounds, refused as ``Invalid`` (400) naming it.

Ninja's own ``LimitOffsetPagination`` takes any ``limit`` and ``offset``: a huge one overflows the database's
integer (a 500 on SQLite) and a big ``limit`` reads a whole table. Every paginated operation uses this class
instead (``@paginate(Pagination)``), so the bounds live in one place. The bounds are checked here rather than
by the schema so that a bad value gets the one error type's answer (``{"detail", "field"}``, 400) like every
other bad input, not Ninja's 422; the OpenAPI still states them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from cairn.core.errors import Invalid

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Far beyond any list Cairn serves, far below the 64-bit integers databases slice with.
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    """Limit/offset pagination with ``1 <= limit <= MAX_LIMIT`` and ``0 <= offset <= MAX_OFFSET``."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            description=f"How many items to return, 1 to {MAX_LIMIT}.",
            json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT},
        )
        offset: int = Field(
            0,
            description=f"How many items to skip, 0 to {MAX_OFFSET}.",
            json_schema_extra={"minimum": 0, "maximum": MAX_OFFSET},
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        check(limit=pagination.limit, offset=pagination.offset)
        return super().paginate_queryset(queryset, pagination, request, **params)


def check(*, limit: int, offset: int) -> None:
    """Refuse a ``limit`` or ``offset`` outside its bounds, naming every one at fault."""
    problems = {}
    if not 1 <= limit <= MAX_LIMIT:
        problems["limit"] = f"limit must be between 1 and {MAX_LIMIT}."
    if not 0 <= offset <= MAX_OFFSET:
        problems["offset"] = f"offset must be between 0 and {MAX_OFFSET}."
    if problems:
        field = next(iter(problems))
        raise Invalid(" ".join(problems.values()), field=field, fields=problems)

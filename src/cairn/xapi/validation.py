"""Is this an xAPI statement? Checked against the committed JSON Schema of an xAPI 1.0.3 statement
(``data/statement.schema.json``) with jsonschema-rs, at the boundary: what fails is refused whole (400), each
error naming where in the statement it is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_PATH = Path(__file__).parent / "data" / "statement.schema.json"


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def statement_errors(statement: Any, *, limit: int = 5) -> list[str]:
    """What is wrong with ``statement``, as "where: what" lines (empty when it is a valid statement)."""
    errors = []
    for error in _validator().iter_errors(statement):
        where = "/".join(str(part) for part in error.instance_path) or "statement"
        errors.append(f"{where}: {error.message}")
        if len(errors) >= limit:
            break
    return errors

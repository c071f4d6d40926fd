"""How big and how deep an imported file may be, checked before (or while) it is parsed.

A JSON or XML file nested thousands of levels deep crashes a recursive reader (Python's ``json`` raises
``RecursionError``), and a huge file holds the importing process's memory. Both limits are refused as a
``Problem`` naming the limit and its setting, so the import ends in ``ImportFailed`` (an ``Invalid``) like any
other bad file. ``CAIRN_IMPORT_MAX_BYTES`` (default 20 MB) caps a file (or a folder or zip of QTI items, in
all); ``CAIRN_IMPORT_MAX_DEPTH`` (default 64) caps nesting, far beyond any real CASE package or QTI item.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings

from cairn.curriculum.importers import Problem

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# A JSON string (with its escapes): brackets inside one don't nest anything.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    """Raised while parsing when the nesting passes ``max_depth()``."""


def max_bytes() -> int:
    return int(getattr(settings, "CAIRN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_depth() -> int:
    return int(getattr(settings, "CAIRN_IMPORT_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def size_problem(file: str, size: int) -> Problem | None:
    """A problem when ``size`` bytes is over the limit, else None."""
    limit = max_bytes()
    if size <= limit:
        return None
    return Problem(
        file, "file", f"larger than the import limit of {_megabytes(limit)} (CAIRN_IMPORT_MAX_BYTES)"
    )


def path_size(path: Path) -> int:
    """Bytes in a file, or in every file under a folder."""
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size


def depth_problem(file: str) -> Problem:
    limit = max_depth()
    return Problem(
        file, "nesting", f"nested deeper than the limit of {limit} levels (CAIRN_IMPORT_MAX_DEPTH)"
    )


def json_too_deep(text: str) -> bool:
    """Whether the JSON text nests objects and arrays deeper than ``max_depth()``; checked before parsing,
    without recursion, so a hostile file is refused before ``json`` could crash on it."""
    limit, depth = max_depth(), 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            return True
    return False


class DepthLimitedBuilder(ET.TreeBuilder):
    """An ElementTree builder that raises ``TooDeep`` as soon as elements nest past ``max_depth()``, so a
    deep document is refused while it is parsed, before any recursive walk of the tree."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._limit = max_depth()

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        self._depth += 1
        if self._depth > self._limit:
            raise TooDeep(self._limit)
        return super().start(tag, attrs)

    def end(self, tag: Any) -> ET.Element:
        self._depth -= 1
        return super().end(tag)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"

"""Reading level of a piece of content, computed offline with textstat 0.7.4 (Flesch–Kincaid grade)."""

from __future__ import annotations

import html
import importlib.resources
import re
import sys
import types
from typing import IO, Any

import nh3

MIN_WORDS = 30  # below this the formula says little; shorter texts get no level


def _load_textstat() -> Any:
    """Import textstat 0.7.4, which imports ``pkg_resources`` for one resource file.

    setuptools 81+ no longer ships ``pkg_resources``; where it is missing, a stand-in offering just
    ``resource_stream`` is present only while textstat is imported, so nothing else ever sees it."""
    try:
        import textstat

        return textstat.textstat
    except ModuleNotFoundError as exc:
        if exc.name != "pkg_resources":
            raise
    shim = types.ModuleType("pkg_resources")

    def resource_stream(package: str, resource: str) -> IO[bytes]:
        return importlib.resources.files(package).joinpath(resource).open("rb")

    shim.resource_stream = resource_stream  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = shim
    try:
        for name in [m for m in sys.modules if m == "textstat" or m.startswith("textstat.")]:
            del sys.modules[name]
        import textstat

        return textstat.textstat
    finally:
        del sys.modules["pkg_resources"]


_textstat = _load_textstat()


def plain_text(body_html: str) -> str:
    text = nh3.clean(re.sub(r"<(br|/p|/li|/h\d)\s*/?>", ". ", body_html, flags=re.I), tags=set())
    return " ".join(html.unescape(text).split())


def reading_level(body_html: str, language: str = "en") -> float | None:
    """Flesch–Kincaid grade level of the text (English only; None for short or other-language texts)."""
    if not language.lower().startswith("en"):
        return None
    text = plain_text(body_html)
    if len(text.split()) < MIN_WORDS:
        return None
    return round(max(0.0, float(_textstat.flesch_kincaid_grade(text))), 1)

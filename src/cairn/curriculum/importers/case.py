"""CASE 1.0 (IMS Competencies and Academic Standards Exchange) CFPackage JSON.

A package holds one ``CFDocument`` (the framework), ``CFItems`` (standards and their headings) and
``CFAssociations``. ``isChildOf`` associations give the hierarchy (an item is a child of another item, or
of the document itself); ``precedes`` gives prerequisites (origin precedes destination); every other
association type is kept as a link. Items are matched by ``identifier`` so a re-import updates in place.

A package is read from a file or fetched from a CASE provider (``…/ims/case/v1p0/CFPackages/{id}``): the same
size and nesting limits apply to both, and a provider's answer must say it is JSON.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cairn.curriculum.importers import Problem, limits

CHILD_OF = "isChildOf"
PRECEDES = "precedes"
ASSOCIATION_TYPES = {
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
}


@dataclass(frozen=True)
class CaseDocument:
    identifier: str
    uri: str
    title: str
    creator: str
    publisher: str
    subject: str
    version: str
    adoption_status: str
    licence: str
    last_change: str


@dataclass(frozen=True)
class CaseItem:
    identifier: str
    uri: str
    statement: str
    code: str
    item_type: str
    education_level: tuple[str, ...]
    list_enumeration: int


@dataclass(frozen=True)
class CaseAssociation:
    identifier: str
    association_type: str
    origin_id: str
    origin_uri: str
    destination_id: str
    destination_uri: str
    destination_title: str
    sequence: int
    path: str


@dataclass(frozen=True)
class CasePackage:
    document: CaseDocument
    items: tuple[CaseItem, ...]
    associations: tuple[CaseAssociation, ...]


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def text(self, obj: dict[str, Any], key: str, path: str, required: bool = False) -> str:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"{path}.{key}", "missing")
            return ""
        if not isinstance(value, str | int | float):
            self.problem(f"{path}.{key}", "must be text")
            return ""
        return str(value).strip()

    def node(self, obj: dict[str, Any], key: str, path: str) -> tuple[str, str, str]:
        value = obj.get(key)
        if not isinstance(value, dict):
            self.problem(f"{path}.{key}", "missing (needs identifier, uri, title)")
            return "", "", ""
        return (
            self.text(value, "identifier", f"{path}.{key}", required=True),
            self.text(value, "uri", f"{path}.{key}"),
            self.text(value, "title", f"{path}.{key}"),
        )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


FETCH_TIMEOUT_S = 30
PACKAGE_PATH = "/ims/case/v1p0/CFPackages/"


def read_case_file(path: Path) -> tuple[CasePackage | None, list[Problem]]:
    """Read a CASE JSON file, refusing one over the size or nesting limit before parsing it."""
    try:
        if too_big := limits.size_problem(path.name, path.stat().st_size):
            return None, [too_big]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path.name, "file", f"cannot be read: {exc}")]
    return read_case_text(text, path.name)


def read_case_text(text: str, file: str) -> tuple[CasePackage | None, list[Problem]]:
    if limits.json_too_deep(text):
        return None, [limits.depth_problem(file)]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(file, f"line {exc.lineno}, column {exc.colno}", f"not JSON: {exc.msg}")]
    return parse_case(data, file)


def fetch_case_package(url: str) -> tuple[CasePackage | None, list[Problem]]:
    """Fetch a CFPackage from a CASE provider's ``…/ims/case/v1p0/CFPackages/{id}``: http(s) only, a
    timeout, the import size limit while reading (not only as announced), and a JSON content type."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or PACKAGE_PATH not in parts.path:
        return None, [Problem(url, "url", f"not a CASE package URL (…{PACKAGE_PATH}{{id}} over http(s))")]
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    limit = limits.max_bytes()
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            kind = response.headers.get_content_type()
            if "json" not in kind:
                return None, [Problem(url, "Content-Type", f"the provider answered {kind}, not JSON")]
            body = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        return None, [Problem(url, "HTTP", f"the provider answered {exc.code} {exc.reason}")]
    except (urllib.error.URLError, OSError) as exc:
        return None, [Problem(url, "HTTP", f"cannot be fetched: {getattr(exc, 'reason', exc)}")]
    if too_big := limits.size_problem(url, len(body)):
        return None, [too_big]
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(url, "body", f"not UTF-8: {exc}")]
    return read_case_text(text, url)


def parse_case(data: Any, file: str) -> tuple[CasePackage | None, list[Problem]]:
    """Read a CFPackage; returns (package, []) or (None, problems naming each path)."""
    if not isinstance(data, dict):
        return None, [Problem(file, "$", "a CFPackage must be a JSON object")]
    r = _Reader(file)
    document = _read_document(r, data)
    items = _read_items(r, _list_of(r, data, "CFItems"))
    associations = [
        assoc
        for i, raw in enumerate(_list_of(r, data, "CFAssociations"))
        if (assoc := _read_association(r, raw, f"CFAssociations[{i}]")) is not None
    ]
    if r.problems:
        return None, r.problems
    return CasePackage(document, tuple(items), tuple(associations)), []


def _list_of(r: _Reader, data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        r.problem(key, "must be a list")
        return []
    return value


def _read_document(r: _Reader, data: dict[str, Any]) -> CaseDocument:
    doc = data.get("CFDocument")
    if not isinstance(doc, dict):
        r.problem("CFDocument", "missing")
        doc = {}
    subject = doc.get("subject")
    return CaseDocument(
        identifier=r.text(doc, "identifier", "CFDocument", required=True),
        uri=r.text(doc, "uri", "CFDocument", required=True),
        title=r.text(doc, "title", "CFDocument", required=True),
        creator=r.text(doc, "creator", "CFDocument", required=True),
        publisher=r.text(doc, "publisher", "CFDocument"),
        subject=", ".join(str(s) for s in subject) if isinstance(subject, list) else str(subject or ""),
        version=r.text(doc, "version", "CFDocument"),
        adoption_status=r.text(doc, "adoptionStatus", "CFDocument"),
        licence=r.text(doc, "licenseURI", "CFDocument")
        if not isinstance(doc.get("licenseURI"), dict)
        else str(doc["licenseURI"].get("title") or doc["licenseURI"].get("uri") or ""),
        last_change=r.text(doc, "lastChangeDateTime", "CFDocument"),
    )


def _read_items(r: _Reader, raw_items: list[Any]) -> list[CaseItem]:
    """Each CFItem, refusing an identifier that repeats an earlier one."""
    items: list[CaseItem] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(raw_items):
        path = f"CFItems[{i}]"
        item = _read_item(r, raw, path)
        if item is None:
            continue
        if item.identifier in seen:
            r.problem(f"{path}.identifier", f"repeats {seen[item.identifier]}")
        elif item.identifier:
            seen[item.identifier] = path
        items.append(item)
    return items


def _read_item(r: _Reader, raw: Any, path: str) -> CaseItem | None:
    if not isinstance(raw, dict):
        r.problem(path, "must be an object")
        return None
    levels = raw.get("educationLevel", [])
    if isinstance(levels, str):
        levels = [levels]
    if not isinstance(levels, list) or not all(isinstance(x, str | int) for x in levels):
        r.problem(f"{path}.educationLevel", "must be a list of grade levels")
        levels = []
    return CaseItem(
        identifier=r.text(raw, "identifier", path, required=True),
        uri=r.text(raw, "uri", path),
        statement=r.text(raw, "fullStatement", path, required=True),
        code=r.text(raw, "humanCodingScheme", path),
        item_type=r.text(raw, "CFItemType", path),
        education_level=tuple(str(x) for x in levels),
        list_enumeration=_int(raw.get("listEnumeration")),
    )


def _read_association(r: _Reader, raw: Any, path: str) -> CaseAssociation | None:
    """One CFAssociation; its type must be a CASE type or an ``ext:`` extension."""
    if not isinstance(raw, dict):
        r.problem(path, "must be an object")
        return None
    kind = r.text(raw, "associationType", path, required=True)
    if kind and kind not in ASSOCIATION_TYPES and not kind.startswith("ext:"):
        r.problem(f"{path}.associationType", f"unknown type {kind!r}")
    origin_id, origin_uri, _ = r.node(raw, "originNodeURI", path)
    dest_id, dest_uri, dest_title = r.node(raw, "destinationNodeURI", path)
    return CaseAssociation(
        identifier=r.text(raw, "identifier", path, required=True),
        association_type=kind,
        origin_id=origin_id,
        origin_uri=origin_uri,
        destination_id=dest_id,
        destination_uri=dest_uri,
        destination_title=dest_title,
        sequence=_int(raw.get("sequenceNumber")),
        path=path,
    )


def grade_number(level: str) -> int | None:
    """CASE education levels: 'KG' is 0, '01'..'12' are grades; pre-K and others have no number."""
    value = level.strip().upper()
    if value in {"KG", "K"}:
        return 0
    return int(value) if value.isdigit() and 0 < int(value) <= 12 else None

"""QTI 2.1 and 3.0 assessment items: choiceInteraction and textEntryInteraction.

Accepts one XML file, a folder of them, or a zip (a QTI content package; its imsmanifest.xml is skipped).
An item with any other interaction, or with more than one interaction, is skipped and reported by its
identifier and interaction type; an item that claims a supported interaction but is malformed is a problem,
which refuses the whole import.

Parsing uses ElementTree through defusedxml's parser: documents that declare entities or refer to external
ones are refused outright, whatever their encoding (the classic "billion laughs" and external-entity attacks
need them), and nesting and size are capped by ``cairn.curriculum.importers.limits``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from cairn.curriculum.importers import Problem
from cairn.curriculum.importers.limits import (
    DepthLimitedBuilder,
    TooDeep,
    depth_problem,
    path_size,
    size_problem,
)

QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI30 = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 20_000

# The element names of each version, so one reader handles both.
NAMES = {
    "2.1": {
        "item": "assessmentItem",
        "response": "responseDeclaration",
        "correct": "correctResponse",
        "value": "value",
        "mapping": "mapping",
        "map_entry": "mapEntry",
        "body": "itemBody",
        "choice": "choiceInteraction",
        "simple_choice": "simpleChoice",
        "text_entry": "textEntryInteraction",
        "prompt": "prompt",
        "feedback": "modalFeedback",
    },
    "3.0": {
        "item": "qti-assessment-item",
        "response": "qti-response-declaration",
        "correct": "qti-correct-response",
        "value": "qti-value",
        "mapping": "qti-mapping",
        "map_entry": "qti-map-entry",
        "body": "qti-item-body",
        "choice": "qti-choice-interaction",
        "simple_choice": "qti-simple-choice",
        "text_entry": "qti-text-entry-interaction",
        "prompt": "qti-prompt",
        "feedback": "qti-modal-feedback",
    },
}
MAP_KEY = {"2.1": "mapKey", "3.0": "map-key"}
MAPPED_VALUE = {"2.1": "mappedValue", "3.0": "mapped-value"}


@dataclass(frozen=True)
class QtiItem:
    file: str
    identifier: str
    title: str
    version: str
    kind: str  # "choice", "numeric" or "text"
    stem_html: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class Skipped:
    file: str
    identifier: str
    interaction: str

    def __str__(self) -> str:
        return f"{self.file}: item {self.identifier or '?'} skipped: {self.interaction} is not supported"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _strip_namespaces(root: ET.Element) -> None:
    for el in root.iter():
        el.tag = _local(el.tag)
        for key in list(el.attrib):
            if key.startswith("{"):
                el.attrib[_local(key)] = el.attrib.pop(key)


def _text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _inner_html(el: ET.Element) -> str:
    parts = [el.text or ""]
    for child in el:
        parts.append(ET.tostring(child, encoding="unicode", short_empty_elements=True))
    return "".join(parts).strip()


@dataclass(frozen=True)
class _Document:
    """One parsed item document: its file, QTI version and root (namespaces stripped)."""

    file: str
    version: str
    root: ET.Element

    @property
    def n(self) -> dict[str, str]:
        return NAMES[self.version]

    @property
    def base(self) -> str:
        return self.n["item"]

    def problem(self, where: str, message: str) -> Problem:
        return Problem(self.file, where, message)


def parse_qti(data: bytes, file: str) -> tuple[QtiItem | Skipped | None, list[Problem]]:
    """Read one QTI item document: its version, its one interaction, the correct response, then the grading
    spec and the stem (the body, the interaction replaced by its prompt or a blank)."""
    doc = _document(data, file)
    if isinstance(doc, Problem):
        return None, [doc]
    problems: list[Problem] = []
    identifier = doc.root.get("identifier", "").strip()
    if not identifier:
        problems.append(doc.problem(f"{doc.base}/@identifier", "missing"))
    found = _interaction(doc, identifier)
    if isinstance(found, Skipped):
        return found, problems
    if isinstance(found, Problem):
        return None, [*problems, found]
    body, interaction = found
    response = _correct_response(doc, interaction, problems)
    if response is None:
        return None, problems
    declaration, values, mapped = response
    if interaction.tag == doc.n["choice"]:
        kind, spec = "choice", _choice_spec(doc, body, interaction, values, problems)
    else:
        kind, spec = _text_entry_spec(body, interaction, declaration, [*values, *mapped])
    for feedback in doc.root.findall(doc.n["feedback"]):
        doc.root.remove(feedback)
    stem = _inner_html(body)
    if not stem:
        problems.append(doc.problem(f"{doc.base}/{doc.n['body']}", "no question text"))
    if problems:
        return None, problems
    return QtiItem(file, identifier, doc.root.get("title", "").strip(), doc.version, kind, stem, spec), []


def _document(data: bytes, file: str) -> _Document | Problem:
    """The item's root element and QTI version (from its namespace, else its root tag)."""
    try:
        # defusedxml refuses entities after expat has decoded the document, so in any encoding (UTF-16 too).
        parser = DefusedXMLParser(target=DepthLimitedBuilder())
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden:
        return Problem(file, "DOCTYPE", "entity declarations are not accepted")
    except DefusedXmlException:
        return Problem(file, "DOCTYPE", "external references are not accepted")
    except TooDeep:
        return depth_problem(file)
    except ValueError as exc:  # expat refuses some declared encodings outright
        return Problem(file, "encoding", f"cannot be read: {exc}")
    except ET.ParseError as exc:
        return Problem(file, f"line {exc.position[0]}, column {exc.position[1]}", "not well-formed XML")
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = {QTI21: "2.1", QTI30: "3.0"}.get(namespace)
    if version is None:
        found = _local(root.tag)
        version = "3.0" if found.startswith("qti-") else "2.1" if found == "assessmentItem" else None
        if version is None:
            return Problem(file, found, "not a QTI 2.1 or 3.0 assessment item")
    _strip_namespaces(root)
    expected = NAMES[version]["item"]
    if root.tag != expected:
        return Problem(file, root.tag, f"expected {expected} (QTI {version})")
    return _Document(file, version, root)


def _interaction(doc: _Document, identifier: str) -> tuple[ET.Element, ET.Element] | Skipped | Problem:
    """The item body and its one supported interaction; an item with another kind, or several, is skipped."""
    body_where = f"{doc.base}/{doc.n['body']}"
    body = doc.root.find(doc.n["body"])
    if body is None:
        return doc.problem(body_where, "missing")
    interactions = [
        el for el in body.iter() if el.tag.endswith("Interaction") or el.tag.endswith("-interaction")
    ]
    if not interactions:
        return doc.problem(body_where, "no interaction found")
    if len(interactions) > 1:
        kinds = sorted({el.tag for el in interactions})
        return Skipped(doc.file, identifier, f"{len(interactions)} interactions ({', '.join(kinds)})")
    if interactions[0].tag not in (doc.n["choice"], doc.n["text_entry"]):
        return Skipped(doc.file, identifier, interactions[0].tag)
    return body, interactions[0]


def _declaration_where(doc: _Document, interaction: ET.Element) -> str:
    return f"{doc.base}/{doc.n['response']}[{_response_id(interaction)}]"


def _response_id(interaction: ET.Element) -> str:
    return interaction.get("responseIdentifier") or interaction.get("response-identifier") or ""


def _correct_response(
    doc: _Document, interaction: ET.Element, problems: list[Problem]
) -> tuple[ET.Element, list[str], list[str]] | None:
    """The interaction's response declaration, its correct values and its positively mapped keys; None
    (with the problem added) when the declaration is missing."""
    n = doc.n
    response_id = _response_id(interaction)
    if not response_id:
        problems.append(
            doc.problem(f"{doc.base}/{n['body']}/{interaction.tag}/@responseIdentifier", "missing")
        )
    declaration = next(
        (d for d in doc.root.findall(n["response"]) if d.get("identifier") == response_id), None
    )
    decl_where = _declaration_where(doc, interaction)
    if declaration is None:
        problems.append(doc.problem(decl_where, "missing"))
        return None
    correct_el = declaration.find(n["correct"])
    values = [] if correct_el is None else [(v.text or "").strip() for v in correct_el.findall(n["value"])]
    values = [v for v in values if v]
    mapped = [
        e.get(MAP_KEY[doc.version], "").strip()
        for e in declaration.findall(f"{n['mapping']}/{n['map_entry']}")
        if _positive(e.get(MAPPED_VALUE[doc.version], "0"))
    ]
    if not values and not mapped:
        problems.append(doc.problem(f"{decl_where}/{n['correct']}", "missing: no correct value"))
    return declaration, values, mapped


def _choice_spec(
    doc: _Document,
    body: ET.Element,
    interaction: ET.Element,
    values: list[str],
    problems: list[Problem],
) -> dict[str, Any]:
    """A choice interaction's spec; in the stem the interaction gives way to its prompt."""
    n = doc.n
    where = f"{doc.base}/{n['body']}/{interaction.tag}"
    choices = []
    for i, choice in enumerate(interaction.findall(n["simple_choice"])):
        cid = choice.get("identifier", "").strip()
        if not cid:
            problems.append(doc.problem(f"{where}/{n['simple_choice']}[{i}]/@identifier", "missing"))
        choices.append({"id": cid, "text": _text_of(choice)})
    if len(choices) < 2:
        problems.append(doc.problem(f"{where}/{n['simple_choice']}", "needs at least two choices"))
    unknown = sorted(set(values) - {c["id"] for c in choices})
    if unknown:
        problems.append(
            doc.problem(
                f"{_declaration_where(doc, interaction)}/{n['correct']}", f"names no choice: {unknown}"
            )
        )
    prompt = interaction.find(n["prompt"])
    if prompt is not None:
        prompt.tag = "p"
        prompt.tail = interaction.tail
    _replace(body, interaction, prompt)
    return {"kind": "choice", "choices": choices, "correct": values}


def _text_entry_spec(
    body: ET.Element, interaction: ET.Element, declaration: ET.Element, accepted: list[str]
) -> tuple[str, dict[str, Any]]:
    """A text entry's spec, numeric when its response is a number; in the stem it becomes a blank."""
    base_type = declaration.get("baseType", declaration.get("base-type", "string"))
    accepted = list(dict.fromkeys(accepted))
    blank = ET.Element("span")
    blank.text = "_____"
    blank.tail = interaction.tail
    _replace(body, interaction, blank)
    if base_type in {"float", "integer"}:
        return "numeric", {"kind": "numeric", "answer": accepted[0] if accepted else "", "tolerance": 0}
    return "text", {"kind": "text", "accepted": accepted}


def _replace(body: ET.Element, old: ET.Element, new: ET.Element | None) -> None:
    """Put ``new`` where ``old`` was, wherever it sits in the body (or just remove ``old``)."""
    parent = next((p for p in body.iter() if old in list(p)), body)
    index = list(parent).index(old)
    parent.remove(old)
    if new is not None:
        parent.insert(index, new)


def _positive(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def read_qti_path(path: Path) -> tuple[list[QtiItem], list[Skipped], list[Problem]]:
    """Every item under a file, a folder (recursively) or a zip."""
    documents: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    if path.exists() and (too_big := size_problem(path.name, path_size(path))):
        return [], [], [too_big]
    if path.is_dir():
        for file in sorted(path.rglob("*.xml")):
            if file.name.lower() != "imsmanifest.xml":
                documents.append((str(file.relative_to(path)), file.read_bytes()[: MAX_FILE_BYTES + 1]))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                m for m in archive.infolist() if m.filename.lower().endswith(".xml") and not m.is_dir()
            ]
            if len(members) > MAX_FILES:
                return [], [], [Problem(path.name, "zip", f"more than {MAX_FILES} XML files")]
            if too_big := size_problem(path.name, sum(m.file_size for m in members)):
                return [], [], [too_big]  # what the zip holds, unpacked
            for member in sorted(members, key=lambda m: m.filename):
                if Path(member.filename).name.lower() == "imsmanifest.xml":
                    continue
                if member.file_size > MAX_FILE_BYTES:
                    problems.append(Problem(f"{path.name}:{member.filename}", "file", "larger than 5 MB"))
                    continue
                with archive.open(member) as handle:
                    documents.append((f"{path.name}:{member.filename}", handle.read(MAX_FILE_BYTES + 1)))
    elif path.is_file():
        documents.append((path.name, path.read_bytes()))
    else:
        return [], [], [Problem(str(path), "path", "no such file or folder")]
    items: list[QtiItem] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for name, data in documents:
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(name, "file", "larger than 5 MB"))
            continue
        result, found = parse_qti(data, name)
        problems += found
        if isinstance(result, Skipped):
            skipped.append(result)
        elif isinstance(result, QtiItem):
            if result.identifier in seen:
                problems.append(
                    Problem(name, "@identifier", f"{result.identifier!r} also in {seen[result.identifier]}")
                )
            seen[result.identifier] = name
            items.append(result)
    if not documents:
        problems.append(Problem(path.name, "path", "no QTI XML files found"))
    return items, skipped, problems


__all__ = ["QtiItem", "Skipped", "parse_qti", "read_qti_path"]

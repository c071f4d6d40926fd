"""QTI 2.1 and 3.0 assessment items: choiceInteraction and textEntryInteraction.

Accepts one XML file, a folder of them, or a zip (a QTI content package; its imsmanifest.xml is skipped).
An item with any other interaction, or with more than one interaction, is skipped and reported by its
identifier and interaction type; an item that claims a supported interaction but is malformed is a problem,
which refuses the whole import.

Parsing uses the standard library's ElementTree. Documents that declare entities are refused outright (the
classic "billion laughs" and external-entity attacks need them); Python's expat also caps entity expansion.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from cairn.curriculum.importers import Problem

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


def parse_qti(data: bytes, file: str) -> tuple[QtiItem | Skipped | None, list[Problem]]:
    """Read one QTI item document."""
    if b"<!ENTITY" in data:
        return None, [Problem(file, "DOCTYPE", "entity declarations are not accepted")]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return None, [
            Problem(file, f"line {exc.position[0]}, column {exc.position[1]}", "not well-formed XML")
        ]
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = {QTI21: "2.1", QTI30: "3.0"}.get(namespace)
    if version is None:
        found = _local(root.tag)
        guess = "3.0" if found.startswith("qti-") else "2.1" if found == "assessmentItem" else None
        if guess is None:
            return None, [Problem(file, found, "not a QTI 2.1 or 3.0 assessment item")]
        version = guess
    n = NAMES[version]
    _strip_namespaces(root)
    if root.tag != n["item"]:
        return None, [Problem(file, root.tag, f"expected {n['item']} (QTI {version})")]
    identifier = root.get("identifier", "").strip()
    title = root.get("title", "").strip()
    base = n["item"]
    problems: list[Problem] = []
    if not identifier:
        problems.append(Problem(file, f"{base}/@identifier", "missing"))
    body = root.find(n["body"])
    if body is None:
        return None, [*problems, Problem(file, f"{base}/{n['body']}", "missing")]
    interactions = [
        el for el in body.iter() if el.tag.endswith("Interaction") or el.tag.endswith("-interaction")
    ]
    if not interactions:
        return None, [*problems, Problem(file, f"{base}/{n['body']}", "no interaction found")]
    kinds = sorted({el.tag for el in interactions})
    if len(interactions) > 1:
        return Skipped(file, identifier, f"{len(interactions)} interactions ({', '.join(kinds)})"), problems
    interaction = interactions[0]
    if interaction.tag not in (n["choice"], n["text_entry"]):
        return Skipped(file, identifier, interaction.tag), problems

    response_id = interaction.get("responseIdentifier") or interaction.get("response-identifier", "")
    where = f"{base}/{n['body']}/{interaction.tag}"
    if not response_id:
        problems.append(Problem(file, f"{where}/@responseIdentifier", "missing"))
    declaration = next((d for d in root.findall(n["response"]) if d.get("identifier") == response_id), None)
    decl_where = f"{base}/{n['response']}[{response_id}]"
    if declaration is None:
        return None, [*problems, Problem(file, decl_where, "missing")]
    correct_el = declaration.find(n["correct"])
    values = [] if correct_el is None else [(v.text or "").strip() for v in correct_el.findall(n["value"])]
    values = [v for v in values if v]
    mapped = [
        e.get(MAP_KEY[version], "").strip()
        for e in declaration.findall(f"{n['mapping']}/{n['map_entry']}")
        if _positive(e.get(MAPPED_VALUE[version], "0"))
    ]
    if not values and not mapped:
        problems.append(Problem(file, f"{decl_where}/{n['correct']}", "missing: no correct value"))

    # The stem: the body without its interaction; a text entry becomes a blank, a choice prompt stays.
    parents = {child: parent for parent in body.iter() for child in parent}
    prompt = interaction.find(n["prompt"])
    spec: dict[str, Any]
    if interaction.tag == n["choice"]:
        choices = []
        for i, choice in enumerate(interaction.findall(n["simple_choice"])):
            cid = choice.get("identifier", "").strip()
            if not cid:
                problems.append(Problem(file, f"{where}/{n['simple_choice']}[{i}]/@identifier", "missing"))
            choices.append({"id": cid, "text": _text_of(choice)})
        if len(choices) < 2:
            problems.append(Problem(file, f"{where}/{n['simple_choice']}", "needs at least two choices"))
        unknown = sorted(set(values) - {c["id"] for c in choices})
        if unknown:
            problems.append(Problem(file, f"{decl_where}/{n['correct']}", f"names no choice: {unknown}"))
        spec = {"kind": "choice", "choices": choices, "correct": values}
        parent = parents.get(interaction, body)
        index = list(parent).index(interaction)
        parent.remove(interaction)
        if prompt is not None:
            prompt.tag = "p"
            prompt.tail = interaction.tail
            parent.insert(index, prompt)
        kind = "choice"
    else:
        base_type = declaration.get("baseType", declaration.get("base-type", "string"))
        accepted = list(dict.fromkeys(values + mapped))
        if base_type in {"float", "integer"}:
            spec = {"kind": "numeric", "answer": accepted[0] if accepted else "", "tolerance": 0}
            kind = "numeric"
        else:
            spec = {"kind": "text", "accepted": accepted}
            kind = "text"
        parent = parents.get(interaction, body)
        index = list(parent).index(interaction)
        blank = ET.Element("span")
        blank.text = "_____"
        blank.tail = interaction.tail
        parent.remove(interaction)
        parent.insert(index, blank)
    for feedback in root.findall(n["feedback"]):
        root.remove(feedback)
    stem = _inner_html(body)
    if not stem:
        problems.append(Problem(file, f"{base}/{n['body']}", "no question text"))
    if problems:
        return None, problems
    return QtiItem(file, identifier, title, version, kind, stem, spec), []


def _positive(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def read_qti_path(path: Path) -> tuple[list[QtiItem], list[Skipped], list[Problem]]:
    """Every item under a file, a folder (recursively) or a zip."""
    documents: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
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

"""Imports refuse a file too big or nested too deep with a named limit, and a QTI entity in any encoding,
before a parser could crash on it: files made here, run through the real readers and `cairn import`."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from cairn.core.errors import Invalid
from cairn.curriculum.importers import ImportFailed
from cairn.curriculum.services.frameworks import import_case
from cairn.curriculum.services.imports import import_qti

pytestmark = pytest.mark.django_db

QTI_ITEM = """<?xml version="1.0" encoding="{encoding}"?>
{doctype}<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="q1" title="Q">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>A</value></correctResponse>
  </responseDeclaration>
  <itemBody>{body}<choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">
    <prompt>Pick &amp; choose</prompt>
    <simpleChoice identifier="A">one</simpleChoice><simpleChoice identifier="B">two</simpleChoice>
  </choiceInteraction></itemBody>
</assessmentItem>
"""
ENTITY = '<!DOCTYPE assessmentItem [<!ENTITY lol "lol">]>\n'


def _qti(encoding: str = "UTF-8", doctype: str = "", body: str = "") -> bytes:
    return QTI_ITEM.format(encoding=encoding, doctype=doctype, body=body).encode(encoding.lower())


def _problems(caught: pytest.ExceptionInfo[ImportFailed]) -> list[str]:
    return [str(p) for p in caught.value.problems]


def test_deeply_nested_case_json_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)  # json.loads raised RecursionError on this
    with pytest.raises(ImportFailed) as caught:
        import_case(path)
    assert isinstance(caught.value, Invalid)
    assert _problems(caught) == [
        "deep.json: nesting: nested deeper than the limit of 64 levels (CAIRN_IMPORT_MAX_DEPTH)"
    ]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    path = tmp_path / "strings.json"
    path.write_text(json.dumps({"CFDocument": {"title": "[[{{" * 100 + '\\" ]'}}))
    with pytest.raises(ImportFailed) as caught:
        import_case(path)
    assert not any("nested deeper" in p for p in _problems(caught))  # refused for its content, not depth


@override_settings(CAIRN_IMPORT_MAX_BYTES=1000)
def test_a_case_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"pad": "x" * 2000}))
    with pytest.raises(ImportFailed) as caught:
        import_case(path)
    assert _problems(caught) == [
        "big.json: file: larger than the import limit of 0.000953674 MB (CAIRN_IMPORT_MAX_BYTES)"
    ]


@override_settings(CAIRN_IMPORT_MAX_DEPTH=3)
def test_the_depth_limit_is_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "four.json"
    path.write_text('{"a": [[{"b": 1}]]}')
    with pytest.raises(ImportFailed) as caught:
        import_case(path)
    assert "limit of 3 levels" in _problems(caught)[0]


def test_deeply_nested_qti_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(_qti(body="<div>" * 5000 + "</div>" * 5000))
    with pytest.raises(ImportFailed) as caught:
        import_qti(path)
    assert _problems(caught) == [
        "deep.xml: nesting: nested deeper than the limit of 64 levels (CAIRN_IMPORT_MAX_DEPTH)"
    ]


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "ISO-8859-1"])
def test_a_qti_entity_is_refused_for_its_entity_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "entity.xml"
    path.write_bytes(_qti(encoding, doctype=ENTITY))
    assert b"<!ENTITY" not in path.read_bytes() or encoding in ("UTF-8", "ISO-8859-1")
    with pytest.raises(ImportFailed) as caught:
        import_qti(path)
    assert _problems(caught) == ["entity.xml: DOCTYPE: entity declarations are not accepted"]


def test_a_utf16_qti_item_without_entities_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "plain.xml"
    path.write_bytes(_qti("UTF-16"))
    report = import_qti(path)
    assert report.created["items"] == 1


def test_an_encoding_the_parser_cannot_read_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "le.xml"
    path.write_bytes(_qti("UTF-16-LE"))
    with pytest.raises(ImportFailed) as caught:
        import_qti(path)
    assert _problems(caught) == ["le.xml: encoding: cannot be read: multi-byte encodings are not supported"]


@override_settings(CAIRN_IMPORT_MAX_BYTES=4000)
def test_a_qti_zip_over_the_size_limit_unpacked_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "items.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n in range(5):
            archive.writestr(f"q{n}.xml", _qti(body=" " * 1000))
    assert path.stat().st_size < 4000  # small packed, too big unpacked
    with pytest.raises(ImportFailed) as caught:
        import_qti(path)
    assert "CAIRN_IMPORT_MAX_BYTES" in _problems(caught)[0]

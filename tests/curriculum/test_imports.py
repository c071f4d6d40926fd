"""Imports with real-format files, good and bad: CASE 1.0 JSON, CSV, QTI 2.1 and 3.0.

Every bad file is refused whole (nothing written), with problems naming the file, the row or path and the
field; importing the same file twice changes nothing the second time."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from cairn.core.errors import Invalid
from cairn.curriculum.importers import ImportFailed
from cairn.curriculum.models import Competency, CompetencyLink, Content, Framework, Item, Prerequisite, Status
from cairn.curriculum.services.frameworks import add_prerequisite, import_case, import_competencies_csv
from cairn.curriculum.services.imports import import_content_csv, import_qti
from cairn.engine import items as engine_items

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Framework, Competency, Prerequisite, CompetencyLink, Content, Item)
    )


def _edges() -> set[tuple[str, str]]:
    return set(Prerequisite.objects.values_list("prerequisite__code", "competency__code"))


# ------------------------------------------------------------------------------------------- CASE


def test_case_package_imports_hierarchy_prerequisites_and_links() -> None:
    report = import_case(FIXTURES / "case/ccss_4nf_subset.json")
    assert report.created == {"frameworks": 1, "competencies": 8, "prerequisites": 3, "links": 2}
    framework = Framework.objects.get()
    assert framework.title.startswith("Common Core State Standards for Mathematics")
    assert framework.creator.startswith("National Governors Association")
    a1 = Competency.objects.get(code="4.NF.A.1")
    assert a1.parent is not None
    assert a1.parent.code == "4.NF.A"
    assert a1.parent.parent is not None
    assert a1.parent.parent.code == "4.NF"
    assert Competency.objects.get(code="4.NF").parent is None  # a child of the document itself
    assert a1.domain == "Number and Operations—Fractions"
    assert (a1.grade_low, a1.grade_high, a1.grades) == (4, 4, ["04"])
    assert _edges() == {("4.NF.A.1", "4.NF.A.2"), ("4.NF.B.3.a", "4.NF.B.3.b"), ("4.NF.A.1", "4.NF.B.3.b")}
    exact = CompetencyLink.objects.get(association_type="exactMatchOf")
    assert exact.origin == a1
    assert exact.destination is None
    assert exact.destination_title == "MA.4.NF.A.1"
    related = CompetencyLink.objects.get(association_type="isRelatedTo")
    assert related.destination is not None
    assert related.destination.code == "4.NF.B.3.a"


def test_reimporting_the_same_case_package_is_idempotent() -> None:
    import_case(FIXTURES / "case/ccss_4nf_subset.json")
    before, statements = _counts(), dict(Competency.objects.values_list("identifier", "statement"))
    again = import_case(FIXTURES / "case/ccss_4nf_subset.json")
    assert _counts() == before
    assert again.created == {"frameworks": 0, "competencies": 0, "prerequisites": 0, "links": 0}
    assert again.updated["competencies"] == 8
    assert dict(Competency.objects.values_list("identifier", "statement")) == statements


def test_bad_case_package_names_path_and_field_and_writes_nothing() -> None:
    with pytest.raises(ImportFailed) as caught:
        import_case(FIXTURES / "case/bad_missing_statement.json")
    messages = [str(p) for p in caught.value.problems]
    assert "bad_missing_statement.json: CFItems[3].fullStatement: missing" in messages
    assert any("CFAssociations[2].associationType: unknown type 'isCousinOf'" in m for m in messages)
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_a_prerequisite_cycle_is_refused_with_the_cycle_named() -> None:
    with pytest.raises(ImportFailed) as caught:
        import_case(FIXTURES / "case/cycle.json")
    assert "prerequisite cycle: 4.NF.A.1 → 4.NF.B.3.b → 4.NF.A.1" in str(caught.value)
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_a_prerequisite_to_an_item_outside_the_package_is_kept_as_a_link() -> None:
    import_case(FIXTURES / "case/dangling.json")  # standards as published point at other documents
    outside = CompetencyLink.objects.get(destination_identifier="271bf237-8ba8-502f-a754-519480c89469")
    assert outside.association_type == "precedes"
    assert outside.destination is None
    assert ("4.NF.A.1", "?") not in _edges()


def test_a_file_that_is_not_json_is_refused_with_its_position() -> None:
    with pytest.raises(ImportFailed, match=r"not_json.json: line 1, column \d+: not JSON"):
        import_case(FIXTURES / "case/not_json.json")


# ------------------------------------------------------------------------------------------- CSV


def test_competencies_csv_imports_parents_and_prerequisites_idempotently() -> None:
    report = import_competencies_csv(FIXTURES / "csv/competencies.csv")
    assert report.created == {"frameworks": 1, "competencies": 5, "prerequisites": 4}
    assert Competency.objects.get(code="6.RP.A.2").parent == Competency.objects.get(code="6.RP.A")
    assert ("6.RP.A.2", "6.RP.A.3.b") in _edges()
    assert ("6.RP.A.1", "6.RP.A.2") in _edges()
    before = _counts()
    again = import_competencies_csv(FIXTURES / "csv/competencies.csv")
    assert _counts() == before
    assert again.created["competencies"] == 0


def test_bad_competencies_csv_names_row_and_field() -> None:
    with pytest.raises(ImportFailed) as caught:
        import_competencies_csv(FIXTURES / "csv/competencies_bad.csv")
    messages = {str(p) for p in caught.value.problems}
    assert "competencies_bad.csv: row 3, field statement: missing" in messages
    assert any(m.startswith("competencies_bad.csv: row 4, field grades: not a grade") for m in messages)
    assert "competencies_bad.csv: row 4, field prerequisites: unknown code '6.RP.A.9'" in messages
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_a_csv_cycle_is_named() -> None:
    with pytest.raises(ImportFailed, match=re.escape("prerequisite cycle: A.1 → A.2 → A.3 → A.1")):
        import_competencies_csv(FIXTURES / "csv/competencies_cycle.csv")
    assert Competency.objects.count() == 0


def test_an_edge_closing_a_cycle_with_stored_edges_is_refused() -> None:
    import_case(FIXTURES / "case/ccss_4nf_subset.json")
    a1, b3b = Competency.objects.get(code="4.NF.A.1"), Competency.objects.get(code="4.NF.B.3.b")
    with pytest.raises(Invalid, match=re.escape("4.NF.B.3.b → 4.NF.A.1 → 4.NF.B.3.b")):
        add_prerequisite(b3b, a1)


def test_content_csv_imports_sanitized_with_reading_level_and_is_idempotent() -> None:
    import_case(FIXTURES / "case/ccss_4nf_subset.json")
    import_competencies_csv(FIXTURES / "csv/competencies.csv")
    report = import_content_csv(FIXTURES / "csv/content.csv")
    assert report.created == {"content": 3}
    reading = Content.objects.get(identifier="ratio-tables-reading")
    assert "<script" not in reading.body
    assert "A ratio table" in reading.body
    assert reading.reading_level is not None
    assert 2 < reading.reading_level < 10
    assert reading.status == Status.IN_REVIEW
    assert reading.read_aloud
    phet = Content.objects.get(identifier="phet-fractions-intro")
    assert phet.kind == "interactive"
    assert phet.link_status == "unchecked"
    assert (phet.grade_low, phet.grade_high) == (3, 5)
    assert list(phet.competencies.values_list("code", flat=True)) == ["4.NF.A.1"]
    before = _counts()
    import_content_csv(FIXTURES / "csv/content.csv")
    assert _counts() == before


def test_bad_content_csv_names_every_problem_and_writes_nothing() -> None:
    import_case(FIXTURES / "case/ccss_4nf_subset.json")
    before = _counts()
    with pytest.raises(ImportFailed) as caught:
        import_content_csv(FIXTURES / "csv/content_bad.csv")
    messages = {str(p) for p in caught.value.problems}
    assert any(m.startswith("content_bad.csv: row 3, field kind: unknown kind 'podcast'") for m in messages)
    assert "content_bad.csv: row 4, field url: not an http(s) URL: 'javascript:alert(1)'" in messages
    assert "content_bad.csv: row 4, field captions: expected yes or no, got 'maybe'" in messages
    assert "content_bad.csv: row 5, field competencies: unknown competency '9.ZZ.Z.9'" in messages
    assert any(m.startswith("content_bad.csv: row 5, field minutes") for m in messages)
    assert any(m.startswith("content_bad.csv: row 5, field cost") for m in messages)
    assert _counts() == before  # the good first row was not written either


# ------------------------------------------------------------------------------------------- QTI


def test_qti21_items_import_and_grade_and_unsupported_ones_are_reported() -> None:
    report = import_qti(FIXTURES / "qti/qti21")
    assert report.created == {"items": 3}
    assert report.skipped == [
        "extended_text.xml: item explain-21 skipped: extendedTextInteraction is not supported"
    ]
    choice = Item.objects.get(identifier="qti:frac-equiv-21")
    assert choice.kind == "choice"
    assert choice.status == Status.IN_REVIEW
    assert "Which fraction is equivalent to 2/3?" in choice.stem
    assert "<strong>2/3</strong>" in choice.stem
    spec = engine_items.spec_from_dict(choice.spec)
    assert engine_items.grade(spec, "ChoiceB").correct
    assert not engine_items.grade(spec, "ChoiceA").correct
    numeric = Item.objects.get(identifier="qti:unit-rate-21")
    assert numeric.kind == "numeric"
    assert "_____" in numeric.stem
    assert engine_items.grade(engine_items.spec_from_dict(numeric.spec), "5.0").correct
    text = Item.objects.get(identifier="qti:vocab-denominator-21")
    text_spec = engine_items.spec_from_dict(text.spec)
    assert engine_items.grade(text_spec, "The Denominator").correct
    assert not engine_items.grade(text_spec, "numerator").correct


def test_qti30_zip_imports_skips_the_manifest_and_reports_the_order_item(tmp_path: Path) -> None:
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for file in (FIXTURES / "qti/qti30").iterdir():
            archive.write(file, f"items/{file.name}")
    import_case(FIXTURES / "case/ccss_4nf_subset.json")
    report = import_qti(package, competencies=["4.NF.A.2"], approve=True)
    assert report.created == {"items": 2}
    assert report.skipped == [
        "package.zip:items/order.xml: item order-30 skipped: qti-order-interaction is not supported"
    ]
    compare = Item.objects.get(identifier="qti:compare-30")
    assert compare.status == Status.APPROVED
    assert list(compare.competencies.values_list("code", flat=True)) == ["4.NF.A.2"]
    assert "5/8 is … 1/2" in compare.stem
    assert engine_items.grade(engine_items.spec_from_dict(compare.spec), "greater").correct
    percent = Item.objects.get(identifier="qti:percent-30")
    assert engine_items.grade(engine_items.spec_from_dict(percent.spec), "12").correct
    again = import_qti(package, competencies=["4.NF.A.2"], approve=True)
    assert again.created == {"items": 0}
    assert Item.objects.count() == 2


def test_one_bad_qti_file_refuses_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "qti/qti21", folder)
    shutil.copy(FIXTURES / "qti/bad/no_correct_response.xml", folder)
    with pytest.raises(ImportFailed) as caught:
        import_qti(folder)
    assert [str(p) for p in caught.value.problems] == [
        "no_correct_response.xml: assessmentItem/responseDeclaration[RESPONSE]/correctResponse: "
        "missing: no correct value"
    ]
    assert Item.objects.count() == 0


def test_malformed_and_entity_laden_xml_are_refused() -> None:
    with pytest.raises(ImportFailed) as caught:
        import_qti(FIXTURES / "qti/bad")
    messages = {str(p) for p in caught.value.problems}
    assert "entities.xml: DOCTYPE: entity declarations are not accepted" in messages
    assert any(m.startswith("not_well_formed.xml: line ") and "not well-formed XML" in m for m in messages)

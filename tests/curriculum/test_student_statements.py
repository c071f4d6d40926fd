"""Issue 18 item 1: every competency of the demo curriculum has an "I can" statement; the CSV importer
reads the optional column; teachers change it on the competency's page and the change is recorded."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cairn.curriculum.demo import STANDARDS_CSV
from cairn.curriculum.importers.csv_files import read_competencies_csv
from cairn.curriculum.models import Competency
from cairn.curriculum.services.frameworks import import_competencies_csv
from tests.conftest import World, client_for

HEADER = "framework,code,statement,student_statement,grades,type,parent,prerequisites\n"


def test_every_demo_competency_has_a_short_i_can_statement() -> None:
    rows = list(csv.DictReader(STANDARDS_CSV.open(encoding="utf-8-sig")))
    assert rows
    for row in rows:
        words = row["student_statement"]
        assert words.startswith("I can "), row["code"]
        assert len(words.split()) <= 13, words
        assert row["code"] not in words


@pytest.mark.django_db
def test_the_csv_column_is_optional_and_an_empty_cell_keeps_a_teachers_edit(tmp_path: Path) -> None:
    with_words = tmp_path / "with.csv"
    with_words.write_text(
        HEADER + "Demo,9.XX.A.1,Do a thing.,I can do a thing.,4,Standard,,\n", encoding="utf-8"
    )
    import_competencies_csv(with_words)
    assert Competency.objects.get(code="9.XX.A.1").student_statement == "I can do a thing."
    Competency.objects.filter(code="9.XX.A.1").update(student_statement="I can do it my way.")
    without = tmp_path / "without.csv"
    without.write_text("framework,code,statement\nDemo,9.XX.A.1,Do a thing.\n", encoding="utf-8")
    import_competencies_csv(without)
    assert Competency.objects.get(code="9.XX.A.1").student_statement == "I can do it my way."


def test_a_statement_too_long_for_the_field_is_named_with_its_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"Demo,9.XX.A.1,Do a thing.,{'x' * 161},4,Standard,,\n", encoding="utf-8")
    _, problems = read_competencies_csv(bad)
    assert [p.where for p in problems] == ["row 2, field student_statement"]


def test_teachers_change_what_students_read_and_the_change_is_recorded(world: World) -> None:
    from cairn.curriculum.models import Framework

    fw = Framework.objects.create(identifier="fw", title="Demo")
    comp = Competency.objects.create(framework=fw, identifier="c1", code="4.NF.A.1", statement="Explain it.")
    url = f"/curriculum/competencies/{comp.pk}/"
    page = client_for(world.teacher).get(url).content.decode()
    assert "What students read" in page and 'name="student_statement"' in page
    saved = client_for(world.teacher).post(url, {"student_statement": "I can  explain equal fractions."})
    assert saved.status_code == 302
    comp.refresh_from_db()
    assert comp.student_statement == "I can explain equal fractions."
    assert comp.student_statement_by == world.teacher and comp.student_statement_at is not None
    too_long = client_for(world.teacher).post(url, {"student_statement": "I can " + "do and " * 12})
    assert too_long.status_code == 400
    assert "words at most" in too_long.content.decode()
    assert "do and do and" in too_long.content.decode()  # what the teacher typed stays in the field
    # A school leader reads it but may not change it.
    assert 'name="student_statement"' not in client_for(world.leader).get(url).content.decode()
    refused = client_for(world.leader).post(url, {"student_statement": "I can x."}, follow=True)
    assert "Only teachers and curriculum staff" in refused.content.decode()
    comp.refresh_from_db()
    assert comp.student_statement == "I can explain equal fractions."

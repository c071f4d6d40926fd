"""The grade-book CSV is safe to open in a spreadsheet: a code, a name or a statement a person typed is
shown as text, never run as a formula, in both layouts and in the header."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.conftest import client_for
from tests.insights.conftest import Classroom, progress

HYPERLINK = '=HYPERLINK("http://x")'


def _export(classroom: Classroom, layout: str) -> list[list[str]]:
    response = client_for(classroom.world.teacher).get(
        reverse("insights-export", args=[classroom.world.section.pk]), {"layout": layout}
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_formula_as_a_competency_code_is_quoted_in_both_layouts(classroom: Classroom) -> None:
    a, student = classroom.unit.a, classroom.students[0]
    a.code = HYPERLINK
    a.statement = "  +1+1 fractions"
    a.save()
    student.first_name = "@SUM(A1)"
    student.save()
    progress(student, a, mastery=0.6)

    wide = _export(classroom, "wide")
    assert "'" + HYPERLINK in wide[0]  # the code is a column header in the wide layout
    assert HYPERLINK not in wide[0]
    assert any(row[3] == "'@SUM(A1)" for row in wide[1:])

    long = _export(classroom, "long")
    header = long[0]
    ours = [dict(zip(header, row, strict=True)) for row in long[1:] if row[header.index("standard")] != ""]
    codes = {row["standard"] for row in ours}
    assert "'" + HYPERLINK in codes
    assert HYPERLINK not in codes
    statement = next(row["statement"] for row in ours if row["standard"] == "'" + HYPERLINK)
    assert statement == "'  +1+1 fractions"
    for row in long[1:]:
        for cell in row:
            assert cell.lstrip(" ")[:1] not in ("=", "+", "@", "\t", "\r") or cell.startswith("'")
